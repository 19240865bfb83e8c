/**
 * Where a call hands a value on: to functions declared in this file under the call's full name (free
 * functions, static methods of other types, methods reached through `Type.shared`, which the
 * call-summary layer's `resolveCallee` does not look up), with the parameter that receives it; or to
 * code we cannot see. Names and aliases come from the call-summary layer (`calls/aliases`).
 */
import type { CallExpr, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { descendants, rootOf } from '../syntax/query';
import { refersTo } from '../calls/aliases';

/** A function of this file that runs with the value, under the parameter `param`. */
export interface ValueTarget {
  fn: FunctionDecl;
  param: string;
}

/**
 * Where `call` hands the value on: nowhere (`none`), to functions declared in this file with the
 * same full name (`targets`, each with the parameter at the argument's position), or to code we
 * cannot see (`escapes`: another file, a library, an initializer).
 */
export type ValuePassing = { kind: 'none' } | { kind: 'targets'; targets: ValueTarget[] } | { kind: 'escapes' };

export function passesValue(call: CallExpr, names: ReadonlySet<string>): ValuePassing {
  const positions = call.args.flatMap((a, i) => (refersTo(a.value, names) ? [i] : []));
  if (positions.length === 0) return { kind: 'none' };
  const candidates = functionsNamed(rootOf(call), call.name);
  const targets = candidates.flatMap((fn) => positions.flatMap((i) => (fn.params[i] && fn.params[i] !== '_' ? [{ fn, param: fn.params[i]! }] : [])));
  return targets.length > 0 && targets.every((t) => t.fn.body) ? { kind: 'targets', targets } : { kind: 'escapes' };
}

/** Is the value stored somewhere (`self.task = task`, `op.task = task`), where code we do not follow may use it? */
export function storesValue(node: SyntaxNode, names: ReadonlySet<string>): boolean {
  return node.kind === 'assign' && refersTo(node.value, names) && !(node.target.kind === 'ident' && names.has(node.target.name));
}

const functionIndex = new WeakMap<SyntaxNode, Map<string, FunctionDecl[]>>();

/** Every function and method in the file with this full name (`handle(task:)`, ObjC `handle(_:)`). */
export function functionsNamed(root: SyntaxNode, fullName: string): FunctionDecl[] {
  let byName = functionIndex.get(root);
  if (!byName) {
    byName = new Map();
    for (const node of descendants(root)) {
      if (node.kind !== 'function') continue;
      byName.set(node.name, [...(byName.get(node.name) ?? []), node]);
    }
    functionIndex.set(root, byName);
  }
  return byName.get(fullName) ?? [];
}

