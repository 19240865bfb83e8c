export type {
  LocationNode,
  PlistDict,
  PlistDocument,
  PlistError,
  PlistFailure,
  PlistOk,
  PlistPath,
  PlistUid,
  PlistValue,
  SourceLocation,
} from './plist/types';
export { readPlist } from './plist/read';
export { isDict as isPlistDict } from './plist/dict';
export { hasBuildVariable, expandBuildVariables, buildVariableNames, type BuildSettings } from './build-variables';
export { parseOpenStep, type PbxValue, type PbxDict, type PbxError, type PbxParseResult } from './pbxproj/parse';
export {
  parsePbxproj,
  type XcodeProject,
  type XcodeProjectResult,
  type XcodeTarget,
  type XcodeTargetSettings,
  type SynchronizedFolder,
} from './pbxproj/project';
export { parsePackageSwift, type SwiftPackage, type PackageTarget, type PackageTargetKind } from './package-swift';
export type { Platform, SwiftLanguageMode, DefaultIsolation } from './settings';
export { nodeFileSystem, type ProjectFileSystem, type DirEntry } from './discover';
export {
  resolveProject,
  type ProjectModel,
  type TargetFacts,
  type ProjectDataError,
  type ResolveOptions,
  type PackageInfo,
} from './resolve';
