/** Questions rules ask of the syntax view, answered the same way for Swift and Objective-C. */
import type { CallExpr, ClosureExpr, CodeBody, Expr, FunctionDecl, SyntaxNode, TypeDecl } from './ir';
import { childrenOf } from './children';
import { parseSwiftName } from './api-names';
import { mayMentionAny } from './deferred';

/** Every node under `root` (not `root` itself), depth-first; `into` decides whether to enter a node. */
export function* descendants(root: SyntaxNode, into: (node: SyntaxNode) => boolean = () => true): Generator<SyntaxNode> {
  const stack = [...childrenOf(root)].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    if (into(node)) {
      const kids = childrenOf(node);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
}

/**
 * Every node under `root` that a search for `words` can need: all of the view lowered so far or never
 * deferred, and the deferred parts (function bodies, getters, property values) whose text holds one of
 * the words, which are lowered now. A reference to a name contains the name, so a search for references
 * to some names (a variable, a property, a method's result) need not lower the other parts.
 */
export function nodesMentioning(root: SyntaxNode, words: readonly string[]): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack = [...childrenOf(root)].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    found.push(node);
    if (!mayMentionAny(node, words, root)) continue;
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return found;
}

export function* ancestors(node: SyntaxNode): Generator<SyntaxNode> {
  for (let p = node.parent; p; p = p.parent) yield p;
}

/** Does the call match a Swift signature such as `register(forTaskWithIdentifier:using:launchHandler:)`? */
export function matchesSignature(call: CallExpr, signature: string): boolean {
  return bindArguments(call, signature) !== undefined;
}

/**
 * Binds the call's arguments to the signature's labels: labeled ones by label, trailing closures to
 * the labels left at the end. Undefined when the call cannot be that function.
 */
export function bindArguments(call: CallExpr, signature: string): Map<string, Expr> | undefined {
  const { base, labels } = parseSwiftName(signature);
  if (call.baseName !== base) return undefined;
  const explicit = call.args.filter((a) => !a.trailing);
  const trailing = call.args.filter((a) => a.trailing);
  const bound = new Map<string, Expr>();
  let at = 0;
  for (const arg of explicit) {
    if (labels[at] !== arg.label) return undefined;
    bound.set(labels[at]!, arg.value);
    at++;
  }
  const remaining = labels.slice(at);
  // Every label must be bound: a project method `beginBackgroundTask()` is not UIKit's.
  if (trailing.length !== remaining.length) return undefined;
  // The first trailing closure takes the first of the last `trailing.length` remaining labels.
  const trailingLabels = remaining.slice(remaining.length - trailing.length);
  trailing.forEach((arg, i) => bound.set(arg.label !== '_' ? arg.label : trailingLabels[i]!, arg.value));
  return bound;
}

/** The function or closure whose body contains `node`. */
export function enclosingBody(node: SyntaxNode): CodeBody | undefined {
  for (const a of ancestors(node)) if (a.kind === 'function' || a.kind === 'closure') return a;
  return undefined;
}

export function enclosingFunction(node: SyntaxNode): FunctionDecl | undefined {
  for (const a of ancestors(node)) if (a.kind === 'function') return a;
  return undefined;
}

export function enclosingType(node: SyntaxNode): TypeDecl | undefined {
  for (const a of ancestors(node)) if (a.kind === 'type') return a;
  return undefined;
}

/** `self.a.b` → ['self', 'a', 'b']; zero-argument calls count as members (`[BGTaskScheduler supportedResources]`). */
export function memberPath(expr: Expr | undefined): string[] {
  const path: string[] = [];
  let e: Expr | undefined = expr;
  while (e) {
    if (e.kind === 'member') { path.unshift(e.name); e = e.object; }
    else if (e.kind === 'call' && e.args.length === 0 && e.receiver) { path.unshift(e.baseName); e = e.receiver; }
    else if (e.kind === 'ident') { path.unshift(e.name); break; }
    else if (e.kind === 'self') { path.unshift('self'); break; }
    else if (e.kind === 'cast') e = e.operand;
    else break;
  }
  return path;
}

/**
 * The name a value is stored under, for matching a begin with its end: `self.bgTask`, `bgTask`,
 * `_bgTask`, `weakSelf->_bgTask` and `strongSelf.bgTask` all name `bgTask`.
 */
export function storageName(expr: Expr | undefined): string | undefined {
  const path = memberPath(expr);
  const last = path[path.length - 1];
  return last ? last.replace(/^_+/, '') : undefined;
}

/** Is the value stored on the instance (a property) rather than in a local? */
export function isPropertyReference(expr: Expr, locals: Set<string>): boolean {
  const path = memberPath(expr);
  if (path.length > 1) return true;
  const name = path[0];
  return name !== undefined && !locals.has(name);
}

/** `self`, `self?`, `weakSelf`, `strongSelf`, or no receiver: a call on the current instance. */
export function isSelfReceiver(receiver: Expr | undefined): boolean {
  if (!receiver) return true;
  if (receiver.kind === 'self') return !receiver.super;
  if (receiver.kind === 'ident') return /^(weak|strong|unowned)?_?[sS]elf$/.test(receiver.name);
  return false;
}

/** `.main`, `DispatchQueue.main`, `OperationQueue.main`, `dispatch_get_main_queue()`, `RunLoop.main`. */
export function isMainQueue(expr: Expr | undefined): boolean {
  const path = memberPath(expr);
  if (path.length === 1) return expr?.kind === 'ident' && expr.implicitMember && path[0] === 'main';
  return path.length === 2 && path[1] === 'main' && /^(DispatchQueue|OperationQueue|RunLoop)$/.test(path[0]!);
}

export function isNil(expr: Expr | undefined): boolean {
  return expr?.kind === 'literal' && expr.type === 'nil';
}

export function isTrue(expr: Expr | undefined): boolean {
  return expr?.kind === 'literal' && expr.type === 'bool' && expr.value === 'true';
}

/** A closure argument, looking through a reference to a local closure when needed is out of scope. */
export function asClosure(expr: Expr | undefined): ClosureExpr | undefined {
  return expr?.kind === 'closure' ? expr : undefined;
}

/** Names bound in a body before `node`: parameters and local declarations (for telling locals from properties). */
export function localNames(body: CodeBody): Set<string> {
  const names = new Set(body.params);
  if (!body.body) return names;
  for (const node of descendants(body.body, (n) => n.kind !== 'closure')) {
    if (node.kind === 'var' && !node.isProperty) names.add(node.name);
    if (node.kind === 'binding') names.add(node.name);
  }
  return names;
}

/** Calls under `root` matching a predicate; `enterClosures` false keeps to code that runs synchronously here. */
export function callsIn(root: SyntaxNode, predicate: (call: CallExpr) => boolean, enterClosures = true): CallExpr[] {
  const found: CallExpr[] = [];
  if (root.kind === 'call' && predicate(root)) found.push(root);
  for (const node of descendants(root, (n) => enterClosures || n.kind !== 'closure')) {
    if (node.kind === 'call' && predicate(node)) found.push(node);
  }
  return found;
}

/** The text of a string literal argument, or undefined when it is built at run time. */
export function staticString(expr: Expr | undefined): string | undefined {
  if (expr?.kind !== 'literal' || expr.type !== 'string' || expr.dynamic) return undefined;
  return expr.value;
}

/** Methods of the type with this base name in the same syntax tree (all types and extensions of that name). */
export function methodsNamed(root: SyntaxNode, typeName: string | undefined, baseName: string): FunctionDecl[] {
  const found: FunctionDecl[] = [];
  for (const node of descendants(root, (n) => n.kind === 'file' || n.kind === 'type')) {
    if (node.kind !== 'function' || node.baseName !== baseName) continue;
    const owner = node.parent?.kind === 'type' ? node.parent.name : undefined;
    if (typeName === undefined || owner === typeName) found.push(node);
  }
  return found;
}

export function rootOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}
