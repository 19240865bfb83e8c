/**
 * The project index on demand. Rules ask the index about names (a type's supertypes, methods and
 * property types, a `@MainActor` function) and about a few project-wide facts (task identifiers
 * registered, a Mach-service listener, who implements `urlSessionDidFinishEvents`). Lexing every file
 * for that was most of a cold run's index cost, so only the files that can answer are lexed: the
 * linted files, files with words of a project-wide fact, and files declaring a name the linted files
 * contain, following supertypes and property types to a fixed point (`selectForIndex`; the questions
 * are listed in core's lexical-index.ts at `INDEX_EVERYWHERE_WORDS`).
 *
 * When only some files of a project are linted (a pre-commit hook passes the staged ones), the other
 * sources of their project are candidates too (`explicitFilesContext`), so the run reports what a full
 * run would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TASK_BEGIN_WORD, namesReferencedBy, taskEndingMethods } from '@bglint/core';
import type { FileFacts, FileOutline } from '@bglint/core';

const PROJECT_MARKERS = ['Package.swift', '.git'];

/**
 * The nearest folder above `file` that holds an Xcode project, a Package.swift or a .git; without one,
 * `cwd` when the file is inside it, else the file's folder (never the file system's root: a scratch
 * folder without markers once had every folder of the machine read for one file).
 */
export function projectRootOf(file: string, cwd: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (isProjectRoot(dir)) return dir;
    if (path.dirname(dir) === dir) break;
  }
  return path.relative(cwd, file).startsWith('..') ? path.dirname(file) : cwd;
}

function isProjectRoot(dir: string): boolean {
  if (PROJECT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return true;
  try {
    return fs.readdirSync(dir).some((name) => name.endsWith('.xcodeproj') || name.endsWith('.xcworkspace'));
  } catch {
    return false;
  }
}

/** A file the index may need: its outline always; its facts once lexed (or remembered by the cache). */
export interface IndexCandidate {
  file: string;
  outline: FileOutline;
  facts?: FileFacts;
}

/**
 * The files to lex for an index that answers every question the linted files can ask, but the
 * project-wide reach map's (`asksWholeIndex`: the caller lexes every file for those; see
 * `INDEX_EVERYWHERE_WORDS` in core's lexical-index.ts): the linted files themselves, every file with
 * words of a project-wide fact, and every file declaring a name some linted file contains (a file
 * that declares `class Foo` is asked about only by code containing `Foo`). The supertypes and property
 * types of what was lexed are asked about in turn, to a fixed point. A linted task begin then asks who
 * calls the methods that end tasks (`TASK_BEGIN_WORD`): the files whose text (`textOf`) names one. `lex`
 * gives the facts of a batch (in order); the answer maps each chosen candidate to its facts.
 */
export function selectForIndex<C extends IndexCandidate>(
  candidates: readonly C[],
  linted: ReadonlySet<C>,
  lintedTexts: () => Iterable<string>,
  lex: (batch: C[]) => FileFacts[],
  textOf: (candidate: C) => string | undefined,
): Map<C, FileFacts> {
  const declaring = new Map<string, C[]>();
  for (const c of candidates) {
    for (const name of c.outline.declares) {
      const list = declaring.get(name);
      if (list) list.push(c);
      else declaring.set(name, [c]);
    }
  }
  const chosen = new Map<C, FileFacts>();
  const asked = new Set<string>();
  let batch = new Set<C>(candidates.filter((c) => linted.has(c) || c.outline.everywhere));
  const ask = (name: string) => {
    if (asked.has(name)) return;
    asked.add(name);
    for (const c of declaring.get(name) ?? []) if (!chosen.has(c)) batch.add(c);
  };
  let beginsTasks = false;
  for (const text of lintedTexts()) {
    beginsTasks ||= text.includes(TASK_BEGIN_WORD);
    for (const m of text.matchAll(WORD)) if (declaring.has(m[0])) ask(m[0]);
  }
  const lexToFixedPoint = () => {
    while (batch.size > 0) {
      const now = [...batch];
      batch = new Set();
      const facts = lex(now);
      now.forEach((c, i) => chosen.set(c, facts[i]!));
      for (const f of facts) for (const name of namesReferencedBy(f)) if (declaring.has(name)) ask(name);
      for (const c of batch) if (chosen.has(c)) batch.delete(c);
    }
  };
  lexToFixedPoint();
  if (beginsTasks && chosen.size < candidates.length) {
    // The first word of each name: an Objective-C selector's first part is how every call of it starts.
    const enders = new Set([...chosen.values()].flatMap(taskEndingMethods).map((name) => /\w+/.exec(name)?.[0]).filter((w) => w !== undefined));
    if (enders.size > 0) {
      const callsOne = new RegExp(String.raw`\b(?:${[...enders].join('|')})\b`);
      // A file whose facts are known already (the cache) costs nothing to add; others are read for the names.
      for (const c of candidates) {
        if (chosen.has(c)) continue;
        const text = c.facts ? undefined : textOf(c);
        if (c.facts || (text !== undefined && callsOne.test(text))) batch.add(c);
      }
      lexToFixedPoint();
    }
  }
  return chosen;
}

const WORD = /[A-Za-z_]\w*/g;

/**
 * The other sources of each explicitly given file's project (not folders: a folder is taken as the
 * project), for `selectForIndex`; the caller outlines them (`contextOfExplicitFiles` in lint.ts).
 */
export function explicitFilesContext(
  explicitFiles: string[],
  lintedFiles: ReadonlySet<string>,
  discover: (root: string) => string[],
  cwd: string,
): string[] {
  const roots = new Set(explicitFiles.map((f) => projectRootOf(f, cwd)));
  const others = new Set<string>();
  for (const root of roots) for (const file of discover(root)) if (!lintedFiles.has(file)) others.add(file);
  return [...others];
}
