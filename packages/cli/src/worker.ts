/** A worker thread's entry: runs the file jobs it is sent and signals the main thread after each reply. */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { ProjectIndex } from '@bglint/core';
import type { ProjectIndexData } from '@bglint/core';
import { lintFile, scanFile } from './file-jobs';
import type { LintRequest } from './file-jobs';
import { REPLY_SIGNAL_SLOT } from './workers';
import type { ReplyMessage, TaskMessage } from './workers';

const { replies, signal } = workerData as { replies: MessagePort; signal: Int32Array };
let index = new ProjectIndex();

const tasks: Record<string, (items: unknown[]) => unknown[]> = {
  scan: (items) => (items as { file: string; withHash: boolean }[]).map((i) => scanFile(i.file, i.withHash)),
  index: (items) => {
    index = ProjectIndex.fromData(items[0] as ProjectIndexData);
    return [];
  },
  lint: (items) => (items as LintRequest[]).map((r) => lintFile(r, index)),
};

function reply(message: ReplyMessage): void {
  replies.postMessage(message);
  Atomics.add(signal, REPLY_SIGNAL_SLOT, 1);
  Atomics.notify(signal, REPLY_SIGNAL_SLOT);
}

// Each batch is one message, so between batches the thread returns to its event loop: that turn is what
// lets node-tree-sitter's finalizers free the native trees of the batch just linted.
parentPort!.on('message', ({ id, task, items }: TaskMessage) => {
  try {
    reply({ id, results: tasks[task]!(items) });
  } catch (error) {
    reply({ id, error: (error as Error).stack ?? String(error) });
  }
});
