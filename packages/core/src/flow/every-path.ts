/**
 * "Does every path through this body do X, counting the closures it hands off and the functions it
 * calls?" — path analysis (`pathsThrough`) where a statement also discharges the obligation when it
 * passes a closure that does X on every path, calls code (resolved by the call-summary layer) that
 * does, or hands the value to code the layer cannot see into (its new owner then answers for it).
 * The call-summary layer answers "on some path"; this adds "on every path" through closures and callees.
 *
 * A closure handed to a function of this file runs only where that function calls it: the function
 * must call (or hand on) the parameter the closure is bound to on every path. A closure handed to an
 * API or to code in another file is taken to run. Past the depth limit, a closure or callee that does
 * X somewhere is given the benefit of the doubt.
 */
import type { CallExpr, ClosureExpr, CodeBody, Expr, FunctionDecl, JumpStmt, SyntaxNode } from '../syntax/ir';
import { descendants } from '../syntax/query';
import { parseSwiftName } from '../syntax/api-names';
import type { ProjectIndex } from '../facts/lexical-index';
import { resolveCallee, unwrapExpr } from '../calls/resolve';
import { pathsThrough, type PathLeaks } from './paths';

export interface Discharge {
  /** Does this node itself do X (a consuming call)? */
  direct(node: SyntaxNode): boolean;
  /** Is the value handed to code we cannot see (stored in a property, passed to another file's function)? */
  handedOff?(node: SyntaxNode): boolean;
  /** Resolves callees (other files' methods are known only by name: a value given to them is handed off). */
  index: ProjectIndex;
  /** Does a branch taken when `condition` is `holds` need nothing more (the owner is gone, there is no request)? */
  released?(condition: Expr, holds: boolean): boolean;
}

/** Where a body leaves without X: a `return`/`throw`, or the end of the body. */
export interface Leak {
  at?: JumpStmt;
  fallsOffEnd: boolean;
}

export const MAX_DEPTH = 6;

/** Leaks per discharge, body and depth: a body reached along several paths is walked once. */
const memo = new WeakMap<Discharge, Map<CodeBody, Map<number, Leak | null>>>();

/** The first way out of `body` without X on it, or undefined when every path does X. */
export function leakThrough(body: CodeBody, discharge: Discharge, depth = MAX_DEPTH): Leak | undefined {
  let perBody = memo.get(discharge);
  if (!perBody) memo.set(discharge, (perBody = new Map()));
  let perDepth = perBody.get(body);
  if (!perDepth) perBody.set(body, (perDepth = new Map()));
  const known = perDepth.get(depth);
  if (known !== undefined) return known ?? undefined;
  perDepth.set(depth, null); // a call cycle reads "no leak" while the body is being walked
  const leaks = leaksOf(body, discharge, depth);
  const leak = leaks.exits.length === 0 && !leaks.fallsOffEnd ? undefined : { at: leaks.exits[0], fallsOffEnd: leaks.exits.length === 0 };
  perDepth.set(depth, leak ?? null);
  return leak;
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
  return pathsThrough(body, { discharges: (node) => discharges(node, discharge, depth), releasedWhen: discharge.released?.bind(discharge) });
}

/** Running `node` (not entering the closures it defines, only those it hands to a call) does X. */
function discharges(node: SyntaxNode, discharge: Discharge, depth: number): boolean {
  for (const n of [node, ...descendants(node, (d) => d.kind !== 'closure')]) {
    if (discharge.direct(n) || discharge.handedOff?.(n)) return true;
    if (depth === 0) {
      // The horizon: code handed on or called here is not walked path by path any more.
      if (n.kind === 'closure' && n.parent?.kind === 'call' && everDischarges(n.body, discharge, 0)) return true;
      if (n.kind === 'call' && bodiesCalledBy(n, discharge).some((f) => everDischarges(f, discharge, 0))) return true;
      continue;
    }
    if (n.kind === 'closure' && n.parent?.kind === 'call' && !leakThrough(n, discharge, depth - 1) && runsOnEveryPath(n, n.parent, discharge, depth - 1)) return true;
    if (n.kind === 'call' && bodiesCalledBy(n, discharge).some((f) => !leakThrough(f, discharge, depth - 1))) return true;
  }
  return false;
}

/** The bodies in this file a call runs (local closures and funcs, methods of this type), per the call-summary layer. */
function bodiesCalledBy(call: CallExpr, discharge: Discharge): CodeBody[] {
  const callee = resolveCallee(call, discharge.index);
  return callee.kind === 'code' && !callee.across ? callee.bodies.filter((b) => b.body !== undefined) : [];
}

/**
 * Does `call` run `closure` on every path? Only a function of this file can be asked: it must call
 * the parameter the closure is bound to (or hand it on) on every path. An API, or code elsewhere, is
 * taken to run it.
 */
function runsOnEveryPath(closure: ClosureExpr, call: CallExpr, discharge: Discharge, depth: number): boolean {
  const callee = resolveCallee(call, discharge.index);
  if (callee.kind !== 'code' || callee.across) return true;
  const position = call.args.findIndex((a) => unwrapExpr(a.value) === closure);
  if (position < 0) return true;
  const bodies = callee.bodies.filter((b): b is FunctionDecl => b.kind === 'function' && b.body !== undefined);
  const bound = bodies.map((fn) => ({ fn, param: boundParameter(fn, call, position) })).filter((b) => b.param !== undefined);
  if (bound.length === 0) return true;
  return bound.some(({ fn, param }) => !leakThrough(fn, parameterCalled(param!, discharge.index), depth));
}

/** The parameter of `fn` that the call's argument at `position` binds to (a trailing closure: the last one). */
function boundParameter(fn: FunctionDecl, call: CallExpr, position: number): string | undefined {
  const arg = call.args[position]!;
  if (arg.trailing && position === call.args.length - 1) return fn.params[fn.params.length - 1];
  const labels = parseSwiftName(fn.name).labels;
  if (labels.length !== fn.params.length) return undefined;
  const at = labels.indexOf(arg.label);
  return at >= 0 && labels.filter((l) => l === arg.label).length === 1 ? fn.params[at] : undefined;
}

/** "The parameter is called": `completion(…)`, `completion?(…)`, or the parameter handed to another call or stored. */
function parameterCalled(param: string, index: ProjectIndex): Discharge {
  const isParam = (e: Expr | undefined): boolean => {
    const v = e ? unwrapExpr(e) : undefined;
    return v?.kind === 'ident' && v.name === param;
  };
  return {
    index,
    direct: (node) => node.kind === 'call' && !node.receiver && node.baseName === param,
    handedOff: (node) =>
      (node.kind === 'call' && node.args.some((a) => isParam(a.value))) ||
      (node.kind === 'assign' && isParam(node.value)) ||
      (node.kind === 'jump' && isParam(node.value)),
  };
}
