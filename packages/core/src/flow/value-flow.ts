/**
 * Following one value (a BGTask, a completion handler…) through a body and into the same-file
 * functions it is handed to: the names it goes by (`let t = task as? X`), and where a call passes it
 * on (a function of this file and the parameter that receives it, or somewhere unknown). A small
 * stand-in for the call-summary layer, which will absorb it.
 */
import type { CallExpr, CodeBody, Expr, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { ancestors, descendants, rootOf } from '../syntax/query';

/** Is `expr` the value itself, seen through casts, `!`/`?` and parentheses? */
export function isValue(expr: Expr | undefined, names: ReadonlySet<string>): boolean {
  let e = expr;
  while (e) {
    if (e.kind === 'ident') return names.has(e.name);
    if (e.kind === 'cast') e = e.operand;
    else if (e.kind === 'unary' && (e.operator === '!' || e.operator === '?')) e = e.operand;
    else if (e.kind === 'other' && e.children.length === 1 && /^\(.*\)$|[!?]$/s.test(e.text)) e = e.children[0] as Expr;
    else return false;
  }
  return false;
}

/** The names the value has in `body`: `names`, plus locals bound from it (`let t = task as! X`, `guard let t = task as? X`). */
export function valueAliases(body: CodeBody, names: Iterable<string>): Set<string> {
  const aliases = new Set(names);
  if (!body.body) return aliases;
  // Two rounds catch an alias of an alias.
  for (let round = 0; round < 2; round++) {
    for (const node of descendants(body.body)) {
      if (node.kind === 'var' && !node.isProperty && isValue(node.value, aliases)) aliases.add(node.name);
      if (node.kind === 'binding' && node.name && isValue(node.value, aliases)) aliases.add(node.name);
    }
  }
  return aliases;
}

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
  const positions = call.args.flatMap((a, i) => (isValue(a.value, names) ? [i] : []));
  if (positions.length === 0) return { kind: 'none' };
  const candidates = functionsNamed(rootOf(call), call.name);
  const targets = candidates.flatMap((fn) => positions.flatMap((i) => (fn.params[i] && fn.params[i] !== '_' ? [{ fn, param: fn.params[i]! }] : [])));
  return targets.length > 0 && targets.every((t) => t.fn.body) ? { kind: 'targets', targets } : { kind: 'escapes' };
}

/** Is the value stored somewhere (`self.task = task`, `op.task = task`), where code we do not follow may use it? */
export function storesValue(node: SyntaxNode, names: ReadonlySet<string>): boolean {
  return node.kind === 'assign' && isValue(node.value, names) && !(node.target.kind === 'ident' && names.has(node.target.name));
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

/**
 * The local code a receiver-less call runs: a func declared in an enclosing body (`func complete(_:)`)
 * or a local bound to a closure (`let finish = { … }`), nearest scope first. Undefined otherwise.
 */
export function localCallee(call: CallExpr): CodeBody | undefined {
  if (call.receiver) return undefined;
  for (const scope of ancestors(call)) {
    if (scope.kind !== 'function' && scope.kind !== 'closure') continue;
    for (const node of scope.body ? descendants(scope.body, (n) => n.kind !== 'closure' && n.kind !== 'function') : []) {
      if (node.kind === 'function' && node.name === call.name && node.body) return node;
      if (node.kind === 'var' && node.name === call.baseName && node.value?.kind === 'closure') return node.value;
    }
  }
  return undefined;
}
