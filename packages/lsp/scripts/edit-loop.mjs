#!/usr/bin/env node
/**
 * The language server's work per edit, in one process without the protocol: the bench's 2,000-line file,
 * `bufferChanged` + lint through the session host with one `ParseCache`, a one-character edit toggled in a
 * comment, an event-loop turn between edits. Prints V8's old generation and RSS every 500 edits; run it
 * under V8's GC tracing to see what each young-generation collection promotes, e.g.
 * `node --trace-gc-nvp packages/lsp/scripts/edit-loop.mjs 1000 | grep -o 'promoted=[0-9]*' | awk -F= '{s+=$2} END {print s/1000/1024 " KB an edit"}'`
 * (stdout is free for the trace; this script writes to stderr). Run after a build.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { swiftFile } from './bench-file.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { createSessionHost } = require(path.join(here, '../dist/session-host.js'));
const { ParseCache } = require(path.join(here, '../../core/dist/index.js'));
const EDITS = Number(process.argv[2] ?? 2000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-edit-loop-'));
const file = path.join(root, 'Workers.swift');
const text = swiftFile();
fs.writeFileSync(file, text);
const host = createSessionHost();
const folder = host.openFolder(root, { rules: {}, indexSources: true });
const cache = new ParseCache();
const at = text.indexOf('// step 150') + 7;
const variants = [text, text.slice(0, at) + 'x' + text.slice(at)];
const oldGenerationMB = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size / 2 ** 20;
try {
  for (let i = 0; i <= EDITS; i++) {
    const version = variants[i % 2];
    host.bufferChanged(file, version);
    const result = folder.lint(file, version, cache);
    if (i % 500 === 0) console.error(`edit ${i}: old generation ${oldGenerationMB().toFixed(1)} MB, RSS ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB, ${result.findings.length} findings`);
    await new Promise((resolve) => setImmediate(resolve));
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
