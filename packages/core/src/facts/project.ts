/**
 * What the project files say about the target a source file belongs to, as rules read it: the
 * effective Info.plist, the entitlements and the platforms. Plain data (it crosses worker threads and
 * reaches the language server), filled by the CLI from `@bglint/project`. Absent facts mean
 * "not known": rules that need them stay silent rather than guess.
 */
import type { PlistValue } from '@bglint/project';
import type { Range } from '../types';

export type { PlistValue };
export type PlistDictValue = { [key: string]: PlistValue };

/** A property list with the place each top-level key and each item of a top-level array is written. */
export interface PlistFacts {
  /** The file as findings name it (relative to the run's root). */
  file: string;
  /** `generated`: no Info.plist file, only `INFOPLIST_KEY_*` build settings (then `file` is the project file). */
  format: 'xml' | 'binary' | 'generated';
  value: PlistDictValue;
  /** Keyed by `plistPathKey` (`''` is the root `<dict>`); binary plists have none (findings then point at the file's first line). */
  locations: Record<string, { file: string; range: Range }>;
}

/**
 * What the target builds: an `app` or `app-extension` runs as its own process with its own Info.plist
 * and entitlements; a `library` (framework, static library, package) runs inside whichever app links
 * it, so its own plist says nothing about the process; `unknown` when only a nearby plist was found.
 */
export type BundleKind = 'app' | 'app-extension' | 'library' | 'tests' | 'other' | 'unknown';

export interface ProjectFacts {
  /** The target's name (`MyApp`, `MyWidgetExtension`). */
  target: string;
  bundle: BundleKind;
  /** The effective Info.plist: the file's keys plus the `INFOPLIST_KEY_*` keys Xcode generates. Absent when unknown. */
  infoPlist?: PlistFacts;
  /** The target's entitlements. Absent when the target has none or they are unknown (see `entitlementsKnown`). */
  entitlements?: PlistFacts;
  /**
   * True when a missing `entitlements` is a fact (an Xcode target without `CODE_SIGN_ENTITLEMENTS`),
   * false when it only means none was found (a plist found by walking up the folders, a package).
   */
  entitlementsKnown: boolean;
  /** The project.pbxproj or Package.swift declaring the target, for findings about build settings. */
  projectFile?: string;
  /** `ios`, `macos`, `maccatalyst`, `tvos`, `watchos`, `visionos`. Empty when unknown. */
  platforms: string[];
}

export type PlistPathSegment = string | number;

export function plistPathKey(path: readonly PlistPathSegment[]): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : `/${s}`)).join('');
}

/**
 * Where a key (or an array item) is written; for a missing key, its parent or the root `<dict>`;
 * the file's first line when nothing is known (binary plists).
 */
export function plistLocation(plist: PlistFacts, path: readonly PlistPathSegment[]): { file: string; range: Range } {
  for (let n = path.length; n >= 0; n--) {
    const at = plist.locations[plistPathKey(path.slice(0, n))];
    if (at) return at;
  }
  return { file: plist.file, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
}

export function plistString(plist: PlistFacts | undefined, key: string): string | undefined {
  const value = plist?.value[key];
  return typeof value === 'string' ? value : undefined;
}

/** The strings of an array-valued key (`UIBackgroundModes`), with each item's index. */
export function plistStrings(plist: PlistFacts | undefined, key: string): { value: string; index: number }[] {
  const value = plist?.value[key];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index) => (typeof item === 'string' ? [{ value: item, index }] : []));
}

export function plistBoolean(plist: PlistFacts | undefined, key: string): boolean | undefined {
  const value = plist?.value[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** Does `UIBackgroundModes` list `mode` (`fetch`, `processing`, `location`, `bluetooth-central`)? */
export function hasBackgroundMode(infoPlist: PlistFacts, mode: string): boolean {
  return plistStrings(infoPlist, 'UIBackgroundModes').some((m) => m.value === mode);
}

/** A related location at the key (or the plist file when the key is absent), for reports. */
export function relatedAtKey(plist: PlistFacts, path: readonly PlistPathSegment[], message: string) {
  return { ...plistLocation(plist, path), message };
}

/** How messages name a plist: its path, or the build settings Xcode generates it from. */
export function plistName(plist: PlistFacts): string {
  return plist.format === 'generated' ? `the Info.plist generated from the INFOPLIST_KEY_ settings in ${plist.file}` : plist.file;
}

/**
 * Does the code run in a process whose own Info.plist and entitlements these are, on a platform with
 * UIKit's background model (`UIBackgroundModes`, BGTaskScheduler)? A macOS-only target is not: a
 * file it shares with an iOS app is checked against the iOS app only when that target comes first.
 */
export function runsWithOwnPlist(project: ProjectFacts | undefined): project is ProjectFacts {
  if (project === undefined || !(project.bundle === 'app' || project.bundle === 'app-extension' || project.bundle === 'unknown')) return false;
  return project.platforms.length === 0 || project.platforms.some((p) => p !== 'macos');
}

/** The Info.plist the running process reads, when the code's target is an app or extension and the plist is known. */
export function processInfoPlist(project: ProjectFacts | undefined): PlistFacts | undefined {
  return runsWithOwnPlist(project) ? project.infoPlist : undefined;
}

/** The kind of bundle an Xcode product type builds. */
export function bundleKindOf(productType: string | undefined): BundleKind {
  if (!productType) return 'unknown';
  const type = productType.replace('com.apple.product-type.', '');
  if (/^application(\.|$)/.test(type) && !type.includes('container')) return 'app';
  if (/extension|xpc-service/.test(type)) return 'app-extension';
  if (/^(framework|library|bundle$)/.test(type)) return 'library';
  if (/test/.test(type)) return 'tests';
  return 'other';
}
