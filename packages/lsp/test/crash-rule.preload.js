/**
 * Loaded with `node -r` before `bglint lsp`: makes background-task-unbalanced throw on any text that
 * contains CRASH_BGLINT, so a test can watch the server survive a crashing rule.
 */
const path = require('node:path');
const rulesModule = require.resolve('@bglint/rules', { paths: [path.resolve(__dirname, '../../cli')] });
const rule = require(rulesModule).rulesById.get('background-task-unbalanced');
const create = rule.create;
rule.create = (context) => {
  if (context.text.includes('CRASH_BGLINT')) throw new Error('deliberate crash for the test');
  return create(context);
};
