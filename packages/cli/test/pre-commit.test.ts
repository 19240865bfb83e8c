/**
 * The pre-commit framework, for real: a scratch git repository whose .pre-commit-config.yaml points
 * at this repository's committed HEAD, so pre-commit clones it, runs the hook's first-run install
 * and then bglint on the staged files. Debian's `pre-commit` package provides the command; .ci/run
 * installs it, and under CI=true a missing command is a failure, not a skip.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
const describeWithPreCommit = hasPreCommit || process.env.CI === 'true' ? describe : describe.skip;

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 280_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describeWithPreCommit('the pre-commit hook', () => {
  // Reused between local runs so only the first one pays for the hook's install.
  const preCommitHome = path.join(repoRoot, 'node_modules/.cache/bglint-pre-commit-test');
  let userRepo: string;

  beforeAll(() => {
    expect(hasPreCommit).toBe(true); // under CI=true, a missing pre-commit fails here
    userRepo = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-pre-commit-'));
    fs.cpSync(path.join(repoRoot, 'fixtures/LegacyObjCApp'), path.join(userRepo, 'LegacyObjCApp'), { recursive: true });
    fs.cpSync(path.join(repoRoot, 'fixtures/CleanApp'), path.join(userRepo, 'CleanApp'), { recursive: true });
    const rev = sh('git', ['rev-parse', 'HEAD'], repoRoot).output.trim();
    fs.writeFileSync(path.join(userRepo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${repoRoot}\n    rev: ${rev}\n    hooks:\n      - id: bglint\n`);
    sh('git', ['init', '-q'], userRepo);
  });

  // The run leaves nothing in the temp folder.
  afterAll(() => {
    if (userRepo) fs.rmSync(userRepo, { recursive: true, force: true });
  });

  it('stops a commit that stages a file with findings, and names them', () => {
    sh('git', ['add', '.pre-commit-config.yaml', 'LegacyObjCApp'], userRepo);
    const run = sh('pre-commit', ['run', 'bglint'], userRepo, { PRE_COMMIT_HOME: preCommitHome });
    expect(run.output).toContain('LegacyObjCApp/AppDelegate.m');
    expect(run.output).toContain('background-task-deferred-end');
    expect(run.output).toMatch(/bglint\.+Failed/);
    expect(run.status).toBe(1);
  }, 300_000);

  it('runs bglint bundled as the npm package is, which starts sooner than the workspace', () => {
    const rev = sh('git', ['rev-parse', 'HEAD'], repoRoot).output.trim();
    const clones = fs.readdirSync(preCommitHome).map((name) => path.join(preCommitHome, name))
      .filter((dir) => fs.existsSync(path.join(dir, '.pre-commit-hooks.yaml')) && sh('git', ['rev-parse', 'HEAD'], dir).output.trim() === rev);
    expect(clones).toHaveLength(1);
    expect(fs.existsSync(path.join(clones[0]!, 'packages/bglint/dist/cli.js'))).toBe(true);
    const hook = sh('sh', [path.join(clones[0]!, 'scripts/pre-commit-hook.sh'), '--version'], userRepo, { BGLINT_DEBUG_COMPILE_CACHE: '1' });
    expect(hook.status).toBe(0);
    expect(hook.output).toContain('compile cache'); // only the bundle's bin loads through it
  }, 300_000);

  it('lets a clean change through', () => {
    sh('git', ['reset', '-q'], userRepo);
    sh('git', ['add', '.pre-commit-config.yaml', 'CleanApp'], userRepo);
    const run = sh('pre-commit', ['run', 'bglint'], userRepo, { PRE_COMMIT_HOME: preCommitHome });
    expect(run.output).toMatch(/bglint\.+Passed/);
    expect(run.status).toBe(0);
  }, 300_000);
});
