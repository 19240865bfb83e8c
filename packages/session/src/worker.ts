/** A worker thread's entry: runs the file jobs it is sent and signals the main thread after each reply. */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { ProjectIndex, lexFacts } from '@bglint/core';
import type { ProjectIndexData } from '@bglint/core';
import { lexSource, lintFile, scanFile } from './file-jobs';
import type { LintRequest } from './file-jobs';
import type { LexItem } from './executor';
import { REPLY_SIGNAL_SLOT } from './workers';
import type { ReplyMessage, TaskMessage } from './workers';

const { replies, signal } = workerData as { replies: MessagePort; signal: Int32Array };
let index = new ProjectIndex();

const tasks: Record<string, (items: unknown[]) => unknown[]> = {
  scan: (items) => (items as { file: string; withHash: boolean }[]).map((i) => scanFile(i.file, i.withHash)),
  lex: (items) => (items as LexItem[]).map((item) => lexSource(item.file, undefined, item.options, lexFacts)),
  index: (items) => {
    index = ProjectIndex.fromData(items[0] as ProjectIndexData);
    return [];
  },
  release: () => {
    index = new ProjectIndex();
    collect();
    return [];
  },
  lint: (items) => {
    rssAfterCollection ??= process.memoryUsage.rss();
    const results = (items as LintRequest[]).map((r) => lintFile(r, index));
    if (process.memoryUsage.rss() > rssAfterCollection + COLLECT_AFTER_GROWTH) {
      collect();
      rssAfterCollection = undefined; // measured at the next batch, once the finalizers have run
    }
    return results;
  },
};

function reply(message: ReplyMessage): void {
  replies.postMessage(message);
  Atomics.add(signal, REPLY_SIGNAL_SLOT, 1);
  Atomics.notify(signal, REPLY_SIGNAL_SLOT);
}

parentPort!.on('message', (message: TaskMessage) => {
  if (message.claimed) claimBatches(message);
  else run(message.id, () => ({ results: tasks[message.task]!(message.items) }));
});

/**
 * A map's items, a batch at a time, as long as the shared counter leaves any. Between batches the thread
 * returns to its event loop: that turn is what lets node-tree-sitter's finalizers free the native trees
 * of the batch just linted.
 */
function claimBatches(message: TaskMessage): void {
  const { id, task, items, batchSize, claimed } = message as Required<TaskMessage>;
  const first = Atomics.add(claimed, 0, batchSize);
  if (first >= items.length) return;
  if (run(id, () => ({ first, results: tasks[task]!(items.slice(first, first + batchSize)) }))) setImmediate(() => claimBatches(message));
}

/** Replies with what `work` gives, or its error; false after an error. */
function run(id: number, work: () => { results: unknown[]; first?: number }): boolean {
  try {
    reply({ id, ...work() });
    return true;
  } catch (error) {
    reply({ id, error: (error as Error).stack ?? String(error) });
    return false;
  }
}

/**
 * node-tree-sitter frees a native tree only in a finalizer, after a GC and a turn of the event loop
 * (the turn comes after each batch). V8 does not count the trees, so it sees no reason to collect:
 * when RSS has grown this much since the last collection, we collect ourselves. Collecting after
 * every batch instead cost 50% more time for 15% less memory (docs/benchmarks.md).
 */
const COLLECT_AFTER_GROWTH = 64 * 2 ** 20;
let rssAfterCollection: number | undefined;

let gc: (() => void) | undefined;

function collect(): void {
  if (!gc) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('node:v8').setFlagsFromString('--expose-gc');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    gc = require('node:vm').runInNewContext('gc') as () => void;
  }
  gc();
}
