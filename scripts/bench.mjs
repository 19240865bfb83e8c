#!/usr/bin/env node
/**
 * `pnpm bench [dir] [--runs N] [--files N] [--skip-ast-grep]`: times bglint on a folder of Swift/ObjC
 * sources (default: a generated corpus, see scripts/generate-corpus.js) against the floor (`grep` for the
 * rules' trigger strings) and, when installed, `ast-grep scan` with rules equivalent to those triggers.
 * Every command runs as its own process, the commands take turns (so a noisy machine slows all of them
 * alike), and each figure is the median of the runs. Prints wall times, ratios and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The installed package's bin (bundled, with its compile cache) when built (`pnpm --filter bglint build`):
// what users run; else the workspace's.
const PACKAGE_BIN = path.join(root, 'packages/bglint/bin/bglint.js');
const BGLINT = fs.existsSync(path.join(root, 'packages/bglint/dist/cli.js')) ? PACKAGE_BIN : path.join(root, 'packages/cli/bin/bglint.js');
const ONE_FILE = path.join(root, 'fixtures/BackgroundTasksApp/BackgroundTasksApp/SyncService.swift');
const TIME = fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0 ? '/usr/bin/time' : undefined;

/** Files in the corpus for the parse-bound comparison (every file parsed: kept small so it stays quick). */
const PARSE_BOUND_FILES = 300;

function parseArgs(argv) {
  const args = { runs: 5, files: 6000, dir: undefined, astGrep: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') args.runs = Number(argv[++i]);
    else if (argv[i] === '--files') args.files = Number(argv[++i]);
    else if (argv[i] === '--skip-ast-grep') args.astGrep = false;
    else args.dir = path.resolve(argv[i]);
  }
  return args;
}

/** The generated corpus, made once per size (deterministic, so a kept copy is the same corpus). */
function corpusDir(files) {
  const dir = path.join(os.tmpdir(), `bglint-bench-corpus-${files}`);
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const { generateCorpus } = require('./generate-corpus.js');
    generateCorpus(dir, { files, seed: 1 });
    fs.writeFileSync(path.join(dir, '.complete'), '');
  }
  return dir;
}

/** One run: wall milliseconds, CPU milliseconds and peak RSS in MB (CPU and RSS when /usr/bin/time can tell). */
function measure(command, args, options = {}) {
  const rssFile = path.join(os.tmpdir(), `bglint-bench-rss-${process.pid}`);
  const [file, argv] = TIME ? [TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const result = spawnSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  try {
    if (result.error) throw result.error;
    if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    const [rssKb, user, system] = TIME ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
    return { ms, cpu: (user + system) * 1000, rss: rssKb / 1024 };
  } finally {
    fs.rmSync(rssFile, { force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `-e T` for every rule's trigger: fixed strings (`dataTask(with` is not a regular expression). */
function triggerPatterns() {
  const { allRules } = require(path.join(root, 'packages/rules/dist/index.js'));
  return [...new Set(allRules.flatMap((r) => r.meta.triggers))].flatMap((t) => ['-e', t]);
}

function findAstGrep() {
  const candidates = [path.join(root, 'node_modules/.bin/ast-grep'), ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'ast-grep'))];
  return candidates.find((c) => fs.existsSync(c) && spawnSync(c, ['--version']).status === 0);
}

const AST_GREP_RULES = path.join(root, 'scripts/ast-grep-rules.yml');

function main() {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.dir ?? corpusDir(args.files);
  const smallDir = corpusDir(PARSE_BOUND_FILES);
  const sources = spawnSync('find', [dir, '-type', 'f', '(', '-name', '*.swift', '-o', '-name', '*.m', '-o', '-name', '*.mm', '-o', '-name', '*.h', ')'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .stdout.split('\n').filter(Boolean);
  const bytes = sources.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  const cacheFile = path.join(os.tmpdir(), `bglint-bench-cache-${process.pid}.json`);
  const oneFileCache = path.join(os.tmpdir(), `bglint-bench-cache-one-${process.pid}.json`);
  const bglint = (...extra) => ['node', [BGLINT, '--no-config', '-f', 'json', ...extra]];
  const commands = {
    'grep floor': ['grep', ['-rlF', ...triggerPatterns(), dir, '--include=*.swift', '--include=*.m', '--include=*.mm', '--include=*.h']],
    'bglint cold': bglint(dir),
    'bglint warm (--cache)': bglint('--cache', '--cache-location', cacheFile, dir),
    'bglint one file': bglint(ONE_FILE),
    'bglint one file (--cache)': bglint('--cache', '--cache-location', oneFileCache, ONE_FILE),
    'node -e 0': ['node', ['-e', '0']],
    'bglint -j 1': bglint('-j', '1', dir),
    'bglint -j 2': bglint('-j', '2', dir),
    'parse-bound -j 1 (--no-prefilter)': bglint('-j', '1', '--no-prefilter', smallDir),
    'parse-bound -j 2 (--no-prefilter)': bglint('-j', '2', '--no-prefilter', smallDir),
    'raw tree-sitter parse (parse-bound files)': ['node', [path.join(root, 'scripts/raw-parse.mjs'), smallDir]],
  };
  const astGrep = args.astGrep ? findAstGrep() : undefined;
  if (astGrep) commands['ast-grep scan -j 2'] = [astGrep, ['scan', '-j', '2', '--rule', AST_GREP_RULES, dir]];

  console.log(`bglint: ${path.relative(root, BGLINT)}${BGLINT === PACKAGE_BIN ? ' (the package, bundled)' : ' (the workspace; run `pnpm --filter bglint build` to time the package)'}`);
  console.log(`corpus: ${dir}\n  ${sources.length} files, ${(bytes / 1e6).toFixed(1)} MB (${sources.filter((f) => f.endsWith('.swift')).length} Swift)`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`runs: ${args.runs} of each, taking turns; medians${astGrep ? '' : '; ast-grep not found (npm i -g @ast-grep/cli to compare)'}\n`);

  measure(...commands['bglint warm (--cache)']); // primes the caches
  measure(...commands['bglint one file (--cache)']);
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let run = 0; run < args.runs; run++) {
    for (const [name, [command, argv]] of Object.entries(commands)) samples[name].push(measure(command, argv));
  }
  fs.rmSync(cacheFile, { force: true });
  fs.rmSync(oneFileCache, { force: true });

  const wall = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, median(s.map((x) => x.ms))]));
  const cpu = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, median(s.map((x) => x.cpu))]));
  const rss = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, Math.max(...s.map((x) => x.rss))]));
  console.log(`${'command'.padEnd(36)} ${'wall'.padStart(8)}  ${'CPU'.padStart(8)}  peak RSS`);
  for (const name of Object.keys(commands)) {
    const mb = Number.isNaN(rss[name]) ? '   n/a' : `${rss[name].toFixed(0).padStart(5)} MB`;
    console.log(`${name.padEnd(36)} ${wall[name].toFixed(0).padStart(5)} ms  ${Number.isNaN(cpu[name]) ? '     n/a' : `${cpu[name].toFixed(0).padStart(5)} ms`}  ${mb}`);
  }
  const ratio = (a, b) => (wall[a] / wall[b]).toFixed(2);
  console.log('\nratios (target):');
  console.log(`  cold / grep floor                  ${ratio('bglint cold', 'grep floor')}×   (≤ 5)`);
  if (astGrep) console.log(`  cold / ast-grep                    ${ratio('bglint cold', 'ast-grep scan -j 2')}×   (≤ 0.25)`);
  console.log(`  warm / grep floor                  ${ratio('bglint warm (--cache)', 'grep floor')}×   (≤ 2)`);
  console.log(`  -j 1 / -j 2, whole run             ${ratio('bglint -j 1', 'bglint -j 2')}×`);
  console.log(`  -j 1 / -j 2, parse-bound           ${ratio('parse-bound -j 1 (--no-prefilter)', 'parse-bound -j 2 (--no-prefilter)')}×   (≥ 1.6; ${PARSE_BOUND_FILES} generated files, all parsed)`);
  console.log(`  raw parse / parse-bound -j 1       ${ratio('raw tree-sitter parse (parse-bound files)', 'parse-bound -j 1 (--no-prefilter)')}×   (whole processes; scripts/view-cost.mjs gives the in-process share)`);
  console.log(`  one file                           ${wall['bglint one file'].toFixed(0)} ms, ${wall['bglint one file (--cache)'].toFixed(0)} ms with --cache   (≤ 150 ms; node -e 0 takes ${wall['node -e 0'].toFixed(0)} ms here)`);
  console.log(`  peak RSS, cold                     ${rss['bglint cold'].toFixed(0)} MB   (≤ 300 MB)`);
}

main();
