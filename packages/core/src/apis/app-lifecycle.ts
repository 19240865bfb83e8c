/**
 * When code runs relative to the app's life: during launch (before `didFinishLaunching` returns),
 * after it (view and scene callbacks, SwiftUI modifiers, work dispatched for later, code after an
 * `await`), or while the app is in the background (entering the background, launch and expiration
 * handlers, timers). Shared by the rules about registering BGTask handlers and submitting
 * continued-processing requests. Swift and Objective-C names are the same here (the view maps them).
 */
import type { CallExpr, CodeBody, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { callsIn, descendants, enclosingBody, enclosingFunction, enclosingType, isSelfReceiver, memberPath, rootOf } from '../syntax/query';
import { hopKindOf } from '../calls/hops';
import { usesOfCode } from '../calls/code-uses';
import type { ProjectIndex } from '../facts/lexical-index';
import { handlerRolesOf, roleSite } from './background-scopes';

/** A reason code runs at some phase, and the node that decides it (for related locations). */
export interface PhaseReason {
  because: string;
  at: SyntaxNode;
}

const LAUNCH_METHODS = new Set([
  'application(_:didFinishLaunchingWithOptions:)',
  'application(_:willFinishLaunchingWithOptions:)',
]);

/** App types whose `init` runs during launch: a SwiftUI `App`, an app delegate. */
const LAUNCH_INIT_SUPERTYPES = new Set(['App', 'UIApplicationDelegate']);

/** Callbacks that run once the app has finished launching. */
const AFTER_LAUNCH_METHODS = new Map<string, string>([
  ['viewDidLoad()', 'viewDidLoad'],
  ['loadView()', 'loadView'],
  ['viewWillAppear(_:)', 'viewWillAppear'],
  ['viewDidAppear(_:)', 'viewDidAppear'],
  ['scene(_:willConnectTo:options:)', 'the scene delegate\'s scene(_:willConnectTo:options:)'],
  ['sceneWillEnterForeground(_:)', 'sceneWillEnterForeground'],
  ['sceneDidBecomeActive(_:)', 'sceneDidBecomeActive'],
  ['sceneWillResignActive(_:)', 'sceneWillResignActive'],
  ['sceneDidEnterBackground(_:)', 'sceneDidEnterBackground'],
  ['applicationDidBecomeActive(_:)', 'applicationDidBecomeActive'],
  ['applicationWillEnterForeground(_:)', 'applicationWillEnterForeground'],
  ['applicationWillResignActive(_:)', 'applicationWillResignActive'],
  ['applicationDidEnterBackground(_:)', 'applicationDidEnterBackground'],
]);

/** SwiftUI modifiers whose closure runs when a view appears or changes, long after launch. */
const VIEW_EVENT_MODIFIERS = new Set(['onAppear', 'task', 'onChange', 'onReceive', 'refreshable', 'onOpenURL']);

/** Callbacks that run while the app is in (or going to) the background. */
const BACKGROUND_METHODS = new Map<string, string>([
  ['applicationDidEnterBackground(_:)', 'applicationDidEnterBackground'],
  ['sceneDidEnterBackground(_:)', 'sceneDidEnterBackground'],
  ['applicationWillTerminate(_:)', 'applicationWillTerminate'],
  ['application(_:performFetchWithCompletionHandler:)', 'a background fetch'],
  ['application(_:didReceiveRemoteNotification:fetchCompletionHandler:)', 'a background push handler'],
  ['application(_:handleEventsForBackgroundURLSession:completionHandler:)', 'a background URL session relaunch'],
]);

/** Is `fn` part of the launch sequence: `didFinishLaunching`, `willFinishLaunching`, an `App`'s or app delegate's `init`? */
export function isLaunchFunction(fn: FunctionDecl, index?: ProjectIndex): boolean {
  if (LAUNCH_METHODS.has(fn.name)) return true;
  if (fn.baseName !== 'init') return false;
  const type = enclosingType(fn);
  const supertypes = [...(type?.inherits ?? []), ...(index?.type(type?.name)?.inherits ?? [])];
  return supertypes.some((s) => LAUNCH_INIT_SUPERTYPES.has(s));
}

/**
 * Why `node` runs after the app finished launching, looking at where it is written: in a view or
 * scene callback, a SwiftUI view's `init`/`body` or event modifier, a closure run later (`async`,
 * `Task {}`, `asyncAfter`; written there or bound to a name passed there), or after an `await`.
 * Undefined when nothing says so.
 */
export function runsAfterLaunch(node: SyntaxNode, index: ProjectIndex): PhaseReason | undefined {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.kind === 'closure') {
      const runners = lateRunners(p, index);
      const later = runners.find((call) => hopKindOf(call));
      if (later) return { because: `it runs later, in \`${describeCall(later)}\``, at: later };
      const modifier = runners.find((call) => isViewEventModifier(call));
      if (modifier) return { because: `it runs in the SwiftUI \`.${modifier.baseName}\` modifier`, at: modifier };
    }
    if (p.kind === 'block') {
      const suspension = awaitBefore(p, child);
      if (suspension) return { because: 'it runs after an `await`, when launch may have finished', at: suspension };
    }
    if (p.kind === 'function') return afterLaunchFunction(p);
    if (p.kind === 'var' && p.isProperty && p.name === 'body' && isViewType(enclosingType(p))) {
      return { because: 'it runs in a SwiftUI view\'s `body`', at: p };
    }
  }
  return undefined;
}

function afterLaunchFunction(fn: FunctionDecl): PhaseReason | undefined {
  const callback = AFTER_LAUNCH_METHODS.get(fn.name);
  if (callback) return { because: `it runs in ${callback}, after launch`, at: fn };
  if (fn.baseName === 'init' && isViewType(enclosingType(fn))) return { because: 'it runs in a SwiftUI view\'s `init`', at: fn };
  return undefined;
}

/**
 * Why `node` runs while the app is in the background: entering it, a launch or expiration handler
 * or SwiftUI `.backgroundTask` (`handlerRolesOf`, so a handler passed by name counts), a timer.
 * Wider than `backgroundScopeOf`, which keeps to code that may run with the device locked.
 */
export function runsInBackground(node: SyntaxNode, index: ProjectIndex): PhaseReason | undefined {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.kind === 'closure' || p.kind === 'function') {
      const reason = backgroundCode(p, index);
      if (reason) return reason;
    }
    if (p.kind === 'if' && p.then === child && p.conditions.some(isBackgroundPhaseCheck)) {
      return { because: 'it runs when the scene phase becomes `.background`', at: p };
    }
    if (p.kind === 'function') {
      const callback = BACKGROUND_METHODS.get(p.name);
      return callback ? { because: `it runs in ${callback}`, at: p } : undefined;
    }
  }
  return undefined;
}

/** `phase == .background`, `scenePhase == .background`. */
function isBackgroundPhaseCheck(condition: SyntaxNode): boolean {
  if (condition.kind !== 'binary' || condition.operator !== '==') return false;
  return [condition.left, condition.right].some((e) => e.kind === 'ident' && e.implicitMember && e.name === 'background');
}

const ROLE_REASONS = {
  launch: 'it runs in a BGTask launch handler',
  expiration: 'it runs in an expiration handler',
  'swiftui-background-task': 'it runs in a SwiftUI `.backgroundTask` handler',
} as const;

function backgroundCode(body: CodeBody, index: ProjectIndex): PhaseReason | undefined {
  const role = handlerRolesOf(body, index)[0];
  if (role) return { because: ROLE_REASONS[role.kind], at: roleSite(role) };
  const timer = runnersOf(body, index).find((call) => call.baseName === 'scheduledTimer' || call.baseName === 'Timer');
  return timer ? { because: 'it runs when a timer fires, not in response to the user', at: timer } : undefined;
}

/**
 * The calls that run a closure late (a hop, a SwiftUI event modifier), when every place it is handed
 * to is one: a closure bound to a name and also called directly (`register()`) runs now as well.
 */
function lateRunners(closure: CodeBody, index: ProjectIndex): CallExpr[] {
  const uses = usesOfCode(closure, index);
  const late = uses.flatMap((use) => (use.kind === 'argument' && (hopKindOf(use.call) || isViewEventModifier(use.call)) ? [use.call] : []));
  return late.length === uses.length ? late : [];
}

/** The calls a closure or func is handed to as an argument, where it is written or by the name it is bound to. */
function runnersOf(body: CodeBody, index: ProjectIndex): CallExpr[] {
  return usesOfCode(body, index).flatMap((use) => (use.kind === 'argument' ? [use.call] : []));
}

/**
 * Calls in the same file that run `fn` on the same instance or type: `self.f()`, `f()`, `[self f]`,
 * `Type.f()` (one level; what the summary layer will generalize).
 */
export function sameTypeCallers(fn: FunctionDecl): CallExpr[] {
  const typeName = enclosingType(fn)?.name;
  return callsIn(rootOf(fn), (c) => {
    if (c.name !== fn.name || enclosingFunction(c) === fn) return false;
    if (isSelfReceiver(c.receiver)) return enclosingType(c)?.name === typeName;
    const path = memberPath(c.receiver);
    return path.length === 1 && path[0] === typeName;
  });
}

function isViewEventModifier(call: CallExpr): boolean {
  if (!VIEW_EVENT_MODIFIERS.has(call.baseName)) return false;
  // `task` is a common method name; only a view's `.task {}` is the modifier.
  return call.baseName !== 'task' || isInViewType(call);
}

function isInViewType(node: SyntaxNode): boolean {
  return isViewType(enclosingType(node));
}

function isViewType(type: { inherits: string[] } | undefined): boolean {
  return type?.inherits.includes('View') ?? false;
}

/** An awaited call in a statement of `block` before `child`, in the same body. */
function awaitBefore(block: SyntaxNode & { kind: 'block' }, child: SyntaxNode): CallExpr | undefined {
  const body = enclosingBody(block);
  for (const statement of block.body.slice(0, block.body.indexOf(child))) {
    for (const d of [statement, ...descendants(statement, (n) => n.kind !== 'closure')]) {
      if (d.kind === 'call' && d.awaited && enclosingBody(d) === body) return d;
    }
  }
  return undefined;
}

function describeCall(call: CallExpr): string {
  const path = memberPath(call.receiver);
  return path.length > 0 ? `${path.join('.')}.${call.baseName}` : call.selector ?? call.baseName;
}
