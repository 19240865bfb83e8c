/**
 * App extension requests: `NSExtensionRequestHandling.beginRequest(with:)` receives an
 * `NSExtensionContext` that must be completed (`completeRequest(returningItems:completionHandler:)`,
 * CallKit's `completeRequest(completionHandler:)`) or cancelled (`cancelRequest(withError:)`).
 */
import type { FunctionDecl, SyntaxNode } from '../syntax/ir';
import { calleesOf, type Discharge } from '../flow/every-path';

export const BEGIN_REQUEST_NAMES = ['beginRequest(with:)', 'beginRequest(withExtensionContext:)'];

export function isBeginRequest(fn: FunctionDecl): boolean {
  return BEGIN_REQUEST_NAMES.includes(fn.name);
}

const ENDS_REQUEST = /^(completeRequest|completeRequestReturningItems|cancelRequest)$/;

/** What ends the request begun with `context`: a completion, a cancel, `super.beginRequest`, or the context handed away. */
export function requestEnding(context: string | undefined): Discharge {
  return {
    direct: (node) => node.kind === 'call' && (ENDS_REQUEST.test(node.baseName) || (node.baseName === 'beginRequest' && node.receiver?.kind === 'self' && node.receiver.super)),
    handedOff: (node) => context !== undefined && handsOff(node, context),
  };
}

/** `self.context = context`, `return context`, or `context` passed to a function this file does not declare. */
function handsOff(node: SyntaxNode, context: string): boolean {
  const isContext = (n: SyntaxNode | undefined) => n?.kind === 'ident' && n.name === context;
  if (node.kind === 'assign') return isContext(node.value);
  if (node.kind === 'jump') return isContext(node.value);
  if (node.kind === 'call') return node.args.some((a) => isContext(a.value)) && calleesOf(node).length === 0;
  return false;
}
