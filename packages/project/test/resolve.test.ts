import * as fs from 'fs';
import * as path from 'path';
import { resolveProject, type ProjectModel, type TargetFacts } from '../src';
import { FIXTURES, fixture } from './helpers';

const APP_ROOT = fixture('MultiTargetApp');

function facts(model: ProjectModel, file: string): TargetFacts {
  const found = model.targetFor(file);
  if (!found) throw new Error(`no target for ${file}`);
  return found;
}

describe('resolveProject (Xcode project)', () => {
  const model = resolveProject(APP_ROOT);

  it('reads the project without errors', () => {
    expect(model.errors).toEqual([]);
    expect(model.xcodeProjects).toHaveLength(1);
  });

  it.each([
    ['MultiTargetApp/AppDelegate.swift', 'MultiTargetApp'],
    ['MultiTargetApp/Legacy/Uploader.m', 'MultiTargetApp'],
    ['MultiTargetApp/Legacy/Uploader.h', 'MultiTargetApp'], // in no build phase: its folder's target
    ['WidgetExtension/RefreshWidget.swift', 'RefreshWidgetExtension'], // synchronized folder
    ['WidgetExtension/WidgetConstants.swift', 'MultiTargetApp'], // exception set adds it to the app
    ['MultiTargetAppTests/MultiTargetAppTests.swift', 'MultiTargetAppTests'],
  ])('%s belongs to %s', (file, target) => {
    expect(facts(model, file).name).toBe(target);
    expect(facts(model, path.join(APP_ROOT, file)).name).toBe(target);
  });

  it('resolves a file shared by the app and the widget to both, the app first', () => {
    expect(model.targetsFor('MultiTargetApp/Shared/SharedModel.swift').map((t) => t.name)).toEqual([
      'MultiTargetApp',
      'RefreshWidgetExtension',
    ]);
  });

  it('gives the app its Info.plist, Release entitlements, Swift 6 and MainActor isolation', () => {
    const app = facts(model, 'MultiTargetApp/AppDelegate.swift');
    expect(app).toMatchObject({
      source: 'xcodeproj',
      productType: 'com.apple.product-type.application',
      swiftLanguageMode: 6,
      defaultIsolation: 'MainActor',
      platforms: ['ios'],
      bundleId: 'com.example.MultiTargetApp',
      generatesInfoPlist: false,
    });
    expect(app.infoPlist?.file).toBe(path.join(APP_ROOT, 'MultiTargetApp', 'Info.plist'));
    expect(app.entitlements?.file).toBe(path.join(APP_ROOT, 'MultiTargetApp', 'MultiTargetApp.entitlements'));
    const plist = app.infoPlist;
    expect(plist?.ok && plist.locate('BGTaskSchedulerPermittedIdentifiers')?.line).toBe(5);
  });

  it('gives the widget Swift 5, its generated keys and its own Info.plist', () => {
    const widget = facts(model, 'WidgetExtension/RefreshWidgetBundle.swift');
    expect(widget).toMatchObject({
      name: 'RefreshWidgetExtension',
      swiftLanguageMode: 5,
      defaultIsolation: undefined,
      generatesInfoPlist: true,
      generatedInfoPlistKeys: { CFBundleDisplayName: 'Refresh Widget' },
      entitlements: undefined,
    });
    expect(widget.infoPlist?.ok && widget.infoPlist.value).toEqual({
      NSExtension: { NSExtensionPointIdentifier: 'com.apple.widgetkit-extension' },
    });
  });

  it('does not give the widget a file its exception set removes', () => {
    expect(model.targetsFor('WidgetExtension/Preview Content/PreviewData.swift').map((t) => t.source)).not.toContain('xcodeproj');
  });

  it('falls back to the nearest Info.plist outside any target', () => {
    const tool = facts(model, 'Tools/Helper/helper.swift');
    expect(tool).toMatchObject({ name: 'Tools', source: 'nearest-plist', swiftLanguageMode: undefined, entitlements: undefined });
    expect(tool.infoPlist?.ok && tool.infoPlist.value).toEqual({ UIBackgroundModes: ['bluetooth-central'] });
  });

  it('lists every Info.plist and entitlements file', () => {
    const relative = (docs: { file: string }[]) => docs.map((d) => path.relative(APP_ROOT, d.file)).sort();
    expect(relative(model.allPlists())).toEqual(['MultiTargetApp/Info.plist', 'Tools/Info.plist', 'WidgetExtension/Info.plist']);
    expect(relative(model.allEntitlements())).toEqual([
      'MultiTargetApp/MultiTargetApp-Debug.entitlements',
      'MultiTargetApp/MultiTargetApp.entitlements',
    ]);
  });
});

describe('resolveProject (Swift package)', () => {
  const model = resolveProject(fixture('SwiftPackage'));

  it.each([
    ['Sources/Core/Core.swift', 'Core', 6, 'MainActor'],
    ['Sources/OldStuff/Old.swift', 'Legacy', 5, undefined],
    ['Sources/UIBits/Bits.swift', 'UIBits', 6, 'MainActor'],
    ['Tests/CoreTests/CoreTests.swift', 'CoreTests', 6, undefined],
  ])('%s belongs to %s (Swift %i, %s)', (file, name, mode, isolation) => {
    expect(facts(model, file)).toMatchObject({
      name,
      source: 'package',
      swiftLanguageMode: mode,
      defaultIsolation: isolation,
      platforms: ['ios', 'macos'],
    });
  });
});

describe('resolveProject (whole fixture tree, injected file system)', () => {
  it('serves unsaved buffers through readFile', () => {
    const infoPlist = path.join(APP_ROOT, 'MultiTargetApp', 'Info.plist');
    const unsaved = '<plist><dict><key>UIBackgroundModes</key><array><string>audio</string></array></dict></plist>';
    const model = resolveProject(APP_ROOT, {
      fs: { readFile: (file) => (file === infoPlist ? unsaved : readOrUndefined(file)) },
    });
    const plist = facts(model, 'MultiTargetApp/AppDelegate.swift').infoPlist;
    expect(plist?.ok && plist.value).toEqual({ UIBackgroundModes: ['audio'] });
  });

  it('takes project files from a given file list instead of listing folders', () => {
    const files = ['SwiftPackage/Package.swift', 'node_modules/dep/Package.swift'];
    const model = resolveProject(FIXTURES, { files });
    expect(model.packages.map((p) => path.relative(FIXTURES, p.file))).toEqual(['SwiftPackage/Package.swift']);
    expect(facts(model, 'SwiftPackage/Sources/Core/Core.swift').name).toBe('Core');
  });

  it("reads a package target's own Info.plist (an extension declares NSExtension there)", () => {
    const plist = path.join(FIXTURES, 'SwiftPackage', 'Sources', 'UIBits', 'Info.plist');
    const text = '<plist><dict><key>NSExtension</key><dict><key>NSExtensionPointIdentifier</key><string>com.apple.share-services</string></dict></dict></plist>';
    const files = ['SwiftPackage/Package.swift', 'SwiftPackage/Sources/UIBits/Info.plist', 'SwiftPackage/Sources/UIBits/Bits.swift'];
    const model = resolveProject(FIXTURES, { files, fs: { readFile: (file) => (file === plist ? text : readOrUndefined(file)) } });
    const info = facts(model, 'SwiftPackage/Sources/UIBits/Bits.swift').infoPlist;
    expect(info?.ok && Object.keys(info.value)).toEqual(['NSExtension']);
    expect(facts(model, 'SwiftPackage/Sources/Core/Core.swift').infoPlist).toBeUndefined();
  });

  it('reports malformed project files as data errors with their line', () => {
    const model = resolveProject(FIXTURES);
    const unclosed = model.errors.find((e) => e.file.endsWith('Unclosed.plist'));
    expect(unclosed).toBeUndefined(); // not an Info.plist or entitlements: never read
    const broken = resolveProject(APP_ROOT, {
      fs: {
        readFile: (file) =>
          file.endsWith('.entitlements') ? '<plist>\n<dict>\n<key>a</key>\n' : readOrUndefined(file),
      },
    });
    expect(broken.errors).toContainEqual({
      file: path.join(APP_ROOT, 'MultiTargetApp', 'MultiTargetApp.entitlements'),
      message: 'unclosed <dict> opened on line 2',
      line: 4,
      column: 1,
    });
  });

  it('reports a malformed project.pbxproj instead of throwing', () => {
    const pbxproj = path.join(APP_ROOT, 'MultiTargetApp.xcodeproj', 'project.pbxproj');
    const model = resolveProject(APP_ROOT, {
      fs: { readFile: (file) => (file === pbxproj ? '{\n  objects = {\n' : readOrUndefined(file)) },
    });
    expect(model.errors).toEqual([{ file: pbxproj, message: 'unclosed "{" opened on line 2', line: 3, column: 1 }]);
    expect(facts(model, 'Tools/Helper/helper.swift').source).toBe('nearest-plist');
  });
});

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
