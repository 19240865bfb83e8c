import * as fs from 'fs';
import * as path from 'path';

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

/** File access for the resolver; inject it to serve unsaved editor buffers or a virtual tree. */
export interface ProjectFileSystem {
  /** File bytes or text; undefined when the file does not exist or cannot be read. */
  readFile(file: string): Buffer | string | undefined;
  /** Directory entries; undefined when the directory cannot be listed. */
  listDir(dir: string): DirEntry[] | undefined;
}

export const nodeFileSystem: ProjectFileSystem = {
  readFile(file) {
    try {
      return fs.readFileSync(file);
    } catch {
      return undefined;
    }
  },
  listDir(dir) {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};

/** Folders never searched: dependencies, build output, and bundles without project files. */
const SKIPPED_DIRS = new Set(['node_modules', 'Pods', '.build', 'DerivedData', 'Carthage', '.git', '.swiftpm', 'build']);
const SKIPPED_DIR_SUFFIXES = ['.xcassets', '.xcworkspace', '.framework', '.xcframework', '.bundle', '.lproj', '.docc', '.xcdatamodeld'];

export interface ProjectFiles {
  pbxprojs: string[];
  packages: string[];
  infoPlists: string[];
  entitlements: string[];
}

export function isSkippedDir(name: string): boolean {
  return SKIPPED_DIRS.has(name) || (name.startsWith('.') && name !== '.') || SKIPPED_DIR_SUFFIXES.some((s) => name.endsWith(s));
}

export function isInfoPlistName(name: string): boolean {
  return /Info\.plist$/.test(name);
}

/** Sorts absolute file paths into the kinds the resolver reads. */
export function classify(files: Iterable<string>): ProjectFiles {
  const found: ProjectFiles = { pbxprojs: [], packages: [], infoPlists: [], entitlements: [] };
  for (const file of files) {
    const name = path.basename(file);
    const parent = path.basename(path.dirname(file));
    if (name === 'project.pbxproj' && parent.endsWith('.xcodeproj')) found.pbxprojs.push(file);
    else if (name === 'Package.swift') found.packages.push(file);
    else if (isInfoPlistName(name)) found.infoPlists.push(file);
    else if (name.endsWith('.entitlements')) found.entitlements.push(file);
  }
  for (const list of Object.values(found) as string[][]) list.sort();
  return found;
}

/** Lists every file under `rootDir` worth classifying. Iterative; symlinked folders are not followed. */
export function walkProjectFiles(rootDir: string, fileSystem: ProjectFileSystem): string[] {
  const files: string[] = [];
  const pending = [rootDir];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    for (const entry of fileSystem.listDir(dir) ?? []) {
      const full = path.join(dir, entry.name);
      if (entry.name.endsWith('.xcodeproj') && entry.isDirectory) files.push(path.join(full, 'project.pbxproj'));
      else if (entry.isDirectory) {
        if (!isSkippedDir(entry.name)) pending.push(full);
      } else files.push(full);
    }
  }
  return files;
}

/** Drops paths inside skipped folders (for caller-supplied file lists). */
export function withoutSkipped(rootDir: string, files: string[]): string[] {
  return files.filter((file) => {
    const relative = path.relative(rootDir, file);
    const dirs = relative.split(path.sep).slice(0, -1);
    return !relative.startsWith('..') && !dirs.some((d) => isSkippedDir(d) && !d.endsWith('.xcodeproj'));
  });
}
