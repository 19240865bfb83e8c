/** A small generated app (scripts/generate-corpus.js) in a temp folder, with the APIs far denser than in real apps. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateCorpus } = require('../../../scripts/generate-corpus.js') as {
  generateCorpus: (dir: string, options: { files: number; seed: number; apiRate: number; mainActorRate?: number }) => { files: number };
};

export const repoRoot = path.resolve(__dirname, '../../..');

export function generatedApp(files = 120, seed = 7): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-generated-'));
  generateCorpus(dir, { files, seed, apiRate: 0.3, mainActorRate: 0.3 });
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
