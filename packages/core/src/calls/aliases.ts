/**
 * Where a value travels inside one body: `guard let id = self?.taskID`, `if let`, optional chains,
 * copies into locals (`let id = task`), tuples (`let (id, name) = (task, "x")`), casts back from
 * `AnyHashable`. One pass in source order.
 */
import type { CodeBody, Expr, SyntaxNode } from '../syntax/ir';
import { descendants, storageName } from '../syntax/query';
import { unwrapExpr } from './resolve';
import type { ValueNames } from './types';

/** Does `expr` name the value (`self.bgTask`, `bgTask`, `strongSelf->_bgTask`, `id as! UIBackgroundTaskIdentifier`)? */
export function refersTo(expr: Expr | undefined, names: ValueNames): boolean {
  if (!expr || !names) return false;
  let e = unwrapExpr(expr);
  // `id.rawValue`, `UIBackgroundTaskIdentifier(rawValue: id.rawValue)`: the same value, converted.
  if (e.kind === 'member' && CONVERSIONS.has(e.name)) e = unwrapExpr(e.object);
  if (e.kind === 'call' && /^[A-Z]/.test(e.baseName) && e.args.length === 1) return refersTo(e.args[0]!.value, names);
  const name = storageName(e);
  return name !== undefined && names.has(name);
}

const CONVERSIONS = new Set(['rawValue', 'unsignedLongValue', 'unsignedIntegerValue', 'integerValue', 'intValue', 'longValue']);

/** Does `expr` mention the value anywhere (an argument built from it, a tuple, a ternary)? */
export function mentions(expr: Expr, names: ValueNames): boolean {
  if (!names) return false;
  if (refersTo(expr, names)) return true;
  for (const n of descendants(expr)) if ((n.kind === 'ident' || n.kind === 'member') && refersTo(n, names)) return true;
  return false;
}

/** `names` plus every local of `body` bound from them. */
export function aliasesIn(body: CodeBody | SyntaxNode, names: ValueNames): ValueNames {
  if (!names) return undefined;
  const all = new Set(names);
  const root = body.kind === 'function' || body.kind === 'closure' ? body.body : body;
  if (!root) return all;
  for (const node of descendants(root)) {
    if (node.kind === 'var' && !node.isProperty && node.value) bindFrom(node.name, node.value, all);
    else if (node.kind === 'binding' && node.value) bindFrom(node.name, node.value, all);
    else if (node.kind === 'assign' && node.operator === '=' && node.target.kind === 'ident') bindFrom(node.target.name, node.value, all);
  }
  return all;
}

function bindFrom(target: string, value: Expr, names: Set<string>): void {
  const v = unwrapExpr(value);
  if (target.startsWith('(')) {
    const parts = target.replace(/^\(|\)$/g, '').split(',').map((s) => s.trim().replace(/^(let|var)\s+/, ''));
    const elements = v.kind === 'other' ? v.children : v.kind === 'literal' ? v.elements : [];
    parts.forEach((part, i) => {
      const element = elements[i];
      if (part && element && element.kind !== 'file' && refersTo(element as Expr, names)) names.add(part);
    });
    return;
  }
  if (refersTo(v, names)) names.add(target);
}
