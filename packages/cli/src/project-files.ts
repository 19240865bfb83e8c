/**
 * The project files' part of a run: the facts each source file's target gives rules (Info.plist,
 * entitlements, generated keys), the Info.plist and `.entitlements` files linted on their own, and
 * malformed project files as notices at their line. All file reading for them happens here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleKindOf, buildSettingRange, lintProjectFile, plistFacts, plistString, withGeneratedKeys } from '@bglint/core';
import type { BundleKind, EnabledRule, FileResult, Notice, PlistFacts, ProjectFacts, ProjectFileKind, ProjectIndex } from '@bglint/core';
import type { PlistDocument, ProjectModel, TargetFacts } from '@bglint/project';

/** Builds (once per target) the facts rules read; paths are relative to `cwd`, as findings name files. */
export class ProjectFactsBuilder {
  private readonly byTarget = new Map<TargetFacts, ProjectFacts>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly cwd: string) {}

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
    if (text === undefined) this.texts.set(file, (text = readText(file) ?? ''));
    return text;
  }

  private relative(file: string): string {
    return path.relative(this.cwd, file) || path.basename(file);
  }
}

/** Xcode says what a target builds; a package target is a library; a nearby plist tells by its package type. */
function bundleOf(target: TargetFacts, infoPlist: PlistFacts | undefined): BundleKind {
  if (target.source === 'xcodeproj') return bundleKindOf(target.productType);
  if (target.source === 'package') return 'library';
  return /^(FMWK|BNDL)$/.test(plistString(infoPlist, 'CFBundlePackageType') ?? '') ? 'library' : 'unknown';
}

/**
 * Lints every Info.plist and `.entitlements` file of the model inside the linted folders with the
 * rules that check project files. `rulesFor` gives the enabled rules for a file, or undefined when
 * the config ignores it; `index` is the lexical index of the linted sources. Variables in a plist
 * are expanded with the build settings of the target that uses it.
 */
export function lintProjectFiles(
  model: ProjectModel,
  cwd: string,
  lintedFolders: string[],
  rulesFor: (file: string) => EnabledRule[] | undefined,
  index: ProjectIndex,
): FileResult[] {
  const documents: { document: PlistDocument; kind: ProjectFileKind }[] = [
    ...model.allPlists().map((document) => ({ document, kind: 'info-plist' as const })),
    ...model.allEntitlements().map((document) => ({ document, kind: 'entitlements' as const })),
  ];
  const results: FileResult[] = [];
  for (const { document, kind } of documents) {
    if (!document.ok || !lintedFolders.some((folder) => isInside(document.file, folder))) continue;
    const rules = rulesFor(document.file)?.filter((r) => r.rule.checkProjectFile);
    if (!rules?.length) continue;
    const file = path.relative(cwd, document.file);
    const text = document.format === 'xml' ? readText(document.file) : undefined;
    const settings = model.allTargets().find((t) => t.infoPlist === document || t.entitlements === document)?.buildSettings;
    results.push(lintProjectFile({ file, kind, plist: plistFacts(document, file, settings), text, rules, index }));
  }
  return results;
}

/** Malformed or unreadable project files, at the line the reader names. */
export function projectFileNotices(model: ProjectModel | undefined, cwd: string): Notice[] {
  return (model?.errors ?? []).map((error) => {
    const file = path.relative(cwd, error.file);
    const at = error.line === undefined ? '' : `:${error.line}${error.column === undefined ? '' : `:${error.column}`}`;
    const position = { line: error.line ?? 1, column: error.column ?? 1 };
    return {
      kind: 'project-file' as const,
      severity: 'warning' as const,
      file,
      range: { start: position, end: position },
      message: `${file}${at}: ${error.message}; rules that need this file are skipped for its target`,
    };
  });
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function isInside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}
