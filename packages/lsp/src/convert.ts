/**
 * Engine results as LSP diagnostics. The engine counts lines and columns from 1 in UTF-16 code
 * units, which is LSP's default encoding, so a position only shifts by one; nothing is re-measured.
 */
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic, Position as LspPosition, Range as LspRange } from 'vscode-languageserver';
import type { FileResult, Finding, Notice, Position, Range, Severity } from '@bglint/core';

export const SOURCE = 'bglint';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/** Notices shown in the file (the rest go to the log). */
const NOTICES_SHOWN = new Set<Notice['kind']>(['parse-error', 'too-deep', 'timeout', 'unused-directive', 'project-file']);

export function toPosition(p: Position): LspPosition {
  return { line: p.line - 1, character: p.column - 1 };
}

export function toRange(r: Range): LspRange {
  return { start: toPosition(r.start), end: toPosition(r.end) };
}

/** Whole lines from a notice's first to its last line (notices name lines, not columns). */
function lineRange(r: Range | undefined): LspRange {
  const start = (r?.start.line ?? 1) - 1;
  const end = (r?.end.line ?? 1) - 1;
  return { start: { line: start, character: 0 }, end: { line: end + 1, character: 0 } };
}

export function findingDiagnostic(finding: Finding, uri: string, docsUrl: (ruleId: string) => string): Diagnostic {
  return {
    range: toRange(finding.range),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    source: SOURCE,
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({ location: { uri, range: toRange(r.range) }, message: r.message })),
  };
}

function noticeDiagnostic(notice: Notice): Diagnostic {
  const severity = notice.kind === 'unused-directive' || notice.kind === 'project-file' ? SEVERITY[notice.severity] : DiagnosticSeverity.Information;
  return { range: lineRange(notice.range), severity, source: SOURCE, message: notice.message };
}

/** Unsuppressed findings and the notices worth showing in the file. */
export function toDiagnostics(result: FileResult, uri: string, docsUrl: (ruleId: string) => string): Diagnostic[] {
  return [
    ...result.findings.filter((f) => !f.suppression).map((f) => findingDiagnostic(f, uri, docsUrl)),
    ...result.notices.filter((n) => NOTICES_SHOWN.has(n.kind)).map(noticeDiagnostic),
  ];
}
