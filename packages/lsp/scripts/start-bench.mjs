#!/usr/bin/env node
/**
 * Language server start-up: spawn `bglint lsp --stdio`, initialize, open the bench's 2,000-line Swift
 * file and wait for its diagnostics; median of N starts (default 9), wall and the server's CPU time
 * (user + system from /proc/<pid>/stat when the diagnostics arrive: steadier on a busy machine).
 *   node packages/lsp/scripts/start-bench.mjs [runs] [bin]     (bin: default the workspace's)
 * BENCH_NODE_ARGS adds node flags for the server (`--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { swiftFile } from './bench-file.mjs';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.argv[2] ?? 9);
const BIN = path.resolve(process.argv[3] ?? path.join(here, '../../cli/bin/bglint.js'));
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const TICK_MS = 1000 / 100; // USER_HZ

function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14, 15)
}

async function start(root, uri, text) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let cpu = 0;
  const first = new Promise((resolve) => connection.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    cpu = cpuMs(child.pid);
    resolve(p);
  }));
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, initializationOptions: { debounceMs: 0 }, capabilities: {} });
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'swift', version: 1, text } });
  const published = await first;
  const wall = performance.now() - started;
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  await new Promise((resolve) => child.on('exit', resolve));
  connection.dispose();
  return { wall, cpu, findings: published.diagnostics.length };
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-lsp-start-'));
const file = path.join(root, 'Workers.swift');
const text = swiftFile();
fs.writeFileSync(file, text);
const uri = pathToFileURL(file).href;
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await start(root, uri, text));
fs.rmSync(root, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${path.relative(process.cwd(), BIN)}: start to first diagnostics (${runs[0].findings} findings), median of ${RUNS}: wall ${median(runs.map((r) => r.wall)).toFixed(0)} ms, server CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms`);
