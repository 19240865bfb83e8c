/**
 * The package a user installs: `npm pack`, then `npm i -D <tarball>` and `pnpm add -D <tarball>` in
 * scratch projects outside the workspace, run through npm's `.bin` link (`npx bglint`), the language
 * server, SARIF, the Node API and its types. Findings must be the workspace CLI's own.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
});

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
  });
});
