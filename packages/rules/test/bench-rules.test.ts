/** The benchmark's ast-grep rules (scripts/ast-grep-rules.yml) follow the rule registry. */
import * as fs from 'fs';
import { allRules } from '../src';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { astGrepRules, RULES_FILE } = require('../../../scripts/ast-grep-rules.js') as { astGrepRules: (rules: unknown) => string; RULES_FILE: string };

test('scripts/ast-grep-rules.yml is current (node scripts/ast-grep-rules.js rewrites it)', () => {
  expect(fs.readFileSync(RULES_FILE, 'utf8')).toBe(astGrepRules(allRules));
});

