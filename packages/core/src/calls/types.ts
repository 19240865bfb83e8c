/**
 * The call-summary layer's vocabulary: what a callable (closure, block, local or nested func,
 * method) does with one value, asked with a "consuming call" that each API defines
 * (`endBackgroundTask(_:)` consumes a task identifier, `setTaskCompleted(success:)` a BGTask,
 * calling a completion handler consumes the handler).
 */
import type { CallExpr, CodeBody } from '../syntax/ir';

/** The names a value is stored or copied under (`bgTask` for `self.bgTask`); undefined: any value. */
export type ValueNames = ReadonlySet<string> | undefined;

/**
 * A call that consumes a value. Rules build one per API (`argumentConsumer`, `invocationConsumer`);
 * the layer never knows which API it is asking about.
 */
export interface Consumer {
  /** Stable id, for memoizing (`endBackgroundTask`). */
  readonly id: string;
  /** Does `call` consume the value stored under one of `names` (any such value when undefined)? */
  consumes(call: CallExpr, names: ValueNames): boolean;
  /**
   * The API base name the lexical index records in other files' methods (one of `LEXICAL_CONSUMERS`),
   * so methods declared elsewhere are answered from plain data. Without it, only this file's code counts.
   */
  readonly indexed?: string;
}

/** How a consumption was put off until after the callable returned. */
export type HopKind =
  | 'queue-async'         // DispatchQueue.x.async {}, dispatch_async(q, ^{})
  | 'async-after'         // asyncAfter(deadline:), dispatch_after
  | 'task'                // Task {}, Task { @MainActor in }, Task.detached {}
  | 'perform-after-delay' // perform(_:with:afterDelay:), performSelector:withObject:afterDelay:
  | 'perform-on-thread'   // performSelector:onThread:…waitUntilDone:NO, performSelectorInBackground:
  | 'operation-queue'     // OperationQueue.addOperation {}, addOperationWithBlock:
  | 'run-loop'            // RunLoop.main.perform {}
  | 'timer'               // Timer.scheduledTimer(withTimeInterval:repeats:block:)
  | 'notify';             // DispatchGroup.notify(queue:execute:)

export interface Hop {
  kind: HopKind;
  /** The call that hops, when it is in the file being linted. */
  call?: CallExpr;
}

/**
 * What a callable does with the value, over all its paths ("some path" answers; ask
 * `CallSummaries.obligation` with path analysis for "on every path").
 */
export interface ValueUse {
  /** `sync`: some path consumes it before returning; `deferred`: only after an async hop; `none`. */
  consumed: 'sync' | 'deferred' | 'none';
  /** The first hop, when `deferred`. */
  hop?: Hop;
  /** The consuming calls found in this file (for related locations), synchronous ones first. */
  at: CallExpr[];
  /** The value is assigned to a property or another object's member. */
  stores: boolean;
  /** The value is returned. */
  returns: boolean;
  /** The value is passed to a call the layer cannot see into (its fate is unknown). */
  forwards: boolean;
  /** The callable calls one of its enclosing function's parameters (a handler its caller passed in). */
  callsParameter: boolean;
}

/** A reference to code, resolved. */
export type Callable =
  /**
   * Code in this file: a closure or block, a local or nested func, methods of a type declared here.
   * `across`: reached through a typed property, so it is another object's code, which consumes its
   * own stored values (any value of the consumer counts there).
   */
  | { kind: 'code'; bodies: CodeBody[]; across?: boolean }
  /** A method known only from the project index (declared in another file). */
  | { kind: 'indexed'; typeName: string; name: string; across?: boolean }
  /** A parameter of the enclosing function: the caller's own closure. */
  | { kind: 'parameter'; name: string }
  /** A method of a type the project does not declare (`Task.cancel`): SDK code, which cannot reach the project's values. */
  | { kind: 'external'; typeName: string }
  | { kind: 'unknown' };

export const NO_USE: ValueUse = Object.freeze({
  consumed: 'none', at: [], stores: false, returns: false, forwards: false, callsParameter: false,
}) as ValueUse;
