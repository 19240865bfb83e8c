/**
 * A security rule's SARIF as GitHub code scanning reads it: the rule carries the `security` tag and a
 * `security-severity` score (which put its alerts in the security view, ranked by that score), and
 * the log passes the Multitool's SARIF and GitHub rules.
 */
import { run } from '@bglint/cli';
import { multitoolPath, validateSarif } from '../../formatters/test/sarif-validator';

const withValidator = multitoolPath() !== undefined || process.env.CI === 'true' ? it : it.skip;

function sarifOf(dir: string): string {
  let out = '';
  run(['--no-config', '--format', 'sarif', '--sarif-category', 'bglint/helper/', dir], {
    cwd: `${__dirname}/../../..`, stdout: (t) => void (out += t), stderr: () => undefined, readStdin: () => '', isTTY: false, env: {},
  });
  return out;
}

describe('xpc-unvalidated-peer in SARIF', () => {
  const text = sarifOf('fixtures/TrailmixApp/TrailmixHelper');
  const log = JSON.parse(text);
  const rules: { id: string; properties: Record<string, unknown> }[] = log.runs[0].tool.driver.rules;

  it('is a security rule with a security-severity of 7.5', () => {
    const rule = rules.find((r) => r.id === 'xpc-unvalidated-peer');
    expect(rule?.properties['security-severity']).toBe('7.5');
    expect(rule?.properties.tags).toContain('security');
    expect(log.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'xpc-unvalidated-peer')).toHaveLength(2);
  });

  withValidator('passes the Multitool with GitHub rules', () => {
    const { errors, warnings } = validateSarif(text);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe('xpc-unvalidated-peer on one file', () => {
  it('knows the Mach-service listener made in another file of the project (a pre-commit run)', () => {
    const log = JSON.parse(sarifOf('fixtures/TrailmixApp/TrailmixHelper/HelperListenerDelegate.swift'));
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['xpc-unvalidated-peer']);
  });
});
