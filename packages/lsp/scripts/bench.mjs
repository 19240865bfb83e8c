#!/usr/bin/env node
/**
 * Language server figures for docs/benchmarks.md: start to first diagnostics, change-to-diagnostics
 * latency (debounce set to 0, so it is not counted) on a 2,000-line Swift file, and the server's RSS
 * over 10,000 one-character edits. Run after a build: `node packages/lsp/scripts/bench.mjs [edits]`.
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
/** The server: the workspace's bin, or BENCH_BIN (another checkout's, an installed package's). */
const BIN = path.resolve(process.env.BENCH_BIN ?? path.join(here, '../../cli/bin/bglint.js'));
const EDITS = Number(process.argv[2] ?? 10_000);
const LATENCY_SAMPLES = 500;
/** Extra node flags for the server, e.g. `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p"`. */
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(times) {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** In-process, for the breakdown: tree-sitter alone, and the whole lint, each full and incremental. */
function engineBreakdown(text) {
  const fromCore = createRequire(path.resolve(here, '../../core/package.json'));
  const core = fromCore('./dist/index.js');
  const Parser = fromCore('tree-sitter');
  const parser = new Parser();
  parser.setLanguage(fromCore('tree-sitter-swift'));
  const rules = require('../../rules/dist/index.js').ruleSets.recommended.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
  const at = text.indexOf('// step 150') + 11;
  const variants = [text, text.slice(0, at) + 'x' + text.slice(at)];
  const time = (run) => median(Array.from({ length: 20 }, (_, i) => {
    const start = performance.now();
    run(variants[i % 2]);
    return performance.now() - start;
  }));
  let tree = parser.parse(text);
  const cache = new core.ParseCache();
  core.lintSource({ file: 'W.swift', text, language: 'swift', rules, parseCache: cache });
  return {
    parseFull: time((t) => parser.parse(t)),
    parseIncremental: time((t) => {
      // Alternately insert and remove the `x`: the edit tree-sitter is told about.
      const inserting = t === variants[1];
      const point = { row: text.slice(0, at).split('\n').length - 1, column: at - text.lastIndexOf('\n', at - 1) - 1 };
      const after = { ...point, column: point.column + 1 };
      tree.edit({
        startIndex: at, oldEndIndex: inserting ? at : at + 1, newEndIndex: inserting ? at + 1 : at,
        startPosition: point, oldEndPosition: inserting ? point : after, newEndPosition: inserting ? after : point,
      });
      tree = parser.parse(t, tree);
    }),
    lintFull: time((t) => core.lintSource({ file: 'W.swift', text: t, language: 'swift', rules })),
    lintIncremental: time((t) => core.lintSource({ file: 'W.swift', text: t, language: 'swift', rules, parseCache: cache })),
  };
}

/** The process's CPU time so far (user + system, ms; 10 ms ticks), from /proc/<pid>/stat. */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident memory in MB: all of it, and its anonymous part (heaps: V8's and malloc's) and file-backed part (code pages). */
function rssMB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-lsp-bench-'));
  const file = path.join(root, 'Workers.swift');
  const text = swiftFile();
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const engine = engineBreakdown(text);

  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    waiting.get(p.version)?.(p);
    waiting.delete(p.version);
  });
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));

  await connection.sendRequest('initialize', {
    processId: process.pid, rootUri: pathToFileURL(root).href, initializationOptions: { debounceMs: 0 }, capabilities: {},
  });
  await connection.sendNotification('initialized', {});
  const first = published(1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'swift', version: 1, text } });
  const firstDiagnostics = await first;
  const startToFirst = performance.now() - started;
  const startCpu = cpuMs(child.pid);

  // One-character edits in the middle of the file: insert an `x` into a comment, then remove it.
  const line = text.split('\n').findIndex((l, i) => i >= 1000 && l.includes('// step'));
  const at = text.split('\n')[line].indexOf('step') + 4;
  let version = 1;
  const latencies = [];
  let editCpu = 0;
  const rss = [];
  for (let i = 0; i < EDITS; i++) {
    version++;
    const insert = i % 2 === 0;
    const range = { start: { line, character: at }, end: { line, character: insert ? at : at + 1 } };
    const done = published(version);
    const sent = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
    await done;
    if (i < LATENCY_SAMPLES) latencies.push(performance.now() - sent);
    if (i === Math.min(EDITS, LATENCY_SAMPLES) - 1) editCpu = (cpuMs(child.pid) - startCpu) / (i + 1);
    if (i === 99 || (i + 1) % 2500 === 0) {
      const mb = rssMB(child.pid);
      rss.push([i + 1, mb]);
      console.error(`after ${i + 1} edits: server RSS ${mb.rss.toFixed(0)} MB (anonymous ${mb.anon.toFixed(0)}, files ${mb.file.toFixed(0)})`);
    }
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  fs.rmSync(root, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(`node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cores`);
  console.log(`2,000-line Swift file, ${firstDiagnostics.diagnostics.length} findings`);
  console.log(`server start to first diagnostics: ${ms(startToFirst)} (server CPU ${startCpu} ms)`);
  console.log(`change to diagnostics (first ${latencies.length} edits): median ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}; server CPU ${ms(editCpu)} an edit (mean)`);
  console.log(`in process, median of 20: tree-sitter parse ${ms(engine.parseFull)} full, ${ms(engine.parseIncremental)} after a one-character edit; lintSource ${ms(engine.lintFull)} full, ${ms(engine.lintIncremental)} with the parse cache`);
  console.log(`server RSS after N edits: ${rss.map(([n, mb]) => `${n}: ${mb.rss.toFixed(0)} MB`).join(', ')}` +
    (rss.length > 1 ? ` (${(rss[rss.length - 1][1].rss / rss[0][1].rss).toFixed(2)}× after ${rss[rss.length - 1][0]} / after ${rss[0][0]})` : ''));
  console.log(`  of which anonymous (V8 and malloc heaps): ${rss.map(([n, mb]) => `${n}: ${mb.anon.toFixed(0)}`).join(', ')} MB; file-backed: ${rss.map(([n, mb]) => `${n}: ${mb.file.toFixed(0)}`).join(', ')} MB`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
