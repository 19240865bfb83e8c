/**
 * Applies findings' `fix` edits to a file's text, ESLint's way: fixes in source order, a fix whose
 * edits overlap one already taken is left for the next pass, and suggestions are never applied.
 */
import type { Finding, TextEdit } from '../types';

export interface FixOutcome {
  output: string;
  /** The findings whose fix was applied. */
  fixed: Finding[];
}

export function applyFixes(text: string, findings: Finding[]): FixOutcome {
  const withFix = findings.filter((f) => f.fix && !f.suppression && f.fix.edits.length > 0);
  withFix.sort((a, b) => firstStart(a) - firstStart(b));
  const taken: TextEdit[] = [];
  const fixed: Finding[] = [];
  for (const finding of withFix) {
    const edits = finding.fix!.edits;
    if (edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    taken.push(...edits);
    fixed.push(finding);
  }
  let output = text;
  for (const edit of [...taken].sort((a, b) => b.startIndex - a.startIndex)) {
    output = output.slice(0, edit.startIndex) + edit.text + output.slice(edit.endIndex);
  }
  return { output, fixed };
}

function firstStart(finding: Finding): number {
  return Math.min(...finding.fix!.edits.map((e) => e.startIndex));
}

/** Touching edits count as overlapping too: their order would be ambiguous. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.startIndex <= b.endIndex && b.startIndex <= a.endIndex;
}
