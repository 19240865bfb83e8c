/**
 * Code handed on by name, both ways. `resolveCode`: the closures and funcs a handler argument runs
 * (`resolveCallable`, plus bindings at file level: top-level code, global funcs). `usesOfCode`: the
 * reverse, where a closure, block or func is handed on: as an argument (`launchHandler: refresh`,
 * `dispatch_async(queue, block)`), assigned to a member (`task.expirationHandler = onExpire`), or
 * called directly (`work()`), whether it is written in place or bound first to a local, a block
 * variable, a property, a nested or global func, or a method. APIs ask "is this closure a launch
 * handler?" through it instead of looking only at the closure's parent.
 */
import type { AssignExpr, CallExpr, CodeBody, Expr, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { ancestors, descendants, enclosingType, isSelfReceiver, memberPath, rootOf } from '../syntax/query';
import type { ProjectIndex } from '../facts/lexical-index';
import { resolveCallable, resolveCallee, unwrapExpr } from './resolve';
import { mayMention, pendingPartSpan } from '../syntax/deferred';

/** One place a closure or func is handed on or run. */
export type CodeUse =
  /** Passed as an argument: `value` is the argument as written (the closure itself, or a name). */
  | { kind: 'argument'; call: CallExpr; value: Expr }
  /** Assigned to a member or another variable (`task.expirationHandler = onExpire`). */
  | { kind: 'assigned'; assign: AssignExpr }
  /** Called directly, where the call is (`work()`, `self.finish()`). */
  | { kind: 'invoked'; call: CallExpr };

/** The code `expr` (a closure, a name, `self.finish`) runs, seen from `at`; empty when not known. */
export function resolveCode(expr: Expr, at: SyntaxNode, index: ProjectIndex): CodeBody[] {
  const resolved = resolveCallable(expr, at, index);
  if (resolved.kind === 'code') return resolved.bodies;
  const e = unwrapExpr(expr);
  if (resolved.kind !== 'unknown' || e.kind !== 'ident' || e.implicitMember || declaredInScope(e.name, at)) return [];
  // A closure-valued property named without `self.` (`launchHandler: refreshHandler`).
  const owner = enclosingType(at);
  const root = rootOf(at);
  if (owner) {
    for (const node of descendants(root, (n) => n.kind === 'file' || n.kind === 'type')) {
      if (node.kind !== 'var' || node.name !== e.name || node.parent?.kind !== 'type' || node.parent.name !== owner.name) continue;
      const value = node.value ? unwrapExpr(node.value) : undefined;
      if (value?.kind === 'closure') return [value];
    }
  }
  // A binding at file level: top-level code (`main.swift`, a script), a global closure or func.
  if (root.kind !== 'file') return [];
  for (const node of root.body) {
    if (node.kind === 'var' && node.name === e.name) {
      const value = node.value ? unwrapExpr(node.value) : undefined;
      return value?.kind === 'closure' ? [value] : [];
    }
  }
  return root.body.filter((n): n is FunctionDecl => n.kind === 'function' && n.baseName === e.name && n.body !== undefined);
}

/** Is `name` a parameter or local of a body around `at` (so a file-level binding of it is shadowed)? */
function declaredInScope(name: string, at: SyntaxNode): boolean {
  for (const scope of ancestors(at)) {
    if (scope.kind === 'type' || scope.kind === 'file') return false;
    if ((scope.kind === 'function' || scope.kind === 'closure') && scope.params.includes(name)) return true;
    if (scope.kind === 'block' && scope.body.some((s) => (s.kind === 'var' || s.kind === 'function') && (s.kind === 'var' ? s.name : s.baseName) === name)) return true;
  }
  return false;
}

const memo = new WeakMap<CodeBody, WeakMap<ProjectIndex, CodeUse[]>>();

/**
 * Where `body` is handed on or run: the call or assignment it is written in, or, when it is bound to a
 * name, every argument, assignment and call of that name in its scope that resolves back to it.
 */
export function usesOfCode(body: CodeBody, index: ProjectIndex): CodeUse[] {
  let perIndex = memo.get(body);
  if (!perIndex) memo.set(body, (perIndex = new WeakMap()));
  let uses = perIndex.get(index);
  if (!uses) perIndex.set(index, (uses = findUses(body, index)));
  return uses;
}

function findUses(body: CodeBody, index: ProjectIndex): CodeUse[] {
  const parent = body.parent;
  if (body.kind === 'closure' && parent?.kind === 'call' && parent.args.some((a) => a.value === body)) return [{ kind: 'argument', call: parent, value: body }];
  const binding = bindingOf(body);
  // `task.expirationHandler = { … }` hands it on; `self.onExpire = ^{ … }` only binds a name.
  if (!binding) return body.kind === 'closure' && parent?.kind === 'assign' && parent.value === body ? [{ kind: 'assigned', assign: parent }] : [];
  const uses: CodeUse[] = [];
  const runs = (expr: Expr, at: SyntaxNode) => resolveCode(expr, at, index).includes(body);
  for (const node of mentionsOf(rootOf(body), binding.name)) {
    if (!within(node, binding.scope)) continue;
    if (node.kind === 'call') {
      for (const arg of node.args) {
        if (arg.value !== body && namesBinding(arg.value, binding.name) && runs(arg.value, node)) uses.push({ kind: 'argument', call: node, value: arg.value });
      }
      if (node.baseName === binding.name && isSelfReceiver(node.receiver)) {
        const callee = resolveCallee(node, index);
        if (callee.kind === 'code' && callee.bodies.includes(body)) uses.push({ kind: 'invoked', call: node });
      }
    } else if (node.kind === 'assign' && node.value !== body && runs(node.value, node)) {
      uses.push({ kind: 'assigned', assign: node });
    }
  }
  return uses;
}

interface Mentions {
  byName: Map<string, (CallExpr | AssignExpr)[]>;
  /** Declarations whose body, getter or property value was not lowered yet when their part of the file was read. */
  unread: SyntaxNode[];
}

const mentionsByFile = new WeakMap<SyntaxNode, Mentions>();

/**
 * The calls and assignments of a file that may hand on or run code bound to `name`: an argument or
 * assigned value that names it, a call of it; in source order. The file is read once, so that asking
 * about every method of a large file stays linear, but a body not lowered yet is read only once a name
 * its text holds is asked for: most bodies of a file mention none of the names asked about.
 */
function mentionsOf(root: SyntaxNode, name: string): (CallExpr | AssignExpr)[] {
  let mentions = mentionsByFile.get(root);
  if (!mentions) {
    mentions = { byName: new Map(), unread: [] };
    mentionsByFile.set(root, mentions);
    readMentions(mentions, root);
  }
  for (;;) {
    const holding = mentions.unread.filter((holder) => mayMention(holder, name, root));
    if (holding.length === 0) break;
    mentions.unread = mentions.unread.filter((holder) => !holding.includes(holder));
    const touched = new Set<(CallExpr | AssignExpr)[]>();
    for (const holder of holding) readMentions(mentions, holder, touched);
    for (const list of touched) list.sort((a, b) => a.startIndex - b.startIndex);
  }
  return mentions.byName.get(name) ?? [];
}

/** Notes the mentions under `under`, leaving bodies and values not yet lowered for later. */
function readMentions(mentions: Mentions, under: SyntaxNode, touched?: Set<(CallExpr | AssignExpr)[]>): void {
  const note = (name: string | undefined, node: CallExpr | AssignExpr) => {
    if (!name) return;
    let list = mentions.byName.get(name);
    if (!list) mentions.byName.set(name, (list = []));
    if (list[list.length - 1] !== node) list.push(node);
    touched?.add(list);
  };
  const enter = (node: SyntaxNode) => {
    if (pendingPartSpan(node) === undefined) return true;
    mentions.unread.push(node);
    return false;
  };
  for (const node of descendants(under, enter)) {
    if (node.kind === 'call') {
      for (const arg of node.args) note(boundName(arg.value), node);
      if (isSelfReceiver(node.receiver)) note(node.baseName, node);
    } else if (node.kind === 'assign') {
      note(boundName(node.value), node);
    }
  }
}

function within(node: SyntaxNode, scope: SyntaxNode): boolean {
  for (let p: SyntaxNode | undefined = node; p; p = p.parent) if (p === scope) return true;
  return false;
}

/** The name `body` is bound to and the code that can refer to it by that name. */
function bindingOf(body: CodeBody): { name: string; scope: SyntaxNode } | undefined {
  const parent = body.parent;
  if (body.kind === 'function') return { name: body.baseName, scope: parent?.kind === 'block' ? parent : rootOf(body) };
  if (parent?.kind === 'var' && parent.value === body) {
    return { name: parent.name.replace(/^_/, ''), scope: parent.isProperty || parent.parent?.kind !== 'block' ? rootOf(body) : parent.parent };
  }
  if (parent?.kind === 'assign' && parent.value === body) {
    const path = memberPath(parent.target);
    const name = path[path.length - 1]?.replace(/^_/, '');
    if (!name) return undefined;
    // `cb = { … }` binds a local (or an implicit-self property); `self.onExpire = { … }` a property.
    const local = parent.target.kind === 'ident' ? declaringBlock(parent, name) : undefined;
    if (path.length === 1 || (path.length === 2 && isSelfReceiver(parent.target.kind === 'member' ? parent.target.object : undefined))) {
      return { name, scope: local ?? rootOf(body) };
    }
  }
  return undefined;
}

function declaringBlock(at: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const a of ancestors(at)) if (a.kind === 'block' && a.body.some((s) => s.kind === 'var' && s.name === name)) return a;
  return undefined;
}

/** `name`, `self.name`, `self->_name`, `_name`: the name of a binding an expression may name. */
function boundName(expr: Expr): string | undefined {
  const e = unwrapExpr(expr);
  if (e.kind === 'ident' && !e.implicitMember) return e.name.replace(/^_/, '');
  if (e.kind === 'member' && isSelfReceiver(e.object)) return e.name.replace(/^_/, '');
  return undefined;
}

function namesBinding(expr: Expr, name: string): boolean {
  return boundName(expr) === name;
}
