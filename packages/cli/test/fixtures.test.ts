/**
 * Runs bglint over the realistic fixture projects under /fixtures and checks that the findings
 * are exactly the ones marked in the sources with a trailing `// expect: <rule-id>[, <rule-id>…]`,
 * and in Info.plist / `.entitlements` files with a trailing `<!-- expect: <rule-id> -->`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { run } from '@bglint/cli';

const repoRoot = path.resolve(__dirname, '../../..');
const SOURCE_EXTENSIONS = new Set(['.swift', '.m', '.h', '.plist', '.entitlements']);
const MARKER = /(?:\/\/|<!--)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?:-->)?\s*$/;

interface JsonMessage {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
}

interface JsonFile {
  filePath: string;
  messages: JsonMessage[];
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (SOURCE_EXTENSIONS.has(path.extname(entry.name))) files.push(full);
  }
  return files.sort();
}

function expectedFindings(dir: string): string[] {
  const expected: string[] = [];
  for (const file of sourceFiles(dir)) {
    const rel = path.relative(dir, file);
    const text = fs.readFileSync(file, 'utf8');
    if (text.startsWith('bplist')) continue;
    text
      .split(/\r?\n/)
      .forEach((line, i) => {
        const match = MARKER.exec(line);
        if (!match) return;
        for (const ruleId of match[1]!.split(',')) expected.push(`${rel}:${i + 1}:${ruleId.trim()}`);
      });
  }
  return expected.sort();
}

function lint(dir: string): { exitCode: number; files: JsonFile[]; stderr: string } {
  let out = '';
  let err = '';
  const io = {
    cwd: repoRoot,
    stdout: (text: string) => {
      out += text;
    },
    stderr: (text: string) => {
      err += text;
    },
    readStdin: () => '',
    isTTY: false,
    env: {},
  };
  const exitCode = run(['--no-config', '--format', 'json', dir], io);
  let files: JsonFile[];
  try {
    files = JSON.parse(out) as JsonFile[];
  } catch (error) {
    throw new Error(`bglint did not print JSON (exit ${exitCode}).\nstdout:\n${out}\nstderr:\n${err}`);
  }
  return { exitCode, files, stderr: err };
}

function actualFindings(dir: string, files: JsonFile[]): { keys: string[]; details: string[] } {
  const keys: string[] = [];
  const details: string[] = [];
  for (const file of files) {
    const rel = path.relative(dir, path.resolve(repoRoot, file.filePath));
    for (const message of file.messages) {
      const key = `${rel}:${message.line}:${message.ruleId}`;
      keys.push(key);
      details.push(`${key}:${message.column} ${message.message}`);
    }
  }
  return { keys: keys.sort(), details: details.sort() };
}

const fixtures: { name: string; exitCode: number }[] = [
  { name: 'BackgroundTasksApp', exitCode: 1 },
  { name: 'LegacyObjCApp', exitCode: 1 },
  { name: 'CleanApp', exitCode: 0 },
  { name: 'TrailmixApp', exitCode: 1 },
];

describe('fixture projects', () => {
  test.each(fixtures)('$name reports exactly the marked findings', ({ name, exitCode }) => {
    const dir = path.join(repoRoot, 'fixtures', name);
    const expected = expectedFindings(dir);
    const { exitCode: actualExit, files, stderr } = lint(dir);
    const actual = actualFindings(dir, files);

    const missing = expected.filter((key) => !actual.keys.includes(key));
    const unexpected = actual.keys.filter((key) => !expected.includes(key));
    if (missing.length > 0 || unexpected.length > 0) {
      throw new Error(
        [
          `Findings for fixtures/${name} differ from the // expect: markers.`,
          `missing (expected, not reported):\n  ${missing.join('\n  ') || '(none)'}`,
          `unexpected (reported, not marked):\n  ${unexpected.join('\n  ') || '(none)'}`,
          `expected:\n  ${expected.join('\n  ') || '(none)'}`,
          `actual:\n  ${actual.details.join('\n  ') || '(none)'}`,
          stderr ? `stderr:\n${stderr}` : '',
        ].join('\n'),
      );
    }
    expect(actual.keys).toEqual(expected);
    if (name !== 'CleanApp') expect(expected.length).toBeGreaterThan(0);
    expect(actualExit).toBe(exitCode);
  });
});
