/**
 * The facts of a source file's target, as rules read them (`RuleContext.project`), built from
 * `@bglint/project`'s `TargetFacts`. File access is passed in, so the CLI and the language server
 * (unsaved buffers) can share it.
 */
import type { TargetFacts } from '@bglint/project';
import { buildSettingRange, plistFacts, withGeneratedKeys } from './build-project-facts';
import { bundleKindOf, plistString, type BundleKind, type PlistFacts, type ProjectFacts } from './project';

export interface ProjectFactsIo {
  /** How findings name a file (the CLI: relative to the run's folder). */
  relative(file: string): string;
  /** A project file's text (to locate `INFOPLIST_KEY_*` settings); undefined when unreadable. */
  readText(file: string): string | undefined;
}

/** Builds, once per target, the plain facts rules read from `@bglint/project`'s target facts. */
export class ProjectFactsBuilder {
  private readonly byTarget = new Map<TargetFacts, ProjectFacts>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly io: ProjectFactsIo) {}

  factsFor(target: TargetFacts): ProjectFacts {
    let facts = this.byTarget.get(target);
    if (!facts) this.byTarget.set(target, (facts = this.build(target)));
    return facts;
  }

  private build(target: TargetFacts): ProjectFacts {
    const projectFile = target.projectFile ? this.relative(target.projectFile) : undefined;
    const infoPlist = this.infoPlist(target, projectFile);
    return {
      target: target.name,
      bundle: bundleOf(target, infoPlist),
      infoPlist,
      entitlements: target.entitlements?.ok ? plistFacts(target.entitlements, this.relative(target.entitlements.file), target.buildSettings) : undefined,
      // An Xcode target without CODE_SIGN_ENTITLEMENTS has none; elsewhere "none found" proves nothing.
      entitlementsKnown: target.source === 'xcodeproj' && target.entitlements === undefined,
      projectFile,
      platforms: target.platforms,
    };
  }

  /** The file's keys plus the generated ones; unknown when the file is malformed or there is neither. */
  private infoPlist(target: TargetFacts, projectFile: string | undefined): PlistFacts | undefined {
    const document = target.infoPlist;
    if (document && !document.ok) return undefined;
    const file = document ? plistFacts(document, this.relative(document.file), target.buildSettings) : undefined;
    if (!target.generatesInfoPlist || !target.projectFile || !projectFile) return file;
    const text = this.text(target.projectFile);
    return withGeneratedKeys(file, target.generatedInfoPlistKeys, projectFile, (key) => buildSettingRange(text, key));
  }

  private text(file: string): string {
    let text = this.texts.get(file);
    if (text === undefined) this.texts.set(file, (text = this.io.readText(file) ?? ''));
    return text;
  }

  private relative(file: string): string {
    return this.io.relative(file);
  }
}

/**
 * Xcode says what a target builds; elsewhere an Info.plist with an `NSExtension` dictionary is an app
 * extension's (SwiftPM and folder projects), a package target is a library, and a nearby plist tells
 * by its package type.
 */
function bundleOf(target: TargetFacts, infoPlist: PlistFacts | undefined): BundleKind {
  if (target.source === 'xcodeproj') return bundleKindOf(target.productType);
  if (declaresExtension(infoPlist)) return 'app-extension';
  if (target.source === 'package') return 'library';
  return /^(FMWK|BNDL)$/.test(plistString(infoPlist, 'CFBundlePackageType') ?? '') ? 'library' : 'unknown';
}

function declaresExtension(infoPlist: PlistFacts | undefined): boolean {
  const value = infoPlist?.value.NSExtension;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}
