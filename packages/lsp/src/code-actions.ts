/**
 * Code actions for the findings under the cursor: each rule suggestion as a quick fix, disable
 * comments for the line and the file, the rule's documentation; and `source.fixAll.bglint`, which
 * applies only safe fixes (never suggestions).
 */
import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, Range as LspRange, TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { applyFixes } from '@bglint/core';
import type { FileResult, Finding, Fix } from '@bglint/core';
import { findingDiagnostic, toRange } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.bglint`;
export const SHOW_DOCUMENTATION_COMMAND = 'bglint.showDocumentation';

export interface ActionRequest {
  document: TextDocument;
  /** The lint result for exactly this version of the document. */
  result: FileResult;
  range: LspRange;
  only?: string[];
  docsUrl: (ruleId: string) => string;
}

export function codeActions(request: ActionRequest): CodeAction[] {
  const wants = (kind: string) => !request.only || request.only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const active = request.result.findings.filter((f) => !f.suppression);
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const finding of active.filter((f) => overlaps(toRange(f.range), request.range))) actions.push(...findingActions(finding, request));
  }
  if (wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(request.document, active);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

function findingActions(finding: Finding, request: ActionRequest): CodeAction[] {
  const { document, docsUrl } = request;
  const diagnostic = findingDiagnostic(finding, document.uri, docsUrl);
  const quickFix = (title: string, edits: LspTextEdit[], isPreferred = false): CodeAction => ({
    title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred, edit: { changes: { [document.uri]: edits } },
  });
  return [
    ...[finding.fix, ...finding.suggestions].filter((f): f is Fix => Boolean(f)).map((fix, i) => quickFix(fix.description, fix.edits.map(toLspEdit), i === 0)),
    quickFix(`Disable ${finding.ruleId} for this line`, [disableLineEdit(document, finding)]),
    quickFix(`Disable ${finding.ruleId} for this file`, [disableFileEdit(document, finding)]),
    {
      title: `Show documentation for ${finding.ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: `Show documentation for ${finding.ruleId}`, command: SHOW_DOCUMENTATION_COMMAND, arguments: [docsUrl(finding.ruleId)] },
    },
  ];
}

/** `// bglint-disable-next-line <rule> -- ` above the finding's line, with that line's indentation. */
function disableLineEdit(document: TextDocument, finding: Finding): LspTextEdit {
  const line = finding.range.start.line - 1;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)![0];
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}// bglint-disable-next-line ${finding.ruleId} -- ${eolOf(document)}` };
}

/** `// bglint-disable <rule> -- ` on the first line: a disable with no enable lasts to the end of the file. */
function disableFileEdit(document: TextDocument, finding: Finding): LspTextEdit {
  const at = { line: 0, character: 0 };
  return { range: { start: at, end: at }, newText: `// bglint-disable ${finding.ruleId} -- ${eolOf(document)}` };
}

/** Every safe fix, chosen as `bglint --fix` chooses them (source order, overlapping ones left for later). */
function fixAllAction(document: TextDocument, findings: Finding[]): CodeAction | undefined {
  const { fixed } = applyFixes(document.getText(), findings);
  if (fixed.length === 0) return undefined;
  const edits = fixed.flatMap((f) => f.fix!.edits.map(toLspEdit));
  return { title: 'Fix all safe bglint problems', kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: edits } } };
}

function toLspEdit(edit: Fix['edits'][number]): LspTextEdit {
  return { range: toRange(edit.range), newText: edit.text };
}

function overlaps(a: LspRange, b: LspRange): boolean {
  const before = (p: LspRange['start'], q: LspRange['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function eolOf(document: TextDocument): string {
  return document.getText().includes('\r\n') ? '\r\n' : '\n';
}
