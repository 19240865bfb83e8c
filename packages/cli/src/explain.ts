/** `bglint explain`: paste what the device printed, get the rules that cause it; or a rule's page. */
import { explainLog, rulesById, allRules, ruleMarkdown, ruleSummary } from '@bglint/rules';
import type { Explanation } from '@bglint/rules';
import type { Rule } from '@bglint/core';
import { parseExplainArgs } from './args';
import type { Io } from './main';

export function explain(argv: string[], io: Io): number {
  const options = parseExplainArgs(argv);
  const rule = !options.stdin && options.words.length === 1 ? rulesById.get(options.words[0]!) : undefined;
  if (rule) {
    io.stdout(options.format === 'json' ? JSON.stringify(ruleSummary(rule), null, 2) + '\n' : ruleMarkdown(rule));
    return 0;
  }
  const log = options.stdin ? io.readStdin() : options.words.join(' ');
  const explanations = explainLog(log, allRules);
  if (options.format === 'json') io.stdout(JSON.stringify({ rules: explanations.map(asJson) }, null, 2) + '\n');
  else io.stdout(explanations.length ? explanations.map(asText).join('\n') : 'No bglint rule explains this log: none of its lines is a symptom bglint knows.\n');
  return explanations.length ? 0 : 1;
}

/** The command that finds the rule's mistakes in the user's code (enabled even where a config turns it off). */
function findCommand(rule: Rule): string {
  return `bglint --rule '${rule.meta.id}: ${rule.meta.severity}' .`;
}

function asText(e: Explanation, index: number): string {
  const { meta } = e.rule;
  return [
    `${index + 1}. ${meta.id} (${meta.severity}): ${meta.summary}`,
    ...e.evidence.map((line) => `   the log: ${line.length > 160 ? `${line.slice(0, 157)}...` : line}`),
    `   why: ${meta.why}`,
    `   fix: ${meta.fix}`,
    `   find it: ${findCommand(e.rule)}`,
    `   docs: ${ruleSummary(e.rule).docsUrl}`,
    '',
  ].join('\n');
}

function asJson(e: Explanation) {
  const { id, severity, summary, why, fix, symptom, docsUrl } = ruleSummary(e.rule);
  return { id, weight: e.weight, evidence: e.evidence, severity, summary, why, fix, symptom, command: findCommand(e.rule), docsUrl };
}
