#!/usr/bin/env node
/**
 * `node scripts/pbxproj-bench.mjs <other checkout> <folder>... [--rounds N]`: the project.pbxproj parser alone
 * (`parseOpenStep`) over every project.pbxproj under the folders, for another built checkout (A) and this one
 * (B), taking turns in one process. Prints the CPU medians and whether both parse every file the same.
 * Build first (`npx tsc -b packages/project`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 6;
const [other, ...dirs] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
if (!other || dirs.length === 0) throw new Error('usage: node scripts/pbxproj-bench.mjs <other checkout> <folder>... [--rounds N]');
const parser = (checkout) => require(path.resolve(checkout, 'packages/project/dist/pbxproj/parse.js'));
const builds = { A: parser(other), B: parser(root) };

const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name === 'project.pbxproj') files.push(p);
  }
};
dirs.forEach((d) => walk(path.resolve(d)));
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const same = texts.every((t) => JSON.stringify(builds.A.parseOpenStep(t)) === JSON.stringify(builds.B.parseOpenStep(t)));

const times = { A: [], B: [] };
for (let round = 0; round < rounds; round++) {
  for (const build of round % 2 ? ['B', 'A'] : ['A', 'B']) {
    const start = process.cpuUsage();
    for (const text of texts) builds[build].parseOpenStep(text);
    const used = process.cpuUsage(start);
    times[build].push((used.user + used.system) / 1000);
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const mb = texts.reduce((n, t) => n + t.length, 0) / 1e6;
console.log(`${files.length} files, ${mb.toFixed(1)} MB, ${rounds} rounds each, taking turns (CPU ms)`);
console.log(`A (other): ${median(times.A).toFixed(0)}   B (this): ${median(times.B).toFixed(0)}   B / A: ${(median(times.B) / median(times.A)).toFixed(2)}×; results ${same ? 'identical' : 'DIFFER'}`);
