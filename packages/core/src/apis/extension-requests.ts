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
  const isPost = fn.baseName === 'didSelectPost';
  const isCancel = fn.baseName === 'didSelectCancel';
  if (!isPost && !isCancel && !LIFECYCLE.includes(fn.baseName)) return undefined;
  // After the name: reading `body` lowers it.
  if (!fn.body || fn.modifiers.includes('static') || fn.modifiers.includes('+')) return undefined;
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
  const type = enclosingType(fn);
  const decls = type ? typeDeclsNamed(rootOf(fn), type.name) : [];
  const ends = (node: SyntaxNode) => (node.kind === 'call' && (REQUEST_ENDING.consumes(node, undefined) || isSuperAnswer(node))) || (node.kind === 'member' && ENDS_REQUEST.test(node.name));
  const endsSomewhere = (body: SyntaxNode) => [body, ...descendants(body)].some(ends);
  const answeringHandlers = storedAnsweringHandlers(decls, endsSomewhere);
  return {
    index,
    direct: ends,
    handedOff: (node) => {
      if (node.kind === 'assign') {
        if (node.target.kind === 'ident') return node.target.name === 'viewControllers';
        if (/^(viewControllers|rootViewController|contentViewController)$/.test(memberPath(node.target).at(-1) ?? '')) return true;
        // The context stored elsewhere, or a handler that answers given to another object (`viewModel.onFinish = { … }`).
        return isContext(node.value) || (node.value.kind === 'closure' && !isSelfMember(node.target) && endsSomewhere(node.value.body));
      }
      if (node.kind !== 'call') return false;
      // The UI handed to another view controller of the extension: it shares the context and answers.
      if (isShowingViewController(node)) return true;
      // A stored handler that answers, given to the work (`[conn say:… handler:self->_resultHandler]`).
      if (node.args.some((a) => answeringHandlers.has(storedName(a.value) ?? ''))) return true;
      // A method that answers, given by name to an API that calls it later (`addObserver(…, using: close)`, `#selector(close)`).
      if (type && node.args.some((a) => answersByName(a.value, type.name, fn, endsSomewhere))) return true;
      if (!node.args.some((a) => isContext(a.value))) return false;
      const callee = resolveCallee(node, index);
      return callee.kind !== 'code' || callee.across === true;
    },
    // `guard let self else { return }`: the view controller is gone; `guard let extensionContext`: there is no request.
    released: (condition, holds) => !holds && condition.kind === 'binding' && (condition.name === 'self' || condition.name === 'extensionContext' || (condition.value !== undefined && (unwrapExpr(condition.value).kind === 'self' || isContext(condition.value)))),
  };
}

/** `viewControllers = [saveViewController]` is an assignment; these calls show or embed another view controller. */
const SHOWS_VIEW_CONTROLLER = /^(present|presentViewController|pushViewController|setViewControllers|show|addChild|addChildViewController|presentAsSheet|presentAsModalWindow)$/;

function isShowingViewController(call: CallExpr): boolean {
  if (!SHOWS_VIEW_CONTROLLER.test(call.baseName) || call.args.length === 0) return false;
  // An alert is path-local UI: its actions are closures the path walk already follows.
  return !alertValued(call.args[0]!.value, call);
}

function alertValued(expr: Expr, at: SyntaxNode): boolean {
  const value = unwrapExpr(expr);
  if (value.kind === 'call') return /Alert/.test(value.baseName);
  if (value.kind !== 'ident') return false;
  for (const scope of ancestorsOf(at)) {
    if (scope.kind !== 'block') continue;
    for (const s of scope.body) if (s.kind === 'var' && s.name === value.name) return s.value !== undefined && alertValued(s.value, s);
  }
  return /alert/i.test(value.name);
}

function* ancestorsOf(node: SyntaxNode): Generator<SyntaxNode> {
  for (let n = node.parent; n; n = n.parent) yield n;
}

function answersByName(arg: Expr, typeName: string, at: SyntaxNode, endsSomewhere: (body: SyntaxNode) => boolean): boolean {
  const value = unwrapExpr(arg);
  let name: string | undefined;
  if (value.kind === 'ident' && !value.implicitMember) name = value.name;
  else if (value.kind === 'member' && isSelfMember(value)) name = value.name;
  else if (value.kind === 'other' && value.text === 'selector_expression') {
    const named = value.children.find((c) => c.kind === 'ident' || c.kind === 'member' || c.kind === 'call');
    name = named?.kind === 'ident' || named?.kind === 'member' ? named.name : named?.kind === 'call' ? named.baseName : undefined;
  }
  return name !== undefined && methodsOf(typeName, at, name).some((m) => endsSomewhere(m.body!));
}

function isSelfMember(target: Expr): boolean {
  const path = memberPath(target);
  return path.length === 2 && path[0] === 'self';
}

function storedName(expr: Expr): string | undefined {
  const value = unwrapExpr(expr);
  const path = memberPath(value);
  const bare = value.kind === 'ident' ? undefined : path.length === 2 && /^(weak|strong)?_?[sS]elf$/.test(path[0]!) ? path[1] : undefined;
  const name = bare ?? (value.kind === 'ident' && value.name.startsWith('_') ? value.name : undefined);
  return name?.replace(/^_+/, '');
}

/** Closure-valued properties of the type that answer (`_resultHandler = ^{ … completeRequest … }`). */
function storedAnsweringHandlers(decls: TypeDecl[], endsSomewhere: (body: SyntaxNode) => boolean): Set<string> {
  const found = new Set<string>();
  for (const decl of decls) {
    for (const node of descendants(decl)) {
      if (node.kind === 'assign' && node.value.kind === 'closure' && endsSomewhere(node.value.body)) {
        const name = storedName(node.target) ?? (node.target.kind === 'ident' ? node.target.name.replace(/^_+/, '') : undefined);
        if (name) found.add(name);
      }
      if (node.kind === 'var' && node.isProperty && node.value?.kind === 'closure' && endsSomewhere(node.value.body)) found.add(node.name.replace(/^_+/, ''));
    }
  }
  return found;
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
