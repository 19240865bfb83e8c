/**
 * bglint's Node API, for lint-staged, Danger, editor extensions and scripts: the same lint session as
 * the `bglint` command (config lookup, project facts, cache, workers), results as plain data.
 *
 *   const { lintFiles, loadFormatter } = require('bglint');
 *   const report = await lintFiles(['App/']);
 *   console.log((await loadFormatter('stylish')).format(report));
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parseRuleSetting } from '@bglint/core';
import type { LintReport, RuleSetting, Severity } from '@bglint/core';
import { formatterNames, loadFormatter as formatterNamed } from '@bglint/formatters';
import { rulesById } from '@bglint/rules';
import { configFor, discoverFiles, runLint } from '@bglint/session';
import type { RunOptions } from '@bglint/session';

export type { FileResult, Finding, Fix, LintReport, Notice, Position, Range, RelatedLocation, RuleSummary, Severity, TextEdit } from '@bglint/core';

/** The version of this package (also what `bglint --version` prints). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const version: string = require('../package.json').version;

export interface LintOptions {
  /** Where relative paths and the config lookup start (default: `process.cwd()`). */
  cwd?: string;
  /** A config file used instead of looking up `.bglint.yml` / `.bglint.json` from each file (`--config`). */
  configFile?: string;
  /** Ignore config files; the recommended rules apply (`--no-config`). */
  noConfig?: boolean;
  /** Rule settings on top of the config, spelled as in a config file: `{ 'rule-id': 'error' }` or `['warning', { … }]` (`--rule`). */
  rules?: Record<string, unknown>;
  /** Reuse results of unchanged files (`--cache`); `location` as `--cache-location`. */
  cache?: boolean | { location?: string };
  /** Worker threads for large runs (`--jobs`; default: cores − 1). */
  jobs?: number;
  /** Report disable directives that suppress nothing (`--report-unused-disable-directives`). */
  reportUnusedDisableDirectives?: boolean;
}

/**
 * Lints files, folders and glob patterns (`App/Sources/*.swift`, `**` for any depth), relative to `cwd`. Folders are walked for
 * Swift/ObjC sources, Info.plist and entitlements, honouring `.gitignore`; a pattern matches among them.
 */
export async function lintFiles(patterns: string | string[], options: LintOptions = {}): Promise<LintReport> {
  const session = runOptions(options);
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  return runLint({ ...session, paths: list.flatMap((p) => expandPattern(p, session.cwd)) });
}

/** A path as it is; a glob, the files under its fixed base folder that it matches (none is an error, as for a missing path). */
function expandPattern(pattern: string, cwd: string): string[] {
  const { isGlob, base } = picomatch.scan(pattern);
  if (!isGlob) return [pattern];
  const matches = picomatch(pattern, { dot: false });
  const files = discoverFiles(cwd, [base || '.']).filter((file) => matches(path.relative(cwd, file).split(path.sep).join('/')));
  if (files.length === 0) throw new Error(`no files match ${JSON.stringify(pattern)}`);
  return files;
}

/** Lints one file's text (unsaved, or from another tool) as if it were at `filePath`: its config, target and project apply. */
export async function lintText(text: string, options: LintOptions & { filePath: string }): Promise<LintReport> {
  return runLint({ ...runOptions(options), paths: [], stdin: { text, filename: options.filePath } });
}

export interface FormatterOptions {
  /** Paths are shown relative to it (SARIF: its %SRCROOT%); default `report.root`. */
  cwd?: string;
  /** ANSI colours (stylish only); default false. */
  color?: boolean;
  /** SARIF `automationDetails.id` (GitHub's category is the part before the last `/`). */
  sarifCategory?: string;
}

export interface LoadedFormatter {
  format(report: LintReport, options?: FormatterOptions): string;
}

/** One of `stylish`, `json`, `sarif`, `xcode`, `github`; rejects for any other name. */
export async function loadFormatter(name: string): Promise<LoadedFormatter> {
  const formatter = formatterNamed(name);
  if (!formatter) throw new Error(`unknown format ${JSON.stringify(name)}; expected one of ${formatterNames.join(', ')}`);
  return {
    format: (report, options = {}) =>
      formatter(report, { cwd: options.cwd ?? report.root, color: options.color ?? false, sarifCategory: options.sarifCategory, toolVersion: version }),
  };
}

export interface FileConfig {
  /** The config files that apply, outermost first (empty: the recommended rules). */
  configFiles: string[];
  /** Every enabled rule with its severity and options. */
  rules: Record<string, { severity: Severity; options: Record<string, unknown> }>;
}

/** The rules that apply to a file and where they come from (`bglint --print-config <file>`). */
export async function calculateConfigForFile(filePath: string, options: LintOptions = {}): Promise<FileConfig> {
  const { layers, rules } = configFor({ ...runOptions(options), paths: [] }, filePath);
  return {
    configFiles: layers.map((l) => l.file),
    rules: Object.fromEntries(rules.map((r) => [r.rule.meta.id, { severity: r.severity, options: r.options as Record<string, unknown> }])),
  };
}

function runOptions(options: LintOptions): Omit<RunOptions, 'paths'> {
  const cache = options.cache === true ? {} : options.cache || undefined;
  return {
    cwd: path.resolve(options.cwd ?? process.cwd()),
    configFile: options.configFile,
    noConfig: options.noConfig ?? false,
    cliRules: ruleSettings(options.rules ?? {}),
    reportUnusedDirectives: options.reportUnusedDisableDirectives ?? false,
    cache: cache ? { location: cache.location, version } : undefined,
    jobs: options.jobs,
  };
}

function ruleSettings(raw: Record<string, unknown>): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(raw)) {
    const rule = rulesById.get(id);
    if (!rule) throw new Error(`rules: unknown rule ${JSON.stringify(id)}`);
    out[id] = parseRuleSetting(value, 'rules (Node API)', id, rule);
  }
  return out;
}
