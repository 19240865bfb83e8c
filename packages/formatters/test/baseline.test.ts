import { applyBaseline, writeBaseline } from '../../session/src/baseline';
import type { Finding, LintReport } from '../src/core-types';
import { finding, range } from './sample-report';

const ROOT = '/work/app';

function reportOf(findings: Finding[]): LintReport {
  const files = [...new Set(findings.map((f) => f.file))];
  return {
    root: ROOT,
    rules: [],
    notices: [],
    results: files.map((file) => ({ file, findings: findings.filter((f) => f.file === file), notices: [], skipped: false })),
  };
}

// Core's fingerprints hash rule, file and the line's trimmed text (plus an occurrence counter),
// so the same finding keeps its fingerprint when lines above it are added.
const before = [
  finding('background-task-not-ended', 'error', 'Sources/A.swift', range(10, 5, 10, 40), { fingerprint: 'fp-begin-0' }),
  finding('background-task-not-ended', 'error', 'Sources/A.swift', range(30, 5, 30, 40), { fingerprint: 'fp-begin-1' }),
  finding('main-sync-from-background', 'warning', 'Sources/B.swift', range(4, 1, 4, 20), { fingerprint: 'fp-sync-0' }),
  finding('main-sync-from-background', 'warning', 'Sources/B.swift', range(9, 1, 9, 20), {
    fingerprint: 'fp-sync-1',
    suppression: { kind: 'inSource', justification: 'known', line: 8 },
  }),
];

describe('baseline', () => {
  const text = writeBaseline(before, ROOT);

  it('writes version 1 with sorted, portable entries and no suppressed findings', () => {
    const baseline = JSON.parse(text);
    expect(baseline.version).toBe(1);
    expect(baseline.entries).toEqual([
      { ruleId: 'background-task-not-ended', file: 'Sources/A.swift', fingerprint: 'fp-begin-0', message: 'Message of background-task-not-ended.' },
      { ruleId: 'background-task-not-ended', file: 'Sources/A.swift', fingerprint: 'fp-begin-1', message: 'Message of background-task-not-ended.' },
      { ruleId: 'main-sync-from-background', file: 'Sources/B.swift', fingerprint: 'fp-sync-0', message: 'Message of main-sync-from-background.' },
    ]);
    expect(JSON.parse(writeBaseline([{ ...before[0], file: `${ROOT}/Sources/A.swift` }], ROOT)).entries[0].file).toBe('Sources/A.swift');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('matches findings that moved to other lines, and marks the rest new', () => {
    const after = [
      { ...before[0], range: range(25, 5, 25, 40) }, // 15 lines were added above it
      { ...before[1], range: range(45, 5, 45, 40) },
      { ...before[2], range: range(4, 1, 4, 20) },
      finding('main-sync-from-background', 'warning', 'Sources/B.swift', range(12, 1, 12, 20), { fingerprint: 'fp-sync-2' }),
    ];
    const { report, error, unmatchedEntries } = applyBaseline(reportOf(after), text);
    expect(error).toBeUndefined();
    expect(unmatchedEntries).toBe(0);
    const states = report.results.flatMap((r) => r.findings.map((f) => [f.fingerprint, f.baselineState]));
    expect(states).toEqual([
      ['fp-begin-0', 'unchanged'],
      ['fp-begin-1', 'unchanged'],
      ['fp-sync-0', 'unchanged'],
      ['fp-sync-2', 'new'],
    ]);
    expect(after[0].baselineState).toBeUndefined(); // the input report is left as it was
  });

  it('drops unchanged findings only when asked', () => {
    const { report } = applyBaseline(reportOf(before.slice(0, 3)), text, { dropUnchanged: true });
    expect(report.results.flatMap((r) => r.findings)).toEqual([]);
  });

  it('does not match the same fingerprint under another rule or file, and counts stale entries', () => {
    const moved = [{ ...before[0], file: 'Sources/C.swift' }, { ...before[2], ruleId: 'other-rule' }];
    const { report, unmatchedEntries } = applyBaseline(reportOf(moved), text);
    expect(report.results.flatMap((r) => r.findings.map((f) => f.baselineState))).toEqual(['new', 'new']);
    expect(unmatchedEntries).toBe(3);
  });

  it('returns the report untouched with an error for a broken baseline', () => {
    const report = reportOf(before);
    expect(applyBaseline(report, '{ nope').error).toMatch(/not valid JSON/);
    expect(applyBaseline(report, '{"version": 2, "entries": []}').error).toMatch(/version is not 1/);
    expect(applyBaseline(report, '{"version": 1, "entries": [{"ruleId": 1}]}').error).toMatch(/entries/);
    expect(applyBaseline(report, '{ nope').report).toBe(report);
  });
});
