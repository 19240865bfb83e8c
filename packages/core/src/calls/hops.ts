/** Calls that run a closure later instead of before they return. */
import type { CallExpr, ClosureExpr, Expr, SyntaxNode } from '../syntax/ir';
import { memberPath } from '../syntax/query';
import type { Hop, HopKind } from './types';

/** The hop a call makes with the closures it is given, if it runs them later. */
export function hopKindOf(call: CallExpr): HopKind | undefined {
  switch (call.baseName) {
    case 'async': return 'queue-async';
    case 'asyncAfter': case 'asyncAfterUnsafe': return 'async-after';
    case 'Task': return 'task';
    // `Task.immediate` runs synchronously only until its first suspension: an end after an `await` in it comes later.
    case 'detached': case 'immediate': case 'immediateDetached': return memberPath(call.receiver).join('.') === 'Task' ? 'task' : undefined;
    case 'addOperation': case 'addBarrierBlock': return 'operation-queue';
    case 'perform': return call.args.some((a) => a.label === 'afterDelay') ? 'perform-after-delay' : 'run-loop';
    case 'scheduledTimer': return 'timer';
    case 'notify': return 'notify';
    default: return undefined;
  }
}

/** The hop that runs `closure` later, when it is an argument of such a call. */
export function hopOfClosure(closure: ClosureExpr): Hop | undefined {
  const call = closure.parent;
  if (call?.kind !== 'call' || !call.args.some((a) => a.value === closure)) return undefined;
  const kind = hopKindOf(call);
  return kind ? { kind, call } : undefined;
}

/** The nearest hop between `node` and `within` (exclusive): the code at `node` runs only after it. */
export function hopBetween(node: SyntaxNode, within: SyntaxNode): Hop | undefined {
  for (let a = node.parent; a && a !== within; a = a.parent) {
    if (a.kind === 'closure') {
      const hop = hopOfClosure(a);
      if (hop) return hop;
    }
  }
  return undefined;
}

/**
 * When a selector-performing call runs its method later: after a delay, on another thread without
 * waiting (`performSelector:onThread:withObject:waitUntilDone:NO`, `…OnMainThread:…waitUntilDone:NO`,
 * `perform(_:on:with:waitUntilDone: false)`), or in the background (`performSelectorInBackground:`).
 */
export function performHop(call: CallExpr): Hop | undefined {
  if (call.args.some((a) => a.label === 'afterDelay')) return { kind: 'perform-after-delay', call };
  if (call.baseName === 'performSelectorInBackground' || call.args.some((a) => a.label === 'inBackground')) return { kind: 'perform-on-thread', call };
  const wait = call.args.find((a) => a.label === 'waitUntilDone')?.value;
  if (wait?.kind === 'literal' && wait.type === 'bool' && wait.value === 'false') return { kind: 'perform-on-thread', call };
  return undefined;
}

const PERFORMERS = new Set(['perform', 'performSelector', 'performSelectorOnMainThread', 'performSelectorInBackground']);

/** `perform(#selector(finish), with: nil, afterDelay: 1)` / `performSelector:@selector(finish) …afterDelay:`: the method named. */
export function performedSelector(call: CallExpr): string | undefined {
  if (!PERFORMERS.has(call.baseName)) return undefined;
  const first: Expr | undefined = call.args[0]?.value;
  if (first?.kind !== 'other') return undefined;
  // `#selector(stop)`, `#selector(Worker.stop)`, `#selector(stop(_:))`, `@selector(stop:)`.
  const named = first.children.find((c) => c.kind === 'ident' || c.kind === 'member' || c.kind === 'call');
  const name = named?.kind === 'ident' ? named.name : named?.kind === 'member' ? named.name : named?.kind === 'call' ? named.baseName : undefined;
  return name?.replace(/:.*$/, '');
}
