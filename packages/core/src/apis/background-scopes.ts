/**
 * Code that runs while the app is in the background, possibly with the device locked: BGTask launch
 * handlers, expiration handlers, background fetch and silent-push handlers, background URLSession
 * events, and the extension points the system runs on its own (notification service, widgets).
 *
 * Which closure or func *is* a launch or expiration handler (`handlerRolesOf`) is decided here for
 * every rule: written in place, or bound first to a local, a block variable, a property or a method
 * and passed by name (the call-summary layer's `usesOfCode`). `runsInBackground` (app-lifecycle.ts)
 * and `mainQueueContext` (main-queue.ts) ask the same question.
 */
import type { AssignExpr, CallExpr, CodeBody, SyntaxNode } from '../syntax/ir';
import { ancestors, bindArguments, isMainQueue, memberPath } from '../syntax/query';
import type { ProjectIndex } from '../facts/lexical-index';
import { usesOfCode } from '../calls/code-uses';
import { expirationHandlerOf } from './background-tasks';
import { REGISTER_TASK } from './task-scheduler';
import { BACKGROUND_METHODS } from './background-entry-points';

/** What the system runs a closure or func as. */
export type HandlerRole =
  /** The launch handler of a `BGTaskScheduler` `register` call; `onMain`: registered with `using: .main`. */
  | { kind: 'launch'; register: CallExpr; onMain: boolean }
  /** A background task's expiration handler: of a `beginBackgroundTask` call, or assigned to `task.expirationHandler`. */
  | { kind: 'expiration'; at: CallExpr | AssignExpr }
  /** A SwiftUI `.backgroundTask` modifier's handler. */
  | { kind: 'swiftui-background-task'; call: CallExpr };

/** Every role `body` is handed to the system in (one per place it is passed; usually none or one). */
export function handlerRolesOf(body: CodeBody, index: ProjectIndex): HandlerRole[] {
  const roles: HandlerRole[] = [];
  for (const use of usesOfCode(body, index)) {
    if (use.kind === 'assigned') {
      if (memberPath(use.assign.target).pop() === 'expirationHandler') roles.push({ kind: 'expiration', at: use.assign });
      continue;
    }
    if (use.kind !== 'argument') continue;
    const register = bindArguments(use.call, REGISTER_TASK);
    if (register?.get('launchHandler') === use.value) {
      roles.push({ kind: 'launch', register: use.call, onMain: isMainQueue(register.get('using')) });
    } else if (expirationHandlerOf(use.call) === use.value) {
      roles.push({ kind: 'expiration', at: use.call });
    } else if (use.call.baseName === 'backgroundTask' && use.call.receiver) {
      roles.push({ kind: 'swiftui-background-task', call: use.call });
    }
  }
  return roles;
}

/** The call or assignment that makes a role (for related locations). */
export function roleSite(role: HandlerRole): CallExpr | AssignExpr {
  return role.kind === 'launch' ? role.register : role.kind === 'expiration' ? role.at : role.call;
}

const ROLE_SCOPES: Record<HandlerRole['kind'], string> = {
  launch: 'a BGTask launch handler',
  expiration: 'an expiration handler',
  'swiftui-background-task': 'a SwiftUI background task',
};

/**
 * What background entry point `node` runs in (a description for messages), if any: a method the
 * system calls in the background, or a closure or func handed to the system as a handler.
 */
export function backgroundScopeOf(node: SyntaxNode, index: ProjectIndex): string | undefined {
  for (const a of ancestors(node)) {
    if (a.kind !== 'function' && a.kind !== 'closure') continue;
    const role = handlerRolesOf(a, index)[0];
    if (role) return ROLE_SCOPES[role.kind];
    if (a.kind === 'function') return BACKGROUND_METHODS.get(a.name);
  }
  return undefined;
}
