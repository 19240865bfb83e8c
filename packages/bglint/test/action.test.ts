/**
 * The GitHub Action's script (scripts/github-action.sh) with a simulated runner: the action's
 * checkout is a copy of this repository's files (no node_modules, no dist: the first run builds it),
 * the workspace a scratch repository without node_modules, GITHUB_OUTPUT and RUNNER_TEMP files of
 * the test's own.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
let temp: string;
let actionDir: string;
let workspace: string;

interface Step {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

function step(command: 'cache-key' | 'lint' | 'verdict', env: Record<string, string> = {}, cwd = workspace): Step {
  const outputFile = path.join(temp, `output-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(outputFile, '');
  const runnerTemp = fs.mkdtempSync(path.join(temp, 'runner-'));
  const result = spawnSync('bash', [path.join(actionDir, 'scripts/github-action.sh'), command], {
    cwd, encoding: 'utf8', timeout: 400_000,
    env: { ...runnerEnvironment(), GITHUB_ACTION_PATH: actionDir, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: runnerTemp, RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64', ...env },
  });
  const outputs = Object.fromEntries(fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

/** This machine's environment (certificates, proxy) without what the test's own npm / pnpm run added. */
function runnerEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(npm_|pnpm_|PNPM_|INIT_CWD$|GITHUB_|RUNNER_|BGLINT_)/i.test(k))) as Record<string, string>;
}

function sarifUris(file: string): string[] {
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  return log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri));
}

beforeAll(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-action-'));
  actionDir = path.join(temp, 'action');
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(repoRoot, file))) continue;
    fs.mkdirSync(path.dirname(path.join(actionDir, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(actionDir, file));
  }
  workspace = path.join(temp, 'repo');
  fs.cpSync(path.join(repoRoot, 'fixtures/BackgroundTasksApp'), path.join(workspace, 'App'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'fixtures/BackgroundTasksApp'), path.join(workspace, 'My App'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'fixtures/CleanApp'), path.join(workspace, 'Clean'), { recursive: true });
});
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

test('first run: builds bglint in the action checkout, writes the SARIF log and both outputs', () => {
  expect(fs.existsSync(path.join(actionDir, 'node_modules'))).toBe(false);
  const run = step('lint', { BGLINT_PATHS: 'App' });
  expect(run.status).toBe(0);
  expect(run.outputs['exit-code']).toBe('1');
  expect(run.stdout).toContain('::group::Build bglint');
  expect(fs.existsSync(path.join(actionDir, 'packages/bglint/dist/cli.js'))).toBe(true);
  const uris = sarifUris(run.outputs['sarif-file']);
  expect(uris.length).toBeGreaterThan(0);
  expect(uris.every((u) => u.startsWith('App/'))).toBe(true);
}, 600_000);

describe('with bglint built (a cache hit)', () => {
  test('a clean app: exit-code 0', () => {
    const run = step('lint', { BGLINT_PATHS: 'Clean' });
    expect(run.status).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.stdout).not.toContain('::group::Build');
    expect(sarifUris(run.outputs['sarif-file'])).toEqual([]);
  });

  test('paths one per line: a path with spaces survives', () => {
    const run = step('lint', { BGLINT_PATHS: 'My App\nClean\n' });
    expect(run.outputs['exit-code']).toBe('1');
    const uris = sarifUris(run.outputs['sarif-file']);
    expect(uris.length).toBeGreaterThan(0);
    expect(uris.every((u) => u.startsWith('My App/'))).toBe(true);
  });

  test('a single line with a path that has spaces', () => {
    const run = step('lint', { BGLINT_PATHS: 'My App' });
    expect(run.outputs['exit-code']).toBe('1');
    expect(sarifUris(run.outputs['sarif-file']).every((u) => u.startsWith('My App/'))).toBe(true);
  });

  test('one line of space-separated paths still works', () => {
    const run = step('lint', { BGLINT_PATHS: 'Clean App' });
    expect(run.outputs['exit-code']).toBe('1');
    expect(sarifUris(run.outputs['sarif-file']).every((u) => u.startsWith('App/'))).toBe(true);
  });

  test('args reach bglint; a usage error fails the step with exit code 2', () => {
    const ok = step('lint', { BGLINT_PATHS: 'App', BGLINT_ARGS: '--rule background-task-unbalanced:off --quiet' });
    expect(ok.status).toBe(0);
    const bad = step('lint', { BGLINT_PATHS: 'App', BGLINT_ARGS: '--no-such-option' });
    expect(bad.status).toBe(2);
    expect(bad.outputs['exit-code']).toBe('2');
    expect(bad.stdout).toContain('::error title=bglint::bglint could not run (exit code 2)');
  });

  test("the repository's own bglint runs when it has one", () => {
    const own = fs.mkdtempSync(path.join(temp, 'own-'));
    fs.mkdirSync(path.join(own, 'node_modules/.bin'), { recursive: true });
    fs.writeFileSync(path.join(own, 'node_modules/.bin/bglint'), '#!/bin/sh\necho "own bglint $*"\nexit 1\n', { mode: 0o755 });
    const run = step('lint', { BGLINT_PATHS: '.' }, own);
    expect(run.stdout).toContain('own bglint --format sarif');
    expect(run.outputs['exit-code']).toBe('1');
  });
});

test.each([
  ['true', '1', 1],
  ['true', '0', 0],
  ['false', '1', 0],
])('verdict: fail-on-findings %s, bglint exited %s: the step exits %d', (fail, exitCode, expected) => {
  const run = step('verdict', { BGLINT_FAIL_ON_FINDINGS: fail, BGLINT_EXIT_CODE: exitCode });
  expect(run.status).toBe(expected);
});

test('cache key: stable for the same lockfile and sources, changed by a lockfile change', () => {
  const first = step('cache-key').outputs.key;
  expect(first).toMatch(/^bglint-Linux-X64-node\d+-[0-9a-f]{32}$/);
  expect(step('cache-key').outputs.key).toBe(first);
  fs.appendFileSync(path.join(actionDir, 'pnpm-lock.yaml'), '\n');
  expect(step('cache-key').outputs.key).not.toBe(first);
});

test('the action never runs a package by name with npx', () => {
  for (const file of ['action.yml', 'scripts/github-action.sh']) {
    expect(fs.readFileSync(path.join(repoRoot, file), 'utf8')).not.toMatch(/\bnpx\b|npm exec|bglint@/);
  }
});
