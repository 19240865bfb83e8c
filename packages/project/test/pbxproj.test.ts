import * as fs from 'fs';
import * as path from 'path';
import { parseOpenStep, parsePbxproj, type XcodeProject, type XcodeTarget } from '../src';
import { fixture } from './helpers';

const PBXPROJ = fixture('MultiTargetApp', 'MultiTargetApp.xcodeproj', 'project.pbxproj');

function project(): XcodeProject {
  const result = parsePbxproj(fs.readFileSync(PBXPROJ), PBXPROJ);
  if (!result.ok) throw new Error(result.error.message);
  return result.project;
}

function target(name: string): XcodeTarget {
  const found = project().targets.find((t) => t.name === name);
  if (!found) throw new Error(`no target ${name}`);
  return found;
}

describe('parseOpenStep', () => {
  it('reads dicts, arrays, quoted strings with escapes and comments', () => {
    const text = `// !$*UTF8*$!
{
  a = "x \\"y\\"\\n\\U00e9"; /* comment */
  b = ( one, "two", /* skip */ three, );
  c = { d = $(SRCROOT)/Info.plist; e = <0fa1>; };
  "quoted key" = 'single';
}`;
    expect(parseOpenStep(text)).toEqual({
      ok: true,
      value: { a: 'x "y"\né', b: ['one', 'two', 'three'], c: { d: '$(SRCROOT)/Info.plist', e: '<0fa1>' }, 'quoted key': 'single' },
    });
  });

  it.each([
    ['{\n  a = b\n}', 'expected ";" after the value of key "a", found "}"', 3],
    ['{\n  a = (x, y;\n}', 'expected "," or ")" in the array opened on line 2, found ";"', 2],
    ['{\n  a = {\n    b = c;\n', 'unclosed "{" opened on line 2', 4],
    ['{\n  a = "open;\n}', 'unterminated string opened on line 2', 2],
    ['{ a b; }', 'expected "=" after key "a", found "b"', 1],
    ['{ = b; }', 'expected a key or "}" in the dictionary opened on line 1, found "="', 1],
    ['{ a = b; } extra', 'unexpected "extra" after the end of the file\'s value', 1],
    ['', 'empty file', 1],
  ])('reports %j as %j on line %i', (text, message, line) => {
    expect(parseOpenStep(text)).toMatchObject({ ok: false, error: { message, line } });
  });

  it('parses deeply nested input without recursion', () => {
    const depth = 100000;
    const result = parseOpenStep('('.repeat(depth) + ')'.repeat(depth));
    expect(result.ok).toBe(true);
  });
});

describe('parsePbxproj', () => {
  it('lists the native targets with their product types', () => {
    expect(project().targets.map((t) => [t.name, t.productType])).toEqual([
      ['MultiTargetApp', 'com.apple.product-type.application'],
      ['RefreshWidgetExtension', 'com.apple.product-type.app-extension'],
      ['MultiTargetAppTests', 'com.apple.product-type.bundle.unit-test'],
    ]);
  });

  it('resolves source files through groups, SOURCE_ROOT and build phases', () => {
    expect(target('MultiTargetApp').sourceFiles).toEqual([
      'MultiTargetApp/AppDelegate.swift',
      'MultiTargetApp/ContentView.swift',
      'MultiTargetApp/Legacy/Uploader.m',
      'MultiTargetApp/Shared/SharedModel.swift',
      // added to the app by the synchronized folder's exception set
      'WidgetExtension/WidgetConstants.swift',
    ]);
    expect(target('RefreshWidgetExtension').sourceFiles).toEqual(['MultiTargetApp/Shared/SharedModel.swift']);
    expect(target('MultiTargetAppTests').sourceFiles).toEqual(['MultiTargetAppTests/MultiTargetAppTests.swift']);
  });

  it('reads synchronized folders and their membership exceptions', () => {
    expect(target('RefreshWidgetExtension').synchronizedFolders).toEqual([
      { path: 'WidgetExtension', exceptions: ['Info.plist', 'Preview Content/PreviewData.swift'] },
    ]);
  });

  it('summarizes the settings bglint needs, Release winning over Debug', () => {
    const app = target('MultiTargetApp');
    expect(app.defaultConfiguration).toBe('Release');
    expect(app.settings).toMatchObject({
      infoPlistFile: 'MultiTargetApp/Info.plist',
      entitlementsFile: 'MultiTargetApp/MultiTargetApp.entitlements',
      swiftVersion: '6.0',
      swiftLanguageMode: 6,
      defaultIsolation: 'MainActor',
      bundleId: 'com.example.MultiTargetApp',
      generateInfoPlist: false,
      platforms: ['ios'],
    });
    expect(app.configurations.Debug.CODE_SIGN_ENTITLEMENTS).toBe('MultiTargetApp/MultiTargetApp-Debug.entitlements');
  });

  it('exposes generated Info.plist keys and inherits project settings', () => {
    const widget = target('RefreshWidgetExtension');
    expect(widget.settings).toMatchObject({
      generateInfoPlist: true,
      infoPlistFile: 'WidgetExtension/Info.plist',
      generatedInfoPlistKeys: { CFBundleDisplayName: 'Refresh Widget', NSHumanReadableCopyright: '' },
      swiftLanguageMode: 5,
      defaultIsolation: undefined,
      sdkRoot: 'iphoneos',
      platforms: ['ios'],
    });
    const tests = target('MultiTargetAppTests');
    expect(tests.settings.swiftVersion).toBe('5.0');
    expect(tests.buildSettings.SDKROOT).toBe('iphoneos');
  });

  it('expands $(inherited) with the project value', () => {
    expect(target('MultiTargetApp').configurations.Debug.SWIFT_ACTIVE_COMPILATION_CONDITIONS).toBe('DEBUG');
    expect(target('MultiTargetApp').configurations.Debug.LD_RUNPATH_SEARCH_PATHS).toBe('@executable_path/Frameworks');
  });

  it('reports a malformed project with its line instead of throwing', () => {
    const text = fs.readFileSync(PBXPROJ, 'utf8').replace('isa = PBXGroup;\n\t\t\tchildren', 'isa = PBXGroup\n\t\t\tchildren');
    const result = parsePbxproj(text, PBXPROJ);
    expect(result).toMatchObject({ ok: false, error: { message: 'expected ";" after the value of key "isa", found "children"' } });
    if (!result.ok) expect(result.error.line).toBe(text.split('\n').findIndex((l) => /^\t\t\tchildren/.test(l)) + 1);
  });

  it('reports a pbxproj without objects', () => {
    expect(parsePbxproj('{ archiveVersion = 1; }', 'x.xcodeproj/project.pbxproj')).toMatchObject({
      ok: false,
      error: { message: 'project.pbxproj has no "objects" dictionary' },
    });
  });

  it('layers .xcconfig files under the target settings, following #include', () => {
    const text = fs
      .readFileSync(PBXPROJ, 'utf8')
      .replace(
        'AE0000000000000000000006 /* Release */ = {\n\t\t\tisa = XCBuildConfiguration;',
        'AE0000000000000000000006 /* Release */ = {\n\t\t\tisa = XCBuildConfiguration;\n' +
          '\t\t\tbaseConfigurationReferenceAnchor = A60000000000000000000001 /* WidgetExtension */;\n' +
          '\t\t\tbaseConfigurationReferenceRelativePath = Config/Widget.xcconfig;',
      );
    const files: Record<string, string> = {
      'WidgetExtension/Config/Widget.xcconfig': [
        '#include "Shared.xcconfig"',
        'SWIFT_VERSION = 6.0 // the target setting (5.0) wins',
        'SWIFT_DEFAULT_ACTOR_ISOLATION = MainActor;',
        'OTHER_SWIFT_FLAGS = $(inherited) -DWIDGET',
      ].join('\n'),
      'WidgetExtension/Config/Shared.xcconfig': '#include "Widget.xcconfig"\nSUPPORTS_MACCATALYST = YES\nOTHER_SWIFT_FLAGS = -DSHARED\n',
    };
    const projectDir = fixture('MultiTargetApp');
    const readFile = (file: string) => files[path.relative(projectDir, file)];
    const result = parsePbxproj(text, PBXPROJ, { readFile });
    if (!result.ok) throw new Error(result.error.message);
    const widget = result.project.targets.find((t) => t.name === 'RefreshWidgetExtension') as XcodeTarget;
    expect(widget.settings).toMatchObject({ swiftLanguageMode: 5, defaultIsolation: 'MainActor', platforms: ['ios', 'maccatalyst'] });
    expect(widget.buildSettings.OTHER_SWIFT_FLAGS).toBe('-DSHARED -DWIDGET');
    expect(widget.configurations.Debug.SWIFT_DEFAULT_ACTOR_ISOLATION).toBeUndefined();
  });
});
