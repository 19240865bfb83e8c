/**
 * "Does every path through this body do X, counting the closures it hands off and the functions it
 * calls?" — path analysis (`pathsThrough`) where a statement also discharges the obligation when it
 * passes a closure that does X on every path, calls code (resolved by the call-summary layer) that
 * does, or hands the value to code the layer cannot see into (its new owner then answers for it).
 * The call-summary layer answers "on some path"; this adds "on every path" through closures and callees.
 */
import type { CallExpr, ClosureExpr, CodeBody, JumpStmt, SyntaxNode } from '../syntax/ir';
import { descendants } from '../syntax/query';
import type { ProjectIndex } from '../facts/lexical-index';
import { resolveCallee } from '../calls/resolve';
import { pathsThrough, type PathLeaks } from './paths';

export interface Discharge {
  /** Does this node itself do X (a consuming call)? */
  direct(node: SyntaxNode): boolean;
  /** Is the value handed to code we cannot see (stored in a property, passed to another file's function)? */
  handedOff?(node: SyntaxNode): boolean;
  /** Resolves callees (other files' methods are known only by name: a value given to them is handed off). */
  index: ProjectIndex;
}

/** Where a body leaves without X: a `return`/`throw`, or the end of the body. */
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

/** Does anything reachable from `body` (closures, callees in this file) do X, or hand the value off? */
export function everDischarges(body: SyntaxNode, discharge: Discharge, depth = MAX_DEPTH): boolean {
  for (const node of [body, ...descendants(body)]) {
    if (discharge.direct(node) || discharge.handedOff?.(node)) return true;
    if (depth > 0 && node.kind === 'call' && bodiesCalledBy(node, discharge).some((f) => everDischarges(f, discharge, depth - 1))) return true;
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
    if (n.kind === 'call' && bodiesCalledBy(n, discharge).some((f) => !leakThrough(f, discharge, depth - 1))) return true;
  }
  return false;
}

/** The bodies in this file a call runs (local closures and funcs, methods of this type), per the call-summary layer. */
function bodiesCalledBy(call: CallExpr, discharge: Discharge): CodeBody[] {
  const callee = resolveCallee(call, discharge.index);
  return callee.kind === 'code' && !callee.across ? callee.bodies.filter((b) => b.body !== undefined) : [];
}
