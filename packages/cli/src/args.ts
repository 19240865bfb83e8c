/** Command-line arguments, in ESLint's spelling where ESLint has the option. */

export interface CliOptions {
  paths: string[];
  format: string;
  outputFile?: string;
  maxWarnings?: number;
  quiet: boolean;
  rules: string[];
  stdin: boolean;
  stdinFilename?: string;
  listRules: boolean;
  version: boolean;
  help: boolean;
  config?: string;
  noConfig: boolean;
  printConfig?: string;
  reportUnusedDisableDirectives: boolean;
  sarifCategory?: string;
  baseline?: string;
  writeBaseline?: string;
  color?: boolean;
  cache: boolean;
  fix: boolean;
  fixDryRun: boolean;
  cacheLocation?: string;
  jobs?: number;
  noPrefilter: boolean;
}

export class UsageError extends Error {}

const VALUE_FLAGS: Record<string, keyof CliOptions> = {
  '--format': 'format', '-f': 'format', '--output-file': 'outputFile', '-o': 'outputFile',
  '--max-warnings': 'maxWarnings', '--rule': 'rules', '--stdin-filename': 'stdinFilename', '--config': 'config',
  '-c': 'config', '--print-config': 'printConfig', '--sarif-category': 'sarifCategory', '--baseline': 'baseline',
  '--write-baseline': 'writeBaseline', '--cache-location': 'cacheLocation', '--jobs': 'jobs', '-j': 'jobs',
};

const BOOLEAN_FLAGS: Record<string, [keyof CliOptions, boolean]> = {
  '--quiet': ['quiet', true], '--stdin': ['stdin', true], '--list-rules': ['listRules', true], '--version': ['version', true],
  '-v': ['version', true], '--help': ['help', true], '-h': ['help', true], '--no-config': ['noConfig', true],
  '--report-unused-disable-directives': ['reportUnusedDisableDirectives', true], '--color': ['color', true],
  '--no-color': ['color', false], '--cache': ['cache', true], '--fix': ['fix', true], '--fix-dry-run': ['fixDryRun', true],
  '--no-prefilter': ['noPrefilter', true],
};

/** `bglint lsp [--stdio]`: the language server instead of a run (the transport flag is read by the server). */
export function isLanguageServerCommand(argv: string[]): boolean {
  return argv[0] === 'lsp';
}

/** `bglint explain …`: what a device printed, or a rule id. */
export function isExplainCommand(argv: string[]): boolean {
  return argv[0] === 'explain';
}

export interface ExplainOptions {
  words: string[];
  stdin: boolean;
  format: 'text' | 'json';
}

export function parseExplainArgs(argv: string[]): ExplainOptions {
  const options: ExplainOptions = { words: [], stdin: false, format: 'text' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--stdin') options.stdin = true;
    else if (arg === '--format' || arg === '-f' || arg.startsWith('--format=')) {
      const value = arg.startsWith('--format=') ? arg.slice('--format='.length) : argv[++i];
      if (value !== 'text' && value !== 'json') throw new UsageError(`explain --format expects text or json, got ${JSON.stringify(value)}`);
      options.format = value;
    } else if (arg === '--') options.words.push(...argv.slice(i + 1)), (i = argv.length);
    else options.words.push(arg);
  }
  if (!options.stdin && options.words.length === 0) throw new UsageError('explain needs the log text, --stdin, or a rule id (see bglint --help)');
  return options;
}

export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    paths: [], format: 'stylish', quiet: false, rules: [], stdin: false, listRules: false, version: false, help: false,
    noConfig: false, reportUnusedDisableDirectives: false, cache: false, fix: false, fixDryRun: false, noPrefilter: false,
  };
  const record = options as unknown as Record<string, unknown>;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag in BOOLEAN_FLAGS) {
      const [key, value] = BOOLEAN_FLAGS[flag]!;
      record[key] = value;
    } else if (flag in VALUE_FLAGS) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      const key = VALUE_FLAGS[flag]!;
      if (key === 'rules') options.rules.push(value);
      else if (key === 'maxWarnings') {
        if (!/^-?\d+$/.test(value)) throw new UsageError(`--max-warnings expects a number, got ${JSON.stringify(value)}`);
        options.maxWarnings = Number(value);
      } else if (key === 'jobs') {
        if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--jobs expects a number of threads (1 or more), got ${JSON.stringify(value)}`);
        options.jobs = Number(value);
      } else record[key] = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg} (see bglint --help)`);
    } else {
      options.paths.push(arg);
    }
  }
  if (options.stdin && !options.stdinFilename) options.stdinFilename = 'stdin.swift';
  if (options.fix && options.stdin) throw new UsageError('--fix cannot write to piped-in code; use --fix-dry-run to print the fixed text (with --format json)');
  if (options.fix && options.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be used together');
  return options;
}

export const HELP = `bglint [options] [paths...]
bglint lsp --stdio                 run the language server (for editors)
bglint explain "<log text>"        the rules that cause what the device printed (ranked); also
bglint explain --stdin             a whole console log or an .ips crash report on standard input,
bglint explain RULE-ID             a rule's page; --format json for either

Lints Swift and Objective-C sources (folders expand to .swift, .m, .mm, .h) for background-execution mistakes.

Options:
  -f, --format NAME                stylish (default), json, sarif, xcode, github
  -o, --output-file FILE           write the report to FILE
  --max-warnings N                 exit 1 when there are more than N warnings
  --quiet                          report errors only
  --fix                            apply the safe fixes to the files, then report what remains
  --fix-dry-run                    compute the fixes without writing (json output has each file's "output")
  --rule 'id: severity'            set a rule's severity (off, note, warn, error); repeatable
  --stdin                          lint text from standard input
  --stdin-filename FILE            the name (and language) of the stdin text
  -c, --config FILE                use this config file only
  --no-config                      ignore config files; use the recommended rules
  --print-config FILE              print the configuration that applies to FILE
  --report-unused-disable-directives
  --sarif-category ID              GitHub code scanning category (automationDetails.id)
  --baseline FILE                  report only findings not in FILE
  --write-baseline FILE            record the current findings in FILE
  --cache                          reuse results of unchanged files (and unchanged config, project facts)
  --cache-location PATH            the cache file, or a folder for it (default node_modules/.cache/bglint/)
  -j, --jobs N                     worker threads for large runs (default: cores - 1, at least 1)
  --no-prefilter                   parse every file, even those without any rule's trigger strings (slow)
  --list-rules                     list the rules and their default severities
  -v, --version
  -h, --help

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings, 2 bad usage,
bad configuration or an internal error.`;
