/** `bglint`: arguments in, report out, exit code 0 / 1 / 2 as ESLint does. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, parseRuleSetting } from '@bglint/core';
import type { LintReport, RuleSetting } from '@bglint/core';
import { allRules, rulesById } from '@bglint/rules';
import { formatterNames, loadFormatter } from '@bglint/formatters';
import { HELP, isExplainCommand, isLanguageServerCommand, parseArgs, UsageError } from './args';
import { explain } from './explain';
import type { CliOptions } from './args';
import { applyBaseline, configFor, fixUntilStable, previewFixes, runLint, UsageErrorForPath, writeBaseline } from '@bglint/session';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require('../package.json').version;

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function run(argv: string[], io: Io): number {
  try {
    if (isExplainCommand(argv)) return explain(argv.slice(1), io);
    const options = parseArgs(argv);
    return execute(options, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UsageErrorForPath) {
      io.stderr(`bglint: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`bglint: invalid configuration: ${error.message}\n`);
      return 2;
    }
    io.stderr(`bglint: internal error: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

function execute(options: CliOptions, io: Io): number {
  if (options.help) return print(io, HELP + '\n');
  if (options.version) return print(io, `${VERSION}\n`);
  if (options.listRules) return print(io, allRules.map((r) => `${r.meta.id.padEnd(38)} ${r.meta.severity.padEnd(8)} ${r.meta.summary}`).join('\n') + '\n');
  const formatter = loadFormatter(options.format);
  if (!formatter) throw new UsageError(`unknown format ${JSON.stringify(options.format)}; expected one of ${formatterNames.join(', ')}`);
  const runOptions = {
    cwd: io.cwd,
    paths: options.paths,
    configFile: options.config,
    noConfig: options.noConfig,
    cliRules: cliRules(options.rules),
    reportUnusedDirectives: options.reportUnusedDisableDirectives,
    stdin: options.stdin ? { text: io.readStdin(), filename: options.stdinFilename! } : undefined,
    noPrefilter: options.noPrefilter,
    cache: options.cache ? { location: options.cacheLocation, version: VERSION } : undefined,
    jobs: options.jobs,
  };
  if (options.printConfig) {
    const { layers, rules } = configFor(runOptions, options.printConfig);
    return print(io, JSON.stringify({ files: layers.map((l) => l.file), rules: Object.fromEntries(rules.map((r) => [r.rule.meta.id, [r.severity, r.options]])) }, null, 2) + '\n');
  }
  let report = options.fix ? fixUntilStable(() => runLint(runOptions)) : runLint(runOptions);
  if (options.fixDryRun) report = previewFixes(report);
  if (options.quiet) report = onlyErrors(report);
  if (options.writeBaseline) {
    fs.writeFileSync(path.resolve(io.cwd, options.writeBaseline), writeBaseline(report.results.flatMap((r) => r.findings.filter((f) => !f.suppression)), io.cwd));
  }
  if (options.baseline) {
    const outcome = applyBaseline(report, readFile(path.resolve(io.cwd, options.baseline)), { dropUnchanged: options.format !== 'sarif' });
    if (outcome.error) throw new UsageError(`--baseline ${options.baseline}: ${outcome.error}`);
    report = outcome.report;
  }
  const color = options.color ?? (io.isTTY && !options.outputFile && !('NO_COLOR' in io.env) && io.env.FORCE_COLOR !== '0');
  const text = formatter(report, { cwd: io.cwd, color, sarifCategory: options.sarifCategory, toolVersion: VERSION });
  if (options.outputFile) fs.writeFileSync(path.resolve(io.cwd, options.outputFile), text);
  else io.stdout(text);
  return exitCode(report, options.maxWarnings);
}

function print(io: Io, text: string): number {
  io.stdout(text);
  return 0;
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
}

/** `--rule 'id: error'` or `--rule 'id: [warn, {…}]'` (YAML flow syntax). */
function cliRules(specs: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const spec of specs) {
    const at = spec.indexOf(':');
    if (at < 0) throw new UsageError(`--rule expects 'id: severity', got ${JSON.stringify(spec)}`);
    const id = spec.slice(0, at).trim();
    const rule = rulesById.get(id);
    if (!rule) throw new UsageError(`--rule: unknown rule ${JSON.stringify(id)} (see bglint --list-rules)`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const value: unknown = (require('yaml') as typeof import('yaml')).parse(spec.slice(at + 1));
    out[id] = parseRuleSetting(value, '--rule', id, rule);
  }
  return out;
}

function onlyErrors(report: LintReport): LintReport {
  return { ...report, results: report.results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })) };
}

function exitCode(report: LintReport, maxWarnings: number | undefined): number {
  const active = report.results.flatMap((r) => r.findings).filter((f) => !f.suppression && f.baselineState !== 'unchanged');
  const errors = active.filter((f) => f.severity === 'error').length;
  const warnings = active.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && maxWarnings >= 0 && warnings > maxWarnings) return 1;
  return 0;
}

/**
 * The `bglint` command in this process: bin/bglint.js calls it. It never guesses from `require.main`
 * or `argv[1]` whether it was started as a command (through npm's `.bin` link or a wrapper that
 * `require`s the bin, that guess went wrong and bglint printed nothing and exited 0).
 */
export function main(argv: string[] = process.argv.slice(2)): void {
  if (isLanguageServerCommand(argv)) {
    // Loaded only here, so a plain run never loads the language server's libraries.
    void import('./language-server').then((server) => server.startLanguageServer());
    return;
  }
  process.exitCode = run(argv, {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  });
}
