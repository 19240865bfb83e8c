/**
 * The project-wide index, built by a lexical pass over every source file (no parse): types with
 * their attributes, supertypes and extensions, the methods each declares, and which stored values
 * each method ends with `endBackgroundTask`. About 30× cheaper than parsing, which matters because
 * hundreds of files mention `@MainActor` and only a few contain an API a rule checks.
 */
import type { Language } from '../syntax/ir';

export interface IndexedMethod {
  name: string;
  attributes: string[];
  nonisolated: boolean;
  /** Names passed to `endBackgroundTask` in the method's own body (`bgTask` for `self.bgTask`). */
  endsTasks: string[];
  /** Base names of same-instance methods it calls (`finish` for `self?.finish()` / `[self finish]`). */
  calls: string[];
}

export interface IndexedType {
  name: string;
  kinds: string[];
  attributes: string[];
  inherits: string[];
  files: string[];
  methods: IndexedMethod[];
  /** Stored properties and globals declared `@MainActor` (for `bgtask-handler-main-actor`). */
  mainActorMembers: string[];
}

export class ProjectIndex {
  readonly types = new Map<string, IndexedType>();
  /** Free functions and globals declared `@MainActor`. */
  readonly mainActorGlobals = new Set<string>();

  type(name: string | undefined): IndexedType | undefined {
    return name ? this.types.get(name) : undefined;
  }

  /** Every value ended with `endBackgroundTask` by a method of the type (any file, any extension). */
  endedByType(typeName: string | undefined): Set<string> {
    return new Set(this.type(typeName)?.methods.flatMap((m) => m.endsTasks) ?? []);
  }

  /** Does calling `method` on the type end `stored` (directly, or through one more same-type call)? */
  methodEnds(typeName: string | undefined, method: string, stored: string | undefined, depth = 2): boolean {
    const type = this.type(typeName);
    if (!type || depth === 0) return false;
    return type.methods.some(
      (m) =>
        m.name === method &&
        (m.endsTasks.some((e) => stored === undefined || e === stored) ||
          m.calls.some((c) => c !== method && this.methodEnds(typeName, c, stored, depth - 1))),
    );
  }

  addFile(file: string, text: string, language: Language): void {
    this.addFacts(lexFile(file, text, language));
  }

  /** Merges one file's facts; merging every file's facts in path order gives the same index as `addFile`. */
  addFacts(facts: FileFacts): void {
    for (const block of facts.types) this.addType(facts.file, block);
    for (const name of facts.mainActorGlobals) this.mainActorGlobals.add(name);
  }

  /** The index as plain data (for worker threads and the cache); `ProjectIndex.fromData` restores it. */
  toData(): ProjectIndexData {
    return { types: [...this.types.values()], mainActorGlobals: [...this.mainActorGlobals] };
  }

  static fromData(data: ProjectIndexData): ProjectIndex {
    const index = new ProjectIndex();
    for (const type of data.types) index.types.set(type.name, type);
    for (const name of data.mainActorGlobals) index.mainActorGlobals.add(name);
    return index;
  }

  private addType(file: string, block: TypeFacts): void {
    const type = this.types.get(block.name) ?? {
      name: block.name, kinds: [], attributes: [], inherits: [], files: [], methods: [], mainActorMembers: [],
    };
    this.types.set(block.name, type);
    pushNew(type.kinds, block.kind);
    for (const a of block.attributes) pushNew(type.attributes, a);
    for (const i of block.inherits) pushNew(type.inherits, i);
    pushNew(type.files, file);
    type.methods.push(...block.methods);
    type.mainActorMembers.push(...block.mainActorMembers);
  }
}

export interface ProjectIndexData {
  types: IndexedType[];
  mainActorGlobals: string[];
}

/** One type declaration or extension as one file states it. */
export interface TypeFacts {
  name: string;
  kind: string;
  attributes: string[];
  inherits: string[];
  methods: IndexedMethod[];
  mainActorMembers: string[];
}

/** What one file adds to the index: plain data, so it can be computed in a worker or kept in the cache. */
export interface FileFacts {
  file: string;
  types: TypeFacts[];
  mainActorGlobals: string[];
}

/** The lexical pass over one file (no parse). */
export function lexFile(file: string, text: string, language: Language): FileFacts {
  const code = stripCommentsAndStrings(text);
  const blocks = language === 'swift' ? swiftTypeBlocks(code) : objcTypeBlocks(code);
  const types = blocks.map((block): TypeFacts => {
    const body = code.slice(block.bodyStart, block.bodyEnd);
    return {
      name: block.name, kind: block.kind, attributes: block.attributes, inherits: block.inherits,
      methods: language === 'swift' ? swiftMethods(body) : objcMethods(body),
      mainActorMembers: language === 'swift' ? mainActorDeclarations(body) : [],
    };
  });
  const facts = { file, types, mainActorGlobals: language === 'swift' ? mainActorDeclarations(outsideBlocks(code, blocks)) : [] };
  // Names cut out of the text by regexes are V8 sliced strings that keep the whole file's text alive;
  // the index holds thousands of them, so it would hold every file of the project. A JSON round trip
  // gives the facts strings of their own (measured: 106 MB of heap for 12,000 files before, see docs/benchmarks.md).
  return JSON.parse(JSON.stringify(facts)) as FileFacts;
}

/** The code outside every type body, bodies replaced by one space (one pass: files can hold 1,000+ nested types). */
function outsideBlocks(code: string, blocks: TypeBlock[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const b of [...blocks].sort((x, y) => x.bodyStart - y.bodyStart)) {
    if (b.bodyStart < at) continue; // nested in a body already left out
    parts.push(code.slice(at, b.bodyStart), ' ');
    at = b.bodyEnd;
  }
  parts.push(code.slice(at));
  return parts.join('');
}

interface TypeBlock {
  name: string;
  kind: string;
  attributes: string[];
  inherits: string[];
  bodyStart: number;
  bodyEnd: number;
}

const SWIFT_TYPE_HEADER =
  /((?:@[\w.]+(?:\([^)]*\))?\s+)*)(?:(?:public|private|fileprivate|internal|open|final|nonisolated|indirect|package)\s+)*\b(class|struct|enum|actor|extension|protocol)\s+([\w.]+)(?:<[^{]*?>)?\s*(?::\s*([^{]*?))?\s*(?:where\s[^{]*)?\{/g;

function swiftTypeBlocks(code: string): TypeBlock[] {
  const blocks: TypeBlock[] = [];
  for (const m of code.matchAll(SWIFT_TYPE_HEADER)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchingBrace(code, open);
    const name = m[3]!.split('.').pop()!;
    blocks.push({
      name,
      kind: m[2]!,
      attributes: attributesIn(m[1] ?? ''),
      inherits: (m[4] ?? '').split(',').map((s) => s.replace(/<.*$/, '').trim()).filter(Boolean),
      bodyStart: open + 1,
      bodyEnd: close,
    });
  }
  return blocks;
}

const OBJC_TYPE_HEADER = /@(interface|implementation|protocol)\s+(\w+)\s*(?:\(\s*(\w*)\s*\))?\s*(?::\s*(\w+))?\s*(?:<([^>]*)>)?/g;

function objcTypeBlocks(code: string): TypeBlock[] {
  const blocks: TypeBlock[] = [];
  for (const m of code.matchAll(OBJC_TYPE_HEADER)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = code.indexOf('@end', start);
    blocks.push({
      name: m[2]!,
      kind: m[1] === 'protocol' ? 'protocol' : 'class',
      attributes: [],
      inherits: [m[4], ...(m[5] ?? '').split(',')].map((s) => (s ?? '').trim()).filter(Boolean),
      bodyStart: start,
      bodyEnd: end < 0 ? code.length : end,
    });
  }
  return blocks;
}

// Starts only where a word or attribute starts: without the look-behind every letter of a long run of
// words (`case a`, `case b`, …) is tried as a start and the scan is quadratic (1.3 s on one 20 KB enum).
const SWIFT_FUNC = /(?<![\w@.])((?:@[\w.]+(?:\([^)]*\))?\s+)*)((?:\w+\s+)*)func\s+(\w+)[^{;]*?\{/g;
const OBJC_METHOD = /^[ \t]*[-+]\s*\([^)]*\)\s*(\w+)[^{;]*\{/gm;

function swiftMethods(body: string): IndexedMethod[] {
  // The regex has no literal to search for and tries every position: skip bodies it cannot match.
  if (!body.includes('func')) return [];
  return [...body.matchAll(SWIFT_FUNC)].map((m) => {
    const open = (m.index ?? 0) + m[0].length - 1;
    const text = body.slice(open, matchingBrace(body, open));
    return {
      name: m[3]!,
      attributes: attributesIn(m[1] ?? ''),
      nonisolated: /\bnonisolated\b/.test(m[2] ?? ''),
      endsTasks: endedNames(text),
      calls: selfCalls(text),
    };
  });
}

function objcMethods(body: string): IndexedMethod[] {
  return [...body.matchAll(OBJC_METHOD)].map((m) => {
    const open = (m.index ?? 0) + m[0].length - 1;
    const text = body.slice(open, matchingBrace(body, open));
    return { name: m[1]!, attributes: [], nonisolated: false, endsTasks: endedNames(text), calls: selfCalls(text) };
  });
}

const END_CALL = /endBackgroundTask\s*(?:\(\s*|:\s*)([\w.>\-?!]+)/g;

function endedNames(text: string): string[] {
  return [...text.matchAll(END_CALL)].map((m) => m[1]!.split(/\.|->/).pop()!.replace(/[?!]/g, '').replace(/^_+/, ''));
}

const SELF_CALL = /(?:\b(?:self|weakSelf|strongSelf)\s*\??\s*\.\s*(\w+)\s*\(|\[\s*(?:self|weakSelf|strongSelf)\s+(\w+)|(?:^|[\s;{(])(\w+)\s*\()/g;

function selfCalls(text: string): string[] {
  return [...text.matchAll(SELF_CALL)].map((m) => m[1] ?? m[2] ?? m[3]!).filter((n) => !SWIFT_KEYWORDS.has(n));
}

const SWIFT_KEYWORDS = new Set(['if', 'guard', 'switch', 'for', 'while', 'return', 'func', 'init', 'catch', 'defer']);

const MAIN_ACTOR_DECL = /@MainActor\b(?:\s*@[\w.]+(?:\([^)]*\))?)*\s+(?:(?:public|private|fileprivate|internal|open|final|static|class|override|nonisolated|lazy|package)\s+)*(?:func|var|let)\s+(\w+)/g;

function mainActorDeclarations(code: string): string[] {
  return [...code.matchAll(MAIN_ACTOR_DECL)].map((m) => m[1]!);
}

function attributesIn(text: string): string[] {
  return [...text.matchAll(/@([\w.]+)/g)].map((m) => m[1]!);
}

function pushNew<T>(list: T[], item: T): void {
  if (!list.includes(item)) list.push(item);
}

/** Index of the `}` closing the `{` at `open` (or the end of text). */
function matchingBrace(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch === 123) depth++;
    else if (ch === 125 && --depth === 0) return i;
  }
  return code.length;
}

/**
 * Blanks comments and string contents (keeping offsets), so braces and names inside them do not
 * count. Handles `//`, `/* *\/`, "…" with escapes, and Swift's `"""` blocks; interpolations are blanked too.
 */
export function stripCommentsAndStrings(text: string): string {
  const parts: string[] = [];
  const n = text.length;
  let kept = 0;
  const blank = (from: number, to: number) => {
    const gone = text.slice(from, Math.min(to, n));
    parts.push(text.slice(kept, from), gone.includes('\n') ? gone.replace(/[^\n]/g, ' ') : ' '.repeat(gone.length));
    kept = Math.min(to, n);
  };
  // Only `/` and `"` can open a comment or string; jump between them instead of copying char by char.
  const opener = /[/"]/g;
  let i = 0;
  while (i < n) {
    opener.lastIndex = i;
    const m = opener.exec(text);
    if (!m) break;
    i = m.index;
    const c = text[i];
    let end = i + 1;
    if (c === '/' && text[i + 1] === '/') end = indexOr(text, '\n', i, n);
    else if (c === '/' && text[i + 1] === '*') end = indexOr(text, '*/', i + 2, n) + 2;
    else if (c === '"' && text.startsWith('"""', i)) end = indexOr(text, '"""', i + 3, n) + 3;
    else if (c === '"') end = stringEnd(text, i + 1);
    else {
      i++;
      continue;
    }
    blank(i, end);
    i = end;
  }
  parts.push(text.slice(kept));
  return parts.join('');
}

function indexOr(text: string, needle: string, from: number, fallback: number): number {
  const at = text.indexOf(needle, from);
  return at < 0 ? fallback : at;
}

function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
    else if (text[i] === '\n') return i;
  }
  return text.length;
}
