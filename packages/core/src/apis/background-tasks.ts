/**
 * UIKit background tasks (`beginBackgroundTask…` / `endBackgroundTask`) as both task rules see them.
 * What ends a task is asked of the call-summary layer (`calls/`), with `endBackgroundTask` as the
 * consuming call: directly, through a named closure or func, a method of this type or a supertype in
 * any file, another project type reached through a typed property, after an async hop or not.
 */
import type { CallExpr, Expr, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { bindArguments, callsIn, descendants, enclosingBody, enclosingFunction, enclosingType, isSelfReceiver, matchesSignature, memberPath, rootOf, storageName } from '../syntax/query';
import type { ProjectIndex } from '../facts/lexical-index';
import { CallSummaries, argumentConsumer } from '../calls/summaries';
import { methodOf, propertyType, resolveCallee } from '../calls/resolve';
import { hopBetween } from '../calls/hops';
import { aliasesIn } from '../calls/aliases';
import type { Callable, Consumer, ValueNames, ValueUse } from '../calls/types';

export const BEGIN_BACKGROUND_TASK = [
  'beginBackgroundTask(withName:expirationHandler:)',
  'beginBackgroundTask(expirationHandler:)',
  'beginBackgroundTask(withName:)',
  'beginBackgroundTask()',
];
export const END_BACKGROUND_TASK = 'endBackgroundTask(_:)';
export const BACKGROUND_TASK_TRIGGERS = ['beginBackgroundTask'];

/** `endBackgroundTask(_:)` consumes the identifier it is given. */
export const END_BACKGROUND_TASK_CONSUMER: Consumer = argumentConsumer('endBackgroundTask', [END_BACKGROUND_TASK], '_', 'endBackgroundTask');

export function expirationHandlerOf(begin: CallExpr): Expr | undefined {
  for (const signature of BEGIN_BACKGROUND_TASK) {
    const args = bindArguments(begin, signature);
    if (args) return args.get('expirationHandler');
  }
  return undefined;
}

/**
 * Is this call UIKit's begin, not a method of the project's own that shares the name
 * (`[self beginBackgroundTaskWithExpirationHandler:…]` declared in the class, a wrapper func of the file)?
 */
export function isUIKitBegin(call: CallExpr, index: ProjectIndex): boolean {
  // `beginBackgroundTask()` is also a common name for a project's own coordinator method: only an application's counts.
  if (call.args.length === 0 && !/^(UIApplication|shared|sharedApplication|application|app|UIApp)$/.test(memberPath(call.receiver).pop() ?? '')) return false;
  if (!isSelfReceiver(call.receiver)) return !receiverIsProjectType(call, index);
  const owner = enclosingType(call);
  if (owner && methodOf(owner, call.baseName, call, index).kind !== 'unknown') return false;
  const root = rootOf(call);
  return !(root.kind === 'file' && root.body.some((n) => n.kind === 'function' && n.baseName === call.baseName));
}

/** `self.coordinator?.beginBackgroundTask()`: a property typed with a project type that declares the method. */
function receiverIsProjectType(call: CallExpr, index: ProjectIndex): boolean {
  const path = memberPath(call.receiver);
  const name = path.length === 2 && /^(weak|strong|unowned)?_?[sS]elf$/.test(path[0]!) ? path[1] : path.length === 1 ? path[0] : undefined;
  const typeName = name ? propertyType(enclosingType(call)?.name, name.replace(/^_/, ''), rootOf(call), index) : undefined;
  return typeName !== undefined && methodOf(typeName, call.baseName, call, index).kind !== 'unknown';
}

/** An `endBackgroundTask` of the identifier stored under one of `names` (any, when none are known). */
export function isEndCall(node: SyntaxNode, names?: string | ReadonlySet<string>): boolean {
  if (node.kind !== 'call' || !matchesSignature(node, END_BACKGROUND_TASK)) return false;
  return END_BACKGROUND_TASK_CONSUMER.consumes(node, typeof names === 'string' ? new Set([names]) : names);
}

/** Where an end is wrapped to run later, between it and `within` (exclusive). */
export function deferredBy(node: SyntaxNode, within: SyntaxNode): CallExpr | undefined {
  return hopBetween(node, within)?.call;
}

/** The name the begin's identifier is stored under: `self.task = begin(…)`, `let id = begin(…)`. */
export function storedTaskName(begin: CallExpr): string | undefined {
  const parent = begin.parent;
  if (parent?.kind === 'assign' && parent.value === begin) return storageName(parent.target);
  if (parent?.kind === 'var') return parent.name;
  return undefined;
}

/**
 * `stored` and the names it is copied to in the function that began the task: `task.identifier = taskID`,
 * and the field a labeled argument puts it in (`Task(id: id, taskIdentifier: taskID)` → `taskIdentifier`).
 */
function copiesOf(begin: CallExpr, stored: string): Set<string> {
  const names = new Set([stored]);
  const scope = enclosingFunction(begin);
  for (const node of scope ? descendants(scope) : []) {
    if (node.kind === 'assign' && storageName(node.value) === stored) {
      const copy = storageName(node.target);
      if (copy) names.add(copy);
    } else if (node.kind === 'call' && node !== begin) {
      for (const arg of node.args) if (arg.label !== '_' && !arg.trailing && storageName(arg.value) === stored) names.add(arg.label);
    }
  }
  return names;
}

const APPLICATION_RECEIVER = /^(shared|sharedApplication|application|app|UIApplication|UIApp)$/;

/** Methods the system calls (delegate and lifecycle callbacks): reached whether or not the code calls them. */
const SYSTEM_CALLBACK = /^(application|scene|did|will|observeValue|urlSession|locationManager|centralManager|peripheral|dealloc|deinit|viewDid|viewWill|applicationDid|applicationWill)/;

/** Is `name` an Objective-C local of the beginning function declared without `__block`? */
function isCopiedIntoBlocks(begin: CallExpr, name: string): boolean {
  const root = rootOf(begin);
  const scope = enclosingFunction(begin);
  if (root.kind !== 'file' || root.language !== 'objc' || !scope) return false;
  // Only a plain local receives the identifier (`taskID = [app begin…]`, not `task.taskID = …`).
  const parent = begin.parent;
  const intoLocal = parent?.kind === 'var' || (parent?.kind === 'assign' && parent.value === begin && parent.target.kind === 'ident');
  if (!intoLocal) return false;
  // Declared in the function itself, not in a block inside it.
  for (const node of descendants(scope, (n) => n.kind !== 'closure')) {
    if (node.kind === 'var' && !node.isProperty && node.name === name) return !node.modifiers.includes('__block') && !node.modifiers.includes('static');
  }
  return false;
}

/** `let self = self`, `let self`, `let strongSelf = self`: unwrapping a weakly captured owner. */
function isSelfUnwrap(binding: Expr): boolean {
  if (binding.kind !== 'binding') return false;
  return binding.value ? binding.value.kind === 'self' : binding.name === 'self';
}

/**
 * Knows, for one begin, what ends its task: the summary layer asked with `endBackgroundTask` (or a
 * wrapper's own end) as the consuming call and the stored name and its copies as the value.
 */
export class TaskEnding {
  /** The stored name and the places it is copied to; undefined when not known (any end counts). */
  readonly names: ValueNames;
  readonly summaries: CallSummaries;
  /** The identifier is an Objective-C local without `__block`: handler blocks copy it before it is assigned. */
  readonly handlerCopiesUnassigned: boolean;
  private readonly skip: Set<SyntaxNode>;

  constructor(
    private readonly begin: CallExpr,
    readonly stored: string | undefined,
    private readonly index: ProjectIndex,
    readonly consumer: Consumer = END_BACKGROUND_TASK_CONSUMER,
    handler?: Expr,
  ) {
    // Copies and bindings anywhere in the beginning function (`if let id = task { end(id) }`) name the task too.
    const scope = enclosingFunction(begin) ?? enclosingBody(begin);
    this.names = stored === undefined ? undefined : scope ? aliasesIn(scope, copiesOf(begin, stored)) : copiesOf(begin, stored);
    this.summaries = CallSummaries.of(begin, index);
    this.handlerCopiesUnassigned = stored !== undefined && isCopiedIntoBlocks(begin, stored);
    this.skip = new Set<SyntaxNode>([begin]);
    const callable = handler ? this.summaries.resolve(handler, begin) : undefined;
    if (callable?.kind === 'code') for (const body of callable.bodies) this.skip.add(body);
    this.handlerBodies = callable?.kind === 'code' ? callable.bodies : [];
  }

  private readonly handlerBodies: SyntaxNode[];

  /** What the expiration handler (a closure, or code passed by name) does with the task. */
  handlerUse(handler: Expr): { callable: Callable; use: ValueUse } {
    const callable = this.summaries.resolve(handler, this.begin);
    return { callable, use: this.summaries.useOf(callable, this.names, this.consumer) };
  }

  /**
   * An Objective-C block copies a local that is not `__block` when the block is made, before the begin
   * assigns the identifier: a handler whose only ends are its own `[app endBackgroundTask:bgTask]` of
   * that local ends `UIBackgroundTaskInvalid`. (A method it calls ends its own values, not the copy.)
   */
  endsOnlyStaleCopy(handler: Expr): boolean {
    if (!this.handlerCopiesUnassigned || !this.names || !this.stored) return false;
    const { callable, use } = this.handlerUse(handler);
    if (callable.kind !== 'code' || use.consumed !== 'sync' || use.at.length === 0) return false;
    const inHandler = (call: CallExpr) => callable.bodies.some((b) => call.startIndex >= b.startIndex && call.endIndex <= b.endIndex);
    if (!use.at.every(inHandler)) return false;
    const others = new Set(this.names);
    others.delete(this.stored);
    return this.summaries.useOf(callable, others, this.consumer).consumed === 'none';
  }

  /** Does running `node` end the task, now or later (ignoring the begin call and its expiration handler)? */
  ends(node: SyntaxNode): boolean {
    return this.summaries.useIn(node, this.names, this.consumer, { skip: this.skip }).consumed !== 'none';
  }

  /** Does running `node` end the task only after an async hop (`[self end]` whose body dispatches the end)? */
  endsOnlyAfterHop(node: SyntaxNode): boolean {
    return this.summaries.useIn(node, this.names, this.consumer, { skip: this.skip }).consumed === 'deferred';
  }

  /** Does running `node` end the task before it completes (not in a closure it hands on)? */
  endsBeforeReturning(node: SyntaxNode): boolean {
    return callsIn(node, (c) => c !== this.begin && this.endsNow(c), false).length > 0;
  }

  private endsNow(call: CallExpr): boolean {
    if (this.consumer.consumes(call, this.names)) return true;
    const callee = resolveCallee(call, this.index);
    return this.summaries.useOf(callee, this.names, this.consumer).consumed === 'sync';
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
    // `if let id = task` failing: there is no task to end.
    if (!holds && condition.kind === 'binding') return isSelfUnwrap(condition) || (condition.value !== undefined && this.names !== undefined && this.names.has(storageName(condition.value) ?? ''));
    if (condition.kind !== 'binary' || (condition.operator !== '==' && condition.operator !== '!=')) return false;
    const meansInvalid = (condition.operator === '==') === holds;
    return meansInvalid && this.comparesWithInvalid(condition.left, condition.right);
  }

  private comparesWithInvalid(left: Expr, right: Expr): boolean {
    const isInvalid = (e: Expr) => storageName(e) === 'invalid' || storageName(e) === 'UIBackgroundTaskInvalid';
    const isStored = (e: Expr) => this.names !== undefined && this.names.has(storageName(e) ?? '');
    return (isStored(left) && isInvalid(right)) || (isStored(right) && isInvalid(left));
  }

  /**
   * Does a method of the type other than the beginning one call a method that ends the stored name
   * (a lifecycle path that ends it, like `applicationWillEnterForeground` calling `stopTracking()`)?
   */
  endedFromOtherMethods(typeName: string | undefined): boolean {
    const methods = this.index.type(typeName)?.methods ?? [];
    const beginning = enclosingFunction(this.begin)?.baseName;
    const enders = new Set(methods.filter((m) => this.stored !== undefined && m.endsTasks.includes(this.stored)).map((m) => m.name));
    return methods.some((m) => m.name !== beginning && !enders.has(m.name) && m.calls.some((c) => enders.has(c)));
  }

  /**
   * Is the stored name ended by some other method of the type or a supertype (any file, any
   * extension)? The method that begins the task is left out: its ends outside the expiration
   * handler were already looked for, and the handler's own end does not end the work.
   */
  endedByTypeOf(typeName: string, text?: string): { ended: boolean; onlyByHandler?: string } {
    const seen = new Set<string>();
    const beginning = enclosingFunction(this.begin)?.baseName;
    let onlyByHandler: string | undefined;
    for (let t: string | undefined = typeName; t && !seen.has(t); t = this.index.type(t)?.inherits[0]) {
      seen.add(t);
      const methods = this.index.type(t)?.methods ?? [];
      for (const m of methods.filter((m) => (t !== typeName || m.name !== beginning) && this.stored !== undefined && m.endsTasks.includes(this.stored))) {
        // Only the begin's own type is judged this way: another type's method may be its own API.
        if (text === undefined || t !== enclosingType(this.begin)?.name || !this.calledOnlyByHandler(m.name, text)) return { ended: true };
        onlyByHandler = m.name;
      }
    }
    return { ended: false, onlyByHandler };
  }

  /**
   * Is the method `name` run only by this begin's expiration handler (`self?.endTask()`), so that its end
   * is the handler's and nothing ends the task when the work is done? Judged from every reference to
   * the name: in this file's text outside the beginning function and the method itself (calls,
   * selectors, references), and in other files' recorded calls. Methods the system calls are left alone.
   */
  private calledOnlyByHandler(name: string, text: string): boolean {
    if (SYSTEM_CALLBACK.test(name)) return false;
    // The object is handed to other code (`self.executionHandler(self)`), which may call the method itself.
    const beginning = enclosingFunction(this.begin);
    const handsOutSelf = (c: CallExpr) => c.args.some((a) => a.value.kind === 'self');
    if (beginning && callsIn(beginning, handsOutSelf).length > 0) return false;
    const selfCall = (c: CallExpr) => c.baseName === name && (isSelfReceiver(c.receiver) || /^(weak|strong)?_?[sS]elf$/.test(memberPath(c.receiver)[0] ?? ''));
    if (!this.handlerBodies.some((body) => callsIn(body, selfCall).length > 0)) return false;
    const root = rootOf(this.begin);
    const declarations = [...descendants(root, (n) => n.kind === 'file' || n.kind === 'type')].filter((n): n is FunctionDecl => n.kind === 'function' && n.baseName === name);
    // A `public` / `open` method is API: code outside the project may call it when the work is done.
    if (declarations.some((d) => d.modifiers.some((m) => m === 'public' || m === 'open'))) return false;
    const excluded: SyntaxNode[] = beginning ? [beginning, ...declarations] : declarations;
    for (const m of text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
      const at = m.index ?? 0;
      if (!excluded.some((n) => at >= n.startIndex && at < n.endIndex)) return false;
    }
    const owner = enclosingType(this.begin)?.name;
    for (const type of this.index.types.values()) {
      // Same-instance calls are the type's own (or a subclass's); other types reach it through a member.
      const sameInstance = type.name === owner || (owner !== undefined && type.inherits.includes(owner));
      for (const method of type.methods) {
        if (method.name === name || method.name === beginning?.baseName) continue;
        // `UIApplication.shared.endBackgroundTask(…)` is UIKit's, whatever the method is called.
        const called = method.memberCalls?.some((c) => c.method === name && !APPLICATION_RECEIVER.test(c.via));
        if (sameInstance && (method.calls.includes(name) || method.callsLater?.some((c) => c.name === name))) return false;
        if (called) return false;
      }
    }
    return true;
  }
}
