/**
 * BGTask launch handlers as the handler rules see them: the handler of a `register` call (a closure,
 * or a function of this file named in its place), and what the handler does with its task, followed
 * into the same-file functions the task is handed to: is `setTaskCompleted` reached on every path,
 * is an `expirationHandler` set, is `progress` updated, does the task escape to code we cannot see.
 */
import type { CallExpr, ClosureExpr, CodeBody, Expr, FunctionDecl, JumpStmt, SyntaxNode } from '../syntax/ir';
import { bindArguments, callsIn, descendants, enclosingBody, enclosingFunction, matchesSignature, memberPath, rootOf } from '../syntax/query';
import { pathsThrough } from '../flow/paths';
import type { Obligation } from '../flow/paths';
import { passesValue, storesValue } from '../flow/value-flow';
import { aliasesIn, refersTo } from '../calls/aliases';
import { resolveCallee } from '../calls/resolve';
import { resolveCode } from '../calls/code-uses';
import { handlerRolesOf } from './background-scopes';
import type { ProjectIndex } from '../facts/lexical-index';
import { REGISTER_TASK } from './task-scheduler';
import { resolveString } from '../syntax/constants';

export const SET_TASK_COMPLETED = 'setTaskCompleted(success:)';
export const CONTINUED_PROCESSING_TASK = 'BGContinuedProcessingTask';
export const CONTINUED_PROCESSING_REQUEST = 'BGContinuedProcessingTaskRequest(identifier:title:subtitle:)';

/** The code a `register` call runs when the task launches, and the name its task has there. */
export interface LaunchHandler {
  body: CodeBody;
  task: string;
}

export function launchHandlerOf(register: CallExpr, index: ProjectIndex): LaunchHandler | undefined {
  const handler = bindArguments(register, REGISTER_TASK)?.get('launchHandler');
  if (handler?.kind === 'closure') return { body: handler, task: handler.params[0] ?? '$0' };
  // A closure or block held in a local, a property or a global, a local func, a method: what the call-summary layer resolves.
  const resolved = handler ? resolveCode(handler, register, index) : [];
  const only = resolved.length === 1 ? resolved[0]! : undefined;
  if (only?.kind === 'closure') return { body: only, task: only.params[0] ?? '$0' };
  if (only?.kind === 'function' && only.params.length === 1 && only.body) return { body: only, task: only.params[0]! };
  // `launchHandler: handleRefresh`: a function of this file taking the task.
  const name = handler && (handler.kind === 'ident' || handler.kind === 'member') ? memberPath(handler).pop() : undefined;
  const named = name ? [...descendants(rootOf(register))].filter((n): n is FunctionDecl => n.kind === 'function' && n.baseName === name && n.params.length === 1) : [];
  return named.length === 1 && named[0]!.body ? { body: named[0]!, task: named[0]!.params[0]! } : undefined;
}

/** A path that leaves a body with the task not completed. */
export interface TaskLeak {
  body: CodeBody;
  exits: JumpStmt[];
  fallsOffEnd: boolean;
}

/** What a body (and the functions it hands the task to) does with the task. */
export interface TaskUsage {
  /** Paths of the body that end without completing the task (empty when every path completes it). */
  leaks: TaskLeak[];
  /** `setTaskCompleted` is called somewhere in the work (not only in the expiration handler). */
  completes: boolean;
  /** The task is handed to code we cannot see (another file, a library, a stored property). */
  escapes: boolean;
  setsExpirationHandler: boolean;
  touchesProgress: boolean;
  /** Leaks inside a closure or callee that completes the task on some paths only (where to point). */
  partialLeaks: TaskLeak[];
  /** Every path completes the task before the body returns (no closure run later, nothing handed on). */
  completesBeforeReturning: boolean;
}

/** Follows one handler's task; bounded depth, each function summarized once per parameter. */
export class TaskFollower {
  private readonly memo = new Map<FunctionDecl, Map<string, TaskUsage>>();

  constructor(readonly index: ProjectIndex, private readonly maxDepth = 3) {}

  /** What `body` does with the task it knows by `names` (a function's parameter, a closure's captures). */
  usage(body: CodeBody, names: Iterable<string>, depth = 0): TaskUsage {
    const task = [...names][0];
    if (body.kind !== 'function' || task === undefined) return this.summarize(body, names, depth);
    const byParam = this.memo.get(body) ?? new Map<string, TaskUsage>();
    this.memo.set(body, byParam);
    const known = byParam.get(task);
    if (known) return known;
    // While a recursive function is summarized, its own calls count as handing the task on.
    byParam.set(task, unknownUsage());
    const usage = this.summarize(body, names, depth);
    byParam.set(task, usage);
    return usage;
  }

  private summarize(body: CodeBody, known: Iterable<string>, depth: number): TaskUsage {
    const names = aliasesIn(body, new Set(known)) ?? new Set<string>();
    const usage: TaskUsage = {
      leaks: [], completes: false, escapes: false, setsExpirationHandler: false, touchesProgress: false, partialLeaks: [], completesBeforeReturning: false,
    };
    if (!body.body) return usage;
    for (const node of descendants(body.body)) this.note(node, names, depth, usage);
    const leaks = pathsThrough(body, new CompletionObligation(this, names, depth, usage, false));
    if (leaks.exits.length > 0 || leaks.fallsOffEnd) usage.leaks.push({ body, ...leaks });
    const synchronous = pathsThrough(body, new CompletionObligation(this, names, depth, usage, true));
    usage.completesBeforeReturning = synchronous.exits.length === 0 && !synchronous.fallsOffEnd;
    return usage;
  }

  private note(node: SyntaxNode, names: ReadonlySet<string>, depth: number, usage: TaskUsage): void {
    if (node.kind === 'call' && isCompletion(node, names) && !inExpirationHandler(node, this.index)) usage.completes = true;
    if (node.kind === 'assign' && refersTo(memberObject(node.target, 'expirationHandler'), names)) usage.setsExpirationHandler = true;
    if (node.kind === 'member' && node.name === 'progress' && refersTo(node.object, names) && !onlyReadsProgress(node)) usage.touchesProgress = true;
    if (storesValue(node, names)) usage.escapes = true;
    if (node.kind !== 'call') return;
    const local = this.localCode(node);
    if (local && !isAncestor(local, node) && depth < this.maxDepth && this.usage(local, names, depth + 1).completes) usage.completes = true;
    const passing = this.handedTo(node, names, depth);
    if (passing === 'escapes') usage.escapes = true;
    for (const callee of passing === 'escapes' ? [] : passing) {
      usage.completes ||= callee.completes;
      usage.escapes ||= callee.escapes;
      usage.setsExpirationHandler ||= callee.setsExpirationHandler;
      usage.touchesProgress ||= callee.touchesProgress;
      if (callee.completes) usage.partialLeaks.push(...callee.leaks);
    }
  }

  /** The local func or closure a receiver-less call runs (`complete(true)`, `finish()`), if any. */
  localCode(call: CallExpr): CodeBody | undefined {
    if (call.receiver) return undefined;
    const callee = resolveCallee(call, this.index);
    return callee.kind === 'code' ? callee.bodies.find((b) => b.kind === 'closure' || enclosingBody(b) !== undefined) : undefined;
  }

  /** The usages of the functions `call` hands the task to, or `escapes`. */
  handedTo(call: CallExpr, names: ReadonlySet<string>, depth: number): TaskUsage[] | 'escapes' {
    const passing = passesValue(call, names);
    if (passing.kind === 'none') return [];
    if (passing.kind === 'escapes' || depth >= this.maxDepth) return 'escapes';
    return passing.targets.map((t) => this.usage(t.fn, [t.param], depth + 1));
  }
}

/** "The task is completed": by a direct call, a callee that always completes it, or a closure that does later. */
class CompletionObligation implements Obligation {
  constructor(
    private readonly follower: TaskFollower,
    private readonly names: ReadonlySet<string>,
    private readonly depth: number,
    private readonly usage: TaskUsage,
    /** Count only completions that happen before the body returns. */
    private readonly synchronous: boolean,
  ) {}

  discharges(node: SyntaxNode): boolean {
    for (const d of [node, ...descendants(node, (n) => n.kind !== 'closure')]) {
      if (d.kind === 'call' && this.callCompletes(d)) return true;
      if (this.synchronous) continue;
      if (d.kind === 'closure' && this.closureCompletes(d)) return true;
      if (storesValue(d, this.names)) return true;
    }
    return false;
  }

  /** A `guard let self` that fails means the owner is gone; nothing is left to complete. */
  releasedWhen(condition: Expr, holds: boolean): boolean {
    return !holds && condition.kind === 'binding' && (condition.name === 'self' || condition.value?.kind === 'self');
  }

  private callCompletes(call: CallExpr): boolean {
    if (isCompletion(call, this.names)) return true;
    // A local func or closure that completes the captured task (often once, behind a flag).
    const local = this.follower.localCode(call);
    if (local && !this.synchronous && !isAncestor(local, call) && this.follower.usage(local, this.names, this.depth + 1).completes) return true;
    const callees = this.follower.handedTo(call, this.names, this.depth);
    if (this.synchronous) return callees !== 'escapes' && callees.length > 0 && callees.every((c) => c.completesBeforeReturning);
    return callees === 'escapes' || (callees.length > 0 && callees.every((c) => c.escapes || c.leaks.length === 0));
  }

  /** A closure handed to some call (a completion handler, `Task {}`) that completes the task on all its paths. */
  private closureCompletes(closure: ClosureExpr): boolean {
    if (isExpirationHandler(closure, this.follower.index)) return false;
    const inner = this.follower.usage(closure, this.names, this.depth);
    if (!inner.completes && !inner.escapes) return false;
    if (inner.leaks.length === 0) return true;
    this.usage.partialLeaks.push(...inner.leaks, ...inner.partialLeaks);
    return false;
  }
}

/** Progress properties that only report (`task.progress.fractionCompleted`), as opposed to updating it. */
const PROGRESS_READS = new Set(['fractionCompleted', 'isFinished', 'isCancelled', 'localizedDescription', 'localizedAdditionalDescription']);

function onlyReadsProgress(progress: SyntaxNode): boolean {
  const use = progress.parent;
  return use?.kind === 'member' && use.object === progress && PROGRESS_READS.has(use.name);
}

function isAncestor(body: SyntaxNode, node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === body) return true;
  return false;
}

function unknownUsage(): TaskUsage {
  return { leaks: [], completes: true, escapes: true, setsExpirationHandler: true, touchesProgress: true, partialLeaks: [], completesBeforeReturning: false };
}

export function isCompletion(call: CallExpr, names: ReadonlySet<string>): boolean {
  return matchesSignature(call, SET_TASK_COMPLETED) && refersTo(call.receiver, names);
}

/** `x.name` → `x` (the object whose `name` is set), else undefined. */
function memberObject(target: Expr, name: string): Expr | undefined {
  return target.kind === 'member' && target.name === name ? target.object : undefined;
}

/** Is the closure (or func) the task's expiration handler, assigned in place or by name (`task.expirationHandler = onExpire`)? */
function isExpirationHandler(body: CodeBody, index: ProjectIndex): boolean {
  return handlerRolesOf(body, index).some((role) => role.kind === 'expiration' && role.at.kind === 'assign');
}

function inExpirationHandler(node: SyntaxNode, index: ProjectIndex): boolean {
  for (let p = node.parent; p; p = p.parent) if ((p.kind === 'closure' || p.kind === 'function') && isExpirationHandler(p, index)) return true;
  return false;
}

/** Does the handler treat its task as a `BGContinuedProcessingTask` (`task as? BGContinuedProcessingTask`)? */
export function castsToContinuedProcessing(handler: LaunchHandler): boolean {
  if (!handler.body.body) return false;
  const names = aliasesIn(handler.body, new Set([handler.task])) ?? new Set<string>();
  for (const node of descendants(handler.body.body)) {
    if (node.kind === 'cast' && node.typeName.replace(/[?!*\s]/g, '') === CONTINUED_PROCESSING_TASK && refersTo(node.operand, names)) return true;
  }
  return false;
}

/** A `BGContinuedProcessingTaskRequest(…)` created in `root` (a function, a file). */
export function createsContinuedProcessingRequest(root: SyntaxNode): boolean {
  return callsIn(root, (c) => matchesSignature(c, CONTINUED_PROCESSING_REQUEST)).length > 0;
}



/**
 * The `BGContinuedProcessingTaskRequest(…)` a `submit` call submits: created in its argument, or
 * bound to the local it passes (`let request = BGContinuedProcessingTaskRequest(…)`) in an enclosing body.
 */
export function submittedContinuedRequest(submit: CallExpr): { creation: CallExpr; name?: string } | undefined {
  if (submit.baseName !== 'submit') return undefined;
  const arg = submit.args[0]?.value;
  if (arg?.kind === 'call') return matchesSignature(arg, CONTINUED_PROCESSING_REQUEST) ? { creation: arg } : undefined;
  if (arg?.kind !== 'ident') return undefined;
  for (let body = enclosingBody(submit); body; body = enclosingBody(body)) {
    for (const node of body.body ? descendants(body.body, (n) => n.kind !== 'closure') : []) {
      if (node.kind !== 'var' || node.name !== arg.name) continue;
      const value = node.value?.kind === 'cast' ? node.value.operand : node.value;
      return value?.kind === 'call' && matchesSignature(value, CONTINUED_PROCESSING_REQUEST) ? { creation: value, name: arg.name } : undefined;
    }
  }
  return undefined;
}

/** `request.earliestBeginDate = …` in the body that submits `name`. */
export function setsEarliestBeginDate(submit: CallExpr, name: string | undefined): SyntaxNode | undefined {
  const body = enclosingBody(submit);
  if (!name || !body?.body) return undefined;
  return [...descendants(body.body)].find((n) => n.kind === 'assign' && memberPath(n.target).join('.') === `${name}.earliestBeginDate`);
}

/**
 * Is this `register` call for a continued-processing task (iOS 26)? Its handler casts the task to
 * `BGContinuedProcessingTask`, the function around it creates a `BGContinuedProcessingTaskRequest`,
 * or a request of that kind in this file uses the same identifier.
 */
export function registersContinuedProcessing(register: CallExpr, index: ProjectIndex): boolean {
  const handler = launchHandlerOf(register, index);
  if (handler && castsToContinuedProcessing(handler)) return true;
  const fn = enclosingFunction(register);
  if (fn && createsContinuedProcessingRequest(fn)) return true;
  const identifier = staticIdentifier(bindArguments(register, REGISTER_TASK)?.get('forTaskWithIdentifier'));
  if (identifier === undefined) return false;
  return callsIn(rootOf(register), (c) => matchesSignature(c, CONTINUED_PROCESSING_REQUEST) && staticIdentifier(bindArguments(c, CONTINUED_PROCESSING_REQUEST)?.get('identifier')) === identifier).length > 0;
}

function staticIdentifier(expr: Expr | undefined): string | undefined {
  const resolved = resolveString(expr);
  return resolved.kind === 'static' ? resolved.value : undefined;
}
