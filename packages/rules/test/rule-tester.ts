/**
 * Runs a rule's documented examples as tests (SwiftLint's `↓` marks where each finding must start),
 * plus generated robustness variants: an emoji line above, the whole example commented out, and a
 * disable directive.
 */
import { ProjectIndex, lintSource } from '@bglint/core';
import type { Finding, Language, Rule, TargetSettings } from '@bglint/core';

export const MARKER = '↓';

export interface Marked {
  code: string;
  positions: { line: number; column: number }[];
}

/** Removes each `↓` and records the 1-based line and UTF-16 column where it stood. */
export function stripMarkers(example: string): Marked {
  const positions: Marked['positions'] = [];
  const lines = example.split('\n').map((text, i) => {
    let out = '';
    for (let at = 0; at < text.length; at++) {
      if (text[at] === MARKER) positions.push({ line: i + 1, column: out.length + 1 });
      else out += text[at];
    }
    return out;
  });
  return { code: lines.join('\n'), positions };
}

export function lintExample(rule: Rule, code: string, language: Language, target: TargetSettings = {}): Finding[] {
  const file = language === 'swift' ? 'Example.swift' : 'Example.m';
  const index = new ProjectIndex();
  index.addFile(file, code, language);
  const result = lintSource({ file, text: code, language, rules: [{ rule, severity: rule.meta.severity, options: {} }], index, target });
  if (result.notices.some((n) => n.kind === 'rule-crash')) throw new Error(result.notices.map((n) => n.message).join('\n'));
  return result.findings;
}

export function positionsOf(findings: Finding[]) {
  return findings.filter((f) => !f.suppression).map((f) => ({ line: f.range.start.line, column: f.range.start.column }));
}

/** Each line commented out: no rule may report anything. */
export function commentedOut(code: string): string {
  return code.split('\n').map((l) => `// ${l}`).join('\n');
}
