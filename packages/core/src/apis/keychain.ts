/**
 * Keychain item calls (`SecItemAdd`, `SecItemUpdate`, `SecItemCopyMatching`) and the query
 * dictionaries given to them, read the same way in Swift and Objective-C: a dictionary literal,
 * a local built from one and filled by subscripts or `setObject:forKey:`, a property, or a method of
 * the same type that returns one. A query merged from elsewhere or passed in is incomplete: rules
 * asking "is this key absent" stay silent on it.
 */
import type { CallExpr, CodeBody, Expr, FunctionDecl, LiteralExpr, SyntaxNode } from '../syntax/ir';
import { dictionaryEntries } from '../syntax/constants';
import { ancestors, descendants, enclosingType, memberPath, methodsNamed, rootOf } from '../syntax/query';

/** How many hops (a local, a member, a helper's return) a query is followed through. */
const MAX_DEPTH = 5;

export const KEYCHAIN_TRIGGERS = ['SecItemAdd', 'SecItemUpdate', 'SecItemCopyMatching'];

export type SecItemOperation = 'add' | 'update' | 'copy';

const OPERATIONS: Record<string, SecItemOperation> = { SecItemAdd: 'add', SecItemUpdate: 'update', SecItemCopyMatching: 'copy' };

export interface KeychainEntry {
  /** The key constant's name: `kSecAttrAccessible`. */
  key: string;
  value: Expr;
}

export interface KeychainQuery {
  entries: KeychainEntry[];
  /** False when some keys come from where the code cannot be followed (a parameter, a merge). */
  complete: boolean;
  /** The dictionary literal the query starts from, when there is one (where a fix inserts a key). */
  literal?: LiteralExpr;
}

export function secItemOperation(call: CallExpr): SecItemOperation | undefined {
  return call.receiver === undefined ? OPERATIONS[call.baseName] : undefined;
}

/** The dictionaries a SecItem call reads: the query, and for `SecItemUpdate` the attributes to update. */
export function keychainQueriesOf(call: CallExpr): KeychainQuery[] {
  const operation = secItemOperation(call);
  if (!operation) return [];
  const args = operation === 'update' ? call.args.slice(0, 2) : call.args.slice(0, 1);
  return args.map((a) => keychainQuery(a.value));
}

/** The name of a key or value constant (`kSecAttrAccessible as String`, `(__bridge id)kSecClass`, `String(kSecClass)`). */
export function constantName(expr: Expr | undefined): string | undefined {
  const e = unwrapValue(expr);
  if (e?.kind === 'literal') return e.type === 'bool' || e.type === 'string' ? e.value : undefined;
  const path = memberPath(e);
  return path[path.length - 1];
}

/**
 * A query key's or value's constant, through a file- or type-level alias (`private let SecAttrAccessible = kSecAttrAccessible as String`,
 * then `query[SecAttrAccessible] = SecAttrAccessibleWhenUnlocked`): without it, a key set through the alias reads as absent.
 */
export function secConstantName(expr: Expr | undefined): string | undefined {
  const name = constantName(expr);
  if (!name || name.startsWith('kSec') || unwrapValue(expr)?.kind !== 'ident') return name;
  return keyAliasesIn(rootOf(expr!)).get(name) ?? name;
}

const keyAliases = new WeakMap<SyntaxNode, Map<string, string>>();

/** Declarations outside functions whose value is a `kSec…` constant, by name. */
function keyAliasesIn(root: SyntaxNode): Map<string, string> {
  let aliases = keyAliases.get(root);
  if (!aliases) {
    aliases = new Map();
    for (const n of descendants(root, (d) => d.kind === 'file' || d.kind === 'type')) {
      const value = n.kind === 'var' && n.value ? constantName(n.value) : undefined;
      if (n.kind === 'var' && value?.startsWith('kSec')) aliases.set(n.name, value);
    }
    keyAliases.set(root, aliases);
  }
  return aliases;
}

/** The value given for `key`, as a name (`kSecAttrAccessibleWhenUnlocked`, `true`), or undefined when absent. */
export function entryValue(query: KeychainQuery, key: string): string | undefined {
  const entry = [...query.entries].reverse().find((e) => e.key === key);
  return entry ? constantName(entry.value) ?? '?' : undefined;
}

export function hasKey(query: KeychainQuery, key: string): boolean {
  return query.entries.some((e) => e.key === key);
}

function unwrapValue(expr: Expr | undefined): Expr | undefined {
  let e = expr;
  for (let i = 0; e && i < 8; i++) {
    if (e.kind === 'cast') e = e.operand;
    else if (e.kind === 'other' && e.children.length === 1) e = e.children[0] as Expr;
    else if (e.kind === 'unary' && e.operator === '&') return e;
    else if (e.kind === 'call' && e.args.length === 1 && !e.receiver && /^(String|CFString|NSString)$/.test(e.baseName)) e = e.args[0]!.value;
    else if (e.kind === 'call' && e.args.length === 0 && /^(mutableCopy|copy)$/.test(e.baseName) && e.receiver) e = e.receiver;
    else break;
  }
  return e;
}

/** What a query expression holds, following locals, same-type members and helpers in this file (a few hops). */
export function keychainQuery(expr: Expr | undefined, depth = 0, bindings?: ReadonlyMap<string, Expr>): KeychainQuery {
  const e = unwrapValue(expr);
  if (!e || depth > MAX_DEPTH) return { entries: [], complete: false };
  if (e.kind === 'literal' && e.type === 'dictionary') return { entries: literalEntries(e), complete: true, literal: e };
  const path = memberPath(e);
  if (e.kind === 'ident' && path.length === 1) {
    const bound = bindings?.get(path[0]!);
    if (bound) return keychainQuery(bound, depth + 1);
    const local = localQuery(e, path[0]!, depth, bindings);
    if (local) return local;
  }
  if (e.kind === 'call' && (e.receiver === undefined || e.receiver.kind === 'self')) return memberQuery(e, e.baseName, depth, e);
  const member = path.length === 1 || (path.length === 2 && path[0] === 'self') ? path[path.length - 1]! : undefined;
  return member ? memberQuery(e, member, depth) : { entries: [], complete: false };
}

function literalEntries(literal: LiteralExpr): KeychainEntry[] {
  return dictionaryEntries(literal).flatMap(({ key, value }) => {
    const name = secConstantName(key);
    return name ? [{ key: name, value }] : [];
  });
}

/** A local declared in the enclosing function: its initializer, then the keys set on it before `use`. */
function localQuery(use: Expr, name: string, depth: number, bindings?: ReadonlyMap<string, Expr>): KeychainQuery | undefined {
  const scope = bodyDeclaring(use, name);
  if (!scope?.body) return undefined;
  let query: KeychainQuery | undefined;
  for (const n of descendants(scope.body)) {
    if (n.startIndex >= use.startIndex) break;
    if (n.kind === 'var' && n.name === name) query = n.value ? keychainQuery(n.value, depth + 1, bindings) : { entries: [], complete: true };
    if (!query) continue;
    const set = keySetOn(n, name);
    if (set === 'unknown') query.complete = false;
    else if (set) query.entries.push(set);
  }
  if (!query && scope.params.includes(name)) return { entries: [], complete: false };
  return query;
}


/** The innermost function or closure around `use` that declares `name` (or takes it as a parameter). */
function bodyDeclaring(use: Expr, name: string): CodeBody | undefined {
  let innermost: CodeBody | undefined;
  for (const a of ancestors(use)) {
    if (a.kind !== 'function' && a.kind !== 'closure') continue;
    innermost ??= a;
    if (a.params.includes(name)) return a;
    for (const n of descendants(a.body ?? a)) if (n.kind === 'var' && n.name === name && n.startIndex < use.startIndex) return a;
  }
  return innermost;
}

/** `q[key] = v`, `[q setObject:v forKey:key]`, `q.updateValue(v, forKey: key)`; 'unknown' for merges. */
function keySetOn(n: SyntaxNode, name: string): KeychainEntry | 'unknown' | undefined {
  if (n.kind === 'assign') {
    const t = n.target;
    const keyExpr =
      t.kind === 'call' && !t.receiver && t.baseName === name && t.args.length === 1 ? t.args[0]!.value
      : t.kind === 'other' && t.children.length === 2 && memberPath(t.children[0] as Expr).join('.') === name ? (t.children[1] as Expr)
      : undefined;
    const key = secConstantName(keyExpr);
    return key ? { key, value: n.value } : undefined;
  }
  if (n.kind !== 'call' || memberPath(n.receiver).join('.') !== name) return undefined;
  if (/^(setObject|setValue|updateValue)$/.test(n.baseName) && n.args.length === 2) {
    const key = secConstantName(n.args[1]!.value);
    return key ? { key, value: n.args[0]!.value } : undefined;
  }
  if (/^(merge|addEntries|merging)$/.test(n.baseName)) return 'unknown';
  return undefined;
}

/** A property or a method of the same type (this file) that holds or returns the query. */
function memberQuery(use: Expr, member: string, depth: number, call?: CallExpr): KeychainQuery {
  const typeName = enclosingType(use)?.name;
  for (const n of descendants(rootOf(use), (d) => d.kind === 'file' || d.kind === 'type')) {
    if (n.kind === 'var' && n.name === member && enclosingType(n)?.name === typeName) {
      if (n.value) return keychainQuery(n.value, depth + 1);
      if (n.getter) return returnedQuery(n.getter, depth);
    }
  }
  const method = nestedFunction(use, member) ?? methodsNamed(rootOf(use), typeName, member).find((m): m is FunctionDecl => m.body !== undefined);
  if (!method?.body) return { entries: [], complete: false };
  // A helper's parameters stand for the call's arguments (`queryWithDict([kSecAttrAccount: …])`).
  const bindings = new Map<string, Expr>();
  if (call) method.params.forEach((p, i) => { const arg = call.args[i]; if (arg) bindings.set(p, arg.value); });
  return returnedQuery(method.body, depth, bindings);
}

/** A local func declared in a block around `use` (`func baseQuery(for:)` inside a closure or method). */
function nestedFunction(use: Expr, name: string): FunctionDecl | undefined {
  for (const a of ancestors(use)) {
    if (a.kind !== 'block') continue;
    const found = a.body.find((n): n is FunctionDecl => n.kind === 'function' && n.baseName === name && n.body !== undefined);
    if (found) return found;
  }
  return undefined;
}

function returnedQuery(body: SyntaxNode, depth: number, bindings?: ReadonlyMap<string, Expr>): KeychainQuery {
  for (const n of descendants(body, (d) => d.kind !== 'closure')) {
    if (n.kind === 'jump' && n.jump === 'return' && n.value) return keychainQuery(n.value, depth + 1, bindings);
  }
  const only = body.kind === 'block' && body.body.length === 1 ? body.body[0] : undefined;
  return only && only.kind !== 'var' && isExpr(only) ? keychainQuery(only, depth + 1, bindings) : { entries: [], complete: false };
}

function isExpr(node: SyntaxNode): node is Expr {
  return !['file', 'type', 'function', 'var', 'block', 'if', 'guard', 'switch', 'loop', 'jump', 'defer', 'try'].includes(node.kind);
}
