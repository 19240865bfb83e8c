/**
 * Which code provably runs on the main queue, and which calls block the calling thread until other
 * work is done (`DispatchQueue.main.sync`, semaphore and group waits). Code whose queue is not known
 * (a closure handed to an API we do not know) is never guessed to run on main.
 */
import type { CallExpr, ClosureExpr, CodeBody, Expr, FunctionDecl, SyntaxNode, TypeDecl, VarDecl } from '../syntax/ir';
import { bindArguments, callsIn, descendants, enclosingType, isMainQueue, isSelfReceiver, memberPath, rootOf, storageName } from '../syntax/query';
import { isGuardedBy } from '../flow/paths';
import { isolationAt, typeIsolation } from '../facts/isolation';
import type { IsolationSettings } from '../facts/isolation';
import type { ProjectIndex } from '../facts/lexical-index';
import { usesOfCode } from '../calls/code-uses';
import { mayMention } from '../syntax/deferred';
import { handlerRolesOf, roleSite } from './background-scopes';
import { REGISTER_TASK } from './task-scheduler';

export interface MainQueueContext {
  /** Why the code runs on the main queue, for messages: "the expiration handler of a background task runs on the main thread". */
  because: string;
  /** The closure or function that decides it. */
  at: ClosureExpr | FunctionDecl;
}

/** The target settings that decide how far inferred isolation is trusted. */
export interface QueueSettings extends IsolationSettings {
  swiftLanguageMode?: number;
}

/** What a closure's caller does with it: runs it on main, elsewhere, on the caller's thread, or we cannot tell. */
type ClosureQueue = { queue: 'main'; because: string } | { queue: 'other' | 'unknown' } | { queue: 'caller' };

/**
 * The main-queue context `node` runs in, if provable: a block given to `DispatchQueue.main.async`,
 * `OperationQueue.main.addOperation`, `MainActor.run`, a `@MainActor` closure, a background task's
 * expiration handler, a launch handler registered on the main queue; or a function the project
 * isolates to the main actor (see `functionContext`), seen through closures that run on the caller's thread (`Task {}`,
 * `autoreleasepool`, `forEach`, another queue's `sync`). Undefined when the queue is not known or
 * the node runs only where `Thread.isMainThread` is false.
 */
export function mainQueueContext(node: SyntaxNode, index: ProjectIndex, settings: QueueSettings): MainQueueContext | undefined {
  return contextAt(node, index, settings, 1);
}

/** `mainQueueContext`, following helpers' callers `depth` levels up. */
function contextAt(node: SyntaxNode, index: ProjectIndex, settings: QueueSettings, depth: number): MainQueueContext | undefined {
  if (runsOnlyOffMain(node)) return undefined;
  for (let n = node.parent; n; n = n.parent) {
    if (n.kind === 'closure') {
      const queue = closureQueue(n, index);
      if (queue.queue === 'main') return { because: queue.because, at: n };
      if (queue.queue !== 'caller') return undefined;
    } else if (n.kind === 'function') {
      return functionContext(n, index, settings, depth);
    }
  }
  return undefined;
}

/** `DispatchQueue.main`, `dispatch_get_main_queue()`, or a local that holds it (`let mainQueue = DispatchQueue.main`). */
export function isMainQueueValue(expr: Expr | undefined): boolean {
  if (isMainQueue(expr)) return true;
  if (expr?.kind !== 'ident' || expr.implicitMember) return false;
  for (let scope = expr.parent; scope; scope = scope.parent) {
    if (scope.kind !== 'function' && scope.kind !== 'closure') continue;
    const declaration = declarationsIn(scope).find((d) => d.name === expr.name);
    if (declaration) return isMainQueue(declaration.value) && !reassigned(scope, expr.name);
  }
  return false;
}

function reassigned(scope: SyntaxNode, name: string): boolean {
  return [...descendants(scope)].some((n) => n.kind === 'assign' && n.target.kind === 'ident' && n.target.name === name);
}

/**
 * A function runs on main when the project isolates it to the main actor explicitly (`@MainActor` on it or
 * its type, a MainActor default, Swift 6 mode where UIKit's isolation is enforced). Isolation inferred from
 * a UIKit or AppKit supertype is not enforced in Swift 5 mode, and not at all in Objective-C: legacy code
 * calls such methods from any queue (capture delegates, decode loops), so there only the callbacks UIKit
 * itself delivers on the main thread count (`viewDidLoad`, `application(_:…)`, `@IBAction`s…).
 */
function functionContext(fn: FunctionDecl, index: ProjectIndex, settings: QueueSettings, depth: number): MainQueueContext | undefined {
  const owner = fn.parent;
  // A func handed to code that runs it on main (`expirationHandler: handleExpiration`), and called nowhere else in this file.
  const handed = handedOnQueue(fn, index);
  if (handed.queue === 'main') return { because: handed.because, at: fn };
  if (owner?.kind !== 'type' && owner?.kind !== 'file') return undefined; // a local function runs where it is called
  if (fn.modifiers.includes('nonisolated')) return undefined;
  const typeName = owner.kind === 'type' ? owner.name : undefined;
  const root = rootOf(fn);
  const swift = root.kind === 'file' && root.language === 'swift';
  if (swift) {
    const isolation = isolationAt(fn, index, settings);
    if (!isolation.mainActor) return undefined;
    const explicit = (settings.swiftLanguageMode ?? 5) >= 6 || settings.defaultIsolation === 'MainActor' || fn.attributes.includes('MainActor') ||
      (owner.kind === 'type' && owner.attributes.includes('MainActor')) || (index.type(typeName)?.attributes.includes('MainActor') ?? false);
    if (explicit) return { because: isolation.because, at: fn };
  } else if (!typeName || !typeIsolation(typeName, index)?.mainActor) {
    return undefined;
  }
  if (isMainThreadCallback(fn, typeName, index)) return { because: `the system calls ${fn.baseName} on the main thread`, at: fn };
  return depth > 0 ? calledOnlyFromMain(fn, index, settings, depth - 1) : undefined;
}

/**
 * A helper of the type that this file calls only from code on the main queue (`[self reload]` in
 * `viewDidLoad` and an `@IBAction`): it runs there too. One level, and only when every call in the file is on main.
 */
function calledOnlyFromMain(fn: FunctionDecl, index: ProjectIndex, settings: QueueSettings, depth: number): MainQueueContext | undefined {
  const type = fn.parent;
  if (type?.kind !== 'type') return undefined;
  // In every declaration of the type here: its extensions and categories call it, and are called from it, alike.
  const calls = sameTypeDecls(type).flatMap((t) => callsIn(t, (c) => c.baseName === fn.baseName && c.args.length === fn.params.length && isSelfReceiver(c.receiver)));
  if (calls.length === 0) return undefined;
  let first: MainQueueContext | undefined;
  for (const call of calls) {
    const context = contextAt(call, index, settings, depth);
    if (!context) return undefined;
    first ??= context;
  }
  return { because: `${fn.baseName} is called only from main-queue code, and ${first!.because}`, at: fn };
}

/** Callbacks UIKit and AppKit deliver on the main thread: lifecycle, app and scene delegates, views, tables, actions. */
const MAIN_THREAD_CALLBACKS = new Set([
  'viewDidLoad', 'loadView', 'viewWillAppear', 'viewDidAppear', 'viewWillDisappear', 'viewDidDisappear', 'viewWillLayoutSubviews',
  'viewDidLayoutSubviews', 'viewWillTransition', 'traitCollectionDidChange', 'didReceiveMemoryWarning', 'updateViewConstraints',
  'prepare', 'prepareForSegue', 'layoutSubviews', 'draw', 'drawRect', 'awakeFromNib', 'didMoveToWindow', 'didMoveToSuperview',
  'touchesBegan', 'touchesMoved', 'touchesEnded', 'touchesCancelled', 'application', 'applicationDidBecomeActive',
  'applicationWillResignActive', 'applicationDidEnterBackground', 'applicationWillEnterForeground', 'applicationWillTerminate',
  'applicationDidFinishLaunching', 'applicationWillFinishLaunching', 'applicationDidReceiveMemoryWarning', 'applicationShouldTerminate',
  'scene', 'sceneDidDisconnect', 'sceneDidBecomeActive', 'sceneWillResignActive', 'sceneWillEnterForeground', 'sceneDidEnterBackground',
  'windowScene', 'tableView', 'collectionView', 'numberOfSections', 'numberOfSectionsInTableView', 'scrollViewDidScroll',
  'windowDidLoad', 'windowWillClose', 'mouseDown', 'keyDown',
]);

function isMainThreadCallback(fn: FunctionDecl, typeName: string | undefined, index: ProjectIndex): boolean {
  if (fn.attributes.includes('IBAction')) return true;
  if (fn.baseName === 'init') return index.type(typeName)?.inherits.includes('App') ?? false;
  return MAIN_THREAD_CALLBACKS.has(fn.baseName);
}

/** Only where `Thread.isMainThread` / `[NSThread isMainThread]` is false (`if !Thread.isMainThread`, the `else` of a check). */
function runsOnlyOffMain(node: SyntaxNode): boolean {
  return isGuardedBy(node, (condition, negated) => negated && isMainThreadCheck(condition));
}

export function isMainThreadCheck(expr: Expr): boolean {
  const path = memberPath(expr);
  const last = path[path.length - 1];
  if (last === 'isMainThread') return path.length === 1 || /^(Thread|NSThread|current|currentThread)$/.test(path[path.length - 2]!);
  return expr.kind === 'call' && expr.baseName === 'pthread_main_np';
}

const CALLER_THREAD = /^(autoreleasepool|forEach|map|compactMap|flatMap|filter|reduce|contains|first|sorted|enumerateObjectsUsingBlock|withLock|sync)$/;

function closureQueue(closure: ClosureExpr, index: ProjectIndex): ClosureQueue {
  if (closure.attributes.includes('MainActor')) return { queue: 'main', because: 'the closure is marked @MainActor' };
  if (closure.attributes.includes('Sendable')) return { queue: 'unknown' };
  return handedOnQueue(closure, index);
}

/**
 * Where the code a closure or local func is handed to runs it, whether it is written in place or
 * bound to a name first (`let work = { … }; DispatchQueue.main.async(execute: work)`): main only when
 * every place it is handed on runs it there (a direct call `work()` runs it on the caller's thread).
 */
function handedOnQueue(body: CodeBody, index: ProjectIndex): ClosureQueue {
  const uses = usesOfCode(body, index);
  if (uses.length === 0) return { queue: 'unknown' };
  let main: ClosureQueue | undefined;
  for (const use of uses) {
    const queue = use.kind === 'argument' ? argumentQueue(use.call, use.value, body, index) : { queue: 'unknown' as const };
    if (queue.queue !== 'main') return uses.length === 1 ? queue : { queue: 'unknown' };
    main ??= queue;
  }
  return main!;
}

/** Where `call` runs the code it is given as `value`. */
function argumentQueue(call: CallExpr, value: Expr, body: CodeBody, index: ProjectIndex): ClosureQueue {
  const role = handlerRolesOf(body, index).find((r) => roleSite(r) === call);
  if (role?.kind === 'expiration') return { queue: 'main', because: 'the expiration handler of a background task runs on the main thread' };
  if (role?.kind === 'launch') return role.onMain ? { queue: 'main', because: 'this launch handler is registered to run on the main queue' } : { queue: 'other' };
  if (bindArguments(call, REGISTER_TASK)) return { queue: 'other' };
  // A closure passed by name to `queue.async(execute:)` is run by it like one written in place.
  return value.kind === 'closure' || isDirectRunner(call) ? queueOfRunner(call) : { queue: 'unknown' };
}

/** Runners that run a block given by name as they would one written in place (`dispatch_async(q, block)` reads as `q.async`). */
function isDirectRunner(call: CallExpr): boolean {
  return /^(async|asyncAfter|addOperation|sync|run)$/.test(call.baseName);
}

/** Where a call that takes a closure runs it. */
function queueOfRunner(call: CallExpr): ClosureQueue {
  const receiverPath = memberPath(call.receiver).join('.');
  const onMain = isMainQueueValue(call.receiver);
  if (/^(async|asyncAfter|addOperation)$/.test(call.baseName)) {
    return onMain ? { queue: 'main', because: `it is in a block given to ${describeRunner(call)}` } : { queue: 'other' };
  }
  if (call.baseName === 'sync') return onMain ? { queue: 'main', because: 'it is in a block given to DispatchQueue.main.sync' } : { queue: 'caller' };
  if (call.baseName === 'run' && receiverPath === 'MainActor') return { queue: 'main', because: 'it is in a MainActor.run closure' };
  if (call.baseName === 'addObserver' && isMainQueue(bindArguments(call, 'addObserver(forName:object:queue:using:)')?.get('queue'))) {
    return { queue: 'main', because: 'it is in an observer block registered with `queue: .main`' };
  }
  // `Task {}` inherits the actor of the code that forms it; `Task.detached` does not.
  if (call.baseName === 'Task' && call.receiver === undefined) return { queue: 'caller' };
  if (CALLER_THREAD.test(call.baseName)) return { queue: 'caller' };
  return { queue: 'unknown' };
}

function describeRunner(call: CallExpr): string {
  const queue = memberPath(call.receiver).join('.');
  return `${queue}.${call.baseName}`;
}

// ── calls that block until other work is done ───────────────────────────────

export type BlockingWait = { kind: 'main-sync' | 'semaphore' | 'group'; call: CallExpr };

/**
 * `DispatchQueue.main.sync` / `dispatch_sync(dispatch_get_main_queue(), …)`, and waits on a
 * `DispatchSemaphore` / `DispatchGroup` (`wait()`, `wait(timeout:)`, `dispatch_semaphore_wait`,
 * `dispatch_group_wait`) whose declaration in this file says what it is.
 */
export function blockingWait(call: CallExpr): BlockingWait | undefined {
  if (call.baseName === 'sync' && isMainQueueValue(call.receiver)) return { kind: 'main-sync', call };
  if (call.baseName !== 'wait' || !/^wait\((timeout:|wallTimeout:)?\)$/.test(call.name)) return undefined;
  const kind = waitableKind(call.receiver);
  if (!kind || (kind === 'semaphore' && isCriticalSection(call))) return undefined;
  return { kind, call };
}

/**
 * A semaphore used as a lock: the body that waits signals it itself, synchronously (`lock.wait()` …
 * `defer { lock.signal() }`, `dispatch_semaphore_signal(lock)`). It blocks only while another thread
 * holds the lock, not until some other work finishes.
 */
function isCriticalSection(wait: CallExpr): boolean {
  const name = storageName(wait.receiver);
  let body: SyntaxNode | undefined = wait.parent;
  while (body && body.kind !== 'function' && body.kind !== 'closure') body = body.parent;
  if (!body || !name) return false;
  return callsIn(body, (c) => c.startIndex > wait.startIndex && isSignalOf(c, name), false).length > 0;
}

function isSignalOf(call: CallExpr, name: string): boolean {
  if (call.baseName === 'signal') return storageName(call.receiver) === name;
  return call.baseName === 'dispatch_semaphore_signal' && storageName(call.args[0]?.value) === name;
}

/**
 * Waits on the semaphores and groups a type keeps in properties, in the bodies of its methods here
 * (`loaded.wait()` in `viewDidLoad`). Those bodies need not mention any trigger string, so the runner's
 * walk may never enter them; reading them here lowers them.
 */
export function propertyWaitsIn(type: TypeDecl): BlockingWait[] {
  const root = rootOf(type);
  const waitables = new Set(type.members.flatMap((m) => (m.kind === 'var' && holdsWaitable(m, root) ? [m.name.replace(/^_/, '')] : [])));
  if (waitables.size === 0) return [];
  const waits: BlockingWait[] = [];
  for (const member of sameTypeDecls(type).flatMap((t) => t.members)) {
    if (member.kind !== 'function' || !member.body) continue;
    for (const call of callsIn(member.body, (c) => c.baseName === 'wait' && waitables.has(storageName(c.receiver) ?? ''))) {
      const wait = blockingWait(call);
      if (wait) waits.push(wait);
    }
  }
  return waits;
}

/** What `receiver` holds, read from its declaration in the enclosing bodies and type of this file. */
function waitableKind(receiver: Expr | undefined): 'semaphore' | 'group' | undefined {
  if (!receiver) return undefined;
  const direct = creationKind(receiver);
  if (direct) return direct;
  const path = memberPath(receiver);
  const name = path[path.length - 1];
  if (!name || path.length > 2 || (path.length === 2 && !/^(self|strongSelf|weakSelf)$/.test(path[0]!))) return undefined;
  const bare = name.replace(/^_/, '');
  for (let scope = receiver.parent; scope; scope = scope.parent) {
    const declaration = declarationsIn(scope).find((d) => d.name.replace(/^_/, '') === bare);
    if (declaration) return (declaration.value ? creationKind(declaration.value) : undefined) ?? typeKind(declaration.typeName);
  }
  return undefined;
}

/**
 * The variables a scope declares itself: a body's locals (not those of nested closures), a type's
 * properties (in every declaration of it in this file: `@interface`, `@implementation`, extensions), globals.
 */
function declarationsIn(scope: SyntaxNode): VarDecl[] {
  const own = (n: SyntaxNode) => n.kind !== 'closure' && n.kind !== 'function' && n.kind !== 'type';
  let nodes: SyntaxNode[] = [];
  if (scope.kind === 'type') nodes = sameTypeDecls(scope).flatMap((t) => t.members);
  else if (scope.kind === 'file') nodes = scope.body;
  else if (scope.kind === 'function' || scope.kind === 'closure') nodes = [...descendants(scope, own)];
  return nodes.filter((n): n is VarDecl => n.kind === 'var');
}

function sameTypeDecls(type: TypeDecl): TypeDecl[] {
  const all = [...descendants(rootOf(type), (n) => n.kind === 'file' || n.kind === 'type')];
  return all.filter((n): n is TypeDecl => n.kind === 'type' && n.name === type.name);
}

/** The calls that make a semaphore or a group. */
const WAITABLE_MAKERS = new Map<string, 'semaphore' | 'group'>([
  ['DispatchSemaphore', 'semaphore'], ['dispatch_semaphore_create', 'semaphore'],
  ['DispatchGroup', 'group'], ['dispatch_group_create', 'group'],
]);
const WAITABLE_MAKER_NAMES = [...WAITABLE_MAKERS.keys()];

function creationKind(expr: Expr): 'semaphore' | 'group' | undefined {
  return expr.kind === 'call' ? WAITABLE_MAKERS.get(expr.baseName) : undefined;
}

/**
 * Does a property hold a semaphore or group, by its type or its value? The value is read only if its
 * text names a maker of one, so that a value not lowered yet (syntax/deferred.ts) stays so.
 */
function holdsWaitable(property: VarDecl, root: SyntaxNode): boolean {
  if (typeKind(property.typeName)) return true;
  if (!WAITABLE_MAKER_NAMES.some((maker) => mayMention(property, maker, root))) return false;
  return property.value !== undefined && creationKind(property.value) !== undefined;
}

function typeKind(typeName: string | undefined): 'semaphore' | 'group' | undefined {
  const t = typeName?.replace(/[?!\s]/g, '');
  if (t === 'DispatchSemaphore' || t === 'dispatch_semaphore_t') return 'semaphore';
  if (t === 'DispatchGroup' || t === 'dispatch_group_t') return 'group';
  return undefined;
}
