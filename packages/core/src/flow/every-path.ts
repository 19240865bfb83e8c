/**
 * "Does every path through this body do X, counting closures it hands off and functions it calls?"
 * — path analysis (`pathsThrough`) where a statement also discharges the obligation when it passes a
 * closure that does X on every path, calls a function of the same file that does, or hands the
 * value away to code we cannot see (then its new owner answers for it).
 */
import type { CallExpr, ClosureExpr, CodeBody, FunctionDecl, JumpStmt, SyntaxNode } from '../syntax/ir';
import { descendants, isSelfReceiver, methodsNamed, rootOf } from '../syntax/query';
import { pathsThrough, type PathLeaks } from './paths';

export interface Discharge {
  /** Does this node itself do X (a call, a `super` call…)? */
  direct(node: SyntaxNode): boolean;
  /** Is the value handed to code we cannot see (stored in a property, passed to another file's function)? */
  handedOff?(node: SyntaxNode): boolean;
}

/** Where a body leaves without X: a `return`/`throw`, the end of the body, or a leaking closure it hands off. */
export interface Leak {
  at?: JumpStmt;
  fallsOffEnd: boolean;
}

const MAX_DEPTH = 3;

/** The first way out of `body` without X on it, or undefined when every path does X. */
export function leakThrough(body: CodeBody, discharge: Discharge, depth = MAX_DEPTH): Leak | undefined {
  const leaks = leaksOf(body, discharge, depth);
  if (leaks.exits.length === 0 && !leaks.fallsOffEnd) return undefined;
  return { at: leaks.exits[0], fallsOffEnd: leaks.exits.length === 0 };
}

/** Does anything reachable from `body` (closures, same-file callees) do X at all? */
export function everDischarges(body: SyntaxNode, discharge: Discharge, depth = MAX_DEPTH): boolean {
  for (const node of [body, ...descendants(body)]) {
    if (discharge.direct(node) || discharge.handedOff?.(node)) return true;
    if (depth > 0 && node.kind === 'call' && calleesOf(node).some((f) => everDischarges(f, discharge, depth - 1))) return true;
  }
  return false;
}

/** The closures handed off in `body` that do X somewhere but not on every path (the usual leak). */
export function leakingClosures(body: SyntaxNode, discharge: Discharge, depth = MAX_DEPTH): { closure: ClosureExpr; leak: Leak }[] {
  const found: { closure: ClosureExpr; leak: Leak }[] = [];
  for (const node of descendants(body)) {
    if (node.kind !== 'closure' || !everDischarges(node.body, discharge, depth)) continue;
    const leak = leakThrough(node, discharge, depth);
    if (leak) found.push({ closure: node, leak });
  }
  return found;
}

function leaksOf(body: CodeBody, discharge: Discharge, depth: number): PathLeaks {
  return pathsThrough(body, { discharges: (node) => discharges(node, discharge, depth) });
}

/** Running `node` (not entering the closures it defines, only those it hands to a call) does X. */
function discharges(node: SyntaxNode, discharge: Discharge, depth: number): boolean {
  for (const n of [node, ...descendants(node, (d) => d.kind !== 'closure')]) {
    if (discharge.direct(n) || discharge.handedOff?.(n)) return true;
    if (depth === 0) continue;
    if (n.kind === 'closure' && n.parent?.kind === 'call' && !leakThrough(n, discharge, depth - 1)) return true;
    if (n.kind === 'call' && calleesOf(n).some((f) => !leakThrough(f, discharge, depth - 1))) return true;
  }
  return false;
}

/** Functions of the same file a call on `self` (or a free call) may run. */
export function calleesOf(call: CallExpr): FunctionDecl[] {
  if (call.receiver && !isSelfReceiver(call.receiver)) return [];
  return methodsNamed(rootOf(call), undefined, call.baseName).filter((f) => f.body !== undefined);
}
