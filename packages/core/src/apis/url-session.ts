/**
 * Background URLSessions as rules see them: a configuration made by
 * `URLSessionConfiguration.background(withIdentifier:)` / `backgroundSessionConfigurationWithIdentifier:`,
 * followed through locals, properties, lazy initializers, computed properties and returning methods
 * to the `URLSession(configuration:…)` / `sessionWithConfiguration:` built from it, the places that
 * session is stored (copies included, and properties of other types of the file it is handed to
 * through their initializer), and the tasks created on it. Sessions built in other files come from the
 * project index (`backgroundSessionMembersIn`, recorded per type): a factory method or property of a
 * type or category (`[NSURLSession CQ_backgroundSession]`, `URLSession.makeBackground()`), reached by
 * type name, a shared instance or a typed property. Silent where the code cannot be followed.
 */
import type { CallExpr, CodeBody, Expr, FunctionDecl, Language, SyntaxNode, TypeDecl } from '../syntax/ir';
import { ancestors, descendants, enclosingType, localNames, memberPath, nodesMentioning, rootOf } from '../syntax/query';
import { parseSwiftName } from '../syntax/api-names';
import type { ProjectIndex } from '../facts/lexical-index';
import { propertyType } from '../calls/resolve';

export const BACKGROUND_CONFIGURATION = 'background(withIdentifier:)';
/** Prefilter strings: the configuration's spellings (the ObjC one covers the deprecated `backgroundSessionConfiguration:`). */
export const BACKGROUND_SESSION_TRIGGERS = ['background(withIdentifier', 'backgroundSessionConfiguration'];
/**
 * Prefilter strings of the calls made on a session: a file that builds no session of its own may create
 * tasks on one built in another file (the index says which).
 */
export const SESSION_TASK_TRIGGERS = [
  // The calls themselves, not the names alone: `uploadTask` is also a common name for a background task identifier.
  'dataTask(with', 'downloadTask(with', 'uploadTask(with', 'webSocketTask(with', 'streamTask(with',
  'dataTaskWith', 'downloadTaskWith', 'uploadTaskWith', 'webSocketTaskWith', 'streamTaskWith',
  'data(for', 'data(from', 'upload(for', 'download(for', 'download(from', 'bytes(for', 'bytes(from',
];

/** Where a value is kept: a local of one body, a property of a type (by name, so extensions count), or a method's result. */
export interface Storage {
  name: string;
  kind: 'local' | 'property' | 'result';
  /** The body for a local; the type name (or '' for file scope) for a property or a method's result. */
  scope: SyntaxNode | string;
}

/** One background configuration and everything built from it in the file. */
export interface BackgroundSession {
  /** The `background(withIdentifier:)` call. */
  configuration: CallExpr;
  /** Where the configuration is kept (assignments to these configure it). */
  configurationStorages: Storage[];
  /** `URLSession(configuration:…)` calls given this configuration. */
  creations: CallExpr[];
  /** Where the sessions are kept. */
  sessionStorages: Storage[];
  /** Calls made on the session (`uploadTask(with:fromFile:)`, `data(for:)`, `invalidateAndCancel()`…). */
  calls: CallExpr[];
}

const MAX_ROUNDS = 6;

/**
 * Every background configuration of the file with its sessions and their calls; computed once per file.
 * `possibly`: also a configuration kept where another branch of an `if` keeps a default one (the session
 * is a background one on that branch), for rules that judge a setting rather than a call.
 */
export function backgroundSessionsIn(node: SyntaxNode, possibly = false): BackgroundSession[] {
  const root = rootOf(node);
  const cache = possibly ? possibleCache : certainCache;
  let found = cache.get(root);
  if (!found) {
    found = new SessionTracker(root, possibly).sessions();
    cache.set(root, found);
  }
  return found;
}

const certainCache = new WeakMap<SyntaxNode, BackgroundSession[]>();
const possibleCache = new WeakMap<SyntaxNode, BackgroundSession[]>();

/** The background session a call is made on (`session.uploadTask(…)`), if the receiver is one. */
export function backgroundSessionOf(call: CallExpr): BackgroundSession | undefined {
  if (!call.receiver) return undefined;
  return backgroundSessionsIn(call).find((s) => s.calls.includes(call));
}

/** The background session whose configuration `expr` refers to (`config` in `config.isDiscretionary = true`). */
export function backgroundSessionConfiguredBy(expr: Expr, possibly = false): BackgroundSession | undefined {
  return backgroundSessionsIn(expr, possibly).find((s) => s.configurationStorages.some((st) => refersTo(expr, st)) || s.configuration === expr);
}

export function isBackgroundConfigurationCall(node: SyntaxNode): node is CallExpr {
  if (node.kind !== 'call' || node.name !== BACKGROUND_CONFIGURATION) return false;
  const path = memberPath(node.receiver);
  return node.receiver === undefined || path.length === 0 || /^(NS)?URLSessionConfiguration$/.test(path[path.length - 1]!);
}

function isSessionCreation(node: SyntaxNode): node is CallExpr {
  if (node.kind !== 'call') return false;
  const { base, labels } = parseSwiftName(node.name);
  // `URLSession(configuration:…)`, and a class factory that takes the configuration (`URLSession.new(configuration:…)`).
  const factory = memberPath(node.receiver).join('.') === 'URLSession';
  return (base === 'URLSession' || base === 'init' || factory) && labels[0] === 'configuration';
}

/** Are `a` and `b` in different branches of one `if` (only one of them runs)? */
function inOtherBranch(a: SyntaxNode, b: SyntaxNode): boolean {
  const branchesOf = (n: SyntaxNode) => {
    const found = new Map<SyntaxNode, 'then' | 'else'>();
    for (let child = n, p = n.parent; p; child = p, p = p.parent) if (p.kind === 'if') found.set(p, child === p.then ? 'then' : 'else');
    return found;
  };
  const ofA = branchesOf(a);
  for (const [statement, side] of branchesOf(b)) if (ofA.has(statement) && ofA.get(statement) !== side) return true;
  return false;
}

/**
 * Calls made in this file on background sessions built in other files: a factory method or property the
 * index records for a type (`[NSURLSession CQ_backgroundSession]`, `URLSession.makeBackground()`,
 * `Uploads.shared.session`, `self.uploader.session` through a typed property), followed through this
 * file's locals and properties like a session built here. Computed once per file and index.
 */
export function backgroundSessionCallsFromIndex(node: SyntaxNode, index: ProjectIndex, text?: string): CallExpr[] {
  const root = rootOf(node);
  const members = indexedSessionMembers(index);
  // The file's text (when given) must name one of the members: most files that make tasks use none of them.
  if (members.size === 0 || (text !== undefined && ![...members.values()].some((set) => [...set].some((m) => text.includes(m))))) return [];
  let perIndex = fromIndexCache.get(root);
  if (!perIndex) fromIndexCache.set(root, (perIndex = new WeakMap()));
  let found = perIndex.get(index);
  if (!found) {
    // A reference to an indexed member names it: only the parts that do are lowered.
    const names = [...new Set([...members.values()].flatMap((set) => [...set]))];
    const sources = nodesMentioning(root, names).filter((n): n is Expr => (n.kind === 'call' || n.kind === 'member' || n.kind === 'ident') && isIndexedSession(n, members, index));
    found = sources.length ? new SessionTracker(root, false, []).callsOnSessions(sources) : [];
    perIndex.set(index, found);
  }
  return found;
}

const fromIndexCache = new WeakMap<SyntaxNode, WeakMap<ProjectIndex, CallExpr[]>>();
const membersCache = new WeakMap<ProjectIndex, Map<string, Set<string>>>();

/** Type name → its members that give a background session, over the whole index (URLSession and NSURLSession are one type). */
function indexedSessionMembers(index: ProjectIndex): Map<string, Set<string>> {
  let found = membersCache.get(index);
  if (!found) {
    found = new Map();
    for (const type of index.types.values()) {
      if (!type.backgroundSessions?.length) continue;
      for (const name of type.name === 'NSURLSession' || type.name === 'URLSession' ? ['NSURLSession', 'URLSession'] : [type.name]) {
        const set = found.get(name) ?? new Set<string>();
        for (const m of type.backgroundSessions) set.add(m);
        found.set(name, set);
      }
    }
    membersCache.set(index, found);
  }
  return found;
}

const SHARED_INSTANCE = /^(shared|sharedInstance|sharedManager|default|instance|current)$/;

/** Does `expr` name a background session built in another file (by the index), seen from where it is written? */
function isIndexedSession(expr: Expr, members: Map<string, Set<string>>, index: ProjectIndex): boolean {
  // `makeSession()` with no receiver: a member of the enclosing type.
  const path = expr.kind === 'call' && !expr.receiver && expr.args.length === 0 ? [expr.baseName] : memberPath(expr);
  if (expr.kind === 'call' && expr.args.length > 0) return false;
  if (expr.kind === 'ident' && expr.implicitMember) return false;
  // Only the whole reference: `CQ_backgroundSession` inside `[NSURLSession CQ_backgroundSession]` is not one on its own.
  const parent = expr.parent;
  if (parent && ((parent.kind === 'member' && parent.object === expr) || (parent.kind === 'call' && parent.receiver === expr && parent.args.length === 0 && memberPath(parent).length > 0))) {
    if (isIndexedSessionPath(memberPath(parent), parent, members, index)) return false;
  }
  return isIndexedSessionPath(path, expr, members, index);
}

function isIndexedSessionPath(path: string[], at: SyntaxNode, members: Map<string, Set<string>>, index: ProjectIndex): boolean {
  const member = path[path.length - 1];
  if (!member) return false;
  const owner = enclosingType(at);
  const has = (typeName: string | undefined) => typeName !== undefined && members.get(typeName)?.has(member) === true;
  const isTypeName = (name: string) => /^[A-Z]/.test(name) && !declaresLocal(name, at);
  if (path.length === 1 || (path.length === 2 && /^(self|weakSelf|strongSelf)$/.test(path[0]!))) {
    // A member of this type declared in another file (an extension or category elsewhere); one declared here is tracked here.
    if (path.length === 1 && declaresLocal(member, at)) return false;
    return has(owner?.name) && !declaredInFile(owner!.name, member, rootOf(at));
  }
  if (path.length === 2 && isTypeName(path[0]!)) return has(path[0]) && !declaredInFile(path[0]!, member, rootOf(at));
  if (path.length === 3 && isTypeName(path[0]!) && SHARED_INSTANCE.test(path[1]!)) return has(path[0]) && !declaredInFile(path[0]!, member, rootOf(at));
  // `uploader.session`, `self.uploader.session`, `_uploader.session`: a typed property's type.
  const via = path.length === 2 && !/^[A-Z]/.test(path[0]!) && !declaresLocal(path[0]!, at) ? path[0]!
    : path.length === 3 && /^(self|weakSelf|strongSelf)$/.test(path[0]!) ? path[1]!
    : undefined;
  if (!via) return false;
  const typeName = propertyType(owner?.name, via.replace(/^_/, ''), rootOf(at), index);
  return has(typeName) && !declaredInFile(typeName!, member, rootOf(at));
}

function declaresLocal(name: string, at: SyntaxNode): boolean {
  for (const a of ancestors(at)) if ((a.kind === 'function' || a.kind === 'closure') && namesOf(a).has(name)) return true;
  return false;
}

/** Is the member declared by this type in this file (then the file's own tracking decides)? */
function declaredInFile(typeName: string, member: string, root: SyntaxNode): boolean {
  for (const n of descendants(root, (d) => d.kind === 'file' || d.kind === 'type')) {
    if (n.kind !== 'type' || n.name !== typeName) continue;
    if (n.members.some((m) => (m.kind === 'function' && m.baseName === member && m.body) || (m.kind === 'var' && m.name.replace(/^_+/, '') === member))) return true;
  }
  return false;
}

/**
 * What a configuration call's text holds in either language (`background(withIdentifier:)`,
 * `backgroundSessionConfigurationWithIdentifier:`), however it is spaced: code without them builds none.
 */
export const CONFIGURATION_WORDS = ['withIdentifier', 'backgroundSessionConfiguration'];

/**
 * Follows values through the file. Every node it looks at is the value itself or names a place the value
 * is kept (a reference to a storage contains the storage's name), so it reads only the parts of the view
 * that mention the names found so far (`nodesMentioning`): lowering a whole file cost 20% of the rules'
 * time on files with a trigger.
 */
class SessionTracker {
  private readonly types = new Map<string, TypeDecl[]>();
  /** The words of the names asked so far (`nodesNaming`), and the nodes that can mention one of them. */
  private readonly words: Set<string>;
  private nodes: SyntaxNode[] | undefined;

  /** `words`: what the values to follow are written with (`sessions` looks for the configurations' calls). */
  constructor(private readonly root: SyntaxNode, private readonly possibly = false, words = CONFIGURATION_WORDS) {
    this.words = new Set(words);
    for (const n of descendants(root, (d) => d.kind === 'file' || d.kind === 'type')) {
      if (n.kind === 'type') this.types.set(n.name, [...(this.types.get(n.name) ?? []), n]);
    }
  }

  sessions(): BackgroundSession[] {
    return this.nodesNaming([]).filter(isBackgroundConfigurationCall).map((configuration) => {
      // `if background { config = .background(…) } else { config = .default }`: the session may be a background one.
      const configurationStorages = this.unambiguous([configuration], this.follow([configuration], this.storagesOf(configuration)), this.possibly ? configuration : undefined);
      // A creation given the configuration holds the call itself (lowered already) or names where it is kept.
      const creations = this.nodesNaming(configurationStorages).filter(
        (n): n is CallExpr => isSessionCreation(n) && this.holds(n.args[0]!.value, configuration, configurationStorages),
      );
      const sessionStorages = this.unambiguous(creations, this.follow(creations, creations.flatMap((c) => this.storagesOf(c))));
      return { configuration, configurationStorages, creations, sessionStorages, calls: this.callsOn(creations, sessionStorages) };
    });
  }

  /** The calls made on sessions whose values are `sources` (and the places they are kept). */
  callsOnSessions(sources: Expr[]): CallExpr[] {
    return this.callsOn(sources, this.unambiguous(sources, this.follow(sources, sources.flatMap((c) => this.storagesOf(c)))));
  }

  private callsOn(sources: Expr[], storages: Storage[]): CallExpr[] {
    return this.nodesNaming(storages).filter(
      (n): n is CallExpr => n.kind === 'call' && n.receiver !== undefined && this.holds(n.receiver, undefined, storages, sources),
    );
  }

  /**
   * The nodes that can be a value lowered already (`sources`: the parts holding them are) or name one of
   * `storages`: those of every name asked so far (more nodes than one question needs never change an
   * answer), gathered again only when a new name is asked.
   */
  private nodesNaming(storages: Storage[]): SyntaxNode[] {
    const fresh = storages.filter((s) => !this.words.has(s.name));
    if (fresh.length > 0 || !this.nodes) {
      // ObjC's `[self setUploads:s]` reads as an assignment to `uploads`: its text holds the name capitalized.
      for (const { name } of fresh) this.words.add(name).add(name.charAt(0).toUpperCase() + name.slice(1));
      this.nodes = nodesMentioning(this.root, [...this.words]);
    }
    return this.nodes;
  }

  /** Adds copies (`let s = self.session`) and hand-offs to other types' initializers until nothing new is found. */
  private follow(sources: Expr[], start: Storage[]): Storage[] {
    const storages = [...start];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const before = storages.length;
      for (const n of this.nodesNaming(storages)) {
        if (n.kind === 'ident' || n.kind === 'member' || n.kind === 'call') {
          if (!this.holds(n, undefined, storages, sources)) continue;
          for (const s of [...this.storagesOf(n), ...this.handedTo(n)]) addNew(storages, s);
        }
      }
      if (storages.length === before) break;
    }
    return storages;
  }

  /**
   * The storages that hold only this value: one also given another value (`config = .default` in another
   * branch, `session = URLSession.shared`) may not hold it when it is used, so it is not followed.
   */
  private unambiguous(sources: Expr[], storages: Storage[], alternativeTo?: SyntaxNode): Storage[] {
    const others = new Set<Storage>();
    const names = new Set(storages.map((st) => st.name));
    for (const n of this.nodesNaming(storages)) {
      // A declaration of another name is passed before its value (a deferred part) is read.
      if (n.kind === 'var' && !names.has(n.name) && !names.has(n.name.replace(/^_+/, ''))) continue;
      const write = n.kind === 'var' && n.value ? { target: n.isProperty ? propertyStorage(n.name, n) : localStorage(n.name, n), value: n.value }
        : n.kind === 'assign' && n.operator === '=' ? { target: storageOf(n.target), value: n.value }
        : undefined;
      if (!write?.target || isNil(write.value)) continue;
      const storage = storages.find((st) => sameStorage(st, write.target!));
      // A parameter (an initializer's `session`) is where a hand-off arrives: not another value.
      if (!storage || this.carries(write.value, sources, storages) || isParameter(write.value)) continue;
      if (alternativeTo && inOtherBranch(n, alternativeTo)) continue;
      others.add(storage);
    }
    return storages.filter((st) => !others.has(st));
  }

  /** Is the value, or a reference to one of its storages, the written value or inside it (a lazy initializer's closure)? */
  private carries(value: Expr, sources: Expr[], storages: Storage[]): boolean {
    if (this.holds(value, undefined, storages, sources)) return true;
    for (const d of descendants(value)) if (sources.includes(d as Expr) || ((d.kind === 'ident' || d.kind === 'member' || d.kind === 'call') && this.holds(d, undefined, storages, sources))) return true;
    return false;
  }

  /** Does `expr` hold the value: the source itself, or a reference to one of its storages? */
  private holds(expr: Expr | undefined, source: Expr | undefined, storages: Storage[], sources: Expr[] = []): boolean {
    const e = unwrap(expr);
    if (!e) return false;
    if (e === source || sources.includes(e)) return true;
    return storages.some((s) => refersTo(e, s));
  }

  /** Where the value of `expr` goes: the variable or property it initializes or is assigned to, or the result of its function. */
  private storagesOf(expr: Expr): Storage[] {
    let value: SyntaxNode = expr;
    for (let p = expr.parent; p; value = p, p = p.parent) {
      if (p.kind === 'cast' || p.kind === 'ternary' || (p.kind === 'other' && p.children.length === 1)) continue;
      if (p.kind === 'binding' && p.value === value) return [localStorage(p.name, p)];
      if (p.kind === 'var' && p.value === value) return [p.isProperty ? propertyStorage(p.name, p) : localStorage(p.name, p)];
      if (p.kind === 'assign' && p.value === value) {
        const target = storageOf(p.target);
        return target ? [target] : [];
      }
      if (p.kind === 'jump' && p.jump === 'return') return this.resultOf(p);
      if (p.kind === 'block' && isImplicitReturn(p, value)) return this.resultOf(p);
      return [];
    }
    return [];
  }

  /** A returned value goes where the body's result goes: an immediately called closure, a computed property, a method. */
  private resultOf(node: SyntaxNode): Storage[] {
    for (const a of ancestors(node)) {
      if (a.kind === 'closure') {
        const call = a.parent;
        return call?.kind === 'call' && call.baseName === '' ? this.storagesOf(call) : [];
      }
      if (a.kind === 'var' && a.getter) return [propertyStorage(a.name, a)];
      if (a.kind === 'function') return [{ name: a.baseName, kind: 'result', scope: a.typeName ?? enclosingType(a)?.name ?? '' }];
    }
    return [];
  }

  /** `Worker(session: s)` / `[[Worker alloc] initWithSession:s]`, with that initializer (a type of this file) storing the parameter: that property. */
  private handedTo(expr: Expr): Storage[] {
    const call = expr.parent;
    if (call?.kind !== 'call') return [];
    const arg = call.args.find((a) => a.value === expr);
    if (!arg) return [];
    const path = memberPath(call.receiver);
    if (path[path.length - 1] === 'alloc') path.pop();
    const typeName = call.baseName === 'init' ? path.pop() : call.baseName;
    const initName = initializerName(call.name);
    const init = (this.types.get(typeName ?? '') ?? [])
      .flatMap((t) => t.members)
      .find((m): m is FunctionDecl => m.kind === 'function' && m.baseName === 'init' && initializerName(m.name) === initName);
    const param = init?.params[call.args.indexOf(arg)];
    if (!init?.body || !param) return [];
    const stored: Storage[] = [];
    for (const n of descendants(init.body)) {
      if (n.kind !== 'assign' || memberPath(n.value).join('.') !== param) continue;
      const target = storageOf(n.target);
      if (target?.kind === 'property') stored.push(target);
    }
    return stored;
  }
}

/** `Worker(session:)`, `init(session:)` and ObjC's `init(withSession:)` (`initWithSession:`) all name one initializer. */
function initializerName(name: string): string {
  const { labels } = parseSwiftName(name);
  const first = (labels[0] ?? '').replace(/^with(?=[A-Z])/, '');
  return [first.charAt(0).toLowerCase() + first.slice(1), ...labels.slice(1)].join(':');
}

function sameStorage(a: Storage, b: Storage): boolean {
  return a.name === b.name && a.kind === b.kind && a.scope === b.scope;
}

function addNew(storages: Storage[], s: Storage): void {
  if (!storages.some((t) => sameStorage(t, s))) storages.push(s);
}

function isParameter(expr: Expr): boolean {
  const e = unwrap(expr);
  if (e?.kind !== 'ident') return false;
  const fn = [...ancestors(e)].find((a) => a.kind === 'function');
  return fn?.kind === 'function' && fn.params.includes(e.name);
}

function isNil(expr: Expr): boolean {
  const e = unwrap(expr);
  return e?.kind === 'literal' && e.type === 'nil';
}

/** Looks through casts, parentheses, `try`/`await` and `!`/`?` to the value. */
function unwrap(expr: Expr | undefined): Expr | undefined {
  let e = expr;
  while (e && (e.kind === 'cast' || (e.kind === 'other' && e.children.length === 1) || (e.kind === 'unary' && /^[!?]$/.test(e.operator)))) {
    e = e.kind === 'cast' ? e.operand : e.kind === 'unary' ? e.operand : (e.children[0] as Expr);
  }
  return e;
}

/** A block whose only statement is `value`: the body of a single-expression closure, getter or method (Swift). */
function isImplicitReturn(block: SyntaxNode, value: SyntaxNode): boolean {
  if (block.kind !== 'block' || block.body.length !== 1 || block.body[0] !== value) return false;
  const owner = block.parent;
  return owner?.kind === 'closure' || owner?.kind === 'function' || (owner?.kind === 'var' && owner.getter === block);
}

function localStorage(name: string, at: SyntaxNode): Storage {
  for (const a of ancestors(at)) if (a.kind === 'function' || a.kind === 'closure') return { name, kind: 'local', scope: a };
  return { name, kind: 'property', scope: '' };
}

function propertyStorage(name: string, at: SyntaxNode): Storage {
  return { name: name.replace(/^_+/, ''), kind: 'property', scope: enclosingType(at)?.name ?? '' };
}

const localsMemo = new WeakMap<CodeBody, Set<string>>();

function namesOf(body: CodeBody): Set<string> {
  let names = localsMemo.get(body);
  if (!names) localsMemo.set(body, (names = localNames(body)));
  return names;
}

/** The body whose parameters or locals declare `name`, searching outward from `at`. */
function bodyDeclaring(name: string, at: SyntaxNode): SyntaxNode | undefined {
  for (const a of ancestors(at)) {
    if ((a.kind === 'function' || a.kind === 'closure') && namesOf(a).has(name)) return a;
    if (a.kind === 'type') return undefined;
  }
  return undefined;
}

/** The storage an assignment target or a reference names: `x` (a local when one is declared), `self.x`, `_x`, `[self x]`. */
function storageOf(expr: Expr): Storage | undefined {
  const e = unwrap(expr);
  if (!e) return undefined;
  const path = memberPath(e);
  if (path.length === 0) return undefined;
  if (path.length === 1) {
    const name = path[0]!;
    const body = e.kind === 'ident' ? bodyDeclaring(name, e) : undefined;
    if (body) return { name, kind: 'local', scope: body };
    return { name: name.replace(/^_+/, ''), kind: 'property', scope: enclosingType(e)?.name ?? '' };
  }
  if (path.length === 2 && /^(self|weakSelf|strongSelf|welf|sself)$/.test(path[0]!)) {
    return { name: path[1]!.replace(/^_+/, ''), kind: 'property', scope: enclosingType(e)?.name ?? '' };
  }
  return undefined;
}

/** Does `expr` read the storage (or call the method whose result it is)? */
function refersTo(expr: Expr, storage: Storage): boolean {
  const e = unwrap(expr);
  if (!e) return false;
  if (storage.kind === 'result') {
    if (e.kind !== 'call' || e.baseName !== storage.name) return false;
    const path = memberPath(e.receiver);
    if (e.receiver === undefined || (path.length === 1 && path[0] === 'self')) return (enclosingType(e)?.name ?? '') === storage.scope;
    return path.length === 1 && path[0] === storage.scope;
  }
  const target = storageOf(e);
  return target !== undefined && target.name === storage.name && target.kind === storage.kind && target.scope === storage.scope;
}

const SESSION_MADE = /URLSession\s*\(\s*configuration|sessionWithConfiguration|\binit\s*\(\s*configuration/;
const BACKGROUND_MADE = /background\s*\(\s*withIdentifier|backgroundSessionConfiguration/;
/** Another configuration or session in the same member: which one it gives is not known, so it is not recorded. */
const OTHER_SESSION = /URLSessionConfiguration\s*\.\s*(?:default|ephemeral)\b|[:=?]\s*\.(?:default|ephemeral)\b|(?:default|ephemeral)SessionConfiguration|URLSession\s*\.\s*shared\b|sharedSession/;

const SWIFT_SESSION_MEMBER = [
  // func makeBackground() -> URLSession {
  /\bfunc\s+(\w+)\s*(?:<[^>{]*>)?\s*\([^{]*?\)[^{]*?->\s*URLSession\s*[?!]?\s*\{/g,
  // lazy var session: URLSession = { … }(), static var background: URLSession { … }
  /\b(?:var|let)\s+(\w+)\s*:\s*URLSession\s*[?!]?\s*(?:=\s*)?\{/g,
  // let session = URLSession(configuration: …), static let shared: URLSession = URLSession(…)
  /\b(?:var|let)\s+(\w+)\s*(?::\s*URLSession\s*[?!]?\s*)?=\s*(?:URLSession\s*)?\(/g,
];
const OBJC_SESSION_MEMBER = /^[ \t]*[-+]\s*\(\s*NSURLSession\s*\*\s*\)\s*(\w+)[^{;]*\{/gm;

/**
 * Lexical (for the project index): the members of one type body (comments and strings blanked) whose
 * value is a background session: a method returning a session, a computed or lazy property, or a
 * stored one initialized in place, whose code builds a session from `background(withIdentifier:)` and
 * no other configuration or session.
 */
/**
 * Can code (comments and strings blanked) give a type a background-session member? Every body
 * `backgroundSessionMembersIn` finds one in passes this on its own text, so the file does too: such files
 * are always indexed (the `background-session` project condition reads every type).
 */
export function mayBuildBackgroundSession(code: string): boolean {
  return BACKGROUND_MADE.test(code);
}

export function backgroundSessionMembersIn(body: string, language: Language): string[] {
  if (!BACKGROUND_MADE.test(body)) return [];
  const found: string[] = [];
  const patterns = language === 'swift' ? SWIFT_SESSION_MEMBER : [OBJC_SESSION_MEMBER];
  for (const pattern of patterns) {
    for (const m of body.matchAll(pattern)) {
      const open = (m.index ?? 0) + m[0].length - 1;
      const text = body.slice(m.index ?? 0, closing(body, open) + 1);
      if (SESSION_MADE.test(text) && BACKGROUND_MADE.test(text) && !OTHER_SESSION.test(text) && !found.includes(m[1]!)) found.push(m[1]!);
    }
  }
  return found;
}

/** Index of the bracket closing the `{` or `(` at `open` (or the end of text). */
function closing(text: string, open: number): number {
  const [o, c] = text[open] === '(' ? [40, 41] : [123, 125];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i;
  }
  return text.length - 1;
}
