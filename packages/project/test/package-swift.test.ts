import * as fs from 'fs';
import { parsePackageSwift } from '../src';
import { fixture } from './helpers';

describe('parsePackageSwift', () => {
  const parsed = parsePackageSwift(fs.readFileSync(fixture('SwiftPackage', 'Package.swift')));

  it('reads the tools version, language modes and platforms', () => {
    expect(parsed.toolsVersion).toBe('6.0');
    expect(parsed.swiftLanguageModes).toEqual([6]);
    expect(parsed.platforms).toEqual(['ios', 'macos']);
  });

  it('reads each target with its path, language mode and default isolation', () => {
    expect(parsed.targets).toEqual([
      { name: 'Core', kind: 'target', path: 'Sources/Core', swiftLanguageMode: 6, effectiveSwiftLanguageMode: 6, defaultIsolation: 'MainActor' },
      { name: 'Legacy', kind: 'target', path: 'Sources/OldStuff', swiftLanguageMode: 5, effectiveSwiftLanguageMode: 5, defaultIsolation: undefined },
      { name: 'UIBits', kind: 'target', path: 'Sources/UIBits', effectiveSwiftLanguageMode: 6, defaultIsolation: 'MainActor' },
      { name: 'CoreTests', kind: 'testTarget', path: 'Tests/CoreTests', effectiveSwiftLanguageMode: 6, defaultIsolation: undefined },
    ]);
  });

  it('takes the language mode from the tools version when nothing else says', () => {
    const text = '// swift-tools-version: 5.9\nimport PackageDescription\nlet package = Package(name: "P", targets: [.executableTarget(name: "Tool")])\n';
    expect(parsePackageSwift(text)).toEqual({
      toolsVersion: '5.9',
      swiftLanguageModes: [],
      platforms: [],
      targets: [{ name: 'Tool', kind: 'executableTarget', path: 'Sources/Tool', effectiveSwiftLanguageMode: 5, defaultIsolation: undefined }],
    });
  });

  it('applies settings from a loop over package.targets, and reads .defaultIsolation(nil)', () => {
    const text = `// swift-tools-version:6.2
let package = Package(name: "P", targets: [.target(name: "A"), .target(name: "B", swiftSettings: [.defaultIsolation(nil)])])
for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [.defaultIsolation(MainActor.self), .swiftLanguageMode(.v5)]
}`;
    expect(parsePackageSwift(text).targets.map((t) => [t.name, t.defaultIsolation, t.effectiveSwiftLanguageMode])).toEqual([
      ['A', 'MainActor', 5],
      ['B', 'nonisolated', 5],
    ]);
  });

  it('ignores targets inside comments and strings', () => {
    const text = '// swift-tools-version:6.0\n/* .target(name: "X") */\nlet s = ".target(name: \\"Y\\")"\nlet package = Package(name: "P", targets: [])';
    expect(parsePackageSwift(text).targets).toEqual([]);
  });
});
