/**
 * A pool of worker threads driven synchronously, so `runLint` keeps its synchronous signature (the CLI,
 * the tests and the language server call it): the main thread blocks in `Atomics.wait` and drains the
 * workers' replies with `receiveMessageOnPort`. Each thread claims work a batch at a time from a shared
 * counter (one reply per batch, not per file); results come back in input order whatever order they finish in.
 */
import * as path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

export interface TaskMessage {
  id: number;
  task: string;
  items: unknown[];
  /** A `map`'s items: claimed `batchSize` at a time from `claimed[0]`, which every thread of the pool adds to. */
  batchSize?: number;
  claimed?: Int32Array;
}

/** A task's results; for a `map`, one batch's, from item `first` on. */
export type ReplyMessage = { id: number; results: unknown[]; first?: number } | { id: number; error: string };

/**
 * Work of another kind this thread does while the workers run a task: one step a call (a reply waits at
 * most that long; the workers go on claiming work meanwhile), false once there is none left.
 */
export type Meanwhile = () => boolean;

/** Shared with every worker: slot 0 counts replies posted, so the main thread can sleep until one arrives. */
export const REPLY_SIGNAL_SLOT = 0;

// The worker runs compiled JavaScript, also when this file runs from its TypeScript source (jest).
const WORKER_SCRIPT = path.join(__dirname, '..', 'dist', 'worker.js');

interface Member {
  worker: Worker;
  replies: MessagePort;
  /** Tasks sent and not done yet (a map's until it ends). */
  pending: number;
}

/** This thread's share of a `map`: it takes a few items at a time, `limit` items in all at most (unbounded if absent). */
export interface Helper<T, R> {
  (items: T[]): R[];
  limit?: number;
}

export class WorkerPool {
  private readonly members: Member[];
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;

  constructor(readonly size: number) {
    this.members = Array.from({ length: size }, () => this.spawn());
  }

  /**
   * Runs `task` over `items` in batches of `batchSize`; the results are in the order of `items`. Every
   * worker gets the items once and claims a batch at a time from a counter all threads share, so none
   * waits for this thread to hand it work, and none is left with a queue the others cannot help with.
   * With `helper`, this thread claims a few items at a time too while the workers are busy (it would only
   * wait), until it has taken `helper.limit`. With `meanwhile`, it does other work in small steps (see
   * `Meanwhile`): first, when it also helps.
   */
  map<T, R>(task: string, items: T[], batchSize: number, helper?: Helper<T, R>, meanwhile?: Meanwhile): R[] {
    const results: R[] = new Array(items.length);
    const claimed = new Int32Array(new SharedArrayBuffer(4));
    const id = this.nextId++;
    for (const member of this.members) {
      member.pending++;
      member.worker.postMessage({ id, task, items, batchSize, claimed } satisfies TaskMessage);
    }
    const helperStep = Math.max(1, Math.floor(batchSize / 8));
    let done = 0;
    let helped = 0;
    const record = (first: number, values: R[]) => {
      values.forEach((value, i) => (results[first + i] = value));
      done += values.length;
    };
    // Whether this thread, which helps, does steps of `meanwhile` first (until one says there are none left).
    let stepsFirst = helper !== undefined && meanwhile !== undefined;
    // This thread's turn: a step of `meanwhile` while it has any (that work is this thread's alone), else a
    // few items; false when it has nothing to do but wait.
    const ownStep = (): boolean => {
      const left = (helper?.limit ?? Infinity) - helped;
      if (helper === undefined || left <= 0) return false;
      if (stepsFirst && meanwhile!()) return true;
      stepsFirst = false;
      const count = Math.min(helperStep, left);
      const first = Atomics.add(claimed, 0, count);
      if (first >= items.length) return false;
      const taken = items.slice(first, first + count);
      helped += taken.length;
      record(first, helper(taken));
      return true;
    };
    try {
      while (done < items.length) {
        for (const { reply } of ownStep() ? this.drain() : this.awaitReplies(meanwhile)) {
          if (reply.id !== id) continue; // a late reply of a map that failed
          if ('error' in reply) throw new Error(`worker failed: ${reply.error}`);
          record(reply.first ?? 0, reply.results as R[]);
        }
      }
    } finally {
      // Nothing is left to claim (when a worker failed, the others stop too).
      Atomics.store(claimed, 0, items.length);
      for (const member of this.members) member.pending--;
    }
    return results;
  }

  /** Sends the same items to every worker once (shared state such as the project index). */
  broadcast(task: string, items: unknown[], meanwhile?: Meanwhile): void {
    const id = this.nextId++;
    for (const member of this.members) {
      member.pending++;
      member.worker.postMessage({ id, task, items } satisfies TaskMessage);
    }
    let remaining = this.members.length;
    while (remaining > 0) {
      for (const { member, reply } of this.awaitReplies(meanwhile)) {
        if (reply.id !== id) continue; // a late reply of a map that failed
        if ('error' in reply) throw new Error(`worker failed: ${reply.error}`);
        member.pending--;
        remaining--;
      }
    }
  }

  close(): void {
    for (const member of this.members) {
      member.replies.close();
      void member.worker.terminate();
    }
  }

  private spawn(): Member {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SCRIPT, { workerData: { replies: port2, signal: this.signal }, transferList: [port2] });
    worker.unref();
    return { worker, replies: port1, pending: 0 };
  }

  /** Until at least one worker has replied, does steps of `meanwhile` or blocks; returns every reply waiting. */
  private awaitReplies(meanwhile?: Meanwhile): { member: Member; reply: ReplyMessage }[] {
    for (;;) {
      const seen = Atomics.load(this.signal, REPLY_SIGNAL_SLOT);
      const replies = this.drain();
      if (replies.length > 0) return replies;
      if (meanwhile?.()) continue;
      // The timeout only bounds a missed wake-up; a worker that died is noticed by its exit code.
      Atomics.wait(this.signal, REPLY_SIGNAL_SLOT, seen, 1000);
      this.checkAlive();
    }
  }

  private drain(): { member: Member; reply: ReplyMessage }[] {
    const out: { member: Member; reply: ReplyMessage }[] = [];
    for (const member of this.members) {
      for (let m = receiveMessageOnPort(member.replies); m; m = receiveMessageOnPort(member.replies)) {
        out.push({ member, reply: m.message as ReplyMessage });
      }
    }
    return out;
  }

  private checkAlive(): void {
    for (const member of this.members) {
      // threadId becomes -1 once the thread has exited; a busy worker that exited will never reply.
      if (member.pending > 0 && member.worker.threadId === -1) throw new Error('a worker thread exited unexpectedly');
    }
  }
}
