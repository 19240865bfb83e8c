/**
 * `--cache`: one JSON file remembering, per source file, what the scan found (so an unchanged file,
 * same size and modification time, is not even read) and the last lint result with the key it was
 * computed under; and the project's target settings (see project-memo.ts). The key covers everything a result depends on: the file's content hash and path,
 * the rules and options in effect, the target settings, the project index (the cross-file facts) and
 * the bglint version. Written atomically: a temp file renamed over the old one.
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashOf } from './file-jobs';
import type { LintOutcome, LintRequest, ScanOk } from './file-jobs';
import type { ProjectMemo } from './project-memo';

export const DEFAULT_CACHE_LOCATION = 'node_modules/.cache/bglint/';
const CACHE_FILE_NAME = 'cache.json';
/**
 * Bumped when the layout of the cache file changes, or what a kept scan means (3: an outline's
 * `everywhere` also marks files that can build a background session; 4: kept lexical facts hold the calls on a
 * type's shared instance).
 */
const CACHE_FORMAT = 4;

interface Entry {
  scan: ScanOk;
  result?: { key: string; outcome: LintOutcome };
}

interface CacheFile {
  format: number;
  version: string;
  entries: Record<string, Entry>;
  project?: ProjectMemo;
}

/** `--cache-location`: a folder (existing, or written with a trailing slash) holds `cache.json`; anything else is the file. */
export function cacheFilePath(cwd: string, location = DEFAULT_CACHE_LOCATION): string {
  const resolved = path.resolve(cwd, location);
  const isFolder = /[\\/]$/.test(location) || fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory();
  return isFolder ? path.join(resolved, CACHE_FILE_NAME) : resolved;
}

export class LintCache {
  private readonly seen: Record<string, Entry> = {};
  private changed = false;
  private projectMemo?: ProjectMemo;

  private constructor(private readonly file: string, private readonly version: string, private readonly previous: Record<string, Entry>, project?: ProjectMemo) {
    this.projectMemo = project;
  }

  /** The project's target settings as last resolved (checked against the project files by the reader). */
  get project(): ProjectMemo | undefined {
    return this.projectMemo;
  }

  set project(memo: ProjectMemo | undefined) {
    // Each run that loads the project files makes a new memo: an equal one is no change (no rewrite of the cache).
    if (memo === this.projectMemo || JSON.stringify(memo) === JSON.stringify(this.projectMemo)) return;
    this.projectMemo = memo;
    this.changed = true;
  }

  /** The cache at `file`; empty when it is missing, unreadable or from another bglint version. */
  static load(file: string, version: string): LintCache {
    let data: CacheFile | undefined;
    try {
      data = JSON.parse(asciiText(fs.readFileSync(file))) as CacheFile;
    } catch {
      data = undefined;
    }
    const valid = data && data.format === CACHE_FORMAT && data.version === version;
    return valid ? new LintCache(file, version, data!.entries, data!.project) : new LintCache(file, version, {});
  }

  /** The remembered scan of `file` if its size and modification time are unchanged. */
  scanOf(file: string, stat: fs.Stats | undefined): ScanOk | undefined {
    const scan = this.previous[file]?.scan;
    if (!scan || !stat || scan.size !== stat.size || scan.mtimeMs !== stat.mtimeMs) return undefined;
    this.seen[file] ??= this.previous[file]!;
    return scan;
  }

  rememberScan(scan: ScanOk): void {
    const before = this.previous[scan.file];
    // A file touched but not changed keeps its result: the result key holds the content hash.
    this.seen[scan.file] = { scan, result: before?.scan.hash === scan.hash ? before?.result : undefined };
    this.changed = true;
  }

  resultOf(file: string, key: string): LintOutcome | undefined {
    const result = this.seen[file]?.result;
    return result?.key === key ? result.outcome : undefined;
  }

  rememberResult(file: string, key: string, outcome: LintOutcome): void {
    const entry = this.seen[file];
    if (!entry) return;
    // The text is left out (it is the file itself); `withSource` puts it back when a result needs it.
    entry.result = { key, outcome: 'result' in outcome ? { result: { ...outcome.result, source: undefined } } : outcome };
    this.changed = true;
  }

  /** Writes the entries of this run's files (deleted files drop out), if anything changed. */
  save(): void {
    const dropped = Object.keys(this.previous).some((f) => !(f in this.seen));
    if (!this.changed && !dropped) return;
    const data: CacheFile = { format: CACHE_FORMAT, version: this.version, entries: this.seen, project: this.projectMemo };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(data).replace(NOT_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    fs.renameSync(temp, this.file);
  }
}

/**
 * The cache file is written in ASCII (JSON's `\u` escapes for the rest): one character outside it (a file
 * named `Réglages.swift`) made all of a 32 MB file a two-byte string, slower to decode and to parse.
 */
const NOT_ASCII = /[\u0080-\uffff]/g;

/** A file's text, read as one-byte characters when it is all ASCII (the cache as written), else as UTF-8. */
function asciiText(buffer: Buffer): string {
  return buffer.toString(isAscii(buffer) ? 'latin1' : 'utf8');
}

/** What a file's result depends on: the request as linted, plus the file's content, the project index and bglint. */
export type ResultKeyParts = Pick<LintRequest, 'relative' | 'rules' | 'target' | 'project' | 'otherTargets' | 'launchModesByFile' | 'reportUnusedDirectives' | 'noPrefilter'> & {
  contentHash: string;
  /** `indexDigest(index)`: the cross-file facts every rule may consult. */
  indexDigest: string;
  version: string;
};

export function resultKey(parts: ResultKeyParts): string {
  return hashOf(JSON.stringify(parts));
}

/**
 * A digest of the whole project index, from each file's facts digest (the index is those facts merged
 * in path order): any change to a cross-file fact changes it, an edit inside a method body does not.
 */
export function indexDigest(factsHashes: string[]): string {
  return hashOf(factsHashes.join('\n'));
}
