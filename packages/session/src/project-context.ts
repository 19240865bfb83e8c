/**
 * When only some files of a project are linted (a pre-commit hook passes the staged ones), the facts
 * rules draw from other files — a stored task ended in an extension elsewhere, a supertype declared
 * elsewhere, a `@MainActor` global, a task registered in another file — must still come from the
 * whole project, or the run reports what a full run would not. These are the project's other
 * sources worth indexing (lexically; they are not linted).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API_USE_WORDS } from '@bglint/core';

/** Files that can matter to the index through these words whatever the linted files name. */
const FACT_WORDS = ['endBackgroundTask', 'willRestoreState', 'forTaskWithIdentifier', 'ForTaskWithIdentifier', 'DidFinishEventsForBackgroundURLSession', 'DidFinishEvents(forBackgroundURLSession', ...API_USE_WORDS];
const TYPE_DECLARATION = /\b(?:class|struct|enum|actor|extension|protocol|@interface|@implementation)\s+([A-Z]\w*)/g;
const MAIN_ACTOR_DECLARATION = /@MainActor\b[^{}\n]*?\b(?:func|var|let)\s+(\w+)/g;
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

/** Names the linted files use: types (capitalized) and called functions, whose declarations elsewhere may matter. */
export function referencedNames(texts: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/\b[A-Z]\w+/g)) names.add(m[0]);
    for (const m of text.matchAll(/\b([a-z_]\w*)\s*\(/g)) names.add(m[1]!);
  }
  return names;
}

/** What one other file could contribute, worked out once: its fact words and the names it declares. */
interface Candidate<T> {
  source: T;
  hasFactWords: boolean;
  declares: string[];
}

function candidateOf<T extends { text: string }>(source: T): Candidate<T> {
  const { text } = source;
  const declares = [...text.matchAll(TYPE_DECLARATION)].map((m) => m[1]!);
  if (text.includes('@MainActor')) declares.push(...[...text.matchAll(MAIN_ACTOR_DECLARATION)].map((m) => m[1]!));
  return { source, hasFactWords: FACT_WORDS.some((w) => text.includes(w)), declares };
}

const SUPERTYPE_CLAUSE = /\b(?:class|struct|enum|actor|extension|protocol|@interface)\s+[A-Z]\w*\s*(?:<[^>{]*>)?\s*:\s*([^{\n]+)/g;

/** The supertypes named where this file declares types: `class A: Base, Proto` gives Base and Proto. */
function supertypesIn(text: string): string[] {
  return [...text.matchAll(SUPERTYPE_CLAUSE)].flatMap((m) => [...m[1]!.matchAll(/\b[A-Z]\w+/g)].map((n) => n[0]));
}

/**
 * The other sources to index for the linted ones: those with fact words, and those declaring a type
 * or a `@MainActor` declaration the linted files name, following supertypes declared there (`A: Base`
 * in one file, `Base: UIResponder` in another) until nothing new is named.
 */
export function contextSources<T extends { text: string }>(linted: Iterable<string>, others: T[]): T[] {
  const referenced = referencedNames(linted);
  const pending = others.map(candidateOf);
  const chosen = new Set<T>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const candidate of pending) {
      if (chosen.has(candidate.source) || !(candidate.hasFactWords || candidate.declares.some((n) => referenced.has(n)))) continue;
      chosen.add(candidate.source);
      for (const name of supertypesIn(candidate.source.text)) {
        if (referenced.has(name)) continue;
        referenced.add(name);
        grew = true;
      }
    }
  }
  return others.filter((o) => chosen.has(o));
}

export interface SourceText {
  file: string;
  text: string;
}

/**
 * The context to index for a run given single files (not folders): the relevant other sources of
 * each file's project. Empty when every path was a folder (the folder is taken as the project).
 */
export function explicitFilesContext(
  explicitFiles: string[],
  linted: SourceText[],
  discover: (root: string) => string[],
  read: (file: string) => string | undefined,
  cwd: string,
): SourceText[] {
  if (explicitFiles.length === 0) return [];
  const lintedFiles = new Set(linted.map((l) => l.file));
  const roots = new Set(explicitFiles.map((f) => projectRootOf(f, cwd)));
  const others: SourceText[] = [];
  for (const root of roots) {
    for (const file of discover(root)) {
      if (lintedFiles.has(file)) continue;
      const text = read(file);
      if (text !== undefined) others.push({ file, text });
    }
  }
  return contextSources(linted.map((l) => l.text), others);
}
