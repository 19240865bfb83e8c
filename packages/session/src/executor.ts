/**
 * Where the file jobs run: in this thread for small runs (a pre-commit hook on a few files must not pay
 * for starting threads), in a pool of worker threads otherwise. The pool starts on first need and is
 * reused by both passes.
 */
import * as os from 'node:os';
import type { FileFacts, LexOptions, ProjectIndex } from '@bglint/core';
import { lexSource, lintFile, scanFile } from './file-jobs';
import type { LintOutcome, LintRequest, ScanResult } from './file-jobs';
import { WorkerPool } from './workers';
import type { Meanwhile } from './workers';

export interface ExecutorOptions {
  /** Worker threads for large runs (`--jobs`); default: one per core but one. */
  jobs?: number;
  /** Runs with fewer files to scan than this stay in this thread. */
  scanInProcessBelow?: number;
  /** Runs with fewer files to parse than this parse them in this thread. */
  lintInProcessBelow?: number;
}

/**
 * Measured (docs/benchmarks.md): a worker costs 130–260 ms to start (thread plus loading our modules);
 * scanning costs about 0.5 ms a file, so a worker pays for itself from about 1,000 files. Linting in
 * workers first sends them the project index (0.3–0.5 s of copying on 63 MB of sources), which pays
 * off from about 64 files to parse at about 30 ms each; below that this thread lints, and 64 trees
 * at most wait for the end of the run to be freed.
 */
export const DEFAULT_SCAN_IN_PROCESS_BELOW = 1000;
export const DEFAULT_LINT_IN_PROCESS_BELOW = 64;
/** Files a worker claims at a time (one reply each): large enough that replies are negligible, small enough to balance threads. */
const SCAN_BATCH = 64;
const LEX_BATCH = 16;
/** Small, because each batch ends with a turn of the worker's event loop, which frees the batch's trees. */
const LINT_BATCH = 4;
/** Files this thread lints of a run linted in workers (as many trees as it lints in process, at most). */
const MAIN_THREAD_LINTS = DEFAULT_LINT_IN_PROCESS_BELOW;

/** One worker per core but one: this thread scans alongside them, then waits while they parse. */
export function defaultJobs(): number {
  return Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
}

/** A file to lex in a worker, and how. */
export interface LexItem {
  file: string;
  options: LexOptions;
}

export interface LintOptions {
  /** This thread's other work while the workers lint (see `WorkerPool.map`). */
  meanwhile?: Meanwhile;
  /** False when no request asks the reach map: the workers' index leaves out the facts only the map reads. */
  reach?: boolean;
}

export class Executor {
  private pool?: WorkerPool;

  constructor(private readonly options: ExecutorOptions = {}) {}

  /** Scans the files; when workers scan, this thread does `meanwhile`'s steps first, then scans too. */
  scan(files: string[], withHash: boolean, meanwhile?: Meanwhile): ScanResult[] {
    if (files.length < (this.options.scanInProcessBelow ?? DEFAULT_SCAN_IN_PROCESS_BELOW)) return files.map((f) => scanFile(f, withHash));
    // This thread scans too: scanning builds no trees, so nothing piles up here while it helps.
    return this.workers().map('scan', files.map((file) => ({ file, withHash })), SCAN_BATCH, (batch) => batch.map((i) => scanFile(i.file, i.withHash)), meanwhile);
  }

  /**
   * The lexical facts of files chosen for the index, in order. Lexing costs about 0.6 ms a file, a little
   * more than a scan, so the scan's threshold is kept: a few hundred files are lexed here rather than
   * start workers that a small run would not need (it may lint in this thread too). Once started, they help.
   */
  lex(files: string[], options: LexOptions): FileFacts[] {
    if (files.length === 0) return [];
    if (!this.pool && files.length < (this.options.scanInProcessBelow ?? DEFAULT_SCAN_IN_PROCESS_BELOW)) return files.map((f) => lexSource(f, undefined, options));
    const items: LexItem[] = files.map((file) => ({ file, options }));
    return this.workers().map('lex', items, LEX_BATCH, (batch) => batch.map((i) => lexSource(i.file, undefined, i.options)));
  }

  /**
   * Lints the requests against `index`. When workers lint, this thread does `meanwhile`'s steps while
   * it would wait for them, then lints a few of the requests itself, `MAIN_THREAD_LINTS` at most: trees
   * made in this thread are freed only after the run. A few is what it takes off the workers' tail when
   * they lint while this thread lexes the rest of the index (the six corpus apps: 71 of 255 files).
   */
  lint(requests: LintRequest[], index: ProjectIndex, { meanwhile, reach = true }: LintOptions = {}): LintOutcome[] {
    if (requests.length === 0) return [];
    if (requests.length < (this.options.lintInProcessBelow ?? DEFAULT_LINT_IN_PROCESS_BELOW)) return this.lintHere(requests, index);
    const pool = this.workers();
    pool.broadcast('index', [index.toData({ reach })], meanwhile);
    const here = Object.assign((batch: LintRequest[]) => this.lintHere(batch, index), { limit: MAIN_THREAD_LINTS });
    return pool.map('lint', requests, LINT_BATCH, here, meanwhile);
  }

  lintHere(requests: LintRequest[], index: ProjectIndex): LintOutcome[] {
    return requests.map((r) => lintFile(r, index));
  }

  /** The workers drop the index they lint against and collect (it is most of their memory). */
  releaseIndex(meanwhile?: Meanwhile): void {
    this.pool?.broadcast('release', [], meanwhile);
  }

  close(): void {
    this.pool?.close();
  }

  private workers(): WorkerPool {
    this.pool ??= new WorkerPool(this.options.jobs ?? defaultJobs());
    return this.pool;
  }
}
