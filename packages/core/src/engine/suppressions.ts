/**
 * Inline suppressions in ESLint's grammar, in Swift and Objective-C comments:
 * `// bglint-disable-next-line id[, id] -- reason`, `// bglint-disable-line …`,
 * `/* bglint-disable id *\/ … /* bglint-enable id *\/` (no ids: every rule), and in plist XML comments
 * `<!-- bglint-disable-next-line id -->` (XML forbids `--` inside a comment, so no justification there).
 */
import type { Finding } from '../types';
import { lineAt, lineStartOffsets } from '../source/lines';

export interface Directive {
  kind: 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
  ruleIds: string[];
  justification?: string;
  line: number;
  /** Set once a finding is suppressed by it (for --report-unused-disable-directives). */
  used: boolean;
}

const DIRECTIVE = /(?:\/\/|\/\*|<!--)\s*bglint-(disable-next-line|disable-line|disable|enable)\b([^\n]*?)(?:\*\/|-->|$)/gm;

export function parseDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  const lineStarts = lineStartOffsets(text);
  for (const m of text.matchAll(DIRECTIVE)) {
    const [idsPart, justification] = splitOnce(m[2] ?? '', '--');
    directives.push({
      kind: m[1] as Directive['kind'],
      ruleIds: idsPart.split(/[\s,]+/).filter(Boolean),
      justification: justification?.trim() || undefined,
      line: lineAt(lineStarts, m.index ?? 0),
      used: false,
    });
  }
  return directives;
}

/** Marks findings covered by a directive with `suppression` (kept, so SARIF can show them as suppressed). */
export function applyDirectives(findings: Finding[], directives: Directive[]): void {
  for (const finding of findings) {
    const directive = directives.find((d) => covers(d, finding, directives));
    if (directive) {
      directive.used = true;
      finding.suppression = { kind: 'inSource', justification: directive.justification, line: directive.line };
    }
  }
}

function covers(d: Directive, f: Finding, all: Directive[]): boolean {
  if (!names(d, f.ruleId)) return false;
  const line = f.range.start.line;
  if (d.kind === 'disable-line') return d.line === line;
  if (d.kind === 'disable-next-line') return d.line + 1 === line;
  if (d.kind !== 'disable' || d.line > line) return false;
  // A block disable lasts until an enable for the same rule after it and before the finding.
  return !all.some((e) => e.kind === 'enable' && e.line > d.line && e.line <= line && names(e, f.ruleId));
}

function names(d: Directive, ruleId: string): boolean {
  return d.ruleIds.length === 0 || d.ruleIds.includes(ruleId);
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + sep.length)];
}

