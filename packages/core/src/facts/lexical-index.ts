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
import { CONFIGURATION_WORDS, backgroundSessionMembersIn, mayBuildBackgroundSession } from '../apis/url-session';
import { API_USE_WORDS } from './api-uses';
import { matchingBrace } from './braces';
import { nilFallbacksIn, objcParamTypes, swiftParamTypes, type NilFallback } from './nil-fallbacks';

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
  /** Calls on a type's shared instance (`TokenStore.shared.token()`, `[[Store sharedInstance] token]`), for the reach map. */
  sharedCalls?: { type: string; method: string }[];
  /** Actions sent to a store (`send(.refresh)`, `store.send(.inbox(.pollNow))`): the case names, outer and inner. */
  sends?: string[];
  /** The parameters' local names, when the code runs one of them in the background (`backgroundBlocks[].invokes`). */
  params?: string[];
  /** Code here that the system runs in the background on its own: a BGTask launch handler, an expiration handler, `.backgroundTask`. */
  backgroundBlocks?: BackgroundBlockFacts[];
  /** Trailing closures given to a property's member (`manager.registerHandler { … }`): what each calls. */
  closureArgs?: ({ via: string; method: string } & ReachCallFacts)[];
  /** A property member's result kept as the signed-in state (`let hasToken = keychain.exists(…)`). */
  authChecks?: AuthCheck[];
  /** The unit returns what one call or property read gives (`{ return Keychain.userToken }`, `get { getValue(for: .token) }`). */
  returnsFrom?: { via: string; name: string };
  /** `SecItemCopyMatching` calls here, with the service and account when written as string literals. */
  keychainReads?: { service?: string; account?: string }[];
  /** The code checks whether protected data is available (`isProtectedDataAvailable`, `…ProtectedDataDidBecomeAvailable`). */
  checksProtectedData?: true;
  /** Calls whose nil result leads to generating and storing a new value (`nil-fallbacks.ts`). */
  regenerates?: NilFallback[];
  /** Property reads on a receiver whose type the reach map can resolve (`self.token`, `Keychain.userToken`, `store.email` with a typed `store`). */
  reads?: PropertyRead[];
  /** The unit is a property's getter (a Swift computed property, an ObjC method without arguments): a property read runs it. */
  getter?: true;
}

/** `receiver.name` read as a value (not called, not assigned): `self`, a type name, or a typed property of the code's own type. */
export interface PropertyRead {
  via: string;
  name: string;
  /** The receiver's type when the code declares it: a parameter (`_ store: TokenStore`), a local made by a type (`let p = Provider()`, `= Provider.standard`). */
  viaType?: string;
}

/** What a piece of code calls, for following it across files: same-instance members, property members, sent actions. */
export interface ReachCallFacts {
  calls: string[];
  memberCalls: { via: string; method: string; hop?: string }[];
  /** Calls on a type's shared instance (`TokenStore.shared.token()`): the type and the method. */
  sharedCalls?: { type: string; method: string }[];
  sends?: string[];
  reads?: PropertyRead[];
}

export interface BackgroundBlockFacts extends ReachCallFacts {
  /** How messages name it: 'a BGTask launch handler'. */
  scope: string;
  /** Names called directly (`handler()`, a copy of a parameter included under the parameter's name). */
  invokes: string[];
}

/**
 * Code that belongs to a type without being a `func` of its body: a closure given for a member in
 * `Type(member: { … })`, a Swift initializer (`Type.init`), a reducer's case.
 */
export interface IndexedUnit {
  type: string;
  method: IndexedMethod;
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
  /** Methods and properties whose value is a background URLSession built in their own code (`backgroundSessionMembersIn`). */
  backgroundSessions?: string[];
  /** Values injected by key path (`@Dependency(\\.keychainService) var keychain`): the local name and the `DependencyValues` member. */
  dependencies?: { name: string; key: string }[];
  /** Getters of Swift computed properties, as units named by the property (kept apart from `methods`: nothing calls them by name). */
  getters?: IndexedMethod[];
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
  /** Closures given for a type's members in another expression (`KeychainService(load: { … })`), by type name. */
  readonly closureMembers = new Map<string, IndexedMethod[]>();
  /** Reducer cases by action name (`pollNow`), with the reducer's type. */
  readonly actionHandlers = new Map<string, IndexedUnit[]>();

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

  /** How many files' facts were merged: what is derived from the index is kept until this changes. */
  get revision(): number {
    return this.merged;
  }

  private merged = 0;

  /** Merges one file's facts; merging every file's facts in path order gives the same index as `addFile`. */
  addFacts(facts: FileFacts): void {
    this.merged++;
    for (const block of facts.types) this.addType(facts.file, block);
    for (const name of facts.mainActorGlobals) this.mainActorGlobals.add(name);
    for (const id of facts.registeredTaskIds) this.registeredTaskIds.add(id);
    this.unresolvedTaskRegistrations += facts.unresolvedTaskRegistrations;
    for (const use of facts.apiUses ?? []) this.apiUses.add(use);
    for (const site of facts.taskRegistrationSites ?? []) this.addRegistrationSite(facts.file, site);
    for (const unit of facts.closureMembers ?? []) pushTo(this.closureMembers, unit.type, unit.method);
    for (const unit of facts.actionHandlers ?? []) pushTo(this.actionHandlers, unit.method.name.replace(/^\./, ''), unit);
  }

  private addRegistrationSite(file: string, site: TaskRegistrationSite): void {
    const sites = this.taskRegistrationSites.get(site.identifier) ?? [];
    sites.push({ file, line: site.line });
    this.taskRegistrationSites.set(site.identifier, sites);
  }

  /**
   * The index as plain data (for worker threads and the cache); `ProjectIndex.fromData` restores it.
   * Without `reach`: as if its files were lexed without the facts only the reach map reads (`LexOptions`),
   * for code that does not ask the map (a third less to copy to a worker).
   */
  toData({ reach = true }: { reach?: boolean } = {}): ProjectIndexData {
    return {
      types: reach ? [...this.types.values()] : [...this.types.values()].map(typeWithoutReach), mainActorGlobals: [...this.mainActorGlobals],
      registeredTaskIds: [...this.registeredTaskIds], unresolvedTaskRegistrations: this.unresolvedTaskRegistrations,
      apiUses: [...this.apiUses],
      taskRegistrationSites: [...this.taskRegistrationSites],
      ...(reach && this.closureMembers.size ? { closureMembers: [...this.closureMembers] } : {}),
      ...(reach && this.actionHandlers.size ? { actionHandlers: [...this.actionHandlers] } : {}),
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
    for (const [type, methods] of data.closureMembers ?? []) index.closureMembers.set(type, methods);
    for (const [action, units] of data.actionHandlers ?? []) index.actionHandlers.set(action, units);
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
    for (const m of block.backgroundSessions ?? []) pushNew((type.backgroundSessions ??= []), m);
    for (const d of block.dependencies ?? []) if (!type.dependencies?.some((e) => e.name === d.name)) (type.dependencies ??= []).push(d);
    if (block.getters?.length) (type.getters ??= []).push(...block.getters);
  }
}

export interface ProjectIndexData {
  types: IndexedType[];
  mainActorGlobals: string[];
  registeredTaskIds: string[];
  unresolvedTaskRegistrations: number;
  apiUses?: IndexedApiUse[];
  taskRegistrationSites?: [string, { file: string; line: number }[]][];
  closureMembers?: [string, IndexedMethod[]][];
  actionHandlers?: [string, IndexedUnit[]][];
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
  /** Methods and properties whose value is a background URLSession built in their own code (`backgroundSessionMembersIn`). */
  backgroundSessions?: string[];
  /** Values injected by key path (`@Dependency(\\.keychainService) var keychain`): the local name and the `DependencyValues` member. */
  dependencies?: { name: string; key: string }[];
  /** Getters of Swift computed properties with a body (`swiftGetters`). */
  getters?: IndexedMethod[];
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
  /** Closures given for members in `Type(member: { … })` (a struct of closures, such as a dependency client's live value). */
  closureMembers?: IndexedUnit[];
  /** The cases of `switch action` (a reducer), one unit per action name, named `.name`. */
  actionHandlers?: IndexedUnit[];
  /** Lexed without the facts only the background reach map reads (`LexOptions.reach`). */
  withoutReach?: true;
}

/** The fields of a unit that only the reach map reads: lexing without `LexOptions.reach` leaves them out. */
const REACH_ONLY_METHOD_FIELDS = [
  'checksProtectedData', 'regenerates', 'sends', 'sharedCalls', 'backgroundBlocks', 'params', 'closureArgs', 'authChecks', 'returnsFrom', 'keychainReads', 'reads',
] as const satisfies readonly (keyof IndexedMethod)[];

function methodWithoutReach(method: IndexedMethod): IndexedMethod {
  const lite = { ...method };
  for (const field of REACH_ONLY_METHOD_FIELDS) delete lite[field];
  return lite;
}

/** A type's facts as lexing without the reach map's facts gives them: no getters, units without `REACH_ONLY_METHOD_FIELDS`. */
function typeWithoutReach(type: IndexedType): IndexedType {
  const { getters: _getters, ...rest } = type;
  return { ...rest, methods: type.methods.map(methodWithoutReach) };
}

export interface LexOptions {
  /**
   * The facts only the project-wide background reach map reads (calls/reach.ts): getters, closure
   * members, reducer actions, and per unit the reads, shared-instance calls, closures handed on, sign-in
   * checks and keychain reads. Without them lexing costs about half (0.48× CPU on the corpus apps,
   * docs/benchmarks.md); a run leaves them out when no linted code asks the map (`asksWholeIndex`).
   * Default: with.
   */
  reach?: boolean;
}

/** The lexical pass over one file (no parse), its facts with strings of their own, to keep in an index. */
export function lexFile(file: string, text: string, language: Language, options: LexOptions = {}): FileFacts {
  // Names cut out of the text by regexes are V8 sliced strings that keep the whole file's text alive;
  // the index holds thousands of them, so it would hold every file of the project. A JSON round trip
  // gives the facts strings of their own (measured: 106 MB of heap for 12,000 files before, see docs/benchmarks.md).
  return JSON.parse(JSON.stringify(lexFacts(file, text, language, options))) as FileFacts;
}

/**
 * The lexical pass, its facts' strings cut from `text` (which they keep alive): for facts that are copied
 * anyway, such as those a worker posts to the main thread (the structured clone copies every string).
 */
export function lexFacts(file: string, text: string, language: Language, { reach = true }: LexOptions = {}): FileFacts {
  const code = stripCommentsAndStrings(text);
  const blocks = language === 'swift' ? swiftTypeBlocks(code) : objcTypeBlocks(code);
  const types = blocks.map((block): TypeFacts => {
    const body = code.slice(block.bodyStart, block.bodyEnd);
    const raw = text.slice(block.bodyStart, block.bodyEnd);
    const properties = typedProperties(body, language);
    const receivers = new Set(['self', ...properties.map((p) => p.name)]);
    const methods = language === 'swift' ? swiftMethods(body, raw, receivers, reach) : objcMethods(body, raw, receivers, reach);
    const getters = language === 'swift' && reach ? swiftGetters(body, raw, receivers) : [];
    if (reach) markProtectedDataMembers([...methods, ...getters]);
    if (language === 'swift') addElementCalls([...methods, ...getters], collectionProperties(body));
    return {
      name: block.name, kind: block.kind, attributes: block.attributes, inherits: block.inherits,
      methods: methods.map((m) => m.method),
      mainActorMembers: language === 'swift' && body.includes('@MainActor') ? mainActorDeclarations(body) : [],
      properties,
      ...optional('getters', getters.map((g) => g.method)),
      ...optional('backgroundSessions', backgroundSessionMembersIn(body, language)),
      ...optional('dependencies', language === 'swift' && body.includes('@Dependency') ? dependenciesIn(body) : []),
    };
  });
  const globals = language === 'swift' && code.includes('@MainActor') ? mainActorDeclarations(outsideBlocks(code, blocks)) : [];
  const registrations = taskRegistrationsIn(text, code, language);
  const facts: FileFacts = {
    file, types, mainActorGlobals: globals,
    registeredTaskIds: [...registrations.identifiers], unresolvedTaskRegistrations: registrations.unresolved,
    apiUses: apiUsesIn(code),
    taskRegistrationSites: registrations.sites,
    ...optional('closureMembers', language === 'swift' && reach ? [...closureMembersIn(code, text), ...initializersIn(code, text, blocks)] : []),
    ...optional('actionHandlers', language === 'swift' && reach && code.includes('switch action') ? actionHandlersIn(code, text, blocks) : []),
    ...(reach ? {} : { withoutReach: true as const }),
  };
  return facts;
}

/** `{ key: list }` when the list has entries, else nothing (the facts stay small: most files have none). */
function optional<K extends string, T>(key: K, list: T[]): Partial<Record<K, T[]>> {
  return list.length ? ({ [key]: list } as Record<K, T[]>) : {};
}

/**
 * The index on demand. Rules ask the index two kinds of question:
 *
 * - by a name: a type's supertypes, attributes, methods (who ends a task, who implements a callback),
 *   properties and their types, `@MainActor` members; whether a called function is a `@MainActor`
 *   global. The name is written in the linted file, or is a supertype or property type the index itself
 *   gives (`namesReferencedBy`). Only the files declaring such a name need lexing (`outlineFile`).
 * - about the whole project: BGTask identifiers registered (and where, for "registered twice"), the
 *   Mach-service XPC listener, how many types implement `urlSessionDidFinishEvents`, whether any type
 *   has a background-session member (`PROJECT_CONDITIONS`, which the prefilter reads). A file that can
 *   add to these facts contains one of `INDEX_EVERYWHERE_WORDS` (or, for the last, passes
 *   `mayBuildBackgroundSession`) and is always lexed.
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
/**
 * Words of linted code that need the whole index, because no name in the linted file bounds the files
 * that answer: the keychain rule follows a read through the project-wide background reach map
 * (calls/reach.ts: calls through any type, closures given for a type's members, reducer actions; facts
 * of that map are `whole`). Only the files with these words get it: a run lints them after the others.
 */
export const WHOLE_INDEX_WORDS = ['SecItemAdd', 'SecItemUpdate', 'SecItemCopyMatching'];

/** Does linted code with this text ask the project-wide reach map (`WHOLE_INDEX_WORDS`)? */
export function asksWholeIndex(text: string): boolean {
  return WHOLE_INDEX_WORDS.some((w) => text.includes(w));
}

/**
 * A linted task begin asks about every call of the methods that end tasks: background-task-unbalanced
 * judges a task "ended only by its expiration handler" from every call of the ending method in the
 * project (`backgroundTask?.end()` in a file that declares nothing the begin's file names). A file that
 * calls such a method names it, so the files to add are those whose text holds an ending method's name
 * (`taskEndingMethods` of the facts chosen so far).
 */
export const TASK_BEGIN_WORD = 'beginBackgroundTask';

/** The names of the methods that end a task (`endsTasks`), in a file's facts. */
export function taskEndingMethods(facts: FileFacts): string[] {
  return facts.types.flatMap((t) => t.methods.filter((m) => m.endsTasks.length > 0).map((m) => m.name));
}

export const FACTS_REACHED_BY: Record<keyof FileFacts, 'file' | 'name' | 'everywhere' | 'whole'> = {
  file: 'file',
  types: 'name',
  mainActorGlobals: 'name',
  registeredTaskIds: 'everywhere',
  unresolvedTaskRegistrations: 'everywhere',
  taskRegistrationSites: 'everywhere',
  apiUses: 'everywhere',
  closureMembers: 'whole',
  actionHandlers: 'whole',
  withoutReach: 'file',
};

/** What a file can add to the index, found without lexing method bodies: the names it declares, and whether it is always indexed. */
export interface FileOutline {
  /** Every key `keysOf` can give for the file's facts: type names (also of extensions), `@MainActor` declarations. */
  declares: string[];
  /**
   * The file holds words of facts rules read over the whole project (`INDEX_EVERYWHERE_WORDS`), or can
   * give a type a background-session member (read over every type by the `background-session` project
   * condition, facts/project-conditions.ts).
   */
  everywhere: boolean;
}

/**
 * The outline of one file: every name `lexFile` can index it under (a superset: names in comments and
 * strings count too), and whether it is always indexed. It reads the text as it is: blanking comments and
 * strings first (`stripCommentsAndStrings`) was half an outline's cost, and a scan outlines every file.
 * The keyword and name of a type header may have comments between them, which the lexer reads as spaces.
 */
export function outlineFile(text: string, language: Language): FileOutline {
  const declares = new Set<string>();
  if (language === 'swift') {
    for (const m of text.matchAll(SWIFT_DECLARED_NAME_IN_TEXT)) if (!NOT_A_TYPE_NAME.has(m[1]!)) declares.add(m[1]!.split('.').pop()!);
  }
  else for (const m of text.matchAll(OBJC_DECLARED_NAME_IN_TEXT)) declares.add(m[1]!);
  // Rare words, after which the blanked code decides as the lexer does.
  let blanked: string | undefined;
  const code = () => (blanked ??= stripCommentsAndStrings(text));
  if (language === 'swift' && text.includes('@MainActor')) for (const name of mainActorDeclarations(code())) declares.add(name);
  const everywhere = INDEX_EVERYWHERE_WORDS.some((w) => text.includes(w)) || (CONFIGURATION_WORDS.some((w) => text.includes(w)) && mayBuildBackgroundSession(code()));
  return { declares: [...declares], everywhere };
}

/**
 * Between a type keyword and its name: spaces and comments (blanked to spaces where the lexer reads). The
 * name is matched ahead, not taken: a keyword in a comment before a header (`// the class`) must not use up
 * the header's own keyword as its name.
 */
const GAP = String.raw`(?:\s|/\*[\s\S]*?\*/|//[^\n]*)+`;
/** `SWIFT_TYPE_HEADER`'s keyword and name alone, on text not blanked: every header it matches in blanked code matches here. */
const SWIFT_DECLARED_NAME_IN_TEXT = new RegExp(String.raw`\b(?:class|struct|enum|actor|extension|protocol)(?=${GAP}([\w.]+))`, 'g');
/** `OBJC_TYPE_HEADER`'s keyword and name alone, likewise. */
const OBJC_DECLARED_NAME_IN_TEXT = new RegExp(String.raw`@(?:interface|implementation|protocol)(?=${GAP}(\w+))`, 'g');

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

/** A unit of a type's body with its (blanked) code, for facts that look across the type's members. */
interface LexedUnit {
  method: IndexedMethod;
  text: string;
}

function swiftMethods(body: string, raw = body, receivers: ReadonlySet<string> = new Set(), reach = true): LexedUnit[] {
  return [...body.matchAll(SWIFT_FUNC)].map((m) => {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchingBrace(body, open);
    const text = body.slice(open, close);
    const prefix = declarationPrefix(body, m.index ?? 0);
    return {
      text,
      method: {
        name: m[1]!,
        fullName: swiftFullName(m[1]!, m[0]),
        attributes: attributesIn(prefix),
        nonisolated: /\bnonisolated\b/.test(prefix),
        ...bodyFacts(text),
        ...(reach ? {
          ...reachFacts(text, raw.slice(open, close), () => swiftParams(m[0]), () => swiftHeaderParamTypes(m[0]), receivers),
          ...optionalReads(text, receivers, () => swiftHeaderParamTypes(m[0])),
        } : {}),
      },
    };
  });
}

/**
 * `var token: String? {` (a computed property: no `=`), `static var userToken: String? { get {`. Not an
 * opaque type (`var body: some View {`, `some ReducerOf<Self>`): a view's, scene's or reducer's body is
 * composed by the framework, not read as a value (a reducer's cases are units of their own).
 */
const SWIFT_COMPUTED = /\bvar\s+(\w+)\s*:(?!\s*some\b)[^={};\n]+?\{/g;

/**
 * Getters of computed properties with a body (`var email: String? { get { wrapper.data(…) } set { … } }`,
 * `var token: String? { read() }`), as units named by the property. Observers (`didSet`, `willSet`) and
 * protocol requirements (`{ get }`) have no getter body.
 */
function swiftGetters(body: string, raw: string, receivers: ReadonlySet<string>): LexedUnit[] {
  if (!body.includes('var')) return [];
  const units: LexedUnit[] = [];
  for (const m of body.matchAll(SWIFT_COMPUTED)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchingBrace(body, open);
    let [start, end] = [open, close];
    const inner = body.slice(open + 1, close);
    if (/^\s*(?:willSet|didSet)\b/.test(inner)) continue;
    const get = /^\s*(?:(?:mutating|nonmutating)\s+)?get\s*(?:async\s*)?(?:throws\s*)?\{/.exec(inner) ?? /(?:^|[\s;}])get\s*(?:async\s*)?(?:throws\s*)?\{/.exec(inner);
    if (get) {
      start = open + 1 + get.index + get[0].length - 1;
      end = matchingBrace(body, start);
    } else if (/^\s*(?:get|set)\b/.test(inner)) continue; // `{ get }`, `{ get set }`: a requirement
    const text = body.slice(start, end);
    if (!text.slice(1).trim()) continue;
    const prefix = declarationPrefix(body, m.index ?? 0);
    units.push({
      text,
      method: {
        name: m[1]!, fullName: m[1]!, attributes: attributesIn(prefix), nonisolated: /\bnonisolated\b/.test(prefix), getter: true,
        ...bodyFacts(text), ...reachFacts(text, raw.slice(start, end), () => [], () => [], receivers), ...optionalReads(text, receivers),
      },
    });
  }
  return units;
}

/** `let subscribers: [SynchronizationSubscriber]`: a property holding values of one type, by name. */
const SWIFT_COLLECTION_PROPERTY = /\b(?:var|let)\s+(\w+)\s*:\s*\[\s*([A-Z]\w*)\s*\??\s*\]/g;

function collectionProperties(body: string): Map<string, string> {
  return new Map([...body.matchAll(SWIFT_COLLECTION_PROPERTY)].map((m) => [m[1]!, m[2]!]));
}

/**
 * Calls on a collection property's elements (`subscribers.filter { $0.shouldParticipate(…) }`,
 * `for s in subscribers { s.sync() }`) are calls of the element type's method, for the reach map.
 */
function addElementCalls(units: LexedUnit[], collections: ReadonlyMap<string, string>): void {
  if (!collections.size) return;
  const names = [...collections.keys()];
  for (const u of units) {
    // Most members never name a collection: a substring test spares them both scans.
    if (!names.some((name) => u.text.includes(name))) continue;
    const found: { type: string; method: string }[] = [];
    for (const { m, block } of collectionBlocks(u.text, ELEMENT_CLOSURE, 1, collections)) {
      const param = /^\{\s*\(?\s*(\w+)[^)]*\)?\s*in\b/.exec(block)?.[1];
      for (const c of block.matchAll(ELEMENT_CALL)) if (c[1] === '$0' || c[1] === param) found.push({ type: collections.get(m[1]!)!, method: c[2]! });
    }
    for (const { m, block } of collectionBlocks(u.text, ELEMENT_LOOP, 2, collections)) {
      for (const c of block.matchAll(ELEMENT_CALL)) if (c[1] === m[1]) found.push({ type: collections.get(m[2]!)!, method: c[2]! });
    }
    if (found.length) u.method.sharedCalls = [...(u.method.sharedCalls ?? []), ...found];
  }
}

/** `subscribers.filter {`, `self.items.forEach {`: a name (group 1) whose elements a closure gets, up to the brace. */
const ELEMENT_CLOSURE = /\b(?:self\s*\.\s*)?(\w+)(?=\s*\.\s*(?:forEach|filter|map|compactMap|flatMap|contains|first|allSatisfy|sorted|reduce)\b[^{}\n]*\{)/g;
/** `for s in subscribers {`: the element (group 1) and the name (group 2), up to the brace. */
const ELEMENT_LOOP = /\bfor\s+(?:case\s+let\s+)?(\w+)\s+in\s+(?:self\s*\.\s*)?(\w+)\b(?=[^{}\n]*\{)/g;

/**
 * The blocks `pattern` finds opened after a collection property's name (its group `group`): as the pattern
 * with the collections' names written in would find them, each match running to the first `{` after the
 * name and the next one searched for past it. Compiling that pattern for each type cost more than its scans.
 */
function* collectionBlocks(text: string, pattern: RegExp, group: number, collections: ReadonlyMap<string, string>): Generator<{ m: RegExpMatchArray; block: string }> {
  let searchFrom = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index! < searchFrom || !collections.has(m[group]!)) continue;
    const open = text.indexOf('{', m.index! + m[0].length);
    searchFrom = open + 1;
    yield { m, block: text.slice(open, matchingBrace(text, open)) };
  }
}

const ELEMENT_CALL = /(\$0|\b\w+)\s*[?!]?\s*\.\s*(\w+)\s*\(/g;

/**
 * A member whose code checks protected data (`isProtectedDataAvailable`) makes that check for the code of its
 * type that uses it (`static var canUseKeychain: Bool { UIApplication.shared.isProtectedDataAvailable }`,
 * `if canUseKeychain { return load(key) }`, `[self canUseKeychain]`): such code counts as checking too.
 */
function markProtectedDataMembers(units: LexedUnit[]): void {
  for (let round = 0; round < 2; round++) {
    const checking = [...new Set(units.filter((u) => u.method.checksProtectedData).map((u) => u.method.name))];
    if (!checking.length) return;
    const uses = new RegExp(String.raw`\b(?:${checking.join('|')})\b`);
    for (const u of units) if (!u.method.checksProtectedData && uses.test(u.text)) u.method.checksProtectedData = true;
  }
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

function objcMethods(body: string, raw = body, receivers: ReadonlySet<string> = new Set(), reach = true): LexedUnit[] {
  return [...body.matchAll(OBJC_METHOD)].map((m) => {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchingBrace(body, open);
    const text = body.slice(open, close);
    // `- (NSString *)token {`: the getter `self.token` and `store.token` run.
    const getter = !m[0].includes(':') && !/^\s*[-+]\s*\(\s*void\s*\)/.test(m[0]);
    return {
      text,
      method: {
        name: m[1]!, fullName: swiftNameForSelector(objcSelector(m[0])), attributes: [], nonisolated: false, ...(getter ? { getter: true as const } : {}), ...bodyFacts(text),
        ...(reach ? {
          ...reachFacts(text, raw.slice(open, close), () => [...m[0].matchAll(/\)\s*(\w+)/g)].map((p) => p[1]!), () => objcParamTypes(m[0]), receivers),
          ...optionalReads(text, receivers, () => objcParamTypes(m[0])),
        } : {}),
      },
    };
  });
}

/**
 * A member's result kept as the signed-in state: `let hasToken = keychain.exists(…)` (a status reduced to
 * success), or `let isLoggedIn = provider.userToken != nil` (`nil: true`: a nil taken for "signed out").
 */
export interface AuthCheck {
  via: string;
  /** The receiver's type, when it is a parameter or a local made by a type (`let p = Provider.standard`). */
  viaType?: string;
  method: string;
  name: string;
  nil?: true;
}

/** `self.token`, `Keychain.userToken`, `store.email`: a member read as a value, not called (`(`, a trailing `{`) nor assigned. */
const PROPERTY_READ = /\b([A-Za-z_]\w*)(?=\s*[?!]?\s*\.\s*([a-z_]\w*)\b(?!\s*[({])(?!\s*[-+*/|&]?=(?!=)))/g;

/**
 * The property reads of a unit whose receiver the reach map can resolve: `self`, a type name, a typed
 * property of the unit's own type (`receivers`). Other receivers (locals, chains through unknown values)
 * are left out, so the facts stay small.
 */
function optionalReads(text: string, receivers: ReadonlySet<string>, params: () => { name: string; type: string }[] = () => []): { reads?: PropertyRead[] } {
  if (!text.includes('.')) return {};
  const reads: PropertyRead[] = [];
  let typed: Map<string, string> | undefined;
  for (const m of text.matchAll(PROPERTY_READ)) {
    const via = m[1]!.replace(/^_/, '');
    // `x.store.token`: `store` of another value (`self.store.token` is the type's own `store`).
    if (via !== 'self' && /\.\s*$/.test(text.slice(Math.max(0, (m.index ?? 0) - 12), m.index)) && !/\bself\s*[?!]?\s*\.\s*$/.test(text.slice(Math.max(0, (m.index ?? 0) - 12), m.index))) continue;
    let viaType: string | undefined;
    if (!receivers.has(via) && !/^[A-Z]/.test(via)) {
      typed ??= new Map([...params().map((p) => [p.name, p.type] as const), ...localsMadeByType(text)]);
      viaType = typed.get(via);
      if (!viaType) continue;
    }
    if (!reads.some((r) => r.via === via && r.name === m[2])) reads.push({ via, name: m[2]!, ...(viaType ? { viaType } : {}) });
  }
  return reads.length ? { reads: reads.slice(0, 40) } : {};
}

/** `let p = Provider(…)`, `let p = Provider.standard` (a type's shared instance), `Provider *p = [Provider new]` / `[[Provider alloc] init…]`: local → type. */
const LOCAL_MADE_BY_TYPE = /\b(?:let|var)\s+(\w+)\s*=\s*([A-Z]\w*)\s*(?:\(|\.\s*(?:shared|standard|default|current|sharedInstance|instance)\b(?!\s*[.(]))|\b([A-Z]\w*)\s*\*\s*(\w+)\s*=\s*\[\s*(?:\[\s*)?\3\s+(?:new|alloc|shared\w*|standard\w*|default\w*)\b/g;

function localsMadeByType(text: string): [string, string][] {
  return [...text.matchAll(LOCAL_MADE_BY_TYPE)].map((m) => (m[1] ? [m[1], m[2]!] : [m[4]!, m[3]!]));
}

/** `func f(_ a: A, with b: B) … {` → `f(_:with:)`: the first word of each top-level parameter. */
function swiftFullName(name: string, header: string): string {
  const open = header.indexOf('(', header.indexOf(name) + name.length);
  if (open < 0) return `${name}()`;
  const labels = topLevelParameters(header, open).flatMap((p) => /^\s*(\w+)/.exec(p)?.[1] ?? []);
  return `${name}(${labels.map((l) => `${l}:`).join('')})`;
}

/** The text of each top-level parameter of the list opening at `open` (generics, tuples and `->` skipped over). */
function topLevelParameters(header: string, open: number): string[] {
  const parameters: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < header.length; i++) {
    const c = header[i]!;
    if ('([<'.includes(c)) depth++;
    else if (')]>'.includes(c) && header[i - 1] !== '-') depth--;
    if ((c === ',' && depth === 1) || depth === 0) {
      parameters.push(header.slice(start, i));
      start = i + 1;
    }
    if (depth === 0) break;
  }
  return parameters;
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
  if (text.includes('waitUntilDone')) for (const m of text.matchAll(PERFORM_ON_THREAD)) callsLater.push({ name: m[1]!, hop: 'perform-on-thread' });
  if (text.includes('nBackground')) for (const m of text.matchAll(PERFORM_IN_BACKGROUND)) callsLater.push({ name: m[1]!, hop: 'perform-on-thread' });
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
  const ended = endedNames(text);
  // Local copies matter only for names a body ends or consumes, which few bodies have (two scans of every body otherwise).
  const copies = ended.length || uses.length ? localCopies(text) : new Map<string, string>();
  const withSources = (names: string[]) => [...new Set(names.flatMap((n) => (copies.has(n) ? [n, copies.get(n)!] : [n])))];
  const copiedUses = uses.flatMap((use) => (copies.has(use.value) ? [{ ...use, value: copies.get(use.value)! }] : []));
  uses.push(...copiedUses);
  return { endsTasks: withSources(ended), calls, callsLater, memberCalls, uses };
}

const LOCAL_COPY = /\b(\w+)\s*=\s*(?:(?:self|weakSelf|strongSelf)\s*[?!]?\s*(?:\.|->)\s*)?_?(\w+)\s*(?:;|\n|else\b|,|\{)/g;

/** `UIBackgroundTaskIdentifier taskId = self.backgroundTaskIdentifier;`, `guard let id = self?.taskID else`: local → stored name. */
function localCopies(text: string): Map<string, string> {
  const copies = new Map<string, string>();
  for (const m of text.matchAll(LOCAL_COPY)) if (m[1] !== m[2] && !copies.has(m[1]!)) copies.set(m[1]!, m[2]!.replace(/^_+/, ''));
  // `let id = UIBackgroundTaskIdentifier(rawValue: self.backgroundTask.rawValue)`: a converted copy.
  if (text.includes('rawValue')) for (const m of text.matchAll(/\b(\w+)\s*=\s*[A-Z]\w*\s*\(\s*rawValue\s*:\s*(?:self\s*[?!]?\s*\.\s*)?_?(\w+)/g)) if (!copies.has(m[1]!)) copies.set(m[1]!, m[2]!);
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

/** `TokenStore.shared.token()`, `[[TokenStore sharedInstance] token]`: a call on a type's shared instance. */
const SHARED_CALL = /\b([A-Z]\w*)\s*\.\s*(?:shared\w*|standard|default\w*|current|instance)\s*[?!]?\s*\.\s*(\w+)\s*\(|\[\s*\[\s*([A-Z]\w*)\s+(?:shared\w*|standard\w*|default\w*|current\w*)\s*\]\s+(\w+)\s*[\]:]/g;

/** Calls on a type's shared instance, for the reach map: the type and the method (`TokenStore.token`). */
function sharedCallsIn(text: string): { type: string; method: string }[] {
  if (!/\.\s*(?:shared|standard|default|current|instance)|\[\s*\[/.test(text)) return [];
  return [...text.matchAll(SHARED_CALL)].map((m) => ({ type: (m[1] ?? m[3])!, method: (m[2] ?? m[4])! }));
}
const MEMBER_CALL = /(?:\b(?:self\s*\??\s*\.\s*)?(\w+)\s*[?!]?\s*\.\s*(\w+)\s*\(|\[\s*(?:self\s*\.\s*|self->)?(_?\w+)\s+(\w+)\s*[\]:])/g;
const PERFORM_ON_THREAD = /perform(?:Selector)?(?:OnMainThread)?\s*[:(]\s*(?:onMainThread\s*:\s*)?(?:#selector|@selector)\s*\(\s*(?:self\.)?(\w+)[^;\n]*waitUntilDone\s*:\s*(?:NO|false)/g;
const PERFORM_IN_BACKGROUND = /perform(?:SelectorInBackground\s*:|Selector\s*\(\s*inBackground\s*:)\s*(?:#selector|@selector)\s*\(\s*(?:self\.)?(\w+)/g;
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

/** The hop of the innermost enclosing block of `at` that runs later, if any. */
function hopAt(text: string, at: number): string | undefined {
  if (text !== blocksOfText?.text) blocksOfText = new Blocks(text);
  return blocksOfText.hopAt(at);
}

// The calls of one method body are asked about in turn: its blocks are found once, not once per call.
let blocksOfText: Blocks | undefined;

/**
 * A text's brace blocks, from one forward pass: for any position, the innermost block enclosing it and
 * each block's enclosing one. A closing brace closes the nearest open block, and a stray one is skipped,
 * which finds the same enclosing blocks as matching braces backwards from the position. Whether a block
 * runs later (the code before its brace) is read only for the blocks asked about.
 */
class Blocks {
  private readonly opens: number[] = [];
  private readonly parents: number[] = [];
  private readonly hops: (string | null | undefined)[] = [];
  /** From `changes[k]` on (until the next change), the innermost enclosing block is `innermost[k]` (-1: none). */
  private readonly changes: number[] = [];
  private readonly innermost: number[] = [];

  constructor(readonly text: string) {
    const stack: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 123) {
        this.parents.push(stack.length ? stack[stack.length - 1]! : -1);
        stack.push(this.opens.push(i) - 1);
      } else if (ch === 125 && stack.length) stack.pop();
      else continue;
      this.changes.push(i + 1);
      this.innermost.push(stack.length ? stack[stack.length - 1]! : -1);
    }
  }

  hopAt(at: number): string | undefined {
    for (let block = this.blockAt(at); block >= 0; block = this.parents[block]!) {
      const hop = this.hopOf(block);
      if (hop) return hop;
    }
    return undefined;
  }

  private blockAt(at: number): number {
    let lo = 0;
    let hi = this.changes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.changes[mid]! <= at) (found = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    return found < 0 ? -1 : this.innermost[found]!;
  }

  private hopOf(block: number): string | null {
    let hop = this.hops[block];
    if (hop === undefined) {
      const open = this.opens[block]!;
      const before = this.text.slice(Math.max(0, open - 160), open);
      hop = this.hops[block] = HOPS_BEFORE_BRACE.find(([pattern]) => pattern.test(before))?.[1] ?? null;
    }
    return hop;
  }
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

function pushTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

function pushNew<T>(list: T[], item: T): void {
  if (!list.includes(item)) list.push(item);
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

// ——— Facts for following code across files to a background entry point (`calls/reach.ts`) ———

const SENT_ACTION = /\bsend\s*\(\s*\.(\w+)(?:\s*\(\s*\.(\w+))?/g;
/** Blocks the system runs in the background, found by the text before their opening brace. */
const BACKGROUND_BLOCKS: [RegExp, string][] = [
  [/\bregister(?:ForTaskWithIdentifier\s*:|\s*\(\s*forTaskWithIdentifier\b)[^{};]*?\{/g, 'a BGTask launch handler'],
  [/\bexpirationHandler\s*[:=]\s*\^?[^{};]*?\{/g, 'an expiration handler'],
  [/\.backgroundTask\s*\([^{}]*\)\s*\{/g, 'a SwiftUI background task'],
];
const TRAILING_TO_MEMBER = /\b(?:self\s*\??\s*\.\s*)?([a-z_]\w*)\s*[?!]?\s*\.\s*(\w+)\s*(?:\([^(){}]*\))?\s*\{/g;
/** Trailing closures that are not handed to another object's code to keep (collections, queues, Combine). */
const NOT_KEPT = new Set(['forEach', 'map', 'compactMap', 'flatMap', 'filter', 'sorted', 'sort', 'first', 'contains', 'reduce', 'allSatisfy', 'removeAll', 'async', 'asyncAfter', 'sync', 'perform', 'sink', 'withLock', 'notify']);
const NOT_A_RECEIVER = new Set(['self', 'super', 'main', 'global', 'shared', 'default', 'current']);
const AUTH_CHECK = /\b(?:let|var)\s+(\w+)\s*(?::\s*Bool\s*)?=\s*(?:try[?!]?\s+)?(?:await\s+)?(?:self\s*\.\s*)?(\w+)\s*\.\s*(\w+)\s*\(/g;
/** A Bool that says whether the user is signed in (`hasToken`, `isLoggedIn`, `isAuthenticated`). */
const SIGNED_IN_NAME = /^(?:has|is)[A-Z]?\w*(?:Token|Credential|Session|Account|Auth|Login|LoggedIn|SignedIn)s?$|^(?:is)?(?:[lL]ogged|[sS]igned)In$|^(?:is)?[aA]uthenticated$|^(?:is)?[aA]uthorized$/;
const KEYCHAIN_LITERAL = /kSecAttr(Service|Account)\b[^"\n;]{0,40}?[:=]\s*@?"([^"\n]*)"/g;

/** What a unit of code (a method, a closure given for a member, a reducer case) sends, runs in the background, hands on, reads. */
function reachFacts(text: string, raw: string, params: () => string[], paramTypes: () => { name: string; type: string }[] = () => [], receivers: ReadonlySet<string> = new Set(['self'])): Partial<IndexedMethod> {
  const facts: Partial<IndexedMethod> = {};
  if (PROTECTED_DATA_CHECK.test(text)) facts.checksProtectedData = true;
  const regenerates = nilFallbacksIn(text, paramTypes);
  if (regenerates.length) facts.regenerates = regenerates;
  const sends = text.includes('send') ? sentActions(text) : [];
  if (sends.length) facts.sends = sends;
  const sharedCalls = sharedCallsIn(text);
  if (sharedCalls.length) facts.sharedCalls = sharedCalls;
  const blocks = backgroundBlocksIn(text, receivers);
  if (blocks.length) {
    facts.backgroundBlocks = blocks;
    facts.params = params();
  }
  const closureArgs = [...text.matchAll(TRAILING_TO_MEMBER)].flatMap((m) => {
    if (NOT_A_RECEIVER.has(m[1]!) || NOT_KEPT.has(m[2]!) || SWIFT_KEYWORDS.has(m[1]!)) return [];
    const open = (m.index ?? 0) + m[0].length - 1;
    return [{ via: m[1]!.replace(/^_/, ''), method: m[2]!, ...callFacts(text.slice(open, matchingBrace(text, open))) }];
  });
  if (closureArgs.length) facts.closureArgs = closureArgs.slice(0, 20);
  const authChecks: AuthCheck[] = [...text.matchAll(AUTH_CHECK)].filter((m) => SIGNED_IN_NAME.test(m[1]!) && m[2] !== 'self')
    .map((m) => ({ via: m[2]!, method: m[3]!, name: m[1]! }));
  if (text.includes('nil')) authChecks.push(...nilAuthChecks(text, paramTypes));
  if (authChecks.length) facts.authChecks = authChecks;
  const returned = returnsFrom(text);
  if (returned) facts.returnsFrom = returned;
  if (raw.includes('SecItemCopyMatching')) {
    const read: { service?: string; account?: string } = {};
    for (const m of raw.matchAll(KEYCHAIN_LITERAL)) {
      const key = m[1] === 'Service' ? 'service' : 'account';
      read[key] ??= m[2]!;
    }
    facts.keychainReads = [read];
  }
  return facts;
}

/** `let isLoggedIn = provider.userToken != nil`, `var hasSession: Bool = store.session() != nil`. */
const AUTH_NIL_CHECK = /\b(?:let|var)\s+(\w+)\s*(?::\s*Bool\s*)?=\s*(?:self\s*[?!]?\s*\.\s*)?(\w+)\s*[?!]?\s*\.\s*(\w+)\s*(?:\((?:[^()\n]|\([^()\n]*\))*\))?\s*!=\s*nil\b/g;

function nilAuthChecks(text: string, paramTypes: () => { name: string; type: string }[]): AuthCheck[] {
  const checks: AuthCheck[] = [];
  let typed: Map<string, string> | undefined;
  for (const m of text.matchAll(AUTH_NIL_CHECK)) {
    if (!SIGNED_IN_NAME.test(m[1]!) || m[2] === 'self') continue;
    typed ??= new Map([...paramTypes().map((p) => [p.name, p.type] as const), ...localsMadeByType(text)]);
    const viaType = typed.get(m[2]!);
    checks.push({ via: m[2]!, ...(viaType ? { viaType } : {}), method: m[3]!, name: m[1]!, nil: true });
  }
  return checks;
}

/** The one call or read a body's value is (`{ return Keychain.userToken }`, `{ getValue(for: .token) }`, `{ return [Store token]; }`). */
function returnsFrom(text: string): { via: string; name: string } | undefined {
  const inner = text.replace(/^\s*\{/, '').replace(/\}\s*$/, '').trim().replace(/^return\s+/, '').replace(/;$/, '').trim();
  if (!inner || /[\n;]/.test(inner)) return undefined;
  const swift = /^(?:self\s*\.\s*)?(?:([A-Za-z_]\w*)\s*[?!]?\s*\.\s*)?([a-z_]\w*)\s*(?:\((?:[^()]|\([^()]*\))*\))?$/.exec(inner);
  if (swift) return { via: swift[1] ?? '', name: swift[2]! };
  const objc = /^\[\s*(\w+)\s+([a-z_]\w*)[^\[\]]*\]$/.exec(inner);
  return objc ? { via: objc[1] === 'self' ? '' : objc[1]!, name: objc[2]! } : undefined;
}

function sentActions(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(SENT_ACTION)) for (const name of [m[1], m[2]]) if (name) pushNew(names, name);
  return names;
}

function backgroundBlocksIn(text: string, receivers: ReadonlySet<string>): BackgroundBlockFacts[] {
  if (!/forTaskWithIdentifier|ForTaskWithIdentifier|expirationHandler|backgroundTask/.test(text)) return [];
  const copies = localCopies(text);
  return BACKGROUND_BLOCKS.flatMap(([pattern, scope]) => [...text.matchAll(pattern)].map((m) => {
    const open = (m.index ?? 0) + m[0].length - 1;
    const block = text.slice(open, matchingBrace(text, open));
    const invokes = [...block.matchAll(/(?:^|[^.\w])(\w+)\s*[?!]?\s*\(/g)].map((c) => copies.get(c[1]!) ?? c[1]!).filter((n) => !SWIFT_KEYWORDS.has(n));
    return { scope, invokes: [...new Set(invokes)], ...callFacts(block), ...optionalReads(block, receivers) };
  }));
}

function callFacts(text: string): ReachCallFacts {
  const { calls, memberCalls } = bodyFacts(text);
  const sends = text.includes('send') ? sentActions(text) : [];
  const sharedCalls = sharedCallsIn(text);
  return { calls, memberCalls: memberCalls ?? [], ...(sends.length ? { sends } : {}), ...(sharedCalls.length ? { sharedCalls } : {}) };
}

/** `isProtectedDataAvailable`, `applicationProtectedDataDidBecomeAvailable`, `protectedDataDidBecomeAvailableNotification`. */
const PROTECTED_DATA_CHECK = /[pP]rotectedData(?:DidBecome)?Available/;

/** The declared types of a Swift function's parameters (`func f(_ storage: Storage)` → storage: Storage). */
function swiftHeaderParamTypes(header: string): { name: string; type: string }[] {
  const open = header.indexOf('(');
  return open < 0 ? [] : swiftParamTypes(topLevelParameters(header, open));
}

/** The local names of a Swift function's parameters (`func f(_ a: A, with b: B)` → a, b). */
function swiftParams(header: string): string[] {
  const open = header.indexOf('(');
  if (open < 0) return [];
  return topLevelParameters(header, open).flatMap((p) => {
    const m = /^\s*(\w+)(?:\s+(\w+))?\s*:/.exec(p);
    return m ? [m[2] ?? m[1]!] : [];
  });
}

/** The parameters of a closure (`{ key, data, _ in`, `{ (handler: …) in`, `{ [weak self] task in`). */
function closureParams(text: string): string[] {
  const m = /^\{\s*(?:\[[^\]]*\]\s*)?(\(?[^{}]*?\)?)\s+in\b/.exec(text.slice(0, 300));
  if (!m) return [];
  return m[1]!.replace(/^\(|\)$/g, '').split(',').map((p) => /^\s*(\w+)/.exec(p)?.[1] ?? '').filter((p) => p && p !== '_');
}

const DEPENDENCY = /@Dependency\s*\(\s*\\\s*\.\s*(\w+)\s*\)\s*(?:(?:private|public|internal|fileprivate|package)\s+)*var\s+(\w+)/g;

function dependenciesIn(body: string): { name: string; key: string }[] {
  return [...body.matchAll(DEPENDENCY)].map((m) => ({ name: m[2]!, key: m[1]! }));
}

const LABELED_CLOSURE = /([(,]\s*)(\w+)\s*:\s*\{/g;

/** `KeychainService(save: { … }, load: { … })`: each closure is the code of that member of the type. */
function closureMembersIn(code: string, raw: string): IndexedUnit[] {
  if (!/:\s*\{/.test(code)) return [];
  const units: IndexedUnit[] = [];
  for (const m of code.matchAll(LABELED_CLOSURE)) {
    const at = m.index ?? 0;
    const open = m[1]!.startsWith('(') ? at : enclosingParen(code, at);
    if (open < 0) continue;
    const type = /\b([A-Z]\w*)\s*$/.exec(code.slice(Math.max(0, open - 80), open))?.[1];
    if (!type) continue;
    const brace = at + m[0].length - 1;
    const close = matchingBrace(code, brace);
    const text = code.slice(brace, close);
    const method: IndexedMethod = {
      name: m[2]!, fullName: m[2]!, attributes: [], nonisolated: false,
      ...bodyFacts(text), ...reachFacts(text, raw.slice(brace, close), () => closureParams(text)),
    };
    units.push({ type, method });
  }
  return units;
}

const SWIFT_INIT = /\binit\s*[?!]?\s*(?:<[^>{]*>)?\s*\([^{]*?\)[^{;]*?\{/g;

/** Swift initializers, as units named `init` of their type (App.init often registers what runs in the background). */
function initializersIn(code: string, raw: string, blocks: TypeBlock[]): IndexedUnit[] {
  if (!code.includes('init')) return [];
  const units: IndexedUnit[] = [];
  for (const m of code.matchAll(SWIFT_INIT)) {
    const at = m.index ?? 0;
    const owner = blocks.filter((b) => b.bodyStart <= at && at < b.bodyEnd).sort((a, b) => b.bodyStart - a.bodyStart)[0];
    if (!owner) continue;
    const open = at + m[0].length - 1;
    const close = matchingBrace(code, open);
    const text = code.slice(open, close);
    const receivers = new Set(['self', ...typedProperties(code.slice(owner.bodyStart, owner.bodyEnd), 'swift').map((p) => p.name)]);
    units.push({ type: owner.name, method: {
      name: 'init', fullName: 'init', attributes: [], nonisolated: false, ...bodyFacts(text),
      ...reachFacts(text, raw.slice(open, close), () => swiftParams(m[0]), () => swiftHeaderParamTypes(m[0]), receivers), ...optionalReads(text, receivers, () => swiftHeaderParamTypes(m[0])),
    } });
  }
  return units;
}

/** The `(` whose argument list holds offset `at` (-1 when a brace or bracket opens first). */
function enclosingParen(code: string, at: number): number {
  let depth = 0;
  for (let i = at - 1; i >= 0 && i > at - 20000; i--) {
    const ch = code[i]!;
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if (ch === '(' || ch === '[' || ch === '{') {
      if (depth > 0) { depth--; continue; }
      return ch === '(' ? i : -1;
    }
  }
  return -1;
}

/** The cases of each `switch action { … }` (a reducer): one unit per action name a case matches. */
function actionHandlersIn(code: string, raw: string, blocks: TypeBlock[]): IndexedUnit[] {
  const units: IndexedUnit[] = [];
  for (const m of code.matchAll(/\bswitch\s+action\s*\{/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchingBrace(code, open);
    const owner = blocks.filter((b) => b.bodyStart <= open && open < b.bodyEnd).sort((a, b) => b.bodyStart - a.bodyStart)[0];
    if (!owner) continue;
    const starts: number[] = [];
    let depth = 0;
    for (let i = open + 1; i < close; i++) {
      const ch = code[i]!;
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
      else if (depth === 0 && (code.startsWith('case', i) || code.startsWith('default', i)) && !/\w/.test(code[i - 1]!)) starts.push(i);
    }
    starts.push(close);
    for (let k = 0; k + 1 < starts.length; k++) {
      const segment = code.slice(starts[k], starts[k + 1]);
      if (!segment.startsWith('case')) continue;
      const colon = patternEnd(segment);
      const names = [...segment.slice(0, colon).matchAll(/\.\s*(\w+)/g)].map((n) => n[1]!);
      const text = segment.slice(colon);
      const method: IndexedMethod = {
        name: '', fullName: '', attributes: [], nonisolated: false,
        ...bodyFacts(text), ...reachFacts(text, raw.slice(starts[k]! + colon, starts[k + 1]), () => []),
      };
      for (const name of new Set(names)) units.push({ type: owner.name, method: { ...method, name: `.${name}`, fullName: `.${name}` } });
    }
  }
  return units;
}

/** Where a case's pattern ends: its first `:` outside parentheses. */
function patternEnd(segment: string): number {
  let depth = 0;
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ':' && depth === 0) return i + 1;
  }
  return segment.length;
}
