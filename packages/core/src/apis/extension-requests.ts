/**
 * App extension requests: `NSExtensionRequestHandling.beginRequest(with:)` receives an
 * `NSExtensionContext` that must be completed (`completeRequest(returningItems:completionHandler:)`,
 * CallKit's `completeRequest(completionHandler:)`) or cancelled (`cancelRequest(withError:)`).
 */
import type { CallExpr, FunctionDecl, SyntaxNode } from '../syntax/ir';
import type { ProjectIndex } from '../facts/lexical-index';
import { CallSummaries } from '../calls/summaries';
import { resolveCallee } from '../calls/resolve';
import type { Consumer } from '../calls/types';
import type { Discharge } from '../flow/every-path';

export const BEGIN_REQUEST_NAMES = ['beginRequest(with:)', 'beginRequest(withExtensionContext:)'];

export function isBeginRequest(fn: FunctionDecl): boolean {
  return BEGIN_REQUEST_NAMES.includes(fn.name);
}

const ENDS_REQUEST = /^(completeRequest|completeRequestReturningItems|cancelRequest)$/;

/** A call that ends the request: a completion, a cancel, or `super.beginRequest(with:)` (the superclass keeps the context). */
export const REQUEST_ENDING: Consumer = {
  id: 'extension-request',
  consumes: (call: CallExpr) =>
    ENDS_REQUEST.test(call.baseName) || (call.baseName === 'beginRequest' && call.receiver?.kind === 'self' && call.receiver.super),
};

/**
 * What ends the request begun with `context` on a path: a consuming call, an unapplied
 * `context.completeRequest` handed on, or the context itself handed to code the call-summary layer
 * cannot see into (stored in a property, returned, given to another file's code).
 */
export function requestEnding(fn: FunctionDecl, context: string | undefined, index: ProjectIndex): Discharge {
  const summaries = CallSummaries.of(fn, index);
  const names = context ? new Set([context]) : undefined;
  return {
    index,
    direct: (node) => (node.kind === 'call' && REQUEST_ENDING.consumes(node, names)) || (node.kind === 'member' && ENDS_REQUEST.test(node.name)),
    handedOff: (node) => names !== undefined && handsOff(node, summaries, names, index),
  };
}

function handsOff(node: SyntaxNode, summaries: CallSummaries, names: ReadonlySet<string>, index: ProjectIndex): boolean {
  if (node.kind !== 'assign' && node.kind !== 'jump' && node.kind !== 'call') return false;
  if (node.kind === 'call') {
    if (!node.args.some((a) => a.value.kind === 'ident' && names.has(a.value.name))) return false;
    // A method of another file (known to the index by name only) given the context: it answers for it.
    if (resolveCallee(node, index).kind === 'indexed') return true;
  }
  const use = summaries.useIn(node, names, REQUEST_ENDING);
  return use.stores || use.returns || use.forwards;
}
