/**
 * A baseline written by the previous release (0.1.0, `bglint --write-baseline` over the fixture
 * apps) must still match every finding it recorded: fingerprints are a promise across releases, or
 * upgrading bglint would turn a team's accepted findings into new ones. Changing what a fixture's
 * finding is called or where it is needs a CHANGELOG entry and a new baseline here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyBaseline, runLint } from '@bglint/session';

const repoRoot = path.resolve(__dirname, '../../..');
const BASELINE = path.join(__dirname, 'baselines/written-by-0.1.0.json');

test('every finding in the 0.1.0 baseline is still found and matches it', () => {
  const report = runLint({
    cwd: repoRoot, paths: ['fixtures/BackgroundTasksApp', 'fixtures/LegacyObjCApp', 'fixtures/TrailmixApp'], noConfig: false, cliRules: {}, reportUnusedDirectives: false,
  });
  const outcome = applyBaseline(report, fs.readFileSync(BASELINE, 'utf8'));
  expect(outcome.error).toBeUndefined();
  expect(outcome.unmatchedEntries).toBe(0);
  const recorded = JSON.parse(fs.readFileSync(BASELINE, 'utf8')).entries.length;
  const unchanged = outcome.report.results.flatMap((r) => r.findings).filter((f) => f.baselineState === 'unchanged');
  expect(unchanged).toHaveLength(recorded);
});
