/**
 * The Swift and Objective-C sources under a folder, by a plain directory walk: what
 * `fast-glob '**\/*.{swift,m,mm,h}'` with `dot: false` and no symlinks found, without the
 * 0.3–0.4 s it took to load (measured: most of a warm `--cache` run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SOURCE_EXTENSIONS = /\.(swift|m|mm|h)$/;
/** Dependencies and build output, skipped wherever they appear. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'Pods', 'Carthage', '.build', 'DerivedData']);

/** Paths relative to `root`, with `/` separators; hidden files and folders and symbolic links are left out. */
export function sourceFilesUnder(root: string): string[] {
  const found: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(child);
      } else if (entry.isFile() && SOURCE_EXTENSIONS.test(entry.name)) found.push(child);
    }
  }
  return found;
}
