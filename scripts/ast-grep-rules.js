#!/usr/bin/env node
/**
 * The ast-grep side of `pnpm bench`: one rule per bglint rule that reads Swift, matching identifiers
 * that contain its trigger strings (ast-grep has no Objective-C), so the comparison has the same reach
 * as bglint's prefilter. `node scripts/ast-grep-rules.js` rewrites scripts/ast-grep-rules.yml from the
 * rule registry; a test fails when the file is stale.
 */
const fs = require('fs');
const path = require('path');

const RULES_FILE = path.join(__dirname, 'ast-grep-rules.yml');

/** The longest word of a trigger string (`DispatchQueue.main.sync` → `DispatchQueue`). */
function word(trigger) {
  return trigger.split(/[^A-Za-z0-9_]+/).sort((a, b) => b.length - a.length)[0];
}

function astGrepRules(rules) {
  return rules
    .filter((rule) => rule.meta.examples.swift && rule.meta.triggers.length > 0)
    .map((rule) => [
      `id: ${rule.meta.id}`, 'language: swift', 'severity: error', `message: ${rule.meta.id}`,
      'rule:', '  any:', '    - kind: simple_identifier', '    - kind: type_identifier',
      `  regex: '${[...new Set(rule.meta.triggers.map(word))].join('|')}'`,
    ].join('\n'))
    .join('\n---\n') + '\n';
}

module.exports = { astGrepRules, RULES_FILE };

if (require.main === module) {
  fs.writeFileSync(RULES_FILE, astGrepRules(require('../packages/rules/dist/index.js').allRules));
  console.log(`wrote ${path.relative(process.cwd(), RULES_FILE)}`);
}
