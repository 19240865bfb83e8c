/** A file compiled into several targets: checked against each, findings merged per site, targets named. */
import { ProjectFactsBuilder, defineRule, lintSource } from '@bglint/core';
import type { ProjectFacts, TargetFacet } from '@bglint/core';
import { readPlist } from '@bglint/project';
import type { TargetFacts } from '@bglint/project';

const facts = (target: string, platforms: string[]): ProjectFacts => ({ target, bundle: 'app', entitlementsKnown: false, platforms });

/** Reports every call; calls named `iosOnly` only when the target builds for iOS. */
const rule = defineRule({
  meta: {
    id: 'test-rule', severity: 'warning', since: '0', summary: '', why: '', fix: '', references: [], tags: [], precision: 'high',
    messages: { found: '{{name}} found in {{target}}.' }, examples: {}, triggers: ['everywhere'],
  },
  create: (context) => ({
    call(call) {
      if (call.baseName === 'iosOnly' && !context.project?.platforms.includes('ios')) return;
      context.report({ at: call.nameSpan, messageId: 'found', data: { name: call.baseName, target: context.project?.target ?? '?' } });
    },
  }),
});

function lint(text: string, other: TargetFacet[]) {
  return lintSource({
    file: 'Shared.swift', text, language: 'swift', rules: [{ rule, severity: 'warning', options: {} }],
    project: facts('App', ['ios']), otherTargets: other,
  }).findings;
}

describe('a file of several targets', () => {
  const text = 'func f() {\n  everywhere()\n  iosOnly()\n}\n';

  it('reports a finding every target has once, without naming targets', () => {
    const findings = lint(text, [{ target: {}, project: facts('MacApp', ['macos']) }]);
    const everywhere = findings.filter((f) => f.range.start.line === 2);
    expect(everywhere).toHaveLength(1);
    expect(everywhere[0]!.targets).toBeUndefined();
    expect(everywhere[0]!.message).toBe('everywhere found in App.');
  });

  it('names the targets a finding holds for when it does not hold for all', () => {
    const findings = lint(text, [{ target: {}, project: facts('MacApp', ['macos']) }, { target: {}, project: facts('Widget', ['ios']) }]);
    const ios = findings.filter((f) => f.range.start.line === 3);
    expect(ios).toHaveLength(1);
    expect(ios[0]!.targets).toEqual(['App', 'Widget']);
    expect(ios[0]!.message).toBe('iosOnly found in App. (targets App, Widget)');
  });

  it('fingerprints a merged finding as the single-target run does (baselines stay stable)', () => {
    const alone = lint(text, []);
    const shared = lint(text, [{ target: {}, project: facts('Widget', ['ios']) }]);
    expect(shared.map((f) => f.fingerprint)).toEqual(alone.map((f) => f.fingerprint));
  });
});

describe('the bundle kind without an Xcode product type', () => {
  const builder = new ProjectFactsBuilder({ relative: (f) => f, readText: () => undefined });
  const plist = (body: string) => readPlist(`<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`, 'Ext/Info.plist');
  const target = (body: string, source: TargetFacts['source']): TargetFacts => ({
    name: 'Ext', source, infoPlist: plist(body), swiftLanguageMode: undefined, defaultIsolation: undefined, platforms: [],
    generatesInfoPlist: false, generatedInfoPlistKeys: {}, buildSettings: {},
  });

  it('is an app extension when the Info.plist declares NSExtension', () => {
    const body = '<key>NSExtension</key>\n<dict>\n<key>NSExtensionPointIdentifier</key>\n<string>com.apple.share-services</string>\n</dict>';
    expect(builder.factsFor(target(body, 'nearest-plist')).bundle).toBe('app-extension');
    expect(builder.factsFor(target(body, 'package')).bundle).toBe('app-extension');
  });

  it('stays unknown (folder) or a library (package) without it', () => {
    expect(builder.factsFor(target('<key>CFBundleName</key>\n<string>Ext</string>', 'nearest-plist')).bundle).toBe('unknown');
    expect(builder.factsFor(target('<key>CFBundleName</key>\n<string>Ext</string>', 'package')).bundle).toBe('library');
  });
});
