/**
 * A source file compiled into several targets (fixtures/TrailmixApp/Shared is in the iOS app and the
 * macOS menu-bar app) is checked against each target's facts: a finding that holds for one target
 * names it, one that holds for both is reported once.
 */
import { run } from '@bglint/cli';

interface JsonFile { filePath: string; messages: { ruleId: string; line: number; message: string }[] }

function lintJson(args: string[]): JsonFile[] {
  let out = '';
  run(['--no-config', '--format', 'json', ...args], {
    cwd: `${__dirname}/../../..`, stdout: (t) => void (out += t), stderr: () => undefined, readStdin: () => '', isTTY: false, env: {},
  });
  return JSON.parse(out) as JsonFile[];
}

describe('a file of two targets', () => {
  const shared = lintJson(['fixtures/TrailmixApp']).find((f) => f.filePath.endsWith('Shared/TMSLaunchFlags.m'))!;
  const at = (line: number) => shared.messages.filter((m) => m.line === line);

  it('names the iOS app for the finding only the iOS target has (macOS apps are never prewarmed)', () => {
    expect(at(11)).toHaveLength(1);
    expect(at(11)[0]!.message).toMatch(/\(target Trailmix\)$/);
  });

  it('reports once, naming no target, what both targets share', () => {
    expect(at(13)).toHaveLength(1);
    expect(at(13)[0]!.message).not.toMatch(/\(targets? /);
  });
});
