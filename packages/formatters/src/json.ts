/**
 * ESLint-like JSON: one entry per file with `messages`, counts, and this tool's extras
 * (`level`, `fingerprint`, `related`, `notices`). Suppressed findings go to `suppressedMessages`
 * as ESLint does, so they never count. A fix or suggestion may hold several edits, so each is
 * `{ desc, edits: [{ range: [start, end], text }] }` with offsets in UTF-16 code units.
 */
import type { FormatOptions } from './index';
import type { Fix, Finding, LintReport, Notice } from './core-types';
import { absolutePath, allNotices, countFindings } from './common';

interface JsonEdit {
  range: [number, number];
  text: string;
}

function jsonFix(fix: Fix): { desc: string; edits: JsonEdit[] } {
  return { desc: fix.description, edits: fix.edits.map((edit) => ({ range: [edit.startIndex, edit.endIndex], text: edit.text })) };
}

function jsonMessage(finding: Finding, root: string) {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity === 'error' ? 2 : 1,
    level: finding.severity,
    message: finding.message,
    line: finding.range.start.line,
    column: finding.range.start.column,
    endLine: finding.range.end.line,
    endColumn: finding.range.end.column,
    fingerprint: finding.fingerprint,
    related: finding.related.map((related) => ({
      filePath: absolutePath(related.file, root),
      line: related.range.start.line,
      column: related.range.start.column,
      endLine: related.range.end.line,
      endColumn: related.range.end.column,
      message: related.message,
    })),
    ...(finding.fix === undefined ? {} : { fix: jsonFix(finding.fix) }),
    suggestions: finding.suggestions.map(jsonFix),
    ...(finding.baselineState === undefined ? {} : { baselineState: finding.baselineState }),
    ...(finding.suppression === undefined
      ? {}
      : { suppressions: [{ kind: 'directive', justification: finding.suppression.justification ?? '' }] }),
  };
}

function jsonNotice(notice: Notice) {
  return {
    kind: notice.kind,
    level: notice.severity,
    message: notice.message,
    ...(notice.ruleId === undefined ? {} : { ruleId: notice.ruleId }),
    ...(notice.range === undefined
      ? {}
      : {
          line: notice.range.start.line,
          column: notice.range.start.column,
          endLine: notice.range.end.line,
          endColumn: notice.range.end.column,
        }),
  };
}

interface FileEntry {
  findings: Finding[];
  notices: Notice[];
  output?: string;
}

/** Findings and notices grouped by absolute path; run-wide notices go under the root folder. */
function groupByFile(report: LintReport): Map<string, FileEntry> {
  const entries = new Map<string, FileEntry>();
  const entryFor = (file: string): FileEntry => {
    const key = absolutePath(file, report.root);
    let entry = entries.get(key);
    if (entry === undefined) entries.set(key, (entry = { findings: [], notices: [] }));
    return entry;
  };
  for (const result of report.results) {
    const entry = entryFor(result.file);
    entry.findings.push(...result.findings);
    if (result.output !== undefined) entry.output = result.output;
  }
  for (const notice of allNotices(report)) entryFor(notice.file ?? '.').notices.push(notice);
  return entries;
}

export function format(report: LintReport, _options: FormatOptions): string {
  const files = [...groupByFile(report)].map(([filePath, entry]) => {
    const active = entry.findings.filter((finding) => finding.suppression === undefined);
    const suppressed = entry.findings.filter((finding) => finding.suppression !== undefined);
    const counts = countFindings(active);
    const fixable = countFindings(active.filter((finding) => finding.fix !== undefined));
    return {
      filePath,
      messages: active.map((finding) => jsonMessage(finding, report.root)),
      suppressedMessages: suppressed.map((finding) => jsonMessage(finding, report.root)),
      errorCount: counts.errors,
      warningCount: counts.warnings + counts.notes,
      noteCount: counts.notes,
      fixableErrorCount: fixable.errors,
      fixableWarningCount: fixable.warnings + fixable.notes,
      notices: entry.notices.map(jsonNotice),
      ...(entry.output !== undefined ? { output: entry.output } : {}),
    };
  });
  return `${JSON.stringify(files, null, 2)}\n`;
}
