/**
 * What a body does with a callable it receives (a completion handler parameter): calls it now,
 * calls it later (inside a closure it hands on), stores it, or passes it on. Copies into locals
 * (`let handler = completionHandler`) are followed. A small question of the call-summary kind,
 * answered within one body.
 */
import type { CallExpr, CodeBody, Expr, SyntaxNode } from '../syntax/ir';
import { ancestors, descendants, memberPath } from '../syntax/query';

export interface CallableUse {
  /** Calls that run before the body returns (not inside a closure). */
  callsNow: CallExpr[];
  /** Calls inside closures the body creates (run later, or never). */
  callsLater: CallExpr[];
  /** Assignments that keep it in a property, a dictionary or another object (`self.handler = h`, `handlers[id] = h`). */
  stores: Expr[];
  /** Calls it is passed to as an argument (handed on to code that decides when to call it). */
  passes: CallExpr[];
}

export function callableUse(body: CodeBody, name: string): CallableUse {
  const use: CallableUse = { callsNow: [], callsLater: [], stores: [], passes: [] };
  if (!body.body) return use;
  const names = new Set([name]);
  for (const n of descendants(body.body)) {
    if (n.kind === 'var' && n.value && isName(n.value, names)) names.add(n.name);
  }
  for (const n of descendants(body.body)) {
    if (n.kind === 'call' && n.receiver === undefined && names.has(n.baseName) && n.baseName !== '') {
      (insideClosure(n, body) ? use.callsLater : use.callsNow).push(n);
    } else if (n.kind === 'call' && isName(n.receiver, names) && n.baseName === 'callAsFunction') {
      use.callsNow.push(n);
    } else if (isName(n as Expr, names)) {
      const parent = n.parent;
      if (parent?.kind === 'assign' && parent.value === n && !(parent.target.kind === 'ident' && names.has(parent.target.name))) use.stores.push(parent.target);
      else if (parent?.kind === 'call' && parent.args.some((a) => a.value === n)) use.passes.push(parent);
      else if (parent?.kind === 'literal') use.stores.push(parent);
    }
  }
  return use;
}

function isName(expr: Expr | undefined, names: Set<string>): boolean {
  let e = expr;
  while (e?.kind === 'cast' || (e?.kind === 'unary' && e.operator === '!')) e = e.kind === 'cast' ? e.operand : e.operand;
  const path = memberPath(e);
  return e?.kind === 'ident' && path.length === 1 && names.has(path[0]!);
}

function insideClosure(node: SyntaxNode, body: CodeBody): boolean {
  for (const a of ancestors(node)) {
    if (a === body) return false;
    if (a.kind === 'closure') return true;
  }
  return false;
}
