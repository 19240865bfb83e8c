import type { LintReport } from './core-types';

export interface FormatOptions {
  /** The folder paths are shown relative to (and, for SARIF, the %SRCROOT% of the log). */
  cwd: string;
  color: boolean;
  /** SARIF `automationDetails.id`; GitHub reads the part before the last `/` as the category. */
  sarifCategory?: string;
  toolVersion: string;
  /** SARIF only: the most results to keep (default 25,000, GitHub's limit per run). */
  maxResults?: number;
}

export type Formatter = (report: LintReport, options: FormatOptions) => string;

export const formatterNames: string[] = ['stylish', 'json', 'sarif', 'xcode', 'github'];


/* eslint-disable @typescript-eslint/no-require-imports */
// One literal require per format, so a bundler sees each module and a run still loads only its own.
const modules: Record<string, () => { format: Formatter }> = {
  stylish: () => require('./stylish'),
  json: () => require('./json'),
  sarif: () => require('./sarif'),
  xcode: () => require('./xcode'),
  github: () => require('./github'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Loads one formatter module on demand, so a run pays only for the format it prints. */
export function loadFormatter(name: string): Formatter | undefined {
  return Object.hasOwn(modules, name) ? modules[name]().format : undefined;
}
