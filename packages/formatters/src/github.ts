/**
 * GitHub Actions workflow commands, one annotation per finding:
 * `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=bglint(rule-id)::message`.
 * The runner drops `col`/`endColumn` when `line` and `endLine` differ, so multi-line ranges carry
 * lines only. GitHub shows at most 10 error and 10 warning annotations per step (50 per job);
 * the rest stay in the log.
 */
import type { FormatOptions } from './index';
import type { Finding, LintReport, Notice, Range, Severity } from './core-types';
import { TOOL_NAME, absolutePath, allNotices, repoRelativePath, shownFindings } from './common';

const commandFor: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escaping for a command's message (its data). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for a property value: the data escapes plus `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function rangeProperties(range: Range | undefined): [string, number][] {
  if (range === undefined) return [];
  const lines: [string, number][] = [
    ['line', range.start.line],
    ['endLine', range.end.line],
  ];
  if (range.start.line !== range.end.line) return lines;
  return [...lines, ['col', range.start.column], ['endColumn', range.end.column]];
}

function command(severity: Severity, file: string | undefined, range: Range | undefined, title: string, message: string): string {
  const properties: [string, string | number][] = [
    ...(file === undefined ? [] : ([['file', file]] as [string, string][])),
    ...(file === undefined ? [] : rangeProperties(range)),
    ['title', title],
  ];
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${commandFor[severity]} ${list}::${escapeData(message)}`;
}

function workspacePath(file: string, report: LintReport, options: FormatOptions): string {
  return repoRelativePath(file, report.root, options.cwd) ?? absolutePath(file, report.root);
}

function findingCommand(finding: Finding, report: LintReport, options: FormatOptions): string {
  const file = workspacePath(finding.file, report, options);
  return command(finding.severity, file, finding.range, `${TOOL_NAME}(${finding.ruleId})`, finding.message);
}

function noticeCommand(notice: Notice, report: LintReport, options: FormatOptions): string {
  const file = notice.file === undefined ? undefined : workspacePath(notice.file, report, options);
  const severity: Severity = notice.severity === 'note' ? 'note' : 'warning';
  return command(severity, file, notice.range, `${TOOL_NAME} (${notice.kind})`, notice.message);
}

export function format(report: LintReport, options: FormatOptions): string {
  const lines = [
    ...report.results.flatMap((result) => shownFindings(result).map((finding) => findingCommand(finding, report, options))),
    ...allNotices(report).map((notice) => noticeCommand(notice, report, options)),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
