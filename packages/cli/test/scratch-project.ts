import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A new temporary folder holding `files` (relative path → text). */
export function scratchProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-test-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
