#!/usr/bin/env node
/**
 * `node scripts/lex-bench.mjs <other checkout> <folder> [--rounds N] [--without-reach]`: the lexical pass alone (core's `lexFile`,
 * what the project index costs per file), over every Swift/ObjC file of the folder, for another built checkout
 * (A, e.g. a worktree at the commit before a change) and this one (B), taking turns in one process so a noisy
 * machine slows both alike. Prints CPU per round, and whether both builds give the same facts (sha1 of every
 * file's facts, from the first round, which is not timed) and their size. `--without-reach`: this one lexes
 * without the reach map's facts (`LexOptions.reach`; give `.` as the other checkout to compare the two
 * ways of one build). Build first (`npx tsc -b packages/core`).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 7;
const [other, dir] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
const options = { A: {}, B: args.includes('--without-reach') ? { reach: false } : {} };
if (!other || !dir) throw new Error('usage: node scripts/lex-bench.mjs <other checkout> <folder> [--rounds N]');
const builds = { A: require(path.resolve(other, 'packages/core/dist/index.js')), B: require(path.join(root, 'packages/core/dist/index.js')) };

const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (builds.B.languageOf(p)) files.push(p);
  }
})(path.resolve(dir));
files.sort();
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const languages = files.map((f) => builds.B.languageOf(f));

const times = { A: [], B: [] };
const digests = {};
const sizes = {};
for (let round = 0; round <= rounds; round++) {
  for (const build of round % 2 ? ['B', 'A'] : ['A', 'B']) {
    const hash = round === 0 ? crypto.createHash('sha1') : undefined;
    let size = 0;
    const start = process.cpuUsage();
    for (let i = 0; i < files.length; i++) {
      const facts = builds[build].lexFile(files[i], texts[i], languages[i], options[build]);
      if (hash) {
        const json = JSON.stringify(facts);
        hash.update(json);
        size += json.length;
      }
    }
    const used = process.cpuUsage(start);
    if (hash) [digests[build], sizes[build]] = [hash.digest('hex'), size];
    else times[build].push((used.user + used.system) / 1000);
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`${files.length} files, ${rounds} timed rounds each, taking turns (CPU ms)`);
for (const build of ['A', 'B']) {
  console.log(`${build === 'A' ? 'A (other)' : 'B (this) '}: median ${median(times[build]).toFixed(0)}, min ${Math.min(...times[build]).toFixed(0)}   [${times[build].map((t) => t.toFixed(0)).join(' ')}]`);
}
console.log(`B / A: median ${(median(times.B) / median(times.A)).toFixed(2)}×, min ${(Math.min(...times.B) / Math.min(...times.A)).toFixed(2)}×; facts ${digests.A === digests.B ? 'identical' : 'DIFFER'} (${(sizes.A / 1e6).toFixed(1)} MB, ${(sizes.B / 1e6).toFixed(1)} MB as JSON)`);
