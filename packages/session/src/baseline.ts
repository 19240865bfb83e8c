/**
 * A baseline records today's findings so CI fails only on new ones.
 *
 * Findings match on (ruleId, file, fingerprint). Core's fingerprints hash the rule, the file and the
 * finding line's trimmed text with an occurrence counter, not the line number, so a finding that
 * moves when code above it changes still matches.
 */
import * as path from 'node:path';
import type { Finding, LintReport } from '@bglint/core';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  /** Relative to the baseline's root, with forward slashes, so the file works on any machine. */
  file: string;
  fingerprint: string;
  message: string;
}

export interface BaselineFile {
  version: number;
  entries: BaselineEntry[];
}

export interface ApplyBaselineOptions {
  /** Remove matched findings from the report (human formats); SARIF keeps them, marked "unchanged". */
  dropUnchanged: boolean;
}

export interface BaselineOutcome {
  report: LintReport;
  error?: string;
  /** Baseline entries no finding matched any more (fixed or changed): a sign to rewrite the baseline. */
  unmatchedEntries: number;
}

function portablePath(file: string, root: string): string {
  const relative = path.isAbsolute(file) ? path.relative(root, file) : file;
  return relative.split(path.sep).join('/').replace(/\\/g, '/');
}

function entryKey(ruleId: string, file: string, fingerprint: string): string {
  return JSON.stringify([ruleId, file, fingerprint]);
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint);
}

/** The baseline's JSON text for these findings; suppressed findings need no baseline and are left out. */
export function writeBaseline(findings: Finding[], root: string): string {
  const entries = findings
    .filter((finding) => finding.suppression === undefined)
    .map((finding) => ({
      ruleId: finding.ruleId,
      file: portablePath(finding.file, root),
      fingerprint: finding.fingerprint,
      message: finding.message,
    }))
    .sort(compareEntries);
  const baseline: BaselineFile = { version: BASELINE_VERSION, entries };
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

function isEntry(value: unknown): value is BaselineEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.ruleId === 'string' && typeof entry.file === 'string' && typeof entry.fingerprint === 'string';
}

/** The baseline's entries, or a sentence saying why the text is not a baseline. */
export function parseBaseline(text: string): BaselineEntry[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `the baseline is not valid JSON (${(error as Error).message})`;
  }
  const baseline = parsed as Partial<BaselineFile> | null;
  if (typeof baseline !== 'object' || baseline === null || baseline.version !== BASELINE_VERSION) {
    return `the baseline's version is not ${BASELINE_VERSION}; write it again with --write-baseline`;
  }
  if (!Array.isArray(baseline.entries) || !baseline.entries.every(isEntry)) {
    return 'the baseline has no valid "entries" list (each needs ruleId, file and fingerprint)';
  }
  return baseline.entries;
}

/**
 * Marks each finding the baseline holds as `baselineState: "unchanged"` and every other one as
 * "new"; with `dropUnchanged` the unchanged ones are removed. The given report is not modified.
 * On an unreadable baseline the report comes back as it was, with `error` set.
 */
export function applyBaseline(
  report: LintReport,
  baselineText: string,
  options: ApplyBaselineOptions = { dropUnchanged: false },
): BaselineOutcome {
  const entries = parseBaseline(baselineText);
  if (typeof entries === 'string') return { report, error: entries, unmatchedEntries: 0 };
  const known = new Set(entries.map((entry) => entryKey(entry.ruleId, entry.file, entry.fingerprint)));
  const matched = new Set<string>();
  const results = report.results.map((result) => {
    const findings = result.findings.map((finding): Finding => {
      const key = entryKey(finding.ruleId, portablePath(finding.file, report.root), finding.fingerprint);
      const unchanged = known.has(key);
      if (unchanged) matched.add(key);
      return { ...finding, baselineState: unchanged ? 'unchanged' : 'new' };
    });
    const kept = options.dropUnchanged ? findings.filter((finding) => finding.baselineState !== 'unchanged') : findings;
    return { ...result, findings: kept };
  });
  return { report: { ...report, results }, unmatchedEntries: known.size - matched.size };
}
