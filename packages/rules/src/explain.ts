/**
 * `bglint explain`: which rules cause what a device printed. Each rule's `meta.logPatterns` say how
 * its symptom reads in a console log or crash report; a rule is named when the patterns it matches
 * weigh at least NAMING_WEIGHT, and rules are ranked by that weight.
 */
import type { LogPattern, Rule } from '@bglint/core';

const NAMING_WEIGHT = 2;

export interface Explanation {
  rule: Rule;
  /** The sum of the weights of the patterns that matched. */
  weight: number;
  /** The lines of the log that matched, in log order (at most three). */
  evidence: string[];
}

/** The rules that explain `log`, likeliest first; empty when none does. */
export function explainLog(log: string, rules: Rule[]): Explanation[] {
  const lines = logLines(log);
  const explanations: Explanation[] = [];
  for (const rule of rules) {
    const patterns = logPatternsOf(rule);
    const matched = patterns.filter((p) => lines.some((line) => p.pattern.test(line)));
    const weight = matched.reduce((sum, p) => sum + p.weight, 0);
    if (!matched.some((p) => p.weight >= NAMING_WEIGHT) || weight < NAMING_WEIGHT) continue;
    const evidence = lines.filter((line) => matched.some((p) => p.weight >= NAMING_WEIGHT && p.pattern.test(line))).slice(0, 3);
    explanations.push({ rule, weight, evidence });
  }
  return explanations.sort((a, b) => b.weight - a.weight || strongest(b.rule) - strongest(a.rule) || a.rule.meta.id.localeCompare(b.rule.meta.id));
}

export function logPatternsOf(rule: Rule): LogPattern[] {
  return rule.meta.logPatterns ?? [];
}

function strongest(rule: Rule): number {
  return Math.max(0, ...logPatternsOf(rule).map((p) => p.weight));
}

/**
 * A console log, a text crash report, or an `.ips` crash report (a JSON header line, then a JSON
 * body) as lines of text: JSON becomes `key: value` lines, and numeric codes also read in hex
 * (`0x8badf00d`), as the text report prints them.
 */
export function logLines(log: string): string[] {
  const json = ipsDocuments(log);
  if (!json) return log.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const lines: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
    else if (typeof value === 'number' && /code/i.test(key)) lines.push(`${key}: ${value} (0x${value.toString(16)})`);
    else if (value !== null && value !== undefined) lines.push(`${key}: ${String(value)}`);
  };
  json.forEach((doc) => visit(doc, ''));
  return lines;
}

function ipsDocuments(log: string): unknown[] | undefined {
  const text = log.trim();
  if (!text.startsWith('{')) return undefined;
  const firstLineEnd = text.indexOf('\n');
  try {
    if (firstLineEnd < 0) return [JSON.parse(text)];
    return [JSON.parse(text.slice(0, firstLineEnd)), JSON.parse(text.slice(firstLineEnd + 1))];
  } catch {
    try {
      return [JSON.parse(text)];
    } catch {
      return undefined;
    }
  }
}
