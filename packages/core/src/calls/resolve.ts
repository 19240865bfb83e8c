/**
 * Resolving a reference to code: what runs when `finish`, `self.finish`, `[self finish]`,
 * `expirationHandler: finish` or `super.finish()` is called. Iterative lookups over the syntax view
 * (enclosing scopes, the type's members in this file), then the project index for other files.
 */
import type { CallExpr, CodeBody, Expr, FunctionDecl, SyntaxNode, TypeDecl } from '../syntax/ir';
import { ancestors, descendants, enclosingType, isSelfReceiver, memberPath, rootOf } from '../syntax/query';
import type { ProjectIndex } from '../facts/lexical-index';
import type { Callable } from './types';

const MAX_ALIAS_STEPS = 4;
const MAX_SUPERTYPES = 4;

/** Strips casts (`handler as! () -> Void`) and parentheses the view keeps as `other` with one child. */
export function unwrapExpr(expr: Expr): Expr {
  let e = expr;
  for (let i = 0; i < 8; i++) {
    if (e.kind === 'cast') e = e.operand;
    else if (e.kind === 'other' && e.children.length === 1 && isExpr(e.children[0]!)) e = e.children[0] as Expr;
    else break;
  }
  return e;
}

function isExpr(node: SyntaxNode): boolean {
  return !['file', 'type', 'function', 'var', 'block', 'if', 'guard', 'switch', 'loop', 'jump', 'defer', 'try'].includes(node.kind);
}

/** The code a value expression refers to, seen from `at` (a closure literal, a named local, a method). */
export function resolveCallable(expr: Expr, at: SyntaxNode, index: ProjectIndex): Callable {
  let e = unwrapExpr(expr);
  for (let step = 0; step < MAX_ALIAS_STEPS; step++) {
    if (e.kind === 'closure') return { kind: 'code', bodies: [e] };
    if (e.kind === 'ident' && !e.implicitMember) {
      const local = localBinding(e.name, at);
      if (local === 'parameter') return { kind: 'parameter', name: e.name };
      if (local?.kind === 'function') return { kind: 'code', bodies: [local] };
      if (local) { e = unwrapExpr(local); continue; }
      return methodOf(enclosingType(at), e.name, at, index);
    }
    if (e.kind === 'member' && isSelfReceiver(e.object)) {
      const property = propertyValue(enclosingType(at), e.name, at);
      if (property) { e = unwrapExpr(property); continue; }
      return methodOf(enclosingType(at), e.name, at, index);
    }
    if (e.kind === 'member') return methodOfValue(e.object, e.name, at, index);
    break;
  }
  return { kind: 'unknown' };
}

/**
 * `work.cancel`, `self.operation.cancel`: a method of a value whose type is known (a local built by
 * `Task(…)` / `BlockOperation { … }`, a typed property). A type the project does not declare is the
 * SDK's, whose methods cannot reach the project's values.
 */
function methodOfValue(object: Expr, name: string, at: SyntaxNode, index: ProjectIndex): Callable {
  const typeName = typeOfValue(unwrapExpr(object), at, index);
  if (!typeName) return { kind: 'unknown' };
  const target = methodOf(typeName, name, at, index);
  if (target.kind === 'code' || target.kind === 'indexed') return { ...target, across: true };
  const declared = typeDecls(rootOf(at), typeName).length > 0 || index.type(typeName) !== undefined;
  return declared ? { kind: 'unknown' } : { kind: 'external', typeName };
}

function typeOfValue(object: Expr, at: SyntaxNode, index: ProjectIndex): string | undefined {
  const path = memberPath(object);
  const viaSelf = path.length === 2 && /^(weak|strong|unowned)?_?[sS]elf$/.test(path[0]!);
  if (object.kind === 'ident' && !object.implicitMember) {
    const local = localBinding(object.name, at);
    if (local && local !== 'parameter' && local.kind === 'call') return constructedType(local);
    if (local) return undefined;
  } else if (!viaSelf) return undefined;
  const property = viaSelf ? path[1]! : path[0]!;
  return propertyType(enclosingType(at)?.name, property.replace(/^_/, ''), rootOf(at), index);
}

/** `Task(operation: work)`, `BlockOperation { … }`: the type an initializer call builds. */
function constructedType(call: CallExpr): string | undefined {
  return !call.receiver && /^[A-Z]\w*$/.test(call.baseName) ? call.baseName : undefined;
}

/** What a call invokes: a local closure or func, a method of this type or its supertypes, of a typed property's type. */
const SHARED_INSTANCE = /^(shared|sharedInstance|sharedManager|default|instance)$/;

export function resolveCallee(call: CallExpr, index: ProjectIndex): Callable {
  const receiver = call.receiver ? unwrapExpr(call.receiver) : undefined;
  const owner = enclosingType(call);
  if (!receiver) {
    const local = localBinding(call.baseName, call);
    if (local === 'parameter') return { kind: 'parameter', name: call.baseName };
    if (local?.kind === 'function') return { kind: 'code', bodies: [local] };
    if (local) return resolveCallable(local, call, index);
    return methodOf(owner, call.baseName, call, index);
  }
  if (receiver.kind === 'self' && receiver.super) {
    const parent = supertypeOf(owner?.name, rootOf(call), index);
    return parent ? methodOf(parent, call.baseName, call, index) : { kind: 'unknown' };
  }
  if (isSelfReceiver(receiver)) {
    const property = propertyValue(owner, call.baseName, call);
    if (property) return resolveCallable(property, call, index);
    return methodOf(owner, call.baseName, call, index);
  }
  // `[SwrveUtils stop:…]`, `Self.stop()`, `Helper.stop()`: a type method of this type or another project type.
  if (receiver.kind === 'ident' && /^[A-Z]/.test(receiver.name) && !localBinding(receiver.name, call)) {
    const typeName = receiver.name === 'Self' ? owner?.name : receiver.name;
    const target = typeName ? methodOf(typeName, call.baseName, call, index) : { kind: 'unknown' as const };
    return typeName === owner?.name || (target.kind !== 'code' && target.kind !== 'indexed') ? target : { ...target, across: true };
  }
  // `Keeper.shared.restart()`, `[[Keeper sharedInstance] restart]`: a project type's shared instance.
  const path = memberPath(receiver);
  if (path.length === 2 && SHARED_INSTANCE.test(path[1]!) && /^[A-Z]/.test(path[0]!) && !localBinding(path[0]!, call)) {
    const target = methodOf(path[0]!, call.baseName, call, index);
    if (target.kind === 'code' || target.kind === 'indexed') return { ...target, across: true };
  }
  // `task.end()` on a local built by `BackgroundTask(application:)`: that project type's method.
  if (receiver.kind === 'ident' && !receiver.implicitMember && localBinding(receiver.name, call)) {
    const target = methodOfValue(receiver, call.baseName, call, index);
    return target.kind === 'code' || target.kind === 'indexed' ? target : { kind: 'unknown' };
  }
  // `self.uploader.cancel()`, `uploader.cancel()`, `[self.uploader cancel]`, `[_uploader cancel]`: a typed property.
  const viaSelf = path.length === 2 && /^(weak|strong|unowned)?_?[sS]elf$/.test(path[0]!);
  const name = viaSelf ? path[1]! : path.length === 1 && !localBinding(path[0]!, call) ? path[0]! : undefined;
  const typeName = name ? propertyType(owner?.name, name.replace(/^_/, ''), rootOf(call), index) : undefined;
  if (!typeName) return { kind: 'unknown' };
  const target = methodOf(typeName, call.baseName, call, index);
  return target.kind === 'code' || target.kind === 'indexed' ? { ...target, across: true } : target;
}

/**
 * A name bound in an enclosing scope of `at`: a parameter, a nested `func`, or the value of a
 * local `let`/`var`/block variable (or a later assignment `cb = { … }`).
 */
function localBinding(name: string, at: SyntaxNode): FunctionDecl | Expr | 'parameter' | undefined {
  let inner: SyntaxNode = at;
  for (const scope of ancestors(at)) {
    const child = inner;
    inner = scope;
    if (scope.kind === 'type' || scope.kind === 'file') return undefined;
    if ((scope.kind === 'function' || scope.kind === 'closure') && scope.params.includes(name)) return 'parameter';
    // `if let handler = handler { … }`: bound for the `then` branch.
    if (scope.kind === 'if' && child === scope.then) {
      const bound = boundIn(scope.conditions, name);
      if (bound) return bound;
    }
    if (scope.kind !== 'block') continue;
    const before = scope.body.indexOf(child as never);
    for (const [i, statement] of scope.body.entries()) {
      // `guard let handler = self.handler else { … }`: bound for the statements after the guard.
      if (statement.kind === 'guard' && before > i) {
        const bound = boundIn(statement.conditions, name);
        if (bound) return bound;
      }
      if (statement.kind === 'function' && statement.baseName === name && statement !== at) return statement;
      if (statement.kind === 'var' && statement.name === name) {
        const assigned = statement.value && !isInvalidLike(statement.value) ? statement.value : laterAssignment(scope, name);
        if (assigned) return assigned;
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The value an `if let` / `guard let` condition binds `name` to. The shorthand (`if let handler`) and
 * `if let handler = handler` only unwrap the outer binding of the same name: look further out for it.
 */
function boundIn(conditions: Expr[], name: string): Expr | undefined {
  for (const condition of conditions) {
    for (const node of [condition, ...descendants(condition, (n) => n.kind !== 'closure')]) {
      if (node.kind !== 'binding' || node.name !== name || !node.value) continue;
      const value = unwrapExpr(node.value);
      if (value.kind === 'ident' && value.name === name) return undefined;
      return node.value;
    }
  }
  return undefined;
}

function isInvalidLike(expr: Expr): boolean {
  return expr.kind === 'literal' && expr.type === 'nil';
}

/** `cb = { … }` in the block that declares `cb`. */
function laterAssignment(scope: SyntaxNode, name: string): Expr | undefined {
  for (const node of descendants(scope, (n) => n.kind !== 'closure' && n.kind !== 'function')) {
    if (node.kind === 'assign' && node.target.kind === 'ident' && node.target.name === name) return node.value;
  }
  return undefined;
}

/** Type declarations of this name in the file (the type and its extensions or categories). */
function typeDecls(root: SyntaxNode, typeName: string): TypeDecl[] {
  const found: TypeDecl[] = [];
  for (const node of descendants(root, (n) => n.kind === 'file' || n.kind === 'type')) {
    if (node.kind === 'type' && node.name === typeName) found.push(node);
  }
  return found;
}

/** A closure-valued property: `var onExpire: () -> Void = { … }` or `self.onExpire = { … }` in the type. */
function propertyValue(owner: TypeDecl | undefined, name: string, at: SyntaxNode): Expr | undefined {
  if (!owner) return undefined;
  for (const type of typeDecls(rootOf(at), owner.name)) {
    for (const member of type.members) {
      if (member.kind === 'var' && member.name === name && member.value?.kind === 'closure') return member.value;
    }
    for (const node of descendants(type)) {
      if (node.kind === 'assign' && node.value.kind === 'closure' && node.target.kind === 'member' && node.target.name === name && isSelfReceiver(node.target.object)) {
        return node.value;
      }
    }
  }
  return undefined;
}

/** Methods with this base name of the type (this file first, then the index), else of its supertypes. */
export function methodOf(owner: TypeDecl | string | undefined, baseName: string, at: SyntaxNode, index: ProjectIndex): Callable {
  let typeName = typeof owner === 'string' ? owner : owner?.name;
  const root = rootOf(at);
  for (let level = 0; typeName && level < MAX_SUPERTYPES; level++) {
    const bodies: CodeBody[] = [];
    for (const type of typeDecls(root, typeName)) {
      for (const m of type.members) if (m.kind === 'function' && m.baseName === baseName && m.body) bodies.push(m);
    }
    if (bodies.length > 0) return { kind: 'code', bodies };
    if (index.type(typeName)?.methods.some((m) => m.name === baseName)) return { kind: 'indexed', typeName, name: baseName };
    typeName = supertypeOf(typeName, root, index);
  }
  return { kind: 'unknown' };
}

/** The superclass (first inherited name) of a type, from this file or the index. */
export function supertypeOf(typeName: string | undefined, root: SyntaxNode, index: ProjectIndex): string | undefined {
  if (!typeName) return undefined;
  const local = typeDecls(root, typeName).find((t) => t.typeKind !== 'extension' && t.typeKind !== 'category' && t.inherits.length > 0);
  return local?.inherits[0] ?? index.type(typeName)?.inherits[0];
}

/** The declared type of a property (`var uploader: Uploader?`, `@property Uploader *uploader`), this file first. */
export function propertyType(typeName: string | undefined, name: string, root: SyntaxNode, index: ProjectIndex): string | undefined {
  if (!typeName) return undefined;
  for (const type of typeDecls(root, typeName)) {
    for (const m of type.members) {
      if (m.kind === 'var' && m.name.replace(/^_/, '') === name && m.typeName) return bareTypeName(m.typeName);
    }
  }
  const indexed = index.type(typeName)?.properties?.find((p) => p.name === name);
  return indexed ? bareTypeName(indexed.type) : undefined;
}

function bareTypeName(written: string): string | undefined {
  const name = /^\s*(?:weak\s+|unowned\s+)?([A-Za-z_]\w*)/.exec(written.replace(/^[^A-Za-z_]*/, ''))?.[1];
  return name && /^[A-Z]/.test(name) ? name : undefined;
}
