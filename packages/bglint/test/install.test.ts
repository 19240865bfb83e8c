/**
 * The package a user installs: `npm pack`, then `npm i -D <tarball>` and `pnpm add -D <tarball>` in
 * scratch projects outside the workspace, run through npm's `.bin` link (`npx bglint`), the language
 * server, SARIF, the Node API and its types, the compile cache. Findings must be the workspace CLI's own.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { run } from '@bglint/cli';
import { validateSarif } from '../../formatters/test/sarif-validator';
import { initializeLanguageServer, installInScratch, packTarball, repoRoot, sh } from './installed';

interface JsonResult {
  filePath: string;
  messages: { ruleId: string; line: number; severity: number }[];
}

const VERSION: string = require('../package.json').version;
const scratch: string[] = [];
let packDir: string;
let tarball: string;

beforeAll(() => {
  packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-pack-'));
  tarball = packTarball(packDir);
  scratch.push(packDir);
}, 240_000);
afterAll(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** What the workspace's own CLI finds in `App` of `dir`: rule, file relative to `dir`, line. */
function workspaceFindings(dir: string): string[] {
  let out = '';
  run(['--format', 'json', 'App'], { cwd: dir, stdout: (t) => (out += t), stderr: () => {}, readStdin: () => '', isTTY: false, env: {} });
  return findingKeys(out, dir);
}

function findingKeys(json: string, dir: string): string[] {
  const results = JSON.parse(json) as JsonResult[];
  return results.flatMap((r) => r.messages.filter((m) => m.ruleId).map((m) => `${m.ruleId} ${path.relative(dir, path.resolve(dir, r.filePath))}:${m.line}`)).sort();
}

test('the tarball holds what runs, and nothing that runs at install', () => {
  const listing = sh('tar', ['-tzf', tarball], packDir).stdout.split('\n').filter(Boolean);
  expect(listing).toContain('package/bin/bglint.js');
  expect(listing).toContain('package/bin/compile-cache.js');
  expect(listing).toContain('package/dist/cli.js');
  expect(listing).toContain('package/dist/index.d.ts');
  expect(listing).toContain('package/prebuilds/darwin-arm64/tree-sitter-swift.node');
  expect(listing).toContain('package/prebuilds/linux-x64/tree-sitter-objc.node');
  expect(listing).toEqual(expect.arrayContaining(['package/LICENSE', 'package/CHANGELOG.md', 'package/README.md']));
  expect(listing.filter((f) => /\/(src|test|scripts|build)\//.test(f))).toEqual([]);
  const manifest = JSON.parse(sh('tar', ['-xzOf', tarball, 'package/package.json'], packDir).stdout) as Record<string, unknown>;
  expect(manifest.dependencies ?? {}).toEqual({});
  expect(Object.keys((manifest.scripts ?? {}) as object).filter((s) => /install|prepare/.test(s))).toEqual([]);
  expect(manifest).toMatchObject({ name: 'bglint', bin: { bglint: 'bin/bglint.js' }, license: expect.any(String), engines: { node: expect.any(String) } });
  // The workspace's `bglint --version` and the package's are one version.
  expect(require('../../cli/package.json').version).toBe(VERSION);
});

describe('installed with npm', () => {
  let dir: string;
  beforeAll(() => {
    dir = installInScratch(tarball, 'npm');
    scratch.push(dir);
  }, 240_000);

  test('npx bglint prints the findings the workspace CLI finds and exits 1', () => {
    const stylish = sh('npx', ['bglint', 'App'], dir);
    expect(stylish.stderr).toBe('');
    expect(stylish.status).toBe(1);
    expect(stylish.stdout).toContain('background-task-unbalanced');
    const json = sh('npx', ['bglint', '--format', 'json', 'App'], dir);
    expect(findingKeys(json.stdout, dir)).toEqual(workspaceFindings(dir));
  });

  test('a run large enough for worker threads finds what the workspace finds', () => {
    const { generateCorpus } = require('../../../scripts/generate-corpus.js') as { generateCorpus: (dir: string, options: object) => unknown };
    generateCorpus(path.join(dir, 'Large'), { files: 1100, apiRate: 0.2 });
    const result = sh('npx', ['bglint', '--format', 'json', '--jobs', '2', 'Large'], dir);
    expect(result.stderr).toBe('');
    let workspace = '';
    run(['--format', 'json', '--jobs', '2', 'Large'], { cwd: dir, stdout: (t) => (workspace += t), stderr: () => {}, readStdin: () => '', isTTY: false, env: {} });
    const found = findingKeys(result.stdout, dir);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(findingKeys(workspace, dir));
    fs.rmSync(path.join(dir, 'Large'), { recursive: true, force: true });
  });

  test('npx bglint --version', () => {
    const result = sh('npx', ['bglint', '--version'], dir);
    expect(result.stdout).toBe(`${VERSION}\n`);
    expect(result.status).toBe(0);
  });

  test('--format sarif validates', () => {
    const result = sh('npx', ['bglint', '--format', 'sarif', 'App'], dir);
    expect(result.status).toBe(1);
    const { errors, warnings } = validateSarif(result.stdout);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  test('npx bglint lsp --stdio answers initialize', async () => {
    const reply = await initializeLanguageServer(dir);
    expect(reply.result?.serverInfo?.name).toBe('bglint');
    expect(reply.result?.capabilities).toHaveProperty('codeActionProvider');
  });

  test('the Node API lints files and text, formats, and tells the config', () => {
    fs.writeFileSync(path.join(dir, 'api.js'), `
      const bglint = require('bglint');
      const fs = require('node:fs');
      (async () => {
        const report = await bglint.lintFiles(['App']);
        const findings = report.results.flatMap((r) => r.findings);
        const first = findings[0];
        const text = await bglint.lintText(fs.readFileSync(first.file, 'utf8'), { filePath: first.file });
        const sarif = JSON.parse((await bglint.loadFormatter('sarif')).format(report));
        const config = await bglint.calculateConfigForFile(first.file);
        const unknown = await bglint.loadFormatter('nope').then(() => 'loaded', (e) => e.message);
        const globbed = await bglint.lintFiles('App/**/*.swift');
        console.log(JSON.stringify({
          version: bglint.version,
          findings: findings.map((f) => f.ruleId + ' ' + require('node:path').relative(process.cwd(), f.file) + ':' + f.range.start.line).sort(),
          textFindings: text.results.flatMap((r) => r.findings).map((f) => f.ruleId + ':' + f.range.start.line),
          fileFindings: findings.filter((f) => f.file === first.file).map((f) => f.ruleId + ':' + f.range.start.line),
          sarifResults: sarif.runs[0].results.length,
          firstRule: config.rules[first.ruleId],
          swiftFindings: globbed.results.flatMap((r) => r.findings).map((f) => f.ruleId + ' ' + require('node:path').relative(process.cwd(), f.file) + ':' + f.range.start.line).sort(),
          unknown,
        }));
      })();
    `);
    const result = sh(process.execPath, ['api.js'], dir);
    expect(result.stderr).toBe('');
    const api = JSON.parse(result.stdout);
    expect(api.version).toBe(VERSION);
    expect(api.findings).toEqual(workspaceFindings(dir));
    expect(api.textFindings).toEqual(api.fileFindings);
    expect(api.sarifResults).toBe(api.findings.length);
    expect(api.firstRule).toEqual({ severity: expect.stringMatching(/^(error|warning|note)$/), options: expect.any(Object) });
    expect(api.unknown).toMatch(/unknown format "nope"/);
    // A glob: the Swift files' findings of the whole run, no more, no fewer.
    expect(api.swiftFindings).toEqual(api.findings.filter((f: string) => /\.swift:\d+$/.test(f)));
    expect(api.swiftFindings.length).toBeGreaterThan(0);
  });

  test('the Node API type-checks from the installed types alone', () => {
    fs.writeFileSync(path.join(dir, 'consumer.ts'), `
      import { calculateConfigForFile, lintFiles, lintText, loadFormatter, version } from 'bglint';
      import type { Finding, LintReport, Severity } from 'bglint';
      export async function check(): Promise<string> {
        const report: LintReport = await lintFiles(['App'], { cache: false, rules: { 'background-task-unbalanced': 'error' } });
        const findings: Finding[] = report.results.flatMap((r) => r.findings);
        const severity: Severity = (await calculateConfigForFile('App/x.swift')).rules['background-task-unbalanced'].severity;
        const again: LintReport = await lintText('', { filePath: 'App/x.swift', noConfig: true });
        return (await loadFormatter('stylish')).format(report, { color: false }) + findings.length + severity + again.root + version;
      }
    `);
    const tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
    const result = sh(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node10',
      '--typeRoots', path.join(repoRoot, 'node_modules/@types'), '--types', 'node', 'consumer.ts'], dir);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  describe('the compile cache (bin/compile-cache.js)', () => {
    const LINT = ['--format', 'json', 'App'];
    let cacheDir: string;
    let uncached: Map<string, Outcome>;
    beforeAll(() => {
      cacheDir = path.join(dir, 'node_modules/.cache/bglint');
      uncached = new Map([LINT, ['--version'], ['--bogus']].map((args) => [args.join(' '), bin(dir, args, { BGLINT_NO_COMPILE_CACHE: '1' })]));
    });
    beforeEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

    test('a lint writes it, the next run reads it; exit codes and output are those of a run without it', () => {
      const version = bin(dir, ['--version'], REPORT);
      expect(version.cache).toMatchObject({ read: null, wrote: null }); // compiled too little to be worth a cache
      const first = bin(dir, LINT, REPORT);
      expect(first.cache).toMatchObject({ read: null, wrote: expect.stringContaining(cacheDir) });
      expect(fs.existsSync(first.cache!.wrote!)).toBe(true);
      const second = bin(dir, LINT, REPORT);
      expect(second.cache).toMatchObject({ read: first.cache!.wrote, rejected: false, wrote: null });
      expect(outcome(first)).toEqual(uncached.get(LINT.join(' ')));
      expect(outcome(second)).toEqual(uncached.get(LINT.join(' ')));
      for (const [args, expected] of uncached) expect(bin(dir, args.split(' '))).toEqual(expected);
      expect([...uncached.values()].map((o) => o.status)).toEqual([1, 0, 2]);
    });

    test('a corrupt cache is not used, a cache V8 rejects is replaced; the output stays the same', () => {
      const file = bin(dir, LINT, REPORT).cache!.wrote!;
      const good = fs.readFileSync(file);
      const flipped = Buffer.from(good);
      for (let i = 1000; i < 1064; i++) flipped[i] ^= 0x5a; // V8 checks its header only: data changed after it can crash node
      for (const corrupt of [flipped, good.subarray(0, good.length >> 1), Buffer.from('not a cache')]) {
        fs.writeFileSync(file, corrupt);
        const result = bin(dir, LINT, REPORT);
        expect(result.cache).toMatchObject({ read: null, wrote: file });
        expect(outcome(result)).toEqual(uncached.get(LINT.join(' ')));
      }
      // Intact, but V8 data for another script: V8 rejects it, and it is written again.
      const other = new vm.Script('1 + 1').createCachedData();
      fs.writeFileSync(file, Buffer.concat([crypto.createHash('sha256').update(other).digest(), other]));
      const rejected = bin(dir, LINT, REPORT);
      expect(rejected.cache).toMatchObject({ read: file, rejected: true, wrote: file });
      expect(outcome(rejected)).toEqual(uncached.get(LINT.join(' ')));
      expect(bin(dir, LINT, REPORT).cache).toMatchObject({ read: file, rejected: false, wrote: null });
    });

    test("a cache folder that cannot be written: the temp folder, and without one the run is the same", () => {
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-tmpdir-'));
      scratch.push(temp);
      const inTemp = path.join(temp, `bglint-${process.getuid!()}`);
      try {
        fs.mkdirSync(path.dirname(cacheDir), { recursive: true });
        fs.writeFileSync(cacheDir, 'a file where the folder would be'); // mkdir fails, also for root
        const fallback = bin(dir, LINT, { ...REPORT, TMPDIR: temp });
        expect(fallback.cache).toMatchObject({ wrote: expect.stringContaining(inTemp) });
        expect(outcome(fallback)).toEqual(uncached.get(LINT.join(' ')));
        expect(bin(dir, LINT, { ...REPORT, TMPDIR: temp }).cache).toMatchObject({ read: fallback.cache!.wrote, wrote: null });
        // A temp folder others may write to is neither read nor written: the cache is code V8 runs.
        fs.chmodSync(inTemp, 0o777);
        const shared = bin(dir, LINT, { ...REPORT, TMPDIR: temp });
        expect(shared.cache).toMatchObject({ read: null, wrote: null });
        expect(fs.readdirSync(inTemp)).toEqual([path.basename(fallback.cache!.wrote!)]);
        const nowhere = bin(dir, LINT, { ...REPORT, TMPDIR: path.join(cacheDir, 'tmp') });
        expect(nowhere.cache).toMatchObject({ read: null, wrote: null });
        expect(outcome(nowhere)).toEqual(uncached.get(LINT.join(' ')));
      } finally {
        fs.rmSync(cacheDir, { force: true });
      }
    });
  });
});

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface CacheReport {
  read: string | null;
  rejected: boolean;
  wrote: string | null;
}

const REPORT = { BGLINT_DEBUG_COMPILE_CACHE: '1' };

/** `node node_modules/bglint/bin/bglint.js` in `dir`, without the caller's BGLINT_ variables; the cache's report taken out of stderr. */
function bin(dir: string, args: string[], env: Record<string, string> = {}): Outcome & { cache?: CacheReport } {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BGLINT_')));
  const result = spawnSync(process.execPath, [path.join(dir, 'node_modules/bglint/bin/bglint.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...inherited, ...env } });
  const report = /^bglint compile cache: (.*)\n/m.exec(result.stderr);
  const out = { status: result.status, stdout: result.stdout, stderr: result.stderr.replace(report?.[0] ?? '', '') };
  return report ? { ...out, cache: JSON.parse(report[1]!) as CacheReport } : out;
}

function outcome({ status, stdout, stderr }: Outcome): Outcome {
  return { status, stdout, stderr };
}

describe('installed with pnpm', () => {
  let dir: string;
  beforeAll(() => {
    dir = installInScratch(tarball, 'pnpm');
    scratch.push(dir);
  }, 240_000);

  test('bglint from node_modules/.bin prints the findings and exits 1', () => {
    const result = sh(path.join(dir, 'node_modules/.bin/bglint'), ['--format', 'json', 'App'], dir);
    expect(result.status).toBe(1);
    expect(findingKeys(result.stdout, dir)).toEqual(workspaceFindings(dir));
    // The compile cache is the project's, not in pnpm's store (node_modules/.pnpm/bglint@…/node_modules).
    expect(fs.readdirSync(path.join(dir, 'node_modules/.cache/bglint'))).toEqual([expect.stringMatching(/^cli\.js-[0-9a-f]+\.cache$/)]);
  });
});
