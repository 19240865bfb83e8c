#!/usr/bin/env node
/**
 * How much of a folder's Swift and Objective-C the parser can read: for each language, the share of
 * files with a parse error and of lines inside unreadable ranges, with bglint's source normalization
 * (what the linter sees) and without it (tree-sitter alone), so the normalization's effect is measured.
 *
 *   pnpm parse-health <folder> [--json]
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const { parseSource, languageOf } = require('@bglint/core');
const { discoverFiles } = require('@bglint/session');

const args = process.argv.slice(2);
const json = args.includes('--json');
const folders = args.filter((a) => !a.startsWith('--'));
if (folders.length === 0) {
  console.error('usage: pnpm parse-health <folder>… [--json]');
  process.exit(2);
}

const emptyTally = () => ({ files: 0, lines: 0, normalized: { filesWithErrors: 0, unreadableLines: 0, timeouts: 0 }, raw: { filesWithErrors: 0, unreadableLines: 0, timeouts: 0 } });
const tally = { swift: emptyTally(), objc: emptyTally() };

function measure(text, language, normalize, into) {
  const outcome = parseSource(text, language, { normalize });
  if (!outcome.ok) {
    into.timeouts++;
    into.filesWithErrors++;
    return;
  }
  const spans = outcome.file.unreadable;
  if (spans.length > 0) into.filesWithErrors++;
  into.unreadableLines += spans.reduce((n, s) => n + s.endLine - s.startLine + 1, 0);
}

const files = discoverFiles(process.cwd(), folders);
let done = 0;
for (const file of files) {
  const language = languageOf(file);
  if (!language) continue;
  const text = fs.readFileSync(file, 'utf8');
  const t = tally[language];
  t.files++;
  t.lines += text.split('\n').length;
  measure(text, language, true, t.normalized);
  measure(text, language, false, t.raw);
  // node-tree-sitter frees native trees only after a GC and a turn of the event loop.
  if (++done % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
}

const pct = (part, whole) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);
if (json) {
  console.log(JSON.stringify({ folders: folders.map((f) => path.resolve(f)), ...tally }, null, 2));
} else {
  console.log('language  files   lines     files with errors (normalized / raw)   unreadable lines (normalized / raw)');
  for (const [language, t] of Object.entries(tally)) {
    if (t.files === 0) continue;
    console.log(
      `${language.padEnd(8)}  ${String(t.files).padStart(5)}  ${String(t.lines).padStart(8)}  ` +
        `${pct(t.normalized.filesWithErrors, t.files).padStart(8)} / ${pct(t.raw.filesWithErrors, t.files).padEnd(26)}` +
        `${pct(t.normalized.unreadableLines, t.lines).padStart(8)} / ${pct(t.raw.unreadableLines, t.lines)}`,
    );
  }
}
