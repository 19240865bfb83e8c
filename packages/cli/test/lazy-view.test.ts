/**
 * The syntax view lowers a function body only when something reads it, and the walk enters only the
 * bodies that hold a trigger string (core's syntax/deferred.ts). It must change nothing: every rule,
 * every fixture and a generated app give the same findings and notices as lowering everything.
 */
import * as path from 'path';
import { runLint } from '@bglint/session';
import type { RunOptions } from '@bglint/session';
import { generatedApp, removeDir, repoRoot } from './generated-corpus';

function resultsByFile(options: RunOptions) {
  const report = runLint(options);
  return Object.fromEntries(report.results.map((r) => [r.file, { findings: r.findings, notices: r.notices }]));
}

function options(dir: string, eagerView: boolean): RunOptions {
  return { cwd: dir, paths: ['.'], noConfig: true, cliRules: {}, reportUnusedDirectives: false, noPrefilter: true, eagerView, jobs: 1 };
}

describe('the lazy syntax view', () => {
  const generated = generatedApp(150, 11);
  afterAll(() => removeDir(generated));

  test.each(['BackgroundTasksApp', 'LegacyObjCApp', 'CleanApp', 'TrailmixApp', 'project-model'])('changes no finding in fixtures/%s', (name) => {
    const dir = path.join(repoRoot, 'fixtures', name);
    expect(resultsByFile(options(dir, false))).toEqual(resultsByFile(options(dir, true)));
  });

  test('changes no finding in a generated app', () => {
    const lazy = resultsByFile(options(generated, false));
    expect(lazy).toEqual(resultsByFile(options(generated, true)));
    expect(Object.values(lazy).flatMap((r) => r.findings).length).toBeGreaterThan(10);
  });
});
