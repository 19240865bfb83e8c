/**
 * BGTaskScheduler identifiers as the project-file rules see them: where code names a task identifier
 * (registering a launch handler, building a request) and whether Info.plist permits it.
 */
import type { CallExpr, Expr } from '../syntax/ir';
import { bindArguments } from '../syntax/query';

export const REGISTER_TASK = 'register(forTaskWithIdentifier:using:launchHandler:)';

export type TaskIdentifierUse = {
  kind: 'register' | 'app-refresh' | 'processing' | 'continued-processing';
  identifier: Expr;
};

const REQUESTS: { signature: string; kind: TaskIdentifierUse['kind'] }[] = [
  { signature: 'BGAppRefreshTaskRequest(identifier:)', kind: 'app-refresh' },
  { signature: 'BGProcessingTaskRequest(identifier:)', kind: 'processing' },
  { signature: 'BGContinuedProcessingTaskRequest(identifier:title:subtitle:)', kind: 'continued-processing' },
];

/** Calls that name a task identifier, for the prefilter and `call:` listeners. */
export const TASK_IDENTIFIER_SIGNATURES = [REGISTER_TASK, ...REQUESTS.map((r) => r.signature)];

export function taskIdentifierUse(call: CallExpr): TaskIdentifierUse | undefined {
  const registered = bindArguments(call, REGISTER_TASK)?.get('forTaskWithIdentifier');
  if (registered) return { kind: 'register', identifier: registered };
  for (const { signature, kind } of REQUESTS) {
    const identifier = bindArguments(call, signature)?.get('identifier');
    if (identifier) return { kind, identifier };
  }
  return undefined;
}

/**
 * Does one `BGTaskSchedulerPermittedIdentifiers` entry permit `identifier`? Exact match; a `prefix.*`
 * entry permits `prefix.` plus anything, and the pattern itself, where wildcards apply (continued
 * processing, and registering, whose task kind the call does not tell); a `$(VARIABLE)` left
 * unexpanded matches any text, since its value is unknown.
 */
export function permits(entry: string, identifier: string, wildcards: boolean): boolean {
  if (entry === identifier) return true;
  if (wildcards && entry.endsWith('.*') && identifier.startsWith(entry.slice(0, -1)) && identifier.length > entry.length - 1) return true;
  if (!entry.includes('$(') && !entry.includes('${')) return false;
  const pattern = entry
    .split(/\$\([^)]*\)|\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${wildcards ? pattern.replace(/\\\.\\\*$/, '\\..*') : pattern}$`).test(identifier);
}

/** The background mode a request kind needs in `UIBackgroundModes`, if any. */
export function requiredBackgroundMode(kind: TaskIdentifierUse['kind']): string | undefined {
  return kind === 'app-refresh' ? 'fetch' : kind === 'processing' ? 'processing' : undefined;
}
