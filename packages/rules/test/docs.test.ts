import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, ruleMarkdown, rulesIndexMarkdown, PAGES_NAMING_HOME, withHomeUrl } from '@bglint/rules';

const DOCS = path.resolve(__dirname, '../../../docs/rules');

describe('generated rule docs', () => {
  it.each(allRules.map((r) => [r.meta.id, r] as const))('docs/rules/%s.md is up to date (run `pnpm docs`)', (id, rule) => {
    expect(fs.readFileSync(path.join(DOCS, `${id}.md`), 'utf8')).toBe(ruleMarkdown(rule));
  });

  it('docs/rules/README.md lists every rule', () => {
    expect(fs.readFileSync(path.join(DOCS, 'README.md'), 'utf8')).toBe(rulesIndexMarkdown(allRules));
  });
});

describe('pages that name the home', () => {
  it.each(PAGES_NAMING_HOME)('%s links to the home of packages/bglint/package.json (run `pnpm docs`)', (page) => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../..', page), 'utf8');
    expect(text).toBe(withHomeUrl(text));
  });
});
