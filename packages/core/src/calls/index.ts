/**
 * The call-summary layer: resolve a reference to code and summarize what it does with a value
 * (consumes it now, only after an async hop, stores, returns or forwards it), for any API that
 * defines its consuming call. See `summaries.ts`.
 */
export * from './types';
export { CallSummaries, MAX_CALL_DEPTH, argumentConsumer, anyConsumer, invocationConsumer } from './summaries';
export type { UseOptions, ObligationOptions } from './summaries';
export { resolveCallable, resolveCallee, methodOf, supertypeOf, propertyType, unwrapExpr } from './resolve';
export { hopKindOf, hopOfClosure, hopBetween, performedSelector } from './hops';
export { aliasesIn, refersTo, mentions } from './aliases';
export { resolveCode, usesOfCode } from './code-uses';
export type { CodeUse } from './code-uses';
