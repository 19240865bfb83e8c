#!/usr/bin/env node
/**
 * `node scripts/raw-parse.mjs DIR`: tree-sitter's parse of every Swift/Objective-C file under DIR and
 * nothing else: the physical floor of a parse-bound bglint run, timed by scripts/bench.mjs beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coreRequire = createRequire(path.join(root, 'packages/core/package.json'));
const Parser = coreRequire('tree-sitter');
const grammars = { swift: 'tree-sitter-swift', objc: 'tree-sitter-objc' };
const parsers = {};
const parserFor = (language) => {
  if (!parsers[language]) {
    parsers[language] = new Parser();
    parsers[language].setLanguage(coreRequire(grammars[language]));
  }
  return parsers[language];
};

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(file);
    else if (/\.swift$/.test(entry.name)) yield [file, 'swift'];
    else if (/\.(m|mm|h)$/.test(entry.name)) yield [file, 'objc'];
  }
}

let files = 0;
for (const [file, language] of sources(path.resolve(process.argv[2] ?? '.'))) {
  const text = fs.readFileSync(file, 'utf8');
  parserFor(language).parse(text, undefined, { bufferSize: text.length * 2 + 1024 });
  files++;
}
if (process.argv.includes('--print')) console.log(`${files} files parsed`);
