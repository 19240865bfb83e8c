/**
 * The project-wide index, built by a lexical pass over every source file (no parse): types with
 * their attributes, supertypes and extensions, the methods each declares, and which stored values
 * each method ends with `endBackgroundTask`. About 30× cheaper than parsing, which matters because
 * hundreds of files mention `@MainActor` and only a few contain an API a rule checks.
 */
import type { Language } from '../syntax/ir';
import { swiftNameForSelector } from '../syntax/api-names';
import { taskRegistrationsIn } from './task-registrations';
import { apiUsesIn, type IndexedApiUse } from './api-uses';
import type { TaskRegistrationSite } from './task-registrations';
import { API_USE_WORDS } from './api-uses';

export interface IndexedMethod {
  name: string;
  /** Swift-style full name: `centralManager(_:willRestoreState:)` (ObjC selectors mapped like the syntax view). */
  fullName: string;
  attributes: string[];
  nonisolated: boolean;
  /** Names passed to `endBackgroundTask` in the method's own body (`bgTask` for `self.bgTask`). */
  endsTasks: string[];
  /** Base names of same-instance methods it calls synchronously (`finish` for `self?.finish()` / `[self finish]`). */
  calls: string[];
  /** Same-instance calls made only after an async hop (`DispatchQueue.main.async { self.finish() }`). */
  callsLater?: { name: string; hop: string }[];
  /** Calls on a property (`uploader.cancel()`, `[self.uploader cancel]`): followed through the property's type. */
  memberCalls?: { via: string; method: string; hop?: string }[];
  /** Calls of the consuming APIs the call-summary layer asks about (`LEXICAL_CONSUMERS`), with the value and any hop. */
  uses?: { api: string; value: string; hop?: string }[];
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
  /** Properties with a declared type (`var uploader: Uploader?`, `@property Uploader *uploader`). */
  properties?: { name: string; type: string }[];
}

export class ProjectIndex {
  readonly types = new Map<string, IndexedType>();
  /** Free functions and globals declared `@MainActor`. */
  readonly mainActorGlobals = new Set<string>();
  /** BGTask identifiers registered anywhere in the indexed files (for "permitted but never registered"). */
  readonly registeredTaskIds = new Set<string>();
  /** Registrations whose identifier the lexical pass could not read (built at run time, declared elsewhere). */
  unresolvedTaskRegistrations = 0;
  /** APIs some indexed file uses (`INDEXED_API_USES`): a Mach-service XPC listener… */
  readonly apiUses = new Set<IndexedApiUse>();
  /** Where each identifier is registered, in the order files were added (path order in a CLI run). */
  readonly taskRegistrationSites = new Map<string, { file: string; line: number }[]>();

  type(name: string | undefined): IndexedType | undefined {
    return name ? this.types.get(name) : undefined;
  }

  /** Does the type, or a supertype declared in the project, implement a method with this full name? */
  implements(typeName: string | undefined, fullName: string, seen = new Set<string>()): boolean {
    const type = this.type(typeName);
    if (!type || seen.has(type.name)) return false;
    seen.add(type.name);
    return type.methods.some((m) => m.fullName === fullName) || type.inherits.some((t) => this.implements(t, fullName, seen));
  }

  /** Every value ended with `endBackgroundTask` by a method of the type (any file, any extension). */
  endedByType(typeName: string | undefined): Set<string> {
    return new Set(this.type(typeName)?.methods.flatMap((m) => m.endsTasks) ?? []);
  }

  /** Does calling `method` on the type end `stored` (directly, or through one more same-type call)? */
  methodEnds(typeName: string | undefined, method: string, stored: string | ReadonlySet<string> | undefined, depth = 2): boolean {
    const type = this.type(typeName);
    if (!type || depth === 0) return false;
    return type.methods.some(
      (m) =>
        m.name === method &&
        (m.endsTasks.some((e) => stored === undefined || (typeof stored === 'string' ? e === stored : stored.has(e))) ||
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
    for (const id of facts.registeredTaskIds) this.registeredTaskIds.add(id);
    this.unresolvedTaskRegistrations += facts.unresolvedTaskRegistrations;
    for (const use of facts.apiUses ?? []) this.apiUses.add(use);
    for (const site of facts.taskRegistrationSites ?? []) this.addRegistrationSite(facts.file, site);
  }

  private addRegistrationSite(file: string, site: TaskRegistrationSite): void {
    const sites = this.taskRegistrationSites.get(site.identifier) ?? [];
    sites.push({ file, line: site.line });
    this.taskRegistrationSites.set(site.identifier, sites);
  }

  /** The index as plain data (for worker threads and the cache); `ProjectIndex.fromData` restores it. */
  toData(): ProjectIndexData {
    return {
      types: [...this.types.values()], mainActorGlobals: [...this.mainActorGlobals],
      registeredTaskIds: [...this.registeredTaskIds], unresolvedTaskRegistrations: this.unresolvedTaskRegistrations,
      apiUses: [...this.apiUses],
      taskRegistrationSites: [...this.taskRegistrationSites],
    };
  }

  static fromData(data: ProjectIndexData): ProjectIndex {
    const index = new ProjectIndex();
    for (const type of data.types) index.types.set(type.name, type);
    for (const name of data.mainActorGlobals) index.mainActorGlobals.add(name);
    for (const id of data.registeredTaskIds) index.registeredTaskIds.add(id);
    index.unresolvedTaskRegistrations = data.unresolvedTaskRegistrations;
    for (const use of data.apiUses ?? []) index.apiUses.add(use);
    for (const [id, sites] of data.taskRegistrationSites ?? []) index.taskRegistrationSites.set(id, sites);
    return index;
  }

  private addType(file: string, block: TypeFacts): void {
    const type = this.types.get(block.name) ?? {
      name: block.name, kinds: [], attributes: [], inherits: [], files: [], methods: [], mainActorMembers: [], properties: [],
    };
    this.types.set(block.name, type);
    pushNew(type.kinds, block.kind);
    for (const a of block.attributes) pushNew(type.attributes, a);
    for (const i of block.inherits) pushNew(type.inherits, i);
    pushNew(type.files, file);
    type.methods.push(...block.methods);
    type.mainActorMembers.push(...block.mainActorMembers);
    (type.properties ??= []).push(...(block.properties ?? []));
  }
}

export interface ProjectIndexData {
  types: IndexedType[];
  mainActorGlobals: string[];
  registeredTaskIds: string[];
  unresolvedTaskRegistrations: number;
  apiUses?: IndexedApiUse[];
  taskRegistrationSites?: [string, { file: string; line: number }[]][];
}

/** One type declaration or extension as one file states it. */
export interface TypeFacts {
  name: string;
  kind: string;
  attributes: string[];
  inherits: string[];
  methods: IndexedMethod[];
  mainActorMembers: string[];
  properties?: { name: string; type: string }[];
}

/** What one file adds to the index: plain data, so it can be computed in a worker or kept in the cache. */
export interface FileFacts {
  file: string;
  types: TypeFacts[];
  mainActorGlobals: string[];
  registeredTaskIds: string[];
  unresolvedTaskRegistrations: number;
  apiUses: IndexedApiUse[];
  taskRegistrationSites?: TaskRegistrationSite[];
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
      mainActorMembers: language === 'swift' && body.includes('@MainActor') ? mainActorDeclarations(body) : [],
      properties: typedProperties(body, language),
    };
  });
  const globals = language === 'swift' && code.includes('@MainActor') ? mainActorDeclarations(outsideBlocks(code, blocks)) : [];
  const registrations = taskRegistrationsIn(text, code, language);
  const facts: FileFacts = {
    file, types, mainActorGlobals: globals,
    registeredTaskIds: [...registrations.identifiers], unresolvedTaskRegistrations: registrations.unresolved,
    apiUses: apiUsesIn(code),
    taskRegistrationSites: registrations.sites,
  };
  // Names cut out of the text by regexes are V8 sliced strings that keep the whole file's text alive;
  // the index holds thousands of them, so it would hold every file of the project. A JSON round trip
  // gives the facts strings of their own (measured: 106 MB of heap for 12,000 files before, see docs/benchmarks.md).
  return JSON.parse(JSON.stringify(facts)) as FileFacts;
}

/**
 * The index on demand. Rules ask the index two kinds of question:
 *
 * - by a name: a type's supertypes, attributes, methods (who ends a task, who implements a callback),
 *   properties and their types, `@MainActor` members; whether a called function is a `@MainActor`
 *   global. The name is written in the linted file, or is a supertype or property type the index itself
 *   gives (`namesReferencedBy`). Only the files declaring such a name need lexing (`outlineFile`).
 * - about the whole project: BGTask identifiers registered (and where, for "registered twice"), the
 *   Mach-service XPC listener, how many types implement `urlSessionDidFinishEvents`. A file that can
 *   add to these facts contains one of `INDEX_EVERYWHERE_WORDS` and is always lexed.
 *
 * A fact added to the index must be reachable one of these ways: its key in `keysOf` (and found by
 * `outlineFile`), or its words here. The soundness test (packages/session/test/on-demand-index.test.ts)
 * compares findings with the on-demand and the full index.
 */
export const INDEX_EVERYWHERE_WORDS = [
  // taskRegistrationsIn: `register(forTaskWithIdentifier:`, `registerForTaskWithIdentifier:`.
  'orTaskWithIdentifier',
  // implementations of urlSessionDidFinishEvents(forBackgroundURLSession:), counted over every type.
  'DidFinishEvents',
  ...API_USE_WORDS,
];

/**
 * How the on-demand index reaches each kind of fact a file gives: by the name it is kept under
 * (`keysOf`, found by `outlineFile`), or because its file has one of `INDEX_EVERYWHERE_WORDS`. A new
 * field of `FileFacts` must be classified here (the compiler asks), and its words or keys added; a
 * rule that reads per-type facts over every type (not by a name) needs words here too.
 */
export const FACTS_REACHED_BY: Record<keyof FileFacts, 'file' | 'name' | 'everywhere'> = {
  file: 'file',
  types: 'name',
  mainActorGlobals: 'name',
  registeredTaskIds: 'everywhere',
  unresolvedTaskRegistrations: 'everywhere',
  taskRegistrationSites: 'everywhere',
  apiUses: 'everywhere',
};

/** What a file can add to the index, found without lexing method bodies: the names it declares, and whether it is always indexed. */
export interface FileOutline {
  /** Every key `keysOf` can give for the file's facts: type names (also of extensions), `@MainActor` declarations. */
  declares: string[];
  /** The file holds words of facts rules read over the whole project (`INDEX_EVERYWHERE_WORDS`). */
  everywhere: boolean;
}

/** The outline of one file: the type headers of `lexFile` (same patterns on the same blanked code) and its `@MainActor` names. */
export function outlineFile(text: string, language: Language): FileOutline {
  const code = stripCommentsAndStrings(text);
  const declares = new Set<string>();
  // The keyword and name of `SWIFT_TYPE_HEADER` alone: every header it matches matches here (a superset, far cheaper).
  if (language === 'swift') {
    for (const m of code.matchAll(SWIFT_DECLARED_NAME)) if (!NOT_A_TYPE_NAME.has(m[1]!)) declares.add(m[1]!.split('.').pop()!);
  }
  else for (const m of code.matchAll(OBJC_TYPE_HEADER)) declares.add(m[2]!);
  if (language === 'swift' && code.includes('@MainActor')) for (const name of mainActorDeclarations(code)) declares.add(name);
  return { declares: [...declares], everywhere: INDEX_EVERYWHERE_WORDS.some((w) => text.includes(w)) };
}

/** The names under which the index keeps a file's facts (what `outlineFile` must find). */
export function keysOf(facts: FileFacts): string[] {
  return [...facts.types.map((t) => t.name), ...facts.mainActorGlobals];
}

/** Names the facts lead a rule on to: supertypes and property types, asked about by name in turn. */
export function namesReferencedBy(facts: FileFacts): string[] {
  const names: string[] = [];
  for (const type of facts.types) {
    for (const name of type.inherits) names.push(name, ...name.split('.'));
    for (const p of type.properties ?? []) names.push(p.type);
  }
  return names;
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

const SWIFT_DECLARED_NAME = /\b(?:class|struct|enum|actor|extension|protocol)\s+([\w.]+)/g;
/** Keywords after `class` (`class func`, `class var`): no type has these names, and every linted file holds them. */
const NOT_A_TYPE_NAME = new Set(['func', 'var', 'let', 'init', 'deinit', 'subscript', 'override', 'final', 'private', 'fileprivate', 'public', 'internal', 'open', 'package', 'static', 'required', 'convenience', 'nonisolated', 'typealias', 'associatedtype', 'case']);

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

const SWIFT_FUNC = /\bfunc\s+(\w+)[^{;]*?\{/g;
const OBJC_METHOD = /^[ \t]*[-+]\s*\([^)]*\)\s*(\w+)[^{;]*\{/gm;

function swiftMethods(body: string): IndexedMethod[] {
  return [...body.matchAll(SWIFT_FUNC)].map((m) => {
    const open = (m.index ?? 0) + m[0].length - 1;
    const text = body.slice(open, matchingBrace(body, open));
    const prefix = declarationPrefix(body, m.index ?? 0);
    return {
      name: m[1]!,
      fullName: swiftFullName(m[1]!, m[0]),
      attributes: attributesIn(prefix),
      nonisolated: /\bnonisolated\b/.test(prefix),
      ...bodyFacts(text),
    };
  });
}

// Each token ends at a word boundary, so the repetition cannot split a word and backtrack.
const ATTRIBUTES_ONLY_LINE =
  /^\s*(?:(?:@[\w.]+(?![\w.])(?:\([^)]*\))?|(?:public|private|fileprivate|internal|open|final|static|class|override|nonisolated|mutating|dynamic|required|convenience|package)\b)\s*)*$/;

/**
 * The attributes and modifiers written before a declaration at `at`: its own line up to there, and
 * the lines just above it that hold only attributes and modifiers (`@MainActor` on a line of its own).
 */
function declarationPrefix(code: string, at: number): string {
  let start = code.lastIndexOf('\n', at - 1) + 1;
  while (start > 0) {
    // (lastIndexOf clamps a negative start to 0, so the first line is handled apart.)
    const above = start >= 2 ? code.lastIndexOf('\n', start - 2) + 1 : 0;
    if (!ATTRIBUTES_ONLY_LINE.test(code.slice(above, start - 1))) break;
    start = above;
  }
  const prefix = code.slice(start, at);
  const lastBoundary = Math.max(prefix.lastIndexOf('{'), prefix.lastIndexOf('}'), prefix.lastIndexOf(';'));
  return prefix.slice(lastBoundary + 1);
}

function objcMethods(body: string): IndexedMethod[] {
  return [...body.matchAll(OBJC_METHOD)].map((m) => {
    const open = (m.index ?? 0) + m[0].length - 1;
    const text = body.slice(open, matchingBrace(body, open));
    return { name: m[1]!, fullName: swiftNameForSelector(objcSelector(m[0])), attributes: [], nonisolated: false, ...bodyFacts(text) };
  });
}

/** `func f(_ a: A, with b: B) … {` → `f(_:with:)`: the first word of each top-level parameter. */
function swiftFullName(name: string, header: string): string {
  const open = header.indexOf('(', header.indexOf(name) + name.length);
  if (open < 0) return `${name}()`;
  const labels: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < header.length; i++) {
    const c = header[i]!;
    if ('([<'.includes(c)) depth++;
    else if (')]>'.includes(c) && header[i - 1] !== '-') depth--;
    if ((c === ',' && depth === 1) || depth === 0) {
      const label = /^\s*(\w+)/.exec(header.slice(start, i))?.[1];
      if (label) labels.push(label);
      start = i + 1;
    }
    if (depth === 0) break;
  }
  return `${name}(${labels.map((l) => `${l}:`).join('')})`;
}

/** `- (void)centralManager:(CBCentralManager *)c willRestoreState:(NSDictionary *)d {` → `centralManager:willRestoreState:`. */
function objcSelector(header: string): string {
  const afterReturnType = header.replace(/^\s*[-+]\s*\([^)]*\)\s*/, '').replace(/\{$/, '');
  const withoutTypes = afterReturnType.replace(/\([^)]*\)/g, ' ');
  const pieces = [...withoutTypes.matchAll(/(\w+)\s*:/g)].map((m) => m[1]!);
  return pieces.length ? pieces.map((p) => `${p}:`).join('') : withoutTypes.trim().split(/\s+/)[0] ?? '';
}

const END_CALL = /endBackgroundTask\s*(?:\(\s*|:\s*)([\w.>\-?!]+)/g;

function endedNames(text: string): string[] {
  if (!text.includes('endBackgroundTask')) return [];
  return [...text.matchAll(END_CALL)].map((m) => m[1]!.split(/\.|->/).pop()!.replace(/[?!]/g, '').replace(/^_+/, ''));
}

/** What a method body does, for the call-summary layer: consumptions, same-instance and property calls, with their hops. */
function bodyFacts(text: string): Pick<IndexedMethod, 'endsTasks' | 'calls' | 'callsLater' | 'memberCalls' | 'uses'> {
  const calls: string[] = [];
  const callsLater: { name: string; hop: string }[] = [];
  for (const m of text.matchAll(SELF_CALL)) {
    const name = m[1] ?? m[2] ?? m[3]!;
    if (SWIFT_KEYWORDS.has(name)) continue;
    const hop = hopAt(text, m.index ?? 0);
    if (hop) callsLater.push({ name, hop });
    else calls.push(name);
  }
  // Each pattern only where its API's name occurs: a regex scan of every method of every file is the index's main cost.
  if (text.includes('afterDelay')) for (const m of text.matchAll(PERFORM_LATER)) callsLater.push({ name: m[1]!, hop: 'perform-after-delay' });
  const memberCalls = [...text.matchAll(MEMBER_CALL)].flatMap((m) => {
    const via = (m[1] ?? m[3])!.replace(/^_/, '');
    const method = (m[2] ?? m[4])!;
    if (via === 'self' || via === 'super') return [];
    const hop = hopAt(text, m.index ?? 0);
    return [hop ? { via, method, hop } : { via, method }];
  });
  const uses = LEXICAL_CONSUMERS.filter((api) => text.includes(api.name)).flatMap((api) => [...text.matchAll(api.pattern)].map((m) => {
    const value = m[1]!.split(/\.|->/).pop()!.replace(/[?!]/g, '').replace(/^_+/, '');
    const hop = hopAt(text, m.index ?? 0);
    return hop ? { api: api.name, value, hop } : { api: api.name, value };
  }));
  const copies = localCopies(text);
  const withSources = (names: string[]) => [...new Set(names.flatMap((n) => (copies.has(n) ? [n, copies.get(n)!] : [n])))];
  const copiedUses = uses.flatMap((use) => (copies.has(use.value) ? [{ ...use, value: copies.get(use.value)! }] : []));
  uses.push(...copiedUses);
  return { endsTasks: withSources(endedNames(text)), calls, callsLater, memberCalls, uses };
}

const LOCAL_COPY = /\b(\w+)\s*=\s*(?:(?:self|weakSelf|strongSelf)\s*[?!]?\s*(?:\.|->)\s*)?_?(\w+)\s*(?:;|\n|else\b|,|\{)/g;

/** `UIBackgroundTaskIdentifier taskId = self.backgroundTaskIdentifier;`, `guard let id = self?.taskID else`: local → stored name. */
function localCopies(text: string): Map<string, string> {
  const copies = new Map<string, string>();
  for (const m of text.matchAll(LOCAL_COPY)) if (m[1] !== m[2] && !copies.has(m[1]!)) copies.set(m[1]!, m[2]!.replace(/^_+/, ''));
  // `let id = UIBackgroundTaskIdentifier(rawValue: self.backgroundTask.rawValue)`: a converted copy.
  for (const m of text.matchAll(/\b(\w+)\s*=\s*[A-Z]\w*\s*\(\s*rawValue\s*:\s*(?:self\s*[?!]?\s*\.\s*)?_?(\w+)/g)) if (!copies.has(m[1]!)) copies.set(m[1]!, m[2]!);
  return copies;
}

/**
 * The consuming APIs whose calls the lexical pass records per method (the value: the argument of
 * `endBackgroundTask`, the receiver of `setTaskCompleted`), so summaries reach methods of other files.
 * Every match of a pattern contains its `name` (the pass looks for the name first).
 */
export const LEXICAL_CONSUMERS: { name: string; pattern: RegExp }[] = [
  { name: 'endBackgroundTask', pattern: /endBackgroundTask\s*(?:\(\s*|:\s*)([\w.>\-?!]+)/g },
  { name: 'setTaskCompleted', pattern: /([\w.?!]+)\s*(?:\.\s*setTaskCompleted\s*\(|\s+setTaskCompletedWithSuccess\s*:)/g },
];

const MEMBER_CALL = /(?:\b(?:self\s*\??\s*\.\s*)?(\w+)\s*[?!]?\s*\.\s*(\w+)\s*\(|\[\s*(?:self\s*\.\s*|self->)?(_?\w+)\s+(\w+)\s*[\]:])/g;
const PERFORM_LATER = /perform(?:Selector)?\s*[:(]\s*(?:#selector\s*\(|@selector\s*\()\s*(?:self\.)?(\w+)[^;\n]*afterDelay/g;

/** Text just before an opening brace that runs its block later, and the hop it is. */
const HOPS_BEFORE_BRACE: [RegExp, string][] = [
  [/(?:dispatch_after\s*\([^{};]*\^|\.asyncAfter\s*\([^{}]*?(?:\)|execute:))\s*(?:\([^)]*\))?\s*$/, 'async-after'],
  [/(?:dispatch_async\s*\([^{};]*\^|\.async\s*(?:\([^{}]*?(?:\)|execute:))?)\s*(?:\([^)]*\))?\s*$/, 'queue-async'],
  [/\bTask(?:\s*\.\s*(?:detached|immediate|immediateDetached))?\s*(?:\([^{}]*\))?\s*$/, 'task'],
  [/addOperation(?:WithBlock\s*:\s*\^|\s*\(?)\s*$/, 'operation-queue'],
  [/\.perform\s*$/, 'run-loop'],
  [/scheduledTimer[^{};]*$/, 'timer'],
  [/\.notify\s*\([^{}]*\)\s*$/, 'notify'],
];

/** The hop of the innermost enclosing block of `at` that runs later, if any (braces matched backwards). */
function hopAt(text: string, at: number): string | undefined {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const ch = text.charCodeAt(i);
    if (ch === 125) depth++;
    else if (ch === 123) {
      if (depth > 0) { depth--; continue; }
      const before = text.slice(Math.max(0, i - 160), i);
      const hop = HOPS_BEFORE_BRACE.find(([pattern]) => pattern.test(before));
      if (hop) return hop[1];
    }
  }
  return undefined;
}

const SWIFT_PROPERTY = /\b(?:var|let)\s+(\w+)\s*:\s*(?:\w+\s+)?([A-Z]\w*)/g;
const OBJC_PROPERTY = /@property\s*(?:\([^)]*\))?\s*(?:__\w+\s+)?([A-Z]\w*)\s*(?:<[^>]*>)?\s*\*?\s*(\w+)\s*;|^\s*([A-Z]\w*)\s*\*\s*(_?\w+)\s*;/gm;

function typedProperties(body: string, language: Language): { name: string; type: string }[] {
  if (language === 'swift') return [...body.matchAll(SWIFT_PROPERTY)].map((m) => ({ name: m[1]!, type: m[2]! }));
  return [...body.matchAll(OBJC_PROPERTY)].map((m) => ({ name: (m[2] ?? m[4])!.replace(/^_/, ''), type: (m[1] ?? m[3])! }));
}

const SELF_CALL = /(?:\b(?:self|weakSelf|strongSelf)\s*\??\s*\.\s*(\w+)\s*\(|\[\s*(?:self|weakSelf|strongSelf)\s+(\w+)|(?:^|[\s;{(])(\w+)\s*\()/g;


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
  let copied = 0;
  const n = text.length;
  // Jumps from one comment or string opener to the next: the code between is copied as is.
  const opener = /\/\/|\/\*|"/g;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    const i = m.index;
    let end: number;
    if (m[0] === '//') end = indexOr(text, '\n', i, n);
    else if (m[0] === '/*') end = Math.min(indexOr(text, '*/', i + 2, n) + 2, n);
    else if (text.startsWith('"""', i)) end = Math.min(indexOr(text, '"""', i + 3, n) + 3, n);
    else end = stringEnd(text, i + 1);
    parts.push(text.slice(copied, i), blank(text, i, end));
    copied = end;
    opener.lastIndex = end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Spaces in place of text[start, end), keeping its line breaks. */
function blank(text: string, start: number, end: number): string {
  const newline = text.indexOf('\n', start);
  if (newline < 0 || newline >= end) return ' '.repeat(end - start);
  return text.slice(start, end).replace(/[^\n]/g, ' ');
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
