import { format, formatWithin, selectResults } from '../src/sarif';
import { gzipSync } from 'node:zlib';
import type { LintReport } from '../src/core-types';
import { EMOJI_FILE, finding, options, range, sampleReport } from './sample-report';
import { multitoolPath, validateSarif } from './sarif-validator';

/* eslint-disable @typescript-eslint/no-explicit-any */
const log = JSON.parse(format(sampleReport(), options({ sarifCategory: 'bglint' })));
const run = log.runs[0];

// A missing validator skips these tests on a developer's machine but fails them in CI.
const withValidator = multitoolPath() !== undefined || process.env.CI === 'true' ? it : it.skip;

function expectValid(text: string): void {
  const { errors, warnings } = validateSarif(text);
  expect({ errors, warnings }).toEqual({ errors: [], warnings: [] });
}

describe('sarif', () => {
  it('names the schema, version, tool and its rules as GitHub reads them', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'bglint', version: '0.1.0', semanticVersion: '0.1.0' });
    expect(run.tool.driver.rules.map((rule: any) => rule.name)).toEqual([
      'BackgroundTaskNotEnded',
      'BgtaskIdentifierNotRegistered',
      'MainSyncFromBackground',
      'ExpirationHandlerMissing',
    ]);
    expect(run.tool.driver.rules[0]).toMatchObject({
      id: 'background-task-not-ended',
      shortDescription: { text: 'Summary of background-task-not-ended.' },
      fullDescription: { text: 'Why background-task-not-ended matters.' },
      helpUri: 'https://bglint.dev/rules/background-task-not-ended',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['background', 'reliability', 'security'], precision: 'high', 'problem.severity': 'error', 'security-severity': '5.0' },
    });
    expect(run.tool.driver.rules[0].help.markdown).toContain('# background-task-not-ended');
    expect(run.tool.driver.rules[3].properties['problem.severity']).toBe('recommendation');
    expect(run.tool.driver.rules[1].properties['security-severity']).toBeUndefined();
  });

  it('declares %SRCROOT%, UTF-16 columns and the category with its trailing slash', () => {
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/app/' } });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.automationDetails).toEqual({ id: 'bglint/' });
    const withRunId = JSON.parse(format(sampleReport(), options({ sarifCategory: 'bglint/ios/' })));
    expect(withRunId.runs[0].automationDetails.id).toBe('bglint/ios/');
    expect(JSON.parse(format(sampleReport(), options())).runs[0].automationDetails).toBeUndefined();
  });

  it('writes each result with rule, level, location, related locations, fingerprint and fix', () => {
    expect(run.results).toHaveLength(5);
    const [error] = run.results;
    expect(error).toMatchObject({ ruleId: 'background-task-not-ended', ruleIndex: 0, level: 'error' });
    expect(error.message.text).toBe(
      'beginBackgroundTask(expirationHandler:) is never balanced by endBackgroundTask(_:) on every path. ' +
        'See [the expiration handler, which must end the task](1), [where the \\[upload\\] task is scheduled](2).',
    );
    expect(error.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'Sources/App/Uploader.swift', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 5, endLine: 12, endColumn: 58 },
    });
    expect(error.relatedLocations[1]).toEqual({
      id: 2,
      physicalLocation: {
        artifactLocation: { uri: 'Sources/App/AppDelegate.swift', uriBaseId: '%SRCROOT%' },
        region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 12 },
      },
      message: { text: 'where the \\[upload\\] task is scheduled' },
    });
    expect(error.partialFingerprints).toEqual({ 'bglint/v1': 'a1b2c3d4e5f60718' });
    expect(error.fixes).toEqual([
      {
        description: { text: 'End the background task in the expiration handler.' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'Sources/App/Uploader.swift', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 20, startColumn: 9, endLine: 20, endColumn: 9 },
                insertedContent: { text: 'UIApplication.shared.endBackgroundTask(taskID)\n        ' },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('keeps suppressed findings, marked inSource with their justification', () => {
    const suppressed = run.results.find((result: any) => result.suppressions !== undefined);
    expect(suppressed.ruleId).toBe('main-sync-from-background');
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', justification: 'Legacy path, tracked in #123' }]);
  });

  it('percent-encodes file names in URIs and points outside files at absolute file URIs', () => {
    const emoji = run.results.find((result: any) => result.ruleId === 'main-sync-from-background' && !result.suppressions);
    expect(emoji.locations[0].physicalLocation.artifactLocation.uri).toBe(
      `Sources/Feature/${encodeURIComponent(EMOJI_FILE.split('/')[2])}`,
    );
    expect(emoji.locations[0].physicalLocation.region.startColumn).toBe(27);
    const outside = JSON.parse(format(sampleReport(), options({ cwd: '/work/app/Sources/App' })));
    const uris = outside.runs[0].results.map((result: any) => result.locations[0].physicalLocation.artifactLocation);
    expect(uris[0]).toEqual({ uri: 'Uploader.swift', uriBaseId: '%SRCROOT%' });
    expect(uris[3]).toEqual({ uri: 'file:///work/app/Sources/Feature/Launch%20%F0%9F%9A%80.swift' });
  });

  it('marks baseline state when the report carries it', () => {
    const report = sampleReport();
    report.results[0].findings[1] = { ...report.results[0].findings[1], baselineState: 'unchanged' };
    const result = JSON.parse(format(report, options())).runs[0].results[1];
    expect(result.baselineState).toBe('unchanged');
    expect(run.results[1].baselineState).toBeUndefined();
  });

  it('reports notices as tool execution notifications with their locations', () => {
    const invocation = run.invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'unknown rule "old-rule" in .bglint.yml was ignored' }, descriptor: { id: 'config' } },
      {
        level: 'warning',
        message: { text: 'could not read lines 40–42' },
        descriptor: { id: 'parse-error' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'Sources/App/Uploader.swift', uriBaseId: '%SRCROOT%' },
              region: { startLine: 40, startColumn: 1, endLine: 42, endColumn: 10 },
            },
          },
        ],
      },
      {
        level: 'error',
        message: { text: 'rule expiration-handler-missing crashed: TypeError: node is undefined' },
        descriptor: { id: 'rule-crash' },
        locations: [{ physicalLocation: { artifactLocation: expect.objectContaining({ uriBaseId: '%SRCROOT%' }) } }],
        associatedRule: { id: 'expiration-handler-missing' },
      },
    ]);
  });

  it('past the result limit keeps unsuppressed, then most severe results, and says how many it dropped', () => {
    const truncated = JSON.parse(format(sampleReport(), options({ maxResults: 2 }))).runs[0];
    expect(truncated.results.map((result: any) => result.level)).toEqual(['error', 'warning']);
    expect(truncated.results.map((result: any) => result.ruleId)).toEqual(['background-task-not-ended', 'bgtask-identifier-not-registered']);
    const note = truncated.invocations[0].toolExecutionNotifications.at(-1);
    expect(note.descriptor).toEqual({ id: 'results-truncated' });
    expect(note.level).toBe('warning');
    expect(note.message.text).toContain('bglint found 5 results; GitHub code scanning accepts at most 2 per run');
    expect(note.message.text).toContain('leaves out 3 of lowest severity (0 errors, 2 warnings, 1 note)');
  });

  it('never keeps more than GitHub accepts, even when asked to', () => {
    const many = Array.from({ length: 25_003 }, (_, index) => finding('r', index % 2 === 0 ? 'warning' : 'error', 'A.swift', range(index + 1, 1, index + 1, 2)));
    const { kept, dropped } = selectResults(many, 25_000);
    expect(kept).toHaveLength(25_000);
    expect(dropped.every((entry) => entry.severity === 'warning')).toBe(true);
    const report: LintReport = { root: '/work/app', rules: [], notices: [], results: [{ file: 'A.swift', findings: many, notices: [], skipped: false }] };
    const big = JSON.parse(format(report, options({ maxResults: 100_000 }))).runs[0];
    expect(big.results).toHaveLength(25_000);
    expect(big.tool.driver.rules).toHaveLength(1);
    expect(big.tool.driver.rules[0].shortDescription.text).toBe('Findings of the rule r.');
  });

  it('past the compressed size limit drops results until the file fits', () => {
    const many = Array.from({ length: 400 }, (_, index) =>
      finding('r', 'warning', `F${index}.swift`, range(1, 1, 1, 2), { fingerprint: `${index}-${Math.random().toString(36)}`, message: `Message ${Math.random().toString(36)}${Math.random().toString(36)}.` }),
    );
    const report: LintReport = { root: '/work/app', rules: [], notices: [], results: [{ file: 'A.swift', findings: many, notices: [], skipped: false }] };
    const text = formatWithin(report, options(), 10_000);
    expect(gzipSync(text).length).toBeLessThanOrEqual(10_000);
    const fitted = JSON.parse(text).runs[0];
    expect(fitted.results.length).toBeGreaterThan(10);
    expect(fitted.results.length).toBeLessThan(400);
    expect(fitted.invocations[0].toolExecutionNotifications.at(-1).message.text).toContain(
      `accepts SARIF files of at most 0.01 MB compressed, so this log leaves out ${400 - fitted.results.length}`,
    );
  });

  withValidator('passes the SARIF Multitool with GitHub rules: no errors, no warnings', () => {
    expectValid(format(sampleReport(), options({ sarifCategory: 'bglint/' })));
  }, 60_000);

  withValidator('stays valid when truncated, empty, or full of odd text', () => {
    expectValid(format(sampleReport(), options({ maxResults: 1 })));
    expectValid(format({ root: '/work/app', rules: [], results: [], notices: [] }, options()));
    const report = sampleReport();
    report.results[0].findings[1] = { ...report.results[0].findings[1], message: 'no period, a [bracket] and a \\ backslash' };
    expectValid(format(report, options()));
  }, 60_000);

  withValidator('is a validator that catches broken SARIF', () => {
    const broken = JSON.parse(format(sampleReport(), options()));
    broken.runs[0].results[0].level = 'bogus';
    expect(validateSarif(JSON.stringify(broken)).errors.join('\n')).toContain('"bogus" is not one of');
    delete broken.runs[0].tool.driver.rules;
    broken.runs[0].results[0].level = 'error';
    expect(validateSarif(JSON.stringify(broken)).errors.length).toBeGreaterThan(0);
  }, 60_000);
});
