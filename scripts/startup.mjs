#!/usr/bin/env node
// Start-up cost of bglint, whole process, median of N runs (default 15):
//   node scripts/startup.mjs <folder where the bglint tarball is installed> [runs]
// compares `node -e 0`, the workspace's bin (tsc output, one module per source file) and the
// installed package's bin (one bundle), for --version and for linting one fixture file; then, in
// one process each, what loading the command's modules and the grammars costs.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const installed = path.resolve(process.argv[2] ?? '');
const runs = Number(process.argv[3] ?? 15);
const workspaceBin = path.join(root, 'packages/cli/bin/bglint.js');
const installedBin = path.join(installed, 'node_modules/bglint/bin/bglint.js');
const swiftFile = path.join(root, 'fixtures/BackgroundTasksApp/BackgroundTasksApp/VideoExporter.swift');
const objcFile = path.join(root, 'fixtures/LegacyObjCApp/LegacyObjCApp/LGSyncManager.m');

/** Median wall and CPU (user + system, from /usr/bin/time: steadier on a busy machine) in ms. */
function median(command, args, cwd = root) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const out = spawnSync('/usr/bin/time', ['-f', '%U %S', command, ...args], { cwd, encoding: 'utf8' });
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const [user, system] = out.stderr.trim().split('\n').pop().split(' ').map(Number);
    cpu.push((user + system) * 1000);
  }
  const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0);
  return `${mid(wall)} / ${mid(cpu)}`;
}

/** Milliseconds for `code` inside one node process (median of runs). */
function inProcess(code) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, ['-e', `const t=process.hrtime.bigint();${code};console.log(Number(process.hrtime.bigint()-t)/1e6)`], { cwd: root, encoding: 'utf8' });
    times.push(Number(out.stdout.trim().split('\n').pop()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)].toFixed(1);
}

const rows = [
  ['`node -e 0`', median(process.execPath, ['-e', '0']), '—'],
  ['`bglint --version`', median(process.execPath, [workspaceBin, '--version']), median(process.execPath, [installedBin, '--version'])],
  ['`bglint <one Swift fixture file>`', median(process.execPath, [workspaceBin, swiftFile]), median(process.execPath, [installedBin, swiftFile])],
  ['`bglint <one ObjC fixture file>`', median(process.execPath, [workspaceBin, objcFile]), median(process.execPath, [installedBin, objcFile])],
  ['`npx bglint --version` (npx itself included)', '—', median('npx', ['bglint', '--version'], installed)],
];
console.log(`Node ${process.version}, ${runs} runs each, median ms (wall / CPU), whole process\n`);
console.log('| command | workspace (tsc output) | installed package (bundle) |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

const bundle = path.join(installed, 'node_modules/bglint/dist');
const coreDist = path.join(root, 'packages/core/dist');
console.log('\nIn one process (ms, median):\n');
console.log('| what | workspace | installed |\n|---|---|---|');
console.log(`| load the command's modules | ${inProcess(`require(${JSON.stringify(path.join(root, 'packages/cli/dist/main.js'))})`)} | ${inProcess(`require(${JSON.stringify(path.join(bundle, 'cli.js'))})`)} |`);
console.log(`| load the Node API | — | ${inProcess(`require(${JSON.stringify(path.join(bundle, 'index.js'))})`)} |`);
console.log(`| load tree-sitter and the Swift grammar, set it on a parser | ${inProcess(`const P=require(require.resolve('tree-sitter',{paths:[${JSON.stringify(coreDist)}]}));new P().setLanguage(require(require.resolve('tree-sitter-swift',{paths:[${JSON.stringify(coreDist)}]})))`)} | — |`);
console.log(`| the same for the ObjC grammar | ${inProcess(`const P=require(require.resolve('tree-sitter',{paths:[${JSON.stringify(coreDist)}]}));new P().setLanguage(require(require.resolve('tree-sitter-objc',{paths:[${JSON.stringify(coreDist)}]})))`)} | — |`);
