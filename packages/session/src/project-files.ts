/**
 * The project files' part of a run: the facts each source file's target gives rules (Info.plist,
 * entitlements, generated keys), the Info.plist and `.entitlements` files linted on their own, and
 * malformed project files as notices at their line. All file reading for them happens here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectFactsBuilder, lintProjectFile, plistFacts } from '@bglint/core';
import type { EnabledRule, FileResult, Notice, ProjectFileKind, ProjectIndex } from '@bglint/core';
import type { PlistDocument, ProjectModel } from '@bglint/project';

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

/** Project facts for rules, with paths relative to `cwd` as findings name files. */
export function projectFactsBuilder(cwd: string): ProjectFactsBuilder {
  return new ProjectFactsBuilder({ relative: (file) => path.relative(cwd, file) || path.basename(file), readText });
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
