/**
 * A pool of worker threads driven synchronously, so `runLint` keeps its synchronous signature (the CLI,
 * the tests and the language server call it): the main thread blocks in `Atomics.wait` and drains the
 * workers' replies with `receiveMessageOnPort`. Work goes out in batches (one message per batch, not
 * per file) to whichever worker is idle; results come back in input order whatever order they finish in.
 */
import * as path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

export interface TaskMessage {
  id: number;
  task: string;
  items: unknown[];
}

export type ReplyMessage = { id: number; results: unknown[] } | { id: number; error: string };

/**
 * Work of another kind this thread does while the workers run a task: one small step a call (a reply
 * waits at most that long), false once there is none left.
 */
export type Meanwhile = () => boolean;

/** Shared with every worker: slot 0 counts replies posted, so the main thread can sleep until one arrives. */
export const REPLY_SIGNAL_SLOT = 0;

// The worker runs compiled JavaScript, also when this file runs from its TypeScript source (jest).
const WORKER_SCRIPT = path.join(__dirname, '..', 'dist', 'worker.js');

interface Member {
  worker: Worker;
  replies: MessagePort;
  /** Messages sent and not replied to yet. */
  pending: number;
}

/**
 * Batches a worker holds at once in `map`, so it starts the next as soon as it replies rather than when
 * this thread, busy with its own items or a `meanwhile` step, gets to send one: the one it works on and
 * the next when this thread takes items too (more would leave it less to take); more while this thread
 * does steps of other work, which a batch does not bound (reading the Xcode projects during a scan took
 * as long as 20 batches of it).
 */
const BATCHES_IN_FLIGHT = { helping: 2, otherwise: 4, helpingLater: 16 };

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
   * Runs `task` over `items` in batches of `batchSize`; the results are in the order of `items`.
   * With `helper`, this thread takes a few items at a time too while the workers are busy (it would
   * only wait), and hands the workers their next batch between them, until it has taken `helper.limit`.
   * With `meanwhile`, it does other work in small steps (see `Meanwhile`): first, when it also helps.
   */
  map<T, R>(task: string, items: T[], batchSize: number, helper?: Helper<T, R>, meanwhile?: Meanwhile): R[] {
    const results: R[] = new Array(items.length);
    const firstItemOf = new Map<number, number>();
    const helperStep = Math.max(1, Math.floor(batchSize / 8));
    let next = 0;
    let done = 0;
    let helped = 0;
    const helps = () => helper !== undefined && helped < (helper.limit ?? Infinity);
    const take = (count: number) => {
      const first = next;
      next = Math.min(items.length, next + count);
      return { first, taken: items.slice(first, next) };
    };
    // Whether this thread, which helps, does steps of `meanwhile` first (until one says there are none left).
    let stepsFirst = helps() && meanwhile !== undefined;
    const inFlight = () => (!helps() ? BATCHES_IN_FLIGHT.otherwise : stepsFirst ? BATCHES_IN_FLIGHT.helpingLater : BATCHES_IN_FLIGHT.helping);
    const dispatch = (member: Member) => {
      while (next < items.length && member.pending < inFlight()) {
        const id = this.nextId++;
        const { first, taken } = take(batchSize);
        firstItemOf.set(id, first);
        member.pending++;
        member.worker.postMessage({ id, task, items: taken } satisfies TaskMessage);
      }
    };
    const record = (first: number, values: R[]) => {
      values.forEach((value, i) => (results[first + i] = value));
      done += values.length;
    };
    this.members.forEach(dispatch);
    // This thread's turn: a step of `meanwhile` while it has any (that work is this thread's alone), else a few items.
    const ownStep = () => {
      if (stepsFirst && meanwhile!()) return true;
      stepsFirst = false;
      const { first, taken } = take(Math.min(helperStep, (helper!.limit ?? Infinity) - helped));
      helped += taken.length;
      record(first, helper!(taken));
      return true;
    };
    while (done < items.length) {
      const stepped = helps() && next < items.length && ownStep();
      const replies = stepped ? this.drain() : this.awaitReplies(meanwhile);
      for (const { member, reply } of replies) {
        if ('error' in reply) throw new Error(`worker failed: ${reply.error}`);
        record(firstItemOf.get(reply.id)!, reply.results as R[]);
        member.pending--;
        dispatch(member);
      }
    }
    return results;
  }

  /** Sends the same items to every worker once (shared state such as the project index). */
  broadcast(task: string, items: unknown[], meanwhile?: Meanwhile): void {
    for (const member of this.members) {
      member.pending++;
      member.worker.postMessage({ id: this.nextId++, task, items } satisfies TaskMessage);
    }
    let remaining = this.members.length;
    while (remaining > 0) {
      for (const { member, reply } of this.awaitReplies(meanwhile)) {
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
