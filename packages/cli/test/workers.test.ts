/** Worker threads change where files are linted, never the report: same results, same order. */
import * as path from 'path';
import { runLint } from '@bglint/session';
import type { RunOptions } from '@bglint/session';
import { generatedApp, removeDir, repoRoot } from './generated-corpus';

function options(dir: string, extra: Partial<RunOptions>): RunOptions {
  return { cwd: dir, paths: ['.'], noConfig: false, cliRules: {}, reportUnusedDirectives: true, ...extra };
}

// Thresholds at 0 force every file through the workers, however small the run.
const inWorkers = (jobs: number) => ({ jobs, scanInProcessBelow: 0, lintInProcessBelow: 0 });
const inProcess = { scanInProcessBelow: Infinity, lintInProcessBelow: Infinity };

describe('worker threads', () => {
  const generated = generatedApp(160, 11);
  afterAll(() => removeDir(generated));

  test.each([1, 2, 3])('%i worker(s) give the in-process report on a generated app', (jobs) => {
    expect(runLint(options(generated, inWorkers(jobs)))).toEqual(runLint(options(generated, inProcess)));
  });

  test('give the in-process report on the fixture apps (ObjC and Swift, project targets)', () => {
    for (const name of ['BackgroundTasksApp', 'LegacyObjCApp', 'project-model']) {
      const dir = path.join(repoRoot, 'fixtures', name);
      expect(runLint(options(dir, inWorkers(2)))).toEqual(runLint(options(dir, inProcess)));
    }
  });
});
