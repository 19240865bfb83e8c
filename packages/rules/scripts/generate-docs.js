#!/usr/bin/env node
// Writes docs/rules/<id>.md and docs/rules/README.md from each rule's meta (run after `pnpm build`).
const fs = require('node:fs');
const path = require('node:path');
const { allRules, ruleMarkdown, rulesIndexMarkdown, PAGES_NAMING_HOME, withHomeUrl } = require('../dist/index.js');

const out = path.resolve(__dirname, '../../../docs/rules');
fs.mkdirSync(out, { recursive: true });
for (const rule of allRules) fs.writeFileSync(path.join(out, `${rule.meta.id}.md`), ruleMarkdown(rule));
fs.writeFileSync(path.join(out, 'README.md'), rulesIndexMarkdown(allRules));
const repo = path.resolve(__dirname, '../../..');
for (const page of PAGES_NAMING_HOME) {
  const file = path.join(repo, page);
  fs.writeFileSync(file, withHomeUrl(fs.readFileSync(file, 'utf8')));
}
console.log(`wrote ${allRules.length + 1} pages to ${path.relative(process.cwd(), out)}`);
