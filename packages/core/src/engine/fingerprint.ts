import { createHash } from 'node:crypto';
import type { Finding } from '../types';

/**
 * Fingerprints that survive edits elsewhere in the file: the rule, the file and the trimmed text of
 * the finding's line, plus which occurrence of that triple it is. Line numbers are not part of it.
 */
export function assignFingerprints(findings: Finding[], lines: string[]): void {
  const seen = new Map<string, number>();
  for (const f of findings) {
    const lineText = (lines[f.range.start.line - 1] ?? '').trim().replace(/\s+/g, ' ');
    const key = `${f.ruleId}\0${f.file}\0${lineText}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    f.fingerprint = createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  }
}
