import * as fs from 'fs';
import { readPlist, type PlistDocument, type PlistOk } from '../src';
import { fixture } from './helpers';

function ok(document: PlistDocument): PlistOk {
  if (!document.ok) throw new Error(`expected a valid plist, got: ${document.error.message}`);
  return document;
}

function read(...parts: string[]): PlistDocument {
  const file = fixture(...parts);
  return readPlist(fs.readFileSync(file), file);
}

describe('readPlist (XML)', () => {
  const info = ok(read('MultiTargetApp', 'MultiTargetApp', 'Info.plist'));

  it('decodes every value type', () => {
    expect(info.format).toBe('xml');
    expect(info.value).toMatchObject({
      BGTaskSchedulerPermittedIdentifiers: [
        '$(PRODUCT_BUNDLE_IDENTIFIER).refresh',
        'com.example.MultiTargetApp.cleanup',
        'com.example.MultiTargetApp.export.*',
      ],
      CFBundleDisplayName: 'Multi & Target',
      LSRequiresIPhoneOS: true,
      UIApplicationSceneManifest: { UIApplicationSupportsMultipleScenes: false },
      UIBackgroundModes: ['fetch', 'processing', 'location'],
      UILaunchScreen: {},
      BuildNumber: 42,
      Rating: 4.5,
      ReleaseDate: new Date('2024-06-10T17:00:00Z'),
      Token: Uint8Array.from([1, 2, 3]),
    });
  });

  it('locates the <key> of a top-level entry', () => {
    expect(info.locate('BGTaskSchedulerPermittedIdentifiers')).toMatchObject({ line: 5, column: 2 });
    expect(info.locate('UIBackgroundModes')).toMatchObject({ line: 26, column: 2, endLine: 26, endColumn: 30 });
  });

  it('locates array items and nested keys', () => {
    expect(info.locate('BGTaskSchedulerPermittedIdentifiers[2]')).toMatchObject({ line: 9, column: 3 });
    expect(info.locate('UIBackgroundModes[2]')).toMatchObject({ line: 30, column: 3 });
    expect(info.locate('UIApplicationSceneManifest.UIApplicationSupportsMultipleScenes')).toMatchObject({ line: 23, column: 3 });
    expect(info.locate(['UIBackgroundModes', 0])).toMatchObject({ line: 28 });
  });

  it('answers undefined for paths that do not exist', () => {
    expect(info.locate('NSExtension')).toBeUndefined();
    expect(info.locate('UIBackgroundModes[7]')).toBeUndefined();
    expect(info.locate('UIBackgroundModes.fetch')).toBeUndefined();
  });

  it('locates entitlement keys that contain dots', () => {
    const entitlements = ok(read('MultiTargetApp', 'MultiTargetApp', 'MultiTargetApp.entitlements'));
    expect(entitlements.locate('com.apple.security.temporary-exception.apple-events')).toMatchObject({ line: 9, column: 2 });
    expect(entitlements.locate('com.apple.security.temporary-exception.apple-events[0]')).toMatchObject({ line: 11 });
    expect(entitlements.value).toMatchObject({ 'com.apple.developer.background-tasks.continued-processing.gpu': true });
  });

  it('counts columns in UTF-16 code units and accepts CRLF', () => {
    const text = '<plist>\r\n<dict><key>😀</key><string>a</string><key>b</key><true/></dict>\r\n</plist>';
    const doc = ok(readPlist(text, 'emoji.plist'));
    expect(doc.locate('😀')).toMatchObject({ line: 2, column: 7 });
    // the emoji is two UTF-16 code units: "b" starts at column 38, not 37
    expect(doc.locate('b')).toMatchObject({ line: 2, column: 38 });
  });

  it('keeps __proto__ as an ordinary key', () => {
    const doc = ok(readPlist('<plist><dict><key>__proto__</key><string>x</string></dict></plist>', 'p.plist'));
    expect(Object.keys(doc.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('readPlist (binary)', () => {
  it('decodes a bplist00 file to the same value as its XML source', () => {
    const binary = ok(read('plists', 'Info-binary.plist'));
    const xml = ok(read('MultiTargetApp', 'MultiTargetApp', 'Info.plist'));
    expect(binary.format).toBe('binary');
    expect(binary.value).toEqual(xml.value);
  });

  it('answers line 1 for existing paths of a binary plist', () => {
    const binary = ok(read('plists', 'Info-binary.plist'));
    expect(binary.locate('UIBackgroundModes[1]')).toEqual({ line: 1, column: 1 });
    expect(binary.locate('Missing')).toBeUndefined();
  });

  it('reports a truncated binary plist instead of throwing', () => {
    const bytes = fs.readFileSync(fixture('plists', 'Info-binary.plist'));
    const doc = readPlist(bytes.subarray(0, bytes.length - 40), 'cut.plist');
    expect(doc.ok).toBe(false);
    if (!doc.ok) expect(doc.error.message).toMatch(/^malformed binary plist/);
  });
});

describe('readPlist (malformed)', () => {
  function error(document: PlistDocument) {
    if (document.ok) throw new Error('expected a failure');
    return document.error;
  }

  it('names the line of an unclosed <dict>', () => {
    expect(error(read('plists', 'Unclosed.plist'))).toEqual({
      message: 'unclosed <dict> opened on line 4 (found </plist>)',
      line: 9,
      column: 1,
    });
  });

  it('names a value where a <key> was expected', () => {
    expect(error(read('plists', 'MissingKey.plist'))).toMatchObject({
      message: 'expected <key> inside <dict> opened on line 3, found <string>',
      line: 8,
      column: 2,
    });
  });

  it('rejects old-style plists with a clear message', () => {
    expect(error(read('plists', 'OpenStep.plist')).message).toMatch(/OpenStep.*not supported/);
  });

  it.each([
    ['', 'empty file'],
    ['<plist><dict><key>a</key></dict></plist>', 'missing value for key "a" on line 1'],
    ['<plist><dict><key>a</key><integer>x1</integer></dict></plist>', 'invalid <integer> "x1"'],
    ['<plist><dict><key>a</key><string>&nbsp;</string></dict></plist>', 'unknown entity "&nbsp;"'],
    ['<plist><dict><key>a</key><strin>x</strin></dict></plist>', 'unknown element <strin>'],
    ['<plist><array><string>x</array></plist>', 'unclosed <string> opened on line 1 (found </array>)'],
    ['<plist><dict>\n<key>a</key>\n<string>x</string>', 'unclosed <dict> opened on line 1'],
    ['<plist><string>a</string><string>b</string></plist>', 'more than one value inside <plist> opened on line 1'],
    ['<plist><dict><key>a</key><string>x<string></dict></plist>', 'unexpected <string> inside <string> opened on line 1'],
    ['<plist><dict><key>a</key></plist>', 'unclosed <dict> opened on line 1 (found </plist>)'],
    ['<plist><dict', 'unterminated <dict> tag'],
    ['bplist00', 'binary plist passed as text; pass the file bytes as a Buffer'],
  ])('%j fails with %j', (text, message) => {
    const result = error(readPlist(text, 'bad.plist'));
    expect(result.message).toBe(message);
    expect(result.line).toBeGreaterThanOrEqual(1);
  });
});
