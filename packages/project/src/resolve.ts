import * as path from 'path';
import type { BuildSettings } from './build-variables';
import { classify, nodeFileSystem, walkProjectFiles, withoutSkipped, type ProjectFileSystem } from './discover';
import { parsePackageSwift, type SwiftPackage } from './package-swift';
import { parsePbxproj, type XcodeProject, type XcodeTarget } from './pbxproj/project';
import { readPlist } from './plist/read';
import type { PlistDocument } from './plist/types';
import type { DefaultIsolation, Platform, SwiftLanguageMode } from './settings';

/** What the project files say about the target a source file belongs to. */
export interface TargetFacts {
  name: string;
  /** Where the facts come from. */
  source: 'xcodeproj' | 'package' | 'nearest-plist';
  /** The project.pbxproj or Package.swift that declares the target (absent for nearest-plist). */
  projectFile?: string;
  productType?: string;
  /** May be `ok: false`; the failure is also in `ProjectModel.errors`. */
  infoPlist?: PlistDocument;
  entitlements?: PlistDocument;
  swiftLanguageMode: SwiftLanguageMode | undefined;
  defaultIsolation: DefaultIsolation | undefined;
  /** Empty when unknown or unrestricted. */
  platforms: Platform[];
  bundleId?: string;
  /** GENERATE_INFOPLIST_FILE = YES. */
  generatesInfoPlist: boolean;
  /** INFOPLIST_KEY_* build settings, prefix removed. */
  generatedInfoPlistKeys: Record<string, string>;
  /** Effective build settings (empty outside Xcode), for `expandBuildVariables`. */
  buildSettings: BuildSettings;
}

/** A project file that could not be read or parsed. */
export interface ProjectDataError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export interface ResolveOptions {
  /**
   * Every file under rootDir (absolute, or relative to rootDir). When given, project files are
   * picked from this list and no directory is listed.
   */
  files?: string[];
  /** File access; defaults to node's fs. `readFile` may serve unsaved buffers. */
  fs?: Partial<ProjectFileSystem>;
}

export interface PackageInfo {
  file: string;
  dir: string;
  package: SwiftPackage;
}

export interface ProjectModel {
  rootDir: string;
  xcodeProjects: XcodeProject[];
  packages: PackageInfo[];
  errors: ProjectDataError[];
  /** The target a source file (absolute or relative to rootDir) belongs to; see the README for the order. */
  targetFor(file: string): TargetFacts | undefined;
  /** Every target that compiles the file (a file shared by an app and its widget has two). */
  targetsFor(file: string): TargetFacts[];
  allTargets(): TargetFacts[];
  /** Every Info.plist: those named by targets and every `*Info.plist` found under rootDir. */
  allPlists(): PlistDocument[];
  /** Every entitlements file: those named by targets and every `*.entitlements` under rootDir. */
  allEntitlements(): PlistDocument[];
}

interface FolderOwner {
  folder: string;
  exceptions: Set<string>;
  facts: TargetFacts;
}

/** Reads every project file under rootDir and answers which target owns a source file. Never throws. */
export function resolveProject(rootDir: string, options: ResolveOptions = {}): ProjectModel {
  return new Resolver(path.resolve(rootDir), options).model();
}

class Resolver {
  private readonly fs: ProjectFileSystem;
  private readonly errors: ProjectDataError[] = [];
  private readonly plists = new Map<string, PlistDocument | undefined>();
  private readonly targets: TargetFacts[] = [];
  private readonly members = new Map<string, TargetFacts[]>();
  private readonly syncFolders: FolderOwner[] = [];
  private readonly packageFolders: FolderOwner[] = [];
  private readonly memberDirs = new Map<string, Map<TargetFacts, number>>();
  private readonly infoPlistsByDir = new Map<string, string[]>();
  private readonly entitlementsByDir = new Map<string, string[]>();
  private readonly xcodeProjects: XcodeProject[] = [];
  private readonly packages: PackageInfo[] = [];
  private readonly infoPlistFiles: string[];
  private readonly entitlementFiles: string[];

  constructor(
    private readonly rootDir: string,
    options: ResolveOptions,
  ) {
    this.fs = { ...nodeFileSystem, ...options.fs };
    const files = options.files
      ? withoutSkipped(rootDir, options.files.map((f) => path.resolve(rootDir, f)))
      : walkProjectFiles(rootDir, this.fs);
    const found = classify(files);
    this.infoPlistFiles = found.infoPlists;
    this.entitlementFiles = found.entitlements;
    found.pbxprojs.forEach((file) => this.addXcodeProject(file));
    found.packages.forEach((file) => this.addPackage(file));
    found.infoPlists.forEach((file) => addToDir(this.infoPlistsByDir, file));
    found.entitlements.forEach((file) => addToDir(this.entitlementsByDir, file));
    [...found.infoPlists, ...found.entitlements].forEach((file) => this.plist(file));
  }

  model(): ProjectModel {
    return {
      rootDir: this.rootDir,
      xcodeProjects: this.xcodeProjects,
      packages: this.packages,
      errors: this.errors,
      targetFor: (file) => this.targetsFor(file)[0],
      targetsFor: (file) => this.targetsFor(file),
      allTargets: () => [...this.targets],
      allPlists: () => this.documents(this.infoPlistFiles, (t) => t.infoPlist),
      allEntitlements: () => this.documents(this.entitlementFiles, (t) => t.entitlements),
    };
  }

  private documents(found: string[], pick: (t: TargetFacts) => PlistDocument | undefined): PlistDocument[] {
    const byFile = new Map<string, PlistDocument>();
    for (const target of this.targets) {
      const document = pick(target);
      if (document) byFile.set(document.file, document);
    }
    for (const file of found) {
      const document = this.plist(file);
      if (document) byFile.set(file, document);
    }
    return [...byFile.values()];
  }

  /** Reads and caches a plist; a missing or malformed file is recorded in `errors`. */
  private plist(file: string): PlistDocument | undefined {
    if (this.plists.has(file)) return this.plists.get(file);
    const bytes = this.fs.readFile(file);
    const document = bytes === undefined ? undefined : readPlist(bytes, file);
    if (document && !document.ok) this.errors.push({ file, ...document.error });
    this.plists.set(file, document);
    return document;
  }

  private read(file: string): Buffer | string | undefined {
    const bytes = this.fs.readFile(file);
    if (bytes === undefined) this.errors.push({ file, message: 'cannot read file' });
    return bytes;
  }

  private addXcodeProject(file: string): void {
    const text = this.fs.readFile(file);
    if (text === undefined) return;
    const result = parsePbxproj(text, file, { readFile: (xcconfig) => this.fs.readFile(xcconfig) });
    if (!result.ok) {
      this.errors.push({ file, ...result.error });
      return;
    }
    this.xcodeProjects.push(result.project);
    const dir = result.project.projectDir;
    for (const target of orderTargets(result.project.targets)) this.addXcodeTarget(target, dir, file);
  }

  private addXcodeTarget(target: XcodeTarget, dir: string, projectFile: string): void {
    const s = target.settings;
    const facts: TargetFacts = {
      name: target.name,
      source: 'xcodeproj',
      projectFile,
      productType: target.productType,
      infoPlist: this.referencedPlist(dir, s.infoPlistFile, 'INFOPLIST_FILE', target.name),
      entitlements: this.referencedPlist(dir, s.entitlementsFile, 'CODE_SIGN_ENTITLEMENTS', target.name),
      swiftLanguageMode: s.swiftLanguageMode,
      defaultIsolation: s.defaultIsolation,
      platforms: s.platforms,
      bundleId: s.bundleId,
      generatesInfoPlist: s.generateInfoPlist,
      generatedInfoPlistKeys: s.generatedInfoPlistKeys,
      buildSettings: target.buildSettings,
    };
    this.targets.push(facts);
    for (const source of target.sourceFiles) this.addMember(path.resolve(dir, source), facts);
    for (const folder of target.synchronizedFolders) {
      const absolute = path.resolve(dir, folder.path);
      const exceptions = new Set(folder.exceptions.map((f) => path.resolve(absolute, f)));
      this.syncFolders.push({ folder: absolute, exceptions, facts });
    }
  }

  private referencedPlist(dir: string, file: string | undefined, setting: string, target: string): PlistDocument | undefined {
    if (file === undefined) return undefined;
    const absolute = path.resolve(dir, file);
    const document = this.plist(absolute);
    if (!document) this.errors.push({ file: absolute, message: `cannot read ${setting} of target "${target}"` });
    return document;
  }

  private addMember(file: string, facts: TargetFacts): void {
    const owners = this.members.get(file) ?? [];
    if (!owners.includes(facts)) owners.push(facts);
    this.members.set(file, owners);
    const counts = this.memberDirs.get(path.dirname(file)) ?? new Map<TargetFacts, number>();
    counts.set(facts, (counts.get(facts) ?? 0) + 1);
    this.memberDirs.set(path.dirname(file), counts);
  }

  private addPackage(file: string): void {
    const text = this.read(file);
    if (text === undefined) return;
    const swiftPackage = parsePackageSwift(text);
    const dir = path.dirname(file);
    this.packages.push({ file, dir, package: swiftPackage });
    const plistsHere = this.infoPlistFiles.filter((f) => isInside(f, dir));
    for (const target of swiftPackage.targets) {
      const folder = path.resolve(dir, target.path);
      const facts: TargetFacts = {
        name: target.name,
        source: 'package',
        projectFile: file,
        infoPlist: this.infoPlistInside(folder, plistsHere),
        swiftLanguageMode: target.effectiveSwiftLanguageMode,
        defaultIsolation: target.defaultIsolation,
        platforms: swiftPackage.platforms,
        generatesInfoPlist: false,
        generatedInfoPlistKeys: {},
        buildSettings: {},
      };
      this.targets.push(facts);
      this.packageFolders.push({ folder, exceptions: new Set(), facts });
    }
  }

  /**
   * The `*Info.plist` a package target keeps in its folder (the shallowest), which says whether the
   * target is an app extension (`NSExtension`); packages name no Info.plist in their manifest.
   */
  private infoPlistInside(folder: string, candidates: string[]): PlistDocument | undefined {
    const inside = candidates.filter((f) => isInside(f, folder)).sort((a, b) => a.split(path.sep).length - b.split(path.sep).length);
    return inside[0] ? this.plist(inside[0]) : undefined;
  }

  private targetsFor(file: string): TargetFacts[] {
    const absolute = path.resolve(this.rootDir, file);
    const owners = new Set([...(this.members.get(absolute) ?? []), ...ownersByFolder(this.syncFolders, absolute)]);
    if (owners.size > 0) return [...owners];
    const inPackage = ownersByFolder(this.packageFolders, absolute);
    if (inPackage.length > 0) return inPackage.slice(0, 1);
    const inSyncFolder = this.syncFolders.some((owner) => isInside(absolute, owner.folder));
    const neighbour = inSyncFolder ? undefined : this.neighbourTarget(absolute);
    if (neighbour) return [neighbour];
    const nearest = this.nearestPlists(absolute);
    return nearest ? [nearest] : [];
  }

  /**
   * A file in no build phase (an app's header, a file not yet added) goes to the target owning most
   * files in its folder or the nearest parent folder. Not used inside synchronized folders, where
   * a file outside every target was excluded on purpose.
   */
  private neighbourTarget(file: string): TargetFacts | undefined {
    for (const dir of ancestors(path.dirname(file), this.rootDir)) {
      const counts = this.memberDirs.get(dir);
      if (counts) return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    }
    return undefined;
  }

  private nearestPlists(file: string): TargetFacts | undefined {
    const infoPlist = this.nearest(this.infoPlistsByDir, file);
    const entitlements = this.nearest(this.entitlementsByDir, file);
    if (!infoPlist && !entitlements) return undefined;
    const anchor = (infoPlist ?? entitlements) as PlistDocument;
    return {
      name: path.basename(path.dirname(anchor.file)),
      source: 'nearest-plist',
      infoPlist,
      entitlements,
      swiftLanguageMode: undefined,
      defaultIsolation: undefined,
      platforms: [],
      generatesInfoPlist: false,
      generatedInfoPlistKeys: {},
      buildSettings: {},
    };
  }

  private nearest(byDir: Map<string, string[]>, file: string): PlistDocument | undefined {
    for (const dir of ancestors(path.dirname(file), this.rootDir)) {
      const candidates = byDir.get(dir);
      if (candidates) return this.plist(preferNamed(candidates, dir));
    }
    return undefined;
  }
}

/** Apps first, tests last, so a file shared by several targets reports the app's facts first. */
function orderTargets(targets: XcodeTarget[]): XcodeTarget[] {
  const rank = (t: XcodeTarget): number =>
    t.productType === 'com.apple.product-type.application' ? 0 : /test/i.test(t.productType ?? '') ? 2 : 1;
  return [...targets].sort((a, b) => rank(a) - rank(b));
}

/** Owners of the deepest folder containing the file, minus exceptions. */
function ownersByFolder(owners: FolderOwner[], file: string): TargetFacts[] {
  let best: FolderOwner[] = [];
  for (const owner of owners) {
    if (!isInside(file, owner.folder) || owner.exceptions.has(file)) continue;
    if (best.length === 0 || owner.folder.length > best[0].folder.length) best = [owner];
    else if (owner.folder.length === best[0].folder.length) best.push(owner);
  }
  return best.map((o) => o.facts);
}

function isInside(file: string, folder: string): boolean {
  return file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** `dir` and its parents, stopping at `root` (inclusive); just `dir` when it is outside root. */
function ancestors(dir: string, root: string): string[] {
  const dirs = [dir];
  let current = dir;
  while (current !== root && isInside(current, root)) {
    current = path.dirname(current);
    dirs.push(current);
  }
  return dirs;
}

/** Among several plists in one folder, the one named after the folder (`App/App.entitlements`) wins. */
function preferNamed(candidates: string[], dir: string): string {
  const folder = path.basename(dir);
  return candidates.find((c) => path.basename(c).startsWith(folder)) ?? candidates.find((c) => path.basename(c) === 'Info.plist') ?? candidates[0];
}

function addToDir(byDir: Map<string, string[]>, file: string): void {
  const dir = path.dirname(file);
  byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
}
