/**
 * "Does running this code reach a call that does X?", within one file: the code itself (closures it
 * forms included), then the bodies of what it calls that the file declares — methods of the same type
 * (`self.sync()`, `[self sync]`, `sync()`), methods of a type named as the receiver
 * (`Syncer.shared.run()`), free functions, and local closures and functions called by name.
 * A stopgap until the call-summary layer answers this across files.
 */
import type { CallExpr, CodeBody, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { callsIn, descendants, enclosingType, isSelfReceiver, memberPath, methodsNamed, rootOf } from '../syntax/query';

export interface ReachedCall {
  call: CallExpr;
  /** The calls followed to get there, outermost first (empty when `call` is in the code itself). */
  through: CallExpr[];
}

/** The first call under `root` that `matches`, following callees the file declares up to `depth` levels. */
export function reachableCall(root: SyntaxNode, matches: (call: CallExpr) => boolean, depth = 3): ReachedCall | undefined {
  return search(root, matches, depth, new Set(), []);
}

function search(root: SyntaxNode, matches: (call: CallExpr) => boolean, depth: number, seen: Set<SyntaxNode>, through: CallExpr[]): ReachedCall | undefined {
  const calls = callsIn(root, () => true);
  const direct = calls.find(matches);
  if (direct) return { call: direct, through };
  if (depth === 0) return undefined;
  for (const call of calls) {
    for (const body of calleeBodies(call)) {
      if (seen.has(body)) continue;
      seen.add(body);
      const found = search(body, matches, depth - 1, seen, [...through, call]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The bodies in this file a call may run: same-type or named-type methods, free functions, local closures and functions. */
function calleeBodies(call: CallExpr): SyntaxNode[] {
  const file = rootOf(call);
  const receiverType = call.receiver && !isSelfReceiver(call.receiver) ? memberPath(call.receiver)[0] : undefined;
  const typeName = receiverType ?? enclosingType(call)?.name;
  if (call.receiver && !isSelfReceiver(call.receiver) && !/^[A-Z]/.test(receiverType ?? '')) return [];
  const methods: CodeBody[] = typeName ? methodsNamed(file, typeName, call.baseName) : [];
  if (!call.receiver) methods.push(...freeFunctions(file, call.baseName), ...localCallables(call, call.baseName));
  return methods.flatMap((m) => (m.kind === 'function' ? (m.body ? [m.body] : []) : [m.body]));
}

function freeFunctions(file: SyntaxNode, baseName: string): FunctionDecl[] {
  return file.kind === 'file' ? file.body.filter((n): n is FunctionDecl => n.kind === 'function' && n.baseName === baseName) : [];
}

/** `let finish = { … }` or a nested `func finish()` in a body around the call. */
function localCallables(call: CallExpr, name: string): CodeBody[] {
  const found: CodeBody[] = [];
  for (let scope = call.parent; scope; scope = scope.parent) {
    if (scope.kind !== 'function' && scope.kind !== 'closure') continue;
    for (const n of descendants(scope, (d) => d.kind !== 'closure' && d.kind !== 'function')) {
      if (n.kind === 'var' && n.name === name && n.value?.kind === 'closure') found.push(n.value);
      if (n.kind === 'function' && n.baseName === name) found.push(n);
    }
  }
  return found;
}
