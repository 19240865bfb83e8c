/**
 * The project files' part of a run: the facts each source file's target gives rules (Info.plist,
 * entitlements, generated keys), the Info.plist and `.entitlements` files linted on their own, and
 * malformed project files as notices at their line. All file reading for them happens here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectFactsBuilder, lintProjectFile, plistFacts } from '@bglint/core';
import type { EnabledRule, FileResult, Notice, ProjectFileKind, ProjectIndex } from '@bglint/core';
import type { PlistDocument, PlistOk, ProjectModel } from '@bglint/project';

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
  const results: FileResult[] = [];
  for (const { document, kind } of projectFilesToLint(model, lintedFolders)) {
    const rules = projectFileRules(rulesFor, document.file);
    if (!rules.length) continue;
    const file = path.relative(cwd, document.file);
    const text = document.format === 'xml' ? readText(document.file) : undefined;
    const settings = model.allTargets().find((t) => t.infoPlist === document || t.entitlements === document)?.buildSettings;
    results.push(lintProjectFile({ file, kind, plist: plistFacts(document, file, settings), text, rules, index }));
  }
  return results;
}

/** The Info.plist and `.entitlements` files of the model that a run over `lintedFolders` lints (those it could read). */
export function projectFilesToLint(model: ProjectModel, lintedFolders: string[]): { document: PlistOk; kind: ProjectFileKind }[] {
  const documents: { document: PlistDocument; kind: ProjectFileKind }[] = [
    ...model.allPlists().map((document) => ({ document, kind: 'info-plist' as const })),
    ...model.allEntitlements().map((document) => ({ document, kind: 'entitlements' as const })),
  ];
  return documents.flatMap(({ document, kind }) => (document.ok && lintedFolders.some((folder) => isInside(document.file, folder)) ? [{ document, kind }] : []));
}

/** The rules enabled for a project file that check project files (none when its config ignores it). */
export function projectFileRules(rulesFor: (file: string) => EnabledRule[] | undefined, file: string): EnabledRule[] {
  return rulesFor(file)?.filter((r) => r.rule.checkProjectFile) ?? [];
}

/** A project file the reader could not read, where (as the project memo keeps it too). */
export interface ProjectFileError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

/** Malformed or unreadable project files, at the line the reader names. */
export function projectFileNotices(errors: readonly ProjectFileError[], cwd: string): Notice[] {
  return errors.map((error) => {
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
