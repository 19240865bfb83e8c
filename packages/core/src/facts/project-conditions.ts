/**
 * Facts of the whole project that decide whether some of a rule's trigger strings count
 * (`RuleMeta.triggersWhen`): a call such as `dataTask(with:)` can be a background-session finding only
 * when the project builds a background session somewhere, so in a project without one those calls let
 * no file through the prefilter.
 *
 * Each condition reads index facts that every file able to give them adds: such files are always lexed
 * (`outlineFile`'s `everywhere`), so the on-demand index, the full index and the language server's index
 * agree, and the CLI answers from those files alone before it chooses which files to lint.
 */
import type { ProjectIndex } from './lexical-index';

export const PROJECT_CONDITIONS = {
  /**
   * Some type has a member whose value is a background URLSession built in its own code
   * (`IndexedType.backgroundSessions`, what `backgroundSessionCallsFromIndex` follows into other files).
   * Files that can give one match `mayBuildBackgroundSession` and are always lexed.
   */
  'background-session': (index: ProjectIndex) => {
    for (const type of index.types.values()) if (type.backgroundSessions?.length) return true;
    return false;
  },
  /** Some file makes a Mach-service XPC listener (`apiUses`: files with `API_USE_WORDS` are always lexed). */
  'xpc-mach-service-listener': (index: ProjectIndex) => index.apiUses.has('xpc-mach-service-listener'),
} satisfies Record<string, (index: ProjectIndex) => boolean>;

export type ProjectCondition = keyof typeof PROJECT_CONDITIONS;

const known = new WeakMap<ProjectIndex, { revision: number; conditions: Set<ProjectCondition> }>();

/** The conditions the index holds: a walk over its types, kept per index (every file of a run asks) until it gains facts. */
export function projectConditions(index: ProjectIndex): Set<ProjectCondition> {
  const kept = known.get(index);
  if (kept && kept.revision === index.revision) return kept.conditions;
  const conditions = new Set((Object.keys(PROJECT_CONDITIONS) as ProjectCondition[]).filter((c) => PROJECT_CONDITIONS[c](index)));
  known.set(index, { revision: index.revision, conditions });
  return conditions;
}
