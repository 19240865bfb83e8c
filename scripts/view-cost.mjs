#!/usr/bin/env node
/**
 * `node scripts/view-cost.mjs DIR [--rounds N] [--turns T] [--triggered]`: on the same Swift/ObjC files, times
 * (CPU) the raw tree-sitter parse, bglint's parse + syntax view, a full lint with every rule (no prefilter),
 * and a lint as a run does it (the prefilter and each rule's triggers). Prints MB/s and each one's share of
 * the raw parse's throughput (the physical floor of a parse-bound run). `--triggered` keeps only the files
 * that contain some rule's trigger string (where the rules really run).
 *
 * Each step runs in a process of its own, the steps taking turns `T` times (default 3, so a noisy machine
 * slows them alike), each process passing over the files `N` times (default 3). The first pass is what a
 * CLI run does (every file once, code not yet optimized); the later ones what a long-lived process (an
 * editor's server) does. Every 4 files the event loop turns, as a worker's does between batches: native
 * trees are freed only then (in one synchronous loop every tree of every pass stayed, 1.8 GB, and the
 * steps paid for that memory unevenly).
 */
import { spawnSync } from 'node:child_process';
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
const turns = args.includes('--turns') ? Number(args[args.indexOf('--turns') + 1]) : 3;
const onlyStep = args.includes('--step') ? args[args.indexOf('--step') + 1] : undefined;
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

if (onlyStep !== undefined) {
  // One step's passes, in this process: CPU per pass, as JSON on stdout.
  const step = steps[onlyStep];
  const passes = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const start = process.cpuUsage();
    for (let i = 0; i < files.length; i++) {
      step(files[i]);
      if (i % 4 === 3) await new Promise((resolve) => setImmediate(resolve));
    }
    const used = process.cpuUsage(start);
    passes.push((used.user + used.system) / 1000);
  }
  process.stdout.write(JSON.stringify(passes));
} else {
  const first = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
  const later = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
  for (let t = 0; t < turns; t++) {
    for (const name of Object.keys(steps)) {
      const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args, '--step', name], { encoding: 'utf8', maxBuffer: 1 << 20, env: process.env });
      if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
      const passes = JSON.parse(run.stdout);
      first[name].push(passes[0]);
      later[name].push(...passes.slice(1));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${turns} processes a step taking turns, ${rounds} passes each (median CPU)${triggeredOnly ? ', files with a trigger only' : ''}`);
  const table = (label, times) => {
    if (times['raw tree-sitter parse'].length === 0) return;
    const floor = median(times['raw tree-sitter parse']);
    console.log(label);
    for (const [name, t] of Object.entries(times)) {
      const ms = median(t);
      console.log(`  ${name.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms  ${(bytes / 1e6 / (ms / 1000)).toFixed(2).padStart(5)} MB/s  ${((floor / ms) * 100).toFixed(0).padStart(3)}% of raw parse`);
    }
  };
  table('first pass (a CLI run):', first);
  table('later passes (a long-lived process):', later);
}
