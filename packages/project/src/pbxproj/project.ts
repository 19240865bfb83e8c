import * as path from 'path';
import { expandBuildVariables, type BuildSettings } from '../build-variables';
import {
  generatedInfoPlistKeys,
  isYes,
  isolationFromSetting,
  platformsFromSettings,
  swiftModeFromVersion,
  type DefaultIsolation,
  type Platform,
  type SwiftLanguageMode,
} from '../settings';
import { parseOpenStep, type PbxDict, type PbxError, type PbxValue } from './parse';
import { ObjectGraph } from './objects';
import { applyXcconfig, type TextReader } from './xcconfig';

/** A folder Xcode 16 keeps in sync with the disk: every file under it belongs to its targets. */
export interface SynchronizedFolder {
  /** Folder path relative to the project directory. */
  path: string;
  /** Files (relative to the folder) excluded from this target. */
  exceptions: string[];
}

/** The build settings bglint cares about, from the effective settings of a target. */
export interface XcodeTargetSettings {
  /** INFOPLIST_FILE, relative to the project directory, `$(SRCROOT)` etc. resolved. */
  infoPlistFile?: string;
  /** CODE_SIGN_ENTITLEMENTS, relative to the project directory. */
  entitlementsFile?: string;
  swiftVersion?: string;
  swiftLanguageMode?: SwiftLanguageMode;
  defaultIsolation?: DefaultIsolation;
  /** PRODUCT_BUNDLE_IDENTIFIER, expanded when every variable in it is known. */
  bundleId?: string;
  generateInfoPlist: boolean;
  /** INFOPLIST_KEY_* settings, prefix removed (e.g. `NSLocationWhenInUseUsageDescription`). */
  generatedInfoPlistKeys: Record<string, string>;
  supportedPlatforms?: string;
  sdkRoot?: string;
  platforms: Platform[];
}

export interface XcodeTarget {
  id: string;
  name: string;
  /** e.g. `com.apple.product-type.application`, `com.apple.product-type.app-extension`. */
  productType?: string;
  /** Build settings per configuration name, project-level settings inherited. */
  configurations: Record<string, BuildSettings>;
  /** The configuration that wins in `buildSettings` (the list's default, usually Release). */
  defaultConfiguration: string;
  /** Union of all configurations; the default configuration's value wins on conflicts. */
  buildSettings: BuildSettings;
  settings: XcodeTargetSettings;
  /** Files of the Sources and Headers build phases, relative to the project directory. */
  sourceFiles: string[];
  synchronizedFolders: SynchronizedFolder[];
}

export interface XcodeProject {
  file: string;
  /** The folder holding the `.xcodeproj` (plus `projectDirPath`); target paths are relative to it. */
  projectDir: string;
  /** Project-level build settings per configuration. */
  configurations: Record<string, BuildSettings>;
  targets: XcodeTarget[];
}

export type XcodeProjectResult =
  | { ok: true; file: string; project: XcodeProject }
  | { ok: false; file: string; error: PbxError };

export interface PbxprojOptions {
  /** Reads `.xcconfig` files named by configurations; without it, xcconfig settings are not seen. */
  readFile?: TextReader;
}

/** Parses a `project.pbxproj`. `file` is its path; never throws. */
export function parsePbxproj(text: Buffer | string, file: string, options: PbxprojOptions = {}): XcodeProjectResult {
  const parsed = parseOpenStep(text);
  if (!parsed.ok) return { ok: false, file, error: parsed.error };
  try {
    return { ok: true, file, project: buildProject(parsed.value, file, options.readFile) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, file, error: { message, line: 1, column: 1 } };
  }
}

/** What reading a target's configurations needs besides the target itself. */
interface ProjectContext {
  graph: ObjectGraph;
  projectDir: string;
  projectName: string;
  projectConfigs: Record<string, BuildSettings>;
  read?: TextReader;
}

function buildProject(root: PbxValue, file: string, read: TextReader | undefined): XcodeProject {
  const graph = ObjectGraph.fromRoot(root);
  const projectObject = graph.rootProject();
  const projectDirPath = str(projectObject.projectDirPath) ?? '';
  const xcodeproj = path.dirname(file);
  const base = path.dirname(xcodeproj);
  const projectDir = path.isAbsolute(projectDirPath) ? projectDirPath : path.join(base, projectDirPath);
  const context: ProjectContext = {
    graph,
    projectDir,
    projectName: path.basename(xcodeproj).replace(/\.xcodeproj$/, ''),
    projectConfigs: {},
    read,
  };
  for (const config of readConfigurations(graph, str(projectObject.buildConfigurationList)).list) {
    context.projectConfigs[config.name] = layer(context, {}, config);
  }
  const targets: XcodeTarget[] = [];
  for (const id of list(projectObject.targets)) {
    const object = graph.get(id);
    if (object?.isa !== 'PBXNativeTarget') continue;
    targets.push(buildTarget(context, id, object));
  }
  addSynchronizedExceptions(graph, targets);
  return { file, projectDir, configurations: context.projectConfigs, targets };
}

/** One level of settings: the configuration's .xcconfig over `base`, then its own settings. */
function layer(context: ProjectContext, base: BuildSettings, config: Configuration): BuildSettings {
  const withXcconfig =
    config.xcconfig !== undefined && context.read
      ? applyXcconfig(path.resolve(context.projectDir, config.xcconfig), base, context.read)
      : base;
  return inherit(withXcconfig, config.settings);
}

function buildTarget(context: ProjectContext, id: string, object: PbxDict): XcodeTarget {
  const { graph, projectName } = context;
  const name = str(object.name) ?? str(object.productName) ?? id;
  const own = readConfigurations(graph, str(object.buildConfigurationList));
  const configurations: Record<string, BuildSettings> = {};
  for (const config of own.list) {
    configurations[config.name] = layer(context, context.projectConfigs[config.name] ?? {}, config);
  }
  const names = Object.keys(configurations);
  const defaultConfiguration = own.defaultName && configurations[own.defaultName] ? own.defaultName : names.includes('Release') ? 'Release' : names[names.length - 1] ?? '';
  const buildSettings = unionSettings(configurations, defaultConfiguration);
  return {
    id,
    name,
    productType: str(object.productType),
    configurations,
    defaultConfiguration,
    buildSettings,
    settings: summarize(buildSettings, { TARGET_NAME: name, PROJECT_NAME: projectName, PRODUCT_NAME: name }),
    sourceFiles: sourceFilesOf(graph, object),
    synchronizedFolders: list(object.fileSystemSynchronizedGroups).flatMap((groupId) => {
      const folder = graph.pathOf(groupId);
      return folder === undefined ? [] : [{ path: folder, exceptions: [] }];
    }),
  };
}

interface Configuration {
  name: string;
  settings: BuildSettings;
  /** The base .xcconfig, relative to the project directory. */
  xcconfig?: string;
}

interface Configurations {
  list: Configuration[];
  defaultName?: string;
}

function readConfigurations(graph: ObjectGraph, listId: string | undefined): Configurations {
  const configList = listId ? graph.get(listId) : undefined;
  const configs: Configuration[] = [];
  for (const configId of list(configList?.buildConfigurations)) {
    const config = graph.get(configId);
    const name = str(config?.name);
    if (name === undefined || !config) continue;
    configs.push({ name, settings: flattenSettings(config.buildSettings), xcconfig: xcconfigPath(graph, config) });
  }
  return { list: configs, defaultName: str(configList?.defaultConfigurationName) };
}

/** `baseConfigurationReference`, or Xcode 16's anchor folder plus relative path. */
function xcconfigPath(graph: ObjectGraph, config: PbxDict): string | undefined {
  const reference = str(config.baseConfigurationReference);
  if (reference) return graph.pathOf(reference);
  const anchor = str(config.baseConfigurationReferenceAnchor);
  const relative = str(config.baseConfigurationReferenceRelativePath);
  const folder = anchor ? graph.pathOf(anchor) : undefined;
  return folder !== undefined && relative ? path.posix.join(folder, relative) : undefined;
}

/** Array-valued settings become space-separated strings, as Xcode treats them. */
function flattenSettings(value: PbxValue | undefined): BuildSettings {
  const settings: BuildSettings = {};
  if (!isDict(value)) return settings;
  for (const [key, setting] of Object.entries(value)) {
    if (typeof setting === 'string') settings[key] = setting;
    else if (Array.isArray(setting)) settings[key] = setting.filter((v): v is string => typeof v === 'string').join(' ');
  }
  return settings;
}

/** Target settings over project settings; `$(inherited)` in a target value takes the project value. */
function inherit(base: BuildSettings, own: BuildSettings): BuildSettings {
  const merged: BuildSettings = { ...base };
  for (const [key, value] of Object.entries(own)) {
    merged[key] = value.replace(/\$[({]inherited[)}]/g, base[key] ?? '').trim();
  }
  return merged;
}

function unionSettings(configurations: Record<string, BuildSettings>, winner: string): BuildSettings {
  const union: BuildSettings = {};
  for (const [name, settings] of Object.entries(configurations)) {
    if (name !== winner) Object.assign(union, settings);
  }
  return Object.assign(union, configurations[winner] ?? {});
}

/** Reads the interesting settings; `builtins` (TARGET_NAME, ...) help expand paths and ids. */
export function summarize(settings: BuildSettings, builtins: BuildSettings): XcodeTargetSettings {
  const context: BuildSettings = { ...builtins, ...settings, SRCROOT: '.', PROJECT_DIR: '.', SOURCE_ROOT: '.' };
  const bundleId = settings.PRODUCT_BUNDLE_IDENTIFIER;
  return {
    infoPlistFile: settingPath(settings.INFOPLIST_FILE, context),
    entitlementsFile: settingPath(settings.CODE_SIGN_ENTITLEMENTS, context),
    swiftVersion: settings.SWIFT_VERSION,
    swiftLanguageMode: swiftModeFromVersion(settings.SWIFT_VERSION),
    defaultIsolation: isolationFromSetting(settings.SWIFT_DEFAULT_ACTOR_ISOLATION),
    bundleId: bundleId === undefined ? undefined : expandBuildVariables(bundleId, context) ?? bundleId,
    generateInfoPlist: isYes(settings.GENERATE_INFOPLIST_FILE),
    generatedInfoPlistKeys: generatedInfoPlistKeys(settings),
    supportedPlatforms: settings.SUPPORTED_PLATFORMS,
    sdkRoot: settings.SDKROOT,
    platforms: platformsFromSettings(settings),
  };
}

function settingPath(value: string | undefined, context: BuildSettings): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const expanded = expandBuildVariables(value.trim(), context);
  if (expanded === undefined) return undefined;
  return path.posix.isAbsolute(expanded) ? expanded : path.posix.normalize(expanded);
}

function sourceFilesOf(graph: ObjectGraph, target: PbxDict): string[] {
  const files: string[] = [];
  for (const phaseId of list(target.buildPhases)) {
    const phase = graph.get(phaseId);
    if (phase?.isa !== 'PBXSourcesBuildPhase' && phase?.isa !== 'PBXHeadersBuildPhase') continue;
    for (const buildFileId of list(phase.files)) {
      const fileRef = str(graph.get(buildFileId)?.fileRef);
      const filePath = fileRef ? graph.pathOf(fileRef) : undefined;
      if (filePath !== undefined) files.push(filePath);
    }
  }
  return files;
}

/**
 * Applies `PBXFileSystemSynchronizedBuildFileExceptionSet`s: for a target that owns the folder the
 * listed files are left out; for any other target they are added to it.
 */
function addSynchronizedExceptions(graph: ObjectGraph, targets: XcodeTarget[]): void {
  for (const [groupId, group] of graph.entries()) {
    if (group.isa !== 'PBXFileSystemSynchronizedRootGroup') continue;
    const folder = graph.pathOf(groupId);
    if (folder === undefined) continue;
    for (const exceptionId of list(group.exceptions)) {
      const exception = graph.get(exceptionId);
      if (exception?.isa !== 'PBXFileSystemSynchronizedBuildFileExceptionSet') continue;
      const target = targets.find((t) => t.id === str(exception.target));
      if (target) applyException(target, folder, list(exception.membershipExceptions));
    }
  }
}

function applyException(target: XcodeTarget, folder: string, files: string[]): void {
  const owned = target.synchronizedFolders.find((f) => f.path === folder);
  if (owned) owned.exceptions.push(...files);
  else target.sourceFiles.push(...files.map((f) => path.posix.join(folder, f)));
}

function str(value: PbxValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: PbxValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isDict(value: PbxValue | undefined): value is PbxDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
