/**
 * `--fix` and `--fix-dry-run`: apply the rules' safe fixes (never suggestions), re-linting until
 * nothing more applies, as ESLint does. A file is replaced whole by a rename, never half-written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyFixes } from '@bglint/core';
import type { FileResult, LintReport, Notice } from '@bglint/core';

const MAX_PASSES = 10;

/** Lints, writes the fixes, and lints again until no fix applies (or MAX_PASSES). */
export function fixUntilStable(lint: () => LintReport): LintReport {
  let report = lint();
  const failures: Notice[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const written = report.results.filter((result) => writeFixed(result, report.root, failures));
    if (written.length === 0) break;
    report = lint();
  }
  return failures.length ? { ...report, notices: [...report.notices, ...failures] } : report;
}

/** The report as `--fix` would leave it, with each fixed file's new text in `output`; writes nothing. */
export function previewFixes(report: LintReport): LintReport {
  return {
    ...report,
    results: report.results.map((result) => {
      if (result.source === undefined) return result;
      const { output, fixed } = applyFixes(result.source, result.findings);
      if (fixed.length === 0) return result;
      return { ...result, output, findings: result.findings.filter((f) => !fixed.includes(f)) };
    }),
  };
}

function writeFixed(result: FileResult, root: string, failures: Notice[]): boolean {
  if (result.source === undefined) return false;
  const { output, fixed } = applyFixes(result.source, result.findings);
  if (fixed.length === 0 || output === result.source) return false;
  try {
    writeAtomically(path.resolve(root, result.file), output);
    return true;
  } catch (error) {
    failures.push({ kind: 'fix-failed', severity: 'error', file: result.file, message: `could not write the fixes: ${(error as Error).message}` });
    return false;
  }
}

/** Writes a sibling temporary file with the original's mode, then renames it over the original. */
export function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.bglint-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, text, { mode: fs.statSync(file).mode });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
