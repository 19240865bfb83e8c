#!/usr/bin/env node
/**
 * `node scripts/index-bench.mjs <before checkout> <folder>... [--runs N] [--jobs N]`: cold runs of two
 * builds of bglint with every rule enabled, taking turns (so the noisy machine slows both alike): the
 * checkout given (built, e.g. a worktree at the commit before a change) and this one. Per folder and
 * for all folders in one run: median wall time, CPU time (user + system) and peak RSS, and the ratios
 * after/before, and how many files each build parsed (in process, once; the prefilter let them through).
 * Used for the on-demand index and index-aware triggers (docs/benchmarks.md).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIME = '/usr/bin/time';

const args = { before: undefined, dirs: [], runs: 3, jobs: undefined };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--runs') args.runs = Number(process.argv[++i]);
  else if (a === '--jobs') args.jobs = process.argv[++i];
  else if (!args.before) args.before = path.resolve(a);
  else args.dirs.push(path.resolve(a));
}

const { allRules } = require(path.join(root, 'packages/rules/dist/index.js'));
const ruleFlags = allRules.flatMap((r) => ['--rule', `${r.meta.id}: warning`]);

function measure(checkout, dirs) {
  const out = path.join(os.tmpdir(), `bglint-index-bench-${process.pid}`);
  const bglint = path.join(checkout, 'packages/cli/bin/bglint.js');
  const jobs = args.jobs ? ['-j', args.jobs] : [];
  const start = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%M %U %S', '-o', out, 'node', bglint, '--no-config', ...ruleFlags, ...jobs, '-f', 'json', ...dirs], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${bglint} exited ${r.status}: ${r.stderr}`);
  const [rssKb, user, system] = fs.readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  fs.rmSync(out, { force: true });
  return { ms, cpu: (user + system) * 1000, rss: rssKb / 1024, findings: JSON.parse(r.stdout.toString()).reduce((n, f) => n + f.messages.length, 0) };
}

/** Files the checkout's prefilter lets through (not `skipped`), every rule enabled, counted in a process of its own. */
function parsedFiles(checkout, dirs) {
  const script = `const { runLint } = require(${JSON.stringify(path.join(checkout, 'packages/session/dist/index.js'))});
const { allRules } = require(${JSON.stringify(path.join(checkout, 'packages/rules/dist/index.js'))});
const cliRules = Object.fromEntries(allRules.map((r) => [r.meta.id, { severity: 'warning', options: {} }]));
const report = runLint({ cwd: process.cwd(), paths: ${JSON.stringify(dirs)}, noConfig: true, cliRules, reportUnusedDirectives: false, jobs: 1 });
console.log(report.results.filter((r) => !r.skipped && /\\.(swift|m|mm|h)$/.test(r.file)).length);`;
  const r = spawnSync('node', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sets = [...args.dirs.map((d) => [path.basename(d), [d]]), ...(args.dirs.length > 1 ? [['all together', args.dirs]] : [])];
console.log(`before: ${args.before}\nafter:  ${root}\n${allRules.length} rules enabled, ${args.runs} runs each, taking turns; medians\n`);
console.log('| folder | files parsed before → after | wall before → after | CPU before → after (ratio) | peak RSS before → after (ratio) | findings |');
console.log('|---|---|---|---|---|---|');
for (const [name, dirs] of sets) {
  const runs = { before: [], after: [] };
  for (let i = 0; i < args.runs; i++) {
    runs.before.push(measure(args.before, dirs));
    runs.after.push(measure(root, dirs));
  }
  const m = (side, key) => median(runs[side].map((r) => r[key]));
  const f = (side) => runs[side][0].findings;
  const pair = (key, unit, digits) => `${m('before', key).toFixed(digits)} → ${m('after', key).toFixed(digits)} ${unit}`;
  const parsed = `${parsedFiles(args.before, dirs)} → ${parsedFiles(root, dirs)}`;
  console.log(`| ${name} | ${parsed} | ${pair('ms', 'ms', 0)} | ${pair('cpu', 'ms', 0)} (${(m('after', 'cpu') / m('before', 'cpu')).toFixed(2)}×) | ${pair('rss', 'MB', 0)} (${(m('after', 'rss') / m('before', 'rss')).toFixed(2)}×) | ${f('before')} / ${f('after')} |`);
}
