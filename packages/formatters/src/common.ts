/** What several formatters need: paths, severities, and which findings and notices to show. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOME_URL } from '@bglint/core';
import type { FileResult, Finding, LintReport, Notice, Severity } from './core-types';

export const TOOL_NAME = 'bglint';
export const TOOL_INFORMATION_URI = HOME_URL;

export function absolutePath(file: string, root: string): string {
  return path.resolve(root, file);
}

/** `file` (relative to the report's root) as the user should see it: relative to cwd when inside it. */
export function displayPath(file: string, root: string, cwd: string): string {
  const absolute = absolutePath(file, root);
  const relative = path.relative(cwd, absolute);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

/** `file` relative to cwd with forward slashes, or undefined when it lies outside cwd. */
export function repoRelativePath(file: string, root: string, cwd: string): string | undefined {
  const relative = path.relative(cwd, absolutePath(file, root));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** A folder as a `file://` URI ending in `/`, as SARIF's uriBaseIds require. */
export function folderUri(folder: string): string {
  const href = pathToFileURL(path.resolve(folder)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

const severityRanks: Record<Severity, number> = { error: 2, warning: 1, note: 0 };

export function severityRank(severity: Severity): number {
  return severityRanks[severity];
}

/** Findings a person should see: suppressed ones are kept only by machine formats (SARIF, JSON). */
export function shownFindings(result: FileResult): Finding[] {
  return result.findings.filter((finding) => finding.suppression === undefined);
}

export interface Counts {
  errors: number;
  warnings: number;
  notes: number;
}

export function countFindings(findings: Finding[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, notes: 0 };
  for (const finding of findings) {
    if (finding.severity === 'error') counts.errors += 1;
    else if (finding.severity === 'warning') counts.warnings += 1;
    else counts.notes += 1;
  }
  return counts;
}

/** Every notice of the run, per-file ones with their file filled in, run-wide ones first. */
export function allNotices(report: LintReport): Notice[] {
  const perFile = report.results.flatMap((result) =>
    result.notices.map((notice) => ({ ...notice, file: notice.file ?? result.file })),
  );
  return [...report.notices, ...perFile];
}

/** Line-oriented outputs (Xcode, GitHub) cannot carry a line break inside one message. */
export function singleLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
