/**
 * The target settings the project files gave, remembered with what resolving them read (file sizes and
 * modification times, the entries of each folder listed), so a `--cache` run can reuse them without
 * parsing the Xcode project again (460 ms for home-assistant's 1.3 MB project.pbxproj) while any change
 * to a file the resolver read, or any entry added to or removed from a folder it listed, makes it
 * resolve afresh. Folder entries rather than folder times: writing the cache itself (node_modules/.cache)
 * touches the top folder.
 */
import * as fs from 'node:fs';
import type { FileResult, ProjectFacts, TargetSettings } from '@bglint/core';
import type { DirEntry, ProjectFileSystem } from '@bglint/project';
import { hashOf } from './file-jobs';
import type { ProjectFileError } from './project-files';

export interface ProjectMemo {
  root: string;
  /** [path, size, mtimeMs]; size -1 for a file that did not exist. */
  reads: [string, number, number][];
  /** [folder, digest of its entries]; '' for a folder that could not be listed. */
  lists: [string, string][];
  settings: Record<string, TargetSettings>;
  /** The project facts of the files asked, when the run that made the memo loaded the project files. */
  facts?: ProjectFactsMemo;
  /** The Info.plist and entitlements results of the run over folders that made the memo. */
  projectFiles?: ProjectFilesMemo;
  errors: ProjectFileError[];
}

/**
 * A folder run's results for its project files (`files`), valid while the project files hold (the memo)
 * and `key` is what the run asks now: the index's digest (rules read code facts), the folders, each file's
 * rules.
 */
export interface ProjectFilesMemo {
  key: string;
  files: string[];
  results: FileResult[];
}

/**
 * What `TargetResolver.projectFor` and `otherTargetsFor` answered per file, each target's facts kept once
 * (`targets`, referred to by index; null for none). Their file names are relative to `cwd`.
 */
export interface ProjectFactsMemo {
  cwd: string;
  targets: ProjectFacts[];
  byFile: Record<string, { project: number | null; others?: { target: TargetSettings; project: number | null }[] }>;
}

/** The node file system, noting what is read and listed. */
export function recordingFileSystem(base: ProjectFileSystem): { fs: ProjectFileSystem; reads: ProjectMemo['reads']; lists: ProjectMemo['lists'] } {
  const reads: ProjectMemo['reads'] = [];
  const lists: ProjectMemo['lists'] = [];
  return {
    reads,
    lists,
    fs: {
      readFile(file) {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        reads.push([file, stat?.size ?? -1, stat?.mtimeMs ?? -1]);
        return base.readFile(file);
      },
      listDir(dir) {
        const entries = base.listDir(dir);
        lists.push([dir, entriesDigest(entries)]);
        return entries;
      },
    },
  };
}

/** Is every file and folder the memo was made from as it was then? */
export function memoHolds(memo: ProjectMemo | undefined, root: string): memo is ProjectMemo {
  if (!memo || memo.root !== root) return false;
  const same = (file: string, size: number, mtimeMs: number) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat ? stat.size === size && stat.mtimeMs === mtimeMs : size === -1;
  };
  return memo.reads.every(([file, size, mtime]) => same(file, size, mtime))
    && memo.lists.every(([dir, digest]) => entriesDigest(listDir(dir)) === digest);
}

/** As the project reader lists a folder (without loading it: checking a memo must stay cheap). */
function listDir(dir: string): DirEntry[] | undefined {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
  } catch {
    return undefined;
  }
}

/** Dependencies and caches come and go without changing the project (the resolver skips them too). */
const IGNORED_ENTRIES = new Set(['node_modules', '.git', 'DerivedData', '.build']);

function entriesDigest(entries: DirEntry[] | undefined): string {
  if (!entries) return '';
  const names = entries.filter((e) => !IGNORED_ENTRIES.has(e.name) && !e.name.endsWith('.tmp')).map((e) => `${e.name}${e.isDirectory ? '/' : ''}`);
  return hashOf(names.sort().join('\n'));
}
