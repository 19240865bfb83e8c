/** The pieces the project-file rules stand on: plist facts, identifier matching, constants, ObjC initializers. */
import {
  ProjectIndex, bundleKindOf, buildSettingRange, processInfoPlist, descendants, parseSource, permits, plistLocation, plistStrings, readPlistFacts, resolveString,
  withGeneratedKeys,
} from '@bglint/core';
import type { CallExpr, Expr, Language, SyntaxNode } from '@bglint/core';

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>BGTaskSchedulerPermittedIdentifiers</key>
	<array>
		<string>$(PRODUCT_BUNDLE_IDENTIFIER).refresh</string>
		<string>$(TEAM_PREFIX).cleanup</string>
	</array>
	<key>UIBackgroundModes</key>
	<array>
		<string>fetch</string>
	</array>
</dict>
</plist>
`;

function facts(settings: Record<string, string> = {}) {
  const read = readPlistFacts(xml, 'App/Info.plist', settings);
  if (!read.ok) throw new Error(read.error.message);
  return read.plist;
}

describe('plist facts', () => {
  it('expands build variables it knows and keeps the others as written', () => {
    const identifiers = plistStrings(facts({ PRODUCT_BUNDLE_IDENTIFIER: 'com.example.app' }), 'BGTaskSchedulerPermittedIdentifiers').map((e) => e.value);
    expect(identifiers).toEqual(['com.example.app.refresh', '$(TEAM_PREFIX).cleanup']);
  });

  it('locates keys and array items, and falls back to the root dict for a missing key', () => {
    const plist = facts();
    expect(plistLocation(plist, ['UIBackgroundModes', 0]).range.start).toEqual({ line: 11, column: 3 });
    expect(plistLocation(plist, ['NSBluetoothAlwaysUsageDescription']).range.start).toEqual({ line: 3, column: 1 });
  });

  it('gives a malformed plist back as an error with its line', () => {
    const read = readPlistFacts(xml.replace('</array>\n\t<key>UIBackgroundModes', '\n\t<key>UIBackgroundModes'), 'Info.plist');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error.line).toBeGreaterThan(3);
  });

  it('merges INFOPLIST_KEY_ settings: lists are united, a key the file writes wins, and the setting line is the location', () => {
    const pbxproj = 'buildSettings = {\n\tGENERATE_INFOPLIST_FILE = YES;\n\tINFOPLIST_KEY_UIBackgroundModes = "location fetch";\n\tINFOPLIST_KEY_CFBundleDisplayName = Trails;\n};\n';
    const generated = { UIBackgroundModes: 'location fetch', CFBundleDisplayName: 'Trails' };
    const merged = withGeneratedKeys(facts(), generated, 'App.xcodeproj/project.pbxproj', (key) => buildSettingRange(pbxproj, key));
    expect(plistStrings(merged, 'UIBackgroundModes').map((m) => m.value)).toEqual(['fetch', 'location']);
    expect(merged.value.CFBundleDisplayName).toBe('Trails');
    expect(plistLocation(merged, ['CFBundleDisplayName'])).toMatchObject({ file: 'App.xcodeproj/project.pbxproj', range: { start: { line: 4, column: 2 } } });
    const only = withGeneratedKeys(undefined, generated, 'App.xcodeproj/project.pbxproj');
    expect(only.format).toBe('generated');
    expect(plistStrings(only, 'UIBackgroundModes').map((m) => m.value)).toEqual(['location', 'fetch']);
  });
});

describe('permits (BGTaskSchedulerPermittedIdentifiers matching)', () => {
  it.each([
    ['com.example.refresh', 'com.example.refresh', false, true],
    ['com.example.refresh', 'com.example.refresh2', false, false],
    ['com.example.export.*', 'com.example.export.video', true, true],
    ['com.example.export.*', 'com.example.export.video', false, false],
    ['com.example.export.*', 'com.example.export.', true, false],
    ['com.example.export.*', 'com.example.exporter.video', true, false],
    ['com.example.export.*', 'com.example.export.*', false, true],
    ['$(PRODUCT_BUNDLE_IDENTIFIER).refresh', 'com.example.app.refresh', false, true],
    ['$(PRODUCT_BUNDLE_IDENTIFIER).refresh', 'com.example.app.cleanup', false, false],
  ])('%s permits %s (wildcards %s): %s', (entry, identifier, wildcards, expected) => {
    expect(permits(entry, identifier, wildcards)).toBe(expected);
  });
});

function firstArgumentOf(code: string, language: Language, callee: string): Expr {
  const parsed = parseSource(code, language);
  if (!parsed.ok) throw new Error('parse timed out');
  const call = [...descendants(parsed.file.syntax)].find((n: SyntaxNode): n is CallExpr => n.kind === 'call' && n.baseName === callee);
  if (!call) throw new Error(`no call to ${callee}`);
  return call.args[0]!.value;
}

describe('resolveString', () => {
  it.each([
    ['a literal', 'f(id: "com.x.a")', { kind: 'static', value: 'com.x.a' }],
    ['a let in the file', 'enum IDs { static let a = "com.x.a" }\nf(id: IDs.a)', { kind: 'static', value: 'com.x.a' }],
    ['a var, which may change', 'var a = "com.x.a"\nf(id: a)', { kind: 'unknown' }],
    ['a name declared twice', 'enum A { static let id = "x" }\nenum B { static let id = "y" }\nf(id: A.id)', { kind: 'unknown' }],
    ['an interpolation', 'f(id: "com.x.\\(name)")', { kind: 'dynamic' }],
    ['a UUID', 'f(id: UUID().uuidString)', { kind: 'dynamic' }],
    ['a parameter', 'func g(id: String) { f(id: id) }', { kind: 'unknown' }],
  ])('Swift: %s', (_name, code, expected) => {
    expect(resolveString(firstArgumentOf(code, 'swift', 'f'))).toEqual(expected);
  });

  it('follows an ObjC `static NSString *const` and sees through nothing else', () => {
    const code = 'static NSString *const kID = @"com.x.a";\nstatic NSString *kOther = @"com.x.b";\n@implementation A\n- (void)g { [self f:kID]; [self h:kOther]; }\n@end';
    expect(resolveString(firstArgumentOf(code, 'objc', 'f'))).toEqual({ kind: 'static', value: 'com.x.a' });
    expect(resolveString(firstArgumentOf(code, 'objc', 'h'))).toEqual({ kind: 'unknown' });
  });
});

describe('Objective-C initializers read as Swift initializers', () => {
  it('lowers [[T alloc] initWithA:b:] to T(a:b:)', () => {
    const parsed = parseSource('@implementation A\n- (void)g { x = [[CBCentralManager alloc] initWithDelegate:self queue:nil options:nil]; }\n@end', 'objc');
    const call = parsed.ok ? [...descendants(parsed.file.syntax)].find((n): n is CallExpr => n.kind === 'call') : undefined;
    expect(call?.name).toBe('CBCentralManager(delegate:queue:options:)');
    expect(call?.receiver).toBeUndefined();
  });
});

describe('ProjectIndex.implements', () => {
  it('finds a delegate method in an extension in another file, in either language', () => {
    const index = new ProjectIndex();
    index.addFile('A.swift', 'final class Scanner: NSObject {}\n', 'swift');
    index.addFile('B.swift', 'extension Scanner: CBCentralManagerDelegate {\n  func centralManager(_ central: CBCentralManager, willRestoreState dict: [String: Any]) {}\n}\n', 'swift');
    index.addFile('C.m', '@implementation Legacy\n- (void)centralManager:(CBCentralManager *)c willRestoreState:(NSDictionary *)d {\n}\n@end\n', 'objc');
    expect(index.implements('Scanner', 'centralManager(_:willRestoreState:)')).toBe(true);
    expect(index.implements('Legacy', 'centralManager(_:willRestoreState:)')).toBe(true);
    expect(index.implements('Scanner', 'centralManager(_:didConnect:)')).toBe(false);
  });
});

describe('bundleKindOf', () => {
  it.each([
    ['com.apple.product-type.application', 'app'],
    ['com.apple.product-type.application.watchapp2', 'app'],
    ['com.apple.product-type.application.watchapp2-container', 'other'],
    ['com.apple.product-type.app-extension', 'app-extension'],
    ['com.apple.product-type.extensionkit-extension', 'app-extension'],
    ['com.apple.product-type.framework', 'library'],
    ['com.apple.product-type.library.static', 'library'],
    ['com.apple.product-type.bundle.unit-test', 'tests'],
    ['com.apple.product-type.tool', 'other'],
    [undefined, 'unknown'],
  ])('%s builds a %s', (productType, kind) => {
    expect(bundleKindOf(productType)).toBe(kind);
  });
});

describe('processInfoPlist (the Info.plist the running process reads)', () => {
  const infoPlist = { file: 'Info.plist', format: 'xml' as const, value: {}, locations: {} };
  const project = { target: 'App', bundle: 'app' as const, infoPlist, entitlementsKnown: false, platforms: ['ios'] };
  it.each([
    ['an iOS app', {}, true],
    ['an app extension', { bundle: 'app-extension' as const }, true],
    ['a target found by a nearby plist', { bundle: 'unknown' as const, platforms: [] }, true],
    ['a framework', { bundle: 'library' as const }, false],
    ['a test bundle', { bundle: 'tests' as const }, false],
    ['a macOS-only app', { platforms: ['macos'] }, false],
    ['an app for iOS and macOS', { platforms: ['ios', 'macos'] }, true],
  ])('%s: %s', (_name, change, expected) => {
    expect(processInfoPlist({ ...project, ...change }) !== undefined).toBe(expected);
  });
});
