/** ESLint's "stylish": a header per file, aligned rows, a summary line, then the run's notices dimmed. */
import type { FormatOptions } from './index';
import type { FileResult, Finding, LintReport, Notice, Severity } from './core-types';
import { allNotices, countFindings, displayPath, plural, shownFindings } from './common';
import { displayWidth } from './width';

type Paint = (code: string, text: string) => string;

const RED = '31';
const YELLOW = '33';
const CYAN = '36';
const DIM = '2';
const BOLD = '1';
const UNDERLINE = '4';

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

const severityColor: Record<Severity, string> = { error: RED, warning: YELLOW, note: CYAN };

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

function fileBlock(result: FileResult, findings: Finding[], report: LintReport, options: FormatOptions, paint: Paint): string[] {
  const lineWidth = Math.max(...findings.map((f) => String(f.range.start.line).length));
  const columnWidth = Math.max(...findings.map((f) => String(f.range.start.column).length));
  const messageWidth = Math.max(...findings.map((f) => displayWidth(f.message)));
  const severityWidth = Math.max(...findings.map((f) => f.severity.length));
  const rows = findings.map((finding) => {
    const position = `${padStart(String(finding.range.start.line), lineWidth)}:${padEnd(String(finding.range.start.column), columnWidth)}`;
    const severity = paint(severityColor[finding.severity], padEnd(finding.severity, severityWidth));
    const message = padEnd(finding.message.replace(/\r?\n/g, ' '), messageWidth);
    return `  ${paint(DIM, position)}  ${severity}  ${message}  ${paint(DIM, finding.ruleId)}`.trimEnd();
  });
  return [paint(UNDERLINE, displayPath(result.file, report.root, options.cwd)), ...rows, ''];
}

function summaryLines(findings: Finding[], paint: Paint): string[] {
  const counts = countFindings(findings);
  const total = findings.length;
  if (total === 0) return [];
  const parts = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning')];
  if (counts.notes > 0) parts.push(plural(counts.notes, 'note'));
  const color = counts.errors > 0 ? RED : counts.warnings > 0 ? YELLOW : CYAN;
  return [paint(`${BOLD};${color}`, `\u2716 ${plural(total, 'problem')} (${parts.join(', ')})`)];
}

function noticeLine(notice: Notice, report: LintReport, options: FormatOptions, severityWidth: number): string {
  const where = notice.file === undefined ? '' : displayPath(notice.file, report.root, options.cwd);
  const line = notice.range === undefined ? '' : `:${notice.range.start.line}`;
  const place = where === '' ? '' : `${where}${line}  `;
  const rule = notice.ruleId === undefined ? '' : ` [${notice.ruleId}]`;
  return `  ${padEnd(notice.severity, severityWidth)}  ${place}${notice.message.replace(/\r?\n/g, ' ')} (${notice.kind})${rule}`;
}

function noticeLines(report: LintReport, options: FormatOptions, paint: Paint): string[] {
  const notices = allNotices(report);
  if (notices.length === 0) return [];
  const severityWidth = Math.max(...notices.map((notice) => notice.severity.length));
  const lines = [`${plural(notices.length, 'notice')}:`, ...notices.map((notice) => noticeLine(notice, report, options, severityWidth))];
  return lines.map((line) => paint(DIM, line));
}

export function format(report: LintReport, options: FormatOptions): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  const shown: Finding[] = [];
  for (const result of report.results) {
    const findings = shownFindings(result);
    if (findings.length === 0) continue;
    shown.push(...findings);
    lines.push(...fileBlock(result, findings, report, options, paint));
  }
  lines.push(...summaryLines(shown, paint));
  const notices = noticeLines(report, options, paint);
  if (notices.length > 0 && lines.length > 0) lines.push('');
  lines.push(...notices);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
