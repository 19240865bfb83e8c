/**
 * The prefilter skips files containing none of the enabled rules' trigger strings without parsing
 * them, and on the files it keeps runs only the rules whose triggers the file holds. It must lose
 * nothing: linting every file with every rule gives exactly the same findings.
 */
import * as path from 'path';
import { runLint } from '@bglint/session';
import type { RunOptions } from '@bglint/session';
import { generatedApp, removeDir, repoRoot } from './generated-corpus';

function findingsByFile(options: RunOptions) {
  const report = runLint(options);
  return Object.fromEntries(report.results.map((r) => [r.file, r.findings]));
}

function options(dir: string, noPrefilter: boolean): RunOptions {
  return { cwd: dir, paths: ['.'], noConfig: false, cliRules: {}, reportUnusedDirectives: false, noPrefilter };
}

describe('the prefilter', () => {
  const generated = generatedApp();
  afterAll(() => removeDir(generated));

  test.each(['BackgroundTasksApp', 'LegacyObjCApp', 'CleanApp', 'TrailmixApp', 'project-model'])('loses no finding in fixtures/%s', (name) => {
    const dir = path.join(repoRoot, 'fixtures', name);
    expect(findingsByFile(options(dir, false))).toEqual(findingsByFile(options(dir, true)));
  });

  test('loses no finding in a generated app, and does skip files there', () => {
    const filtered = runLint(options(generated, false));
    const everything = findingsByFile(options(generated, true));
    expect(Object.fromEntries(filtered.results.map((r) => [r.file, r.findings]))).toEqual(everything);
    expect(filtered.results.some((r) => r.skipped)).toBe(true);
    expect(filtered.results.flatMap((r) => r.findings).length).toBeGreaterThan(5);
  });
});
