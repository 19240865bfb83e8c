/**
 * bin/bglint.js runs bglint however it is reached: directly, through a link named `bglint` (npm's
 * `.bin`), or `require`d by a wrapper. Each must print the version, and a finding must exit 1.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '../bin/bglint.js');
const VERSION: string = require('../package.json').version;
const FIXTURE_APP = path.resolve(__dirname, '../../../fixtures/BackgroundTasksApp');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-entry-'));
  fs.symlinkSync(BIN, path.join(dir, 'bglint'));
  fs.writeFileSync(path.join(dir, 'wrapper.js'), `require(${JSON.stringify(BIN)});\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ways: [string, string][] = [
  ['the bin itself', BIN],
  ['a link named bglint', 'bglint'],
  ['a wrapper that requires the bin', 'wrapper.js'],
];

test.each(ways)('--version through %s', (_, script) => {
  const result = spawnSync(process.execPath, [script, '--version'], { cwd: dir, encoding: 'utf8' });
  expect(result.stdout).toBe(`${VERSION}\n`);
  expect(result.status).toBe(0);
});

test.each(ways)('findings exit 1 through %s', (_, script) => {
  const result = spawnSync(process.execPath, [script, FIXTURE_APP], { cwd: dir, encoding: 'utf8' });
  expect(result.stdout).toContain('background-task-unbalanced');
  expect(result.status).toBe(1);
});
