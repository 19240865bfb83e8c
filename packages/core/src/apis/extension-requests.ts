/**
 * App extension requests: `NSExtensionRequestHandling.beginRequest(with:)` receives an
 * `NSExtensionContext` that must be completed (`completeRequest(returningItems:completionHandler:)`,
 * CallKit's `completeRequest(completionHandler:)`) or cancelled (`cancelRequest(withError:)`).
 */
import type { CallExpr, Expr, FunctionDecl, SyntaxNode, TypeDecl } from '../syntax/ir';
import { descendants, enclosingType, memberPath, rootOf } from '../syntax/query';
import type { ProjectIndex } from '../facts/lexical-index';
import { CallSummaries } from '../calls/summaries';
import { resolveCallee, supertypeOf, unwrapExpr } from '../calls/resolve';
import type { Consumer } from '../calls/types';
import { everDischarges, type Discharge } from '../flow/every-path';

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

// ── view-controller share and action extensions ─────────────────────────────────────────────────

/**
 * Which method of a share or action extension's view controller begins handling the request:
 * `didSelectPost` (or an overridden `didSelectCancel`) of an `SLComposeServiceViewController`, else
 * the first of `viewDidLoad` / `viewWillAppear` / `viewDidAppear` (or `loadView`) that reads the
 * context's `inputItems`, itself or through the closures and methods of this file it calls.
 */
export type ViewControllerRequest = 'post' | 'cancel' | 'lifecycle';

const LIFECYCLE = ['loadView', 'viewDidLoad', 'viewWillAppear', 'viewDidAppear'];
const COMPOSE_SERVICE = 'SLComposeServiceViewController';
const MAX_SUPERTYPES = 6;

export function viewControllerRequest(fn: FunctionDecl, index: ProjectIndex): ViewControllerRequest | undefined {
  if (!fn.body || fn.modifiers.includes('static') || fn.modifiers.includes('+')) return undefined;
  const isPost = fn.baseName === 'didSelectPost';
  const isCancel = fn.baseName === 'didSelectCancel';
  if (!isPost && !isCancel && !LIFECYCLE.includes(fn.baseName)) return undefined;
  const type = enclosingType(fn);
  if (!type || (type.typeKind !== 'class' && type.typeKind !== 'extension' && type.typeKind !== 'category')) return undefined;
  if (supertypes(type.name, fn, index).includes(COMPOSE_SERVICE)) {
    // The compose sheet is the UI: Post and Cancel are the user's answers; the lifecycle only prepares it.
    if (isPost) return 'post';
    if (isCancel) return 'cancel';
    return undefined;
  }
  if (isPost || isCancel) return undefined;
  const discharge = readsInput(index);
  const lifecycle = LIFECYCLE.map((name) => methodsOf(type.name, fn, name)).flat();
  const first = lifecycle.find((m) => everDischarges(m.body!, discharge, 3));
  return first === fn ? 'lifecycle' : undefined;
}

/** "Reads the request's input": `extensionContext?.inputItems`, `[self.extensionContext inputItems]`. */
function readsInput(index: ProjectIndex): Discharge {
  return { index, direct: isInputItems };
}

/** `NSExtensionContext.inputItems` is the only `inputItems` of the SDK (`inputItems[0]` reads as a call). */
function isInputItems(node: SyntaxNode): boolean {
  return (node.kind === 'member' ? node.name : node.kind === 'call' ? node.baseName : undefined) === 'inputItems';
}

/**
 * What ends the request a view controller handles: a completion or cancel (on `self.extensionContext`
 * or a context it was given), `super.didSelectPost()` / `super.didSelectCancel()`, or the context
 * handed to code this file cannot see (a SwiftUI view, another file's type) or stored in it.
 */
export function viewControllerEnding(fn: FunctionDecl, index: ProjectIndex): Discharge {
  return {
    index,
    direct: (node) => (node.kind === 'call' && (REQUEST_ENDING.consumes(node, undefined) || isSuperAnswer(node))) || (node.kind === 'member' && ENDS_REQUEST.test(node.name)),
    handedOff: (node) => {
      if (node.kind === 'assign') return node.target.kind !== 'ident' && isContext(node.value);
      if (node.kind !== 'call' || !node.args.some((a) => isContext(a.value))) return false;
      const callee = resolveCallee(node, index);
      return callee.kind !== 'code' || callee.across === true;
    },
  };
}

function isSuperAnswer(call: CallExpr): boolean {
  return (call.baseName === 'didSelectPost' || call.baseName === 'didSelectCancel') && call.receiver?.kind === 'self' && call.receiver.super;
}

/** `extensionContext`, `self.extensionContext` (unwrapped). */
function isContext(expr: Expr): boolean {
  const path = memberPath(unwrapExpr(expr));
  return (path.length === 1 && path[0] === 'extensionContext') || (path.length === 2 && path[0] === 'self' && path[1] === 'extensionContext');
}

/**
 * Does the user end the request (a control's action)? An `@IBAction` (ObjC `- (IBAction)`), or a method
 * named by `#selector(…)` / `@selector(…)` in the type (a bar button's or control's target-action), or
 * a `UIAction` handler, that completes or cancels. Such a view controller shows its UI whatever path
 * the lifecycle method takes, and waits for the user.
 */
export function userEndsRequest(fn: FunctionDecl, text: string, index: ProjectIndex): boolean {
  const type = enclosingType(fn);
  if (!type) return false;
  const ending = viewControllerEnding(fn, index);
  const decls = typeDeclsNamed(rootOf(fn), type.name);
  const selectors = new Set<string>();
  for (const decl of decls) {
    for (const m of text.slice(decl.startIndex, decl.endIndex).matchAll(/[#@]selector\s*\(\s*(?:self\.|[A-Z]\w*\.)?([A-Za-z_]\w*)/g)) selectors.add(m[1]!);
  }
  for (const decl of decls) {
    for (const member of decl.members) {
      if (member.kind !== 'function' || !member.body) continue;
      if ((member.attributes.includes('IBAction') || selectors.has(member.baseName)) && everDischarges(member.body, ending)) return true;
    }
    for (const node of descendants(decl)) {
      if (node.kind === 'call' && node.baseName === 'UIAction' && node.args.some((a) => a.value.kind === 'closure' && everDischarges(a.value.body, ending))) return true;
    }
  }
  return false;
}

/** Does any code of the type in this file end the request, or might code in another file (a method the index knows that this file lacks)? */
export function typeMayEndRequest(fn: FunctionDecl, index: ProjectIndex): boolean {
  const type = enclosingType(fn);
  if (!type) return true;
  const ending = viewControllerEnding(fn, index);
  const decls = typeDeclsNamed(rootOf(fn), type.name);
  if (decls.some((d) => everDischarges(d, ending, 0))) return true;
  const here = new Set(decls.flatMap((d) => d.members.filter((m): m is FunctionDecl => m.kind === 'function').map((m) => m.baseName)));
  return index.type(type.name)?.methods.some((m) => !here.has(m.name)) ?? false;
}

function supertypes(typeName: string, at: SyntaxNode, index: ProjectIndex): string[] {
  const found: string[] = [];
  let name: string | undefined = typeName;
  for (let i = 0; name && i < MAX_SUPERTYPES; i++) {
    name = supertypeOf(name, rootOf(at), index);
    if (name) found.push(name);
  }
  return found;
}

function methodsOf(typeName: string, at: SyntaxNode, baseName: string): FunctionDecl[] {
  return typeDeclsNamed(rootOf(at), typeName).flatMap((d) => d.members.filter((m): m is FunctionDecl => m.kind === 'function' && m.baseName === baseName && m.body !== undefined));
}

function typeDeclsNamed(root: SyntaxNode, typeName: string): TypeDecl[] {
  const found: TypeDecl[] = [];
  for (const node of descendants(root, (n) => n.kind === 'file' || n.kind === 'type')) {
    if (node.kind === 'type' && node.name === typeName) found.push(node);
  }
  return found;
}
