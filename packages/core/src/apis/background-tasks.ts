/**
 * UIKit background tasks (`beginBackgroundTask…` / `endBackgroundTask`) as both task rules see them,
 * and the wrappers that run a closure later instead of now.
 */
import type { CallExpr, ClosureExpr, Expr, SyntaxNode } from '../syntax/ir';
import { ancestors, bindArguments, callsIn, descendants, isSelfReceiver, matchesSignature, methodsNamed, rootOf, storageName, enclosingType, enclosingFunction } from '../syntax/query';
import type { ProjectIndex } from '../facts/lexical-index';

export const BEGIN_BACKGROUND_TASK = [
  'beginBackgroundTask(withName:expirationHandler:)',
  'beginBackgroundTask(expirationHandler:)',
  'beginBackgroundTask(withName:)',
];
export const END_BACKGROUND_TASK = 'endBackgroundTask(_:)';
export const BACKGROUND_TASK_TRIGGERS = ['beginBackgroundTask'];

export function expirationHandlerOf(begin: CallExpr): Expr | undefined {
  for (const signature of BEGIN_BACKGROUND_TASK) {
    const args = bindArguments(begin, signature);
    if (args) return args.get('expirationHandler');
  }
  return undefined;
}

/** An `endBackgroundTask` of the identifier stored under one of `names` (any, when none are known). */
export function isEndCall(node: SyntaxNode, names?: string | ReadonlySet<string>): boolean {
  if (node.kind !== 'call' || !matchesSignature(node, END_BACKGROUND_TASK)) return false;
  const ended = storageName(node.args[0]?.value);
  if (names === undefined || ended === undefined || ended === 'invalid') return true;
  return typeof names === 'string' ? ended === names : names.has(ended);
}

/**
 * Closures that a call runs later rather than before it returns: `DispatchQueue.main.async`,
 * `dispatch_async`, `asyncAfter`, `Task {}`, `perform(_:with:afterDelay:)`, `OperationQueue.addOperation`.
 */
export function deferringCall(closure: ClosureExpr): CallExpr | undefined {
  const call = closure.parent;
  if (call?.kind !== 'call' || !call.args.some((a) => a.value === closure)) return undefined;
  const later = /^(async|asyncAfter|addOperation|detached|perform|scheduledTimer)$/.test(call.baseName) || call.baseName === 'Task';
  return later ? call : undefined;
}

/** Where an end is wrapped to run later, between it and `within` (exclusive). */
export function deferredBy(node: SyntaxNode, within: SyntaxNode): CallExpr | undefined {
  for (const a of ancestors(node)) {
    if (a === within) return undefined;
    if (a.kind === 'closure') {
      const wrapper = deferringCall(a);
      if (wrapper) return wrapper;
    }
  }
  return undefined;
}

/** `stored` and the names it is copied to in the function that began the task. */
function copiesOf(begin: CallExpr, stored: string): Set<string> {
  const names = new Set([stored]);
  const scope = enclosingFunction(begin);
  for (const node of scope ? descendants(scope) : []) {
    if (node.kind !== 'assign' || storageName(node.value) !== stored) continue;
    const copy = storageName(node.target);
    if (copy) names.add(copy);
  }
  return names;
}

/** `let self = self`, `let self`, `let strongSelf = self`: unwrapping a weakly captured owner. */
function isSelfUnwrap(binding: Expr): boolean {
  if (binding.kind !== 'binding') return false;
  return binding.value ? binding.value.kind === 'self' : binding.name === 'self';
}

/**
 * Knows, for one stored identifier, what ends it: a direct `endBackgroundTask`, a call to a method
 * of the same type that ends it (this file or any other, one level and one more through the index),
 * or a call to a local closure that ends it (`completionWrapper()`).
 */
export class TaskEnding {
  private readonly endingLocals = new Set<string>();
  /** The stored name and the places it is copied to (`task.identifier = taskID`). */
  private readonly names?: ReadonlySet<string>;

  constructor(
    private readonly begin: CallExpr,
    readonly stored: string | undefined,
    private readonly index: ProjectIndex,
  ) {
    this.names = stored === undefined ? undefined : copiesOf(begin, stored);
    for (const node of descendants(rootOf(begin))) {
      if (node.kind === 'var' && node.value?.kind === 'closure' && this.containsEnd(node.value, false)) this.endingLocals.add(node.name);
    }
  }

  /** Does running `node` end the task (ignoring the begin call's own expiration handler)? */
  ends(node: SyntaxNode): boolean {
    return this.containsEnd(node, true);
  }

  /** Does running `node` end the task before it completes (not in a closure it hands on)? */
  endsBeforeReturning(node: SyntaxNode): boolean {
    return callsIn(node, (c) => c !== this.begin && this.isEnding(c, true), false).length > 0;
  }

  /** As an obligation for path analysis: a statement discharges it by ending the task. */
  discharges(node: SyntaxNode): boolean {
    return this.ends(node);
  }

  /**
   * Exits need not end the task where the identifier is already invalid (`guard id != .invalid`,
   * `if id == UIBackgroundTaskInvalid`) or where a weakly captured owner is gone (`guard let self`).
   */
  releasedWhen(condition: Expr, holds: boolean): boolean {
    if (!holds && condition.kind === 'binding') return isSelfUnwrap(condition);
    if (condition.kind !== 'binary' || (condition.operator !== '==' && condition.operator !== '!=')) return false;
    const meansInvalid = (condition.operator === '==') === holds;
    return meansInvalid && this.comparesWithInvalid(condition.left, condition.right);
  }

  private comparesWithInvalid(left: Expr, right: Expr): boolean {
    const isInvalid = (e: Expr) => storageName(e) === 'invalid' || storageName(e) === 'UIBackgroundTaskInvalid';
    const isStored = (e: Expr) => this.names !== undefined && this.names.has(storageName(e) ?? '');
    return (isStored(left) && isInvalid(right)) || (isStored(right) && isInvalid(left));
  }

  /** The ends inside `node`; outside the begin call, its own expiration handler does not count. */
  endsIn(node: SyntaxNode): CallExpr[] {
    const skipBegin = !this.insideBegin(node);
    return callsIn(node, (c) => !(skipBegin && this.insideBegin(c)) && this.isEnding(c, true));
  }

  private containsEnd(node: SyntaxNode, followMethods: boolean): boolean {
    if (node === this.begin) return false;
    if (node.kind === 'call' && this.isEnding(node, followMethods)) return true;
    for (const d of descendants(node, (n) => n !== this.begin)) {
      if (d.kind === 'call' && d !== this.begin && this.isEnding(d, followMethods)) return true;
    }
    return false;
  }

  private isEnding(call: CallExpr, followMethods: boolean): boolean {
    if (isEndCall(call, this.names)) return true;
    if (!followMethods) return false;
    if (call.receiver === undefined && this.endingLocals.has(call.baseName)) return true;
    return isSelfReceiver(call.receiver) && this.methodEnds(call);
  }

  private methodEnds(call: CallExpr): boolean {
    const typeName = enclosingType(this.begin)?.name;
    const local = methodsNamed(rootOf(this.begin), typeName, call.baseName);
    if (local.some((m) => m.body && callsIn(m.body, (c) => isEndCall(c, this.names)).length > 0)) return true;
    return this.index.methodEnds(typeName, call.baseName, this.names);
  }

  private insideBegin(node: SyntaxNode): boolean {
    for (const a of ancestors(node)) if (a === this.begin) return true;
    return false;
  }
}
