/**
 * Diagnostics in the form Xcode's build log parses from a Run Script phase:
 * `/abs/path/File.swift:12:5: error: message [rule-id]`, each related location as a `note:` line
 * right after its finding, and notices as warnings or notes (`warning: bglint: …` when no file).
 */
import type { FormatOptions } from './index';
import type { Finding, LintReport, Notice, Range } from './core-types';
import { TOOL_NAME, absolutePath, allNotices, shownFindings, singleLine } from './common';

function place(file: string, range: Range | undefined, root: string): string {
  const start = range?.start ?? { line: 1, column: 1 };
  return `${absolutePath(file, root)}:${start.line}:${start.column}`;
}

function findingLines(finding: Finding, root: string): string[] {
  const main = `${place(finding.file, finding.range, root)}: ${finding.severity}: ${singleLine(finding.message)} [${finding.ruleId}]`;
  const notes = finding.related.map((related) => `${place(related.file, related.range, root)}: note: ${singleLine(related.message)}`);
  return [main, ...notes];
}

function noticeLine(notice: Notice, root: string): string {
  const level = notice.severity === 'note' ? 'note' : 'warning';
  const text = `${TOOL_NAME}: ${singleLine(notice.message)} (${notice.kind})`;
  if (notice.file === undefined) return `${level}: ${text}`;
  return `${place(notice.file, notice.range, root)}: ${level}: ${text}`;
}

export function format(report: LintReport, _options: FormatOptions): string {
  const lines = [
    ...report.results.flatMap((result) => shownFindings(result).flatMap((finding) => findingLines(finding, report.root))),
    ...allNotices(report).map((notice) => noticeLine(notice, report.root)),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
