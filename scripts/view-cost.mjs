#!/usr/bin/env node
/**
 * `node scripts/view-cost.mjs DIR [--rounds N] [--triggered]`: in one process, on the same Swift/ObjC files,
 * times (CPU) the raw tree-sitter parse, bglint's parse + syntax view, and a full lint with every rule
 * (no prefilter), and a lint as a run does it (the prefilter and each rule's triggers), taking turns each round so a noisy machine slows all three alike. Prints MB/s and each
 * one's share of the raw parse's throughput (the physical floor of a parse-bound run). `--triggered` keeps
 * only the files that contain some rule's trigger string (where the rules really run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = process.env.BGLINT_ROOT ? path.resolve(process.env.BGLINT_ROOT) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const core = require(path.join(root, 'packages/core/dist/index.js'));
const { allRules } = require(path.join(root, 'packages/rules/dist/index.js'));
const coreRequire = createRequire(path.join(root, 'packages/core/package.json'));

const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? '.');
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;
const triggeredOnly = args.includes('--triggered');

function* walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (core.languageOf(p)) yield p;
  }
}
const rules = allRules.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
const triggers = [...new Set(allRules.flatMap((r) => r.meta.triggers))];
let files = [...walk(dir)].map((file) => ({ file, text: fs.readFileSync(file, 'utf8'), language: core.languageOf(file) }));
if (triggeredOnly) files = files.filter((f) => triggers.some((t) => f.text.includes(t)));
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

core.parseSource('', 'swift'); // loads tree-sitter once, with bglint's own setup
const Parser = require('node:os').__bglintTreeSitter;
const grammars = { swift: coreRequire('tree-sitter-swift'), objc: coreRequire('tree-sitter-objc') };
const parsers = Object.fromEntries(Object.entries(grammars).map(([l, g]) => { const p = new Parser(); p.setLanguage(g); return [l, p]; }));

const steps = {
  'raw tree-sitter parse': (f) => { parsers[f.language].parse(f.text, undefined, { bufferSize: f.text.length * 2 + 1024 }); },
  'parse + syntax view': (f) => { core.parseSource(f.text, f.language); },
  'full lint, every rule': (f) => { core.lintSource({ file: f.file, text: f.text, language: f.language, rules, noPrefilter: true }); },
  // What a run does: each file gets only the rules whose triggers it holds (none: not parsed).
  'lint as a run does': (f) => { core.lintSource({ file: f.file, text: f.text, language: f.language, rules }); },
};
const times = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, step] of Object.entries(steps)) {
    globalThis.gc?.();
    const start = process.cpuUsage();
    for (const f of files) step(f);
    const used = process.cpuUsage(start);
    times[name].push((used.user + used.system) / 1000);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(times['raw tree-sitter parse']);
console.log(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${rounds} rounds (median CPU)${triggeredOnly ? ', files with a trigger only' : ''}`);
for (const [name, t] of Object.entries(times)) {
  const ms = median(t);
  console.log(`${name.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms  ${(bytes / 1e6 / (ms / 1000)).toFixed(2).padStart(5)} MB/s  ${((floor / ms) * 100).toFixed(0).padStart(3)}% of raw parse`);
}
