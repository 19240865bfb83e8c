/**
 * Background reach across files: which units of code (methods, closures given for a type's members,
 * reducer cases) run, directly or through calls, from code the system runs in the background. Built
 * once per project index from its plain data (`IndexedMethod` call facts), so a read in one file is
 * known to run from a BGTask launch handler in another:
 *
 *   launch handler (calls a parameter of `registerHandler`) → the closure given to
 *   `manager.registerHandler { … }` → `performBackgroundRefresh()` → `store.send(.refresh)` →
 *   the reducer's `case .refresh` → `service.load()` → the closure given for `load` → SecItemCopyMatching.
 *
 * Units are named `Type.member`, reducer cases `.action`. Receivers are resolved through declared
 * property types, `@Dependency(\.key)` values, and type names; a call whose receiver cannot be
 * resolved is not followed (silent, not guessed).
 */
import type { SyntaxNode } from '../syntax/ir';
import { ancestors, enclosingType } from '../syntax/query';
import type { IndexedMethod, ProjectIndex, ReachCallFacts } from '../facts/lexical-index';
import { BACKGROUND_METHODS } from '../apis/background-entry-points';

/** System callbacks that run in the background (Swift names; the index maps ObjC selectors to these). */
export interface BackgroundReach {
  /** The background entry point's description ('a BGTask launch handler'). */
  scope: string;
  /** The units between the entry point and this one, outermost first (`HubWorksApp.performBackgroundRefresh`, `.refresh`). */
  path: string[];
}

interface Unit {
  key: string;
  type: string;
  facts: ReachCallFacts & Partial<IndexedMethod>;
}

const reachCache = new WeakMap<ProjectIndex, Map<string, BackgroundReach>>();

/** Every unit of the project that runs in the background, with how it is reached. */
export function backgroundReach(index: ProjectIndex): Map<string, BackgroundReach> {
  let reach = reachCache.get(index);
  if (!reach) reachCache.set(index, (reach = computeReach(index)));
  return reach;
}

/** Is the unit `Type.member` (or `.action`) run from background code? */
export function backgroundReachOf(index: ProjectIndex, key: string | undefined): BackgroundReach | undefined {
  return key ? backgroundReach(index).get(key) : undefined;
}

/**
 * The unit a node is in, by the name the index gives it: `Type.method` for a method, `Type.member`
 * for a closure given as `Type(member: { … })`, the innermost such around the node.
 */
export function unitKeyOf(node: SyntaxNode): string | undefined {
  for (const a of ancestors(node)) {
    if (a.kind === 'closure') {
      const call = a.parent?.kind === 'call' ? a.parent : a.parent?.parent?.kind === 'call' ? a.parent.parent : undefined;
      const arg = call?.args.find((x) => x.value === a);
      if (call && !call.receiver && /^[A-Z]/.test(call.baseName) && arg?.label) return `${call.baseName}.${arg.label}`;
    }
    if (a.kind === 'function') {
      const type = a.typeName ?? enclosingType(a)?.name;
      return type ? `${type}.${a.baseName}` : undefined;
    }
  }
  return undefined;
}

/** Units whose result some code keeps as the signed-in state (`let hasToken = keychain.exists(…)`), by the unit called. */
export function signedInChecksOf(index: ProjectIndex, key: string): { unit: string; name: string }[] {
  const found: { unit: string; name: string }[] = [];
  // A reducer case is named with its reducer: `AppFeature case .onAppear`.
  for (const unit of allUnits(index)) {
    for (const check of unit.facts.authChecks ?? []) {
      const target = receiverType(index, unit.type, check.via);
      if (target && `${target}.${check.method}` === key) found.push({ unit: unit.key.startsWith('.') ? `${unit.type} case ${unit.key}` : unit.key, name: check.name });
    }
  }
  return found;
}

/** Units of other code that read the keychain, with the literal service and account they name. */
export function keychainReadUnits(index: ProjectIndex): { key: string; type: string; service?: string; account?: string }[] {
  return allUnits(index).flatMap((u) => (u.facts.keychainReads ?? []).map((r) => ({ key: u.key, type: u.type, ...r })));
}

const unitsCache = new WeakMap<ProjectIndex, Unit[]>();

/** Every unit of the index, computed once per index. */
function allUnits(index: ProjectIndex): Unit[] {
  let units = unitsCache.get(index);
  if (!units) unitsCache.set(index, (units = collectUnits(index)));
  return units;
}

function collectUnits(index: ProjectIndex): Unit[] {
  const units: Unit[] = [];
  for (const type of index.types.values()) {
    for (const m of type.methods) units.push({ key: `${type.name}.${m.name}`, type: type.name, facts: withCalls(m) });
  }
  for (const [type, methods] of index.closureMembers) for (const m of methods) units.push({ key: `${type}.${m.name}`, type, facts: withCalls(m) });
  for (const [, handlers] of index.actionHandlers) for (const h of handlers) units.push({ key: h.method.name, type: h.type, facts: withCalls(h.method) });
  return units;
}

function withCalls(m: IndexedMethod): Unit['facts'] {
  return { ...m, calls: [...m.calls, ...(m.callsLater ?? []).map((c) => c.name)], memberCalls: m.memberCalls ?? [] };
}

function computeReach(index: ProjectIndex): Map<string, BackgroundReach> {
  const units = allUnits(index);
  const byKey = new Map<string, Unit[]>();
  for (const u of units) byKey.set(u.key, [...(byKey.get(u.key) ?? []), u]);
  const reach = new Map<string, BackgroundReach>();
  const queue: [string, BackgroundReach][] = [];
  const visit = (key: string, how: BackgroundReach) => {
    if (reach.has(key) || !byKey.has(key)) return;
    reach.set(key, how);
    queue.push([key, how]);
  };
  /** Where the calls of a piece of code (owned by `type`) lead. */
  const targets = (type: string, facts: ReachCallFacts): string[] => [
    ...facts.calls.map((c) => `${type}.${c}`),
    ...facts.memberCalls.flatMap((c) => {
      const target = receiverType(index, type, c.via);
      return target ? [`${target}.${c.method}`] : [];
    }),
    ...(facts.sends ?? []).map((a) => `.${a}`),
  ];
  // Units whose parameter a background block calls: a closure handed to them runs in the background.
  const runsParameter = new Map<string, string>();
  for (const u of units) {
    const entry = BACKGROUND_METHODS.get(u.facts.fullName ?? '');
    if (entry) visit(u.key, { scope: entry, path: [] });
    for (const block of u.facts.backgroundBlocks ?? []) {
      for (const t of targets(u.type, block)) visit(t, { scope: block.scope, path: [] });
      if (block.invokes.some((n) => u.facts.params?.includes(n))) runsParameter.set(u.key, block.scope);
    }
  }
  for (const u of units) {
    for (const arg of u.facts.closureArgs ?? []) {
      const target = receiverType(index, u.type, arg.via);
      const scope = target ? runsParameter.get(`${target}.${arg.method}`) : undefined;
      if (scope) for (const t of targets(u.type, arg)) visit(t, { scope, path: [`${target}.${arg.method}`] });
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const [key, how] = queue[i]!;
    for (const u of byKey.get(key) ?? []) {
      for (const t of targets(u.type, u.facts)) visit(t, { scope: how.scope, path: [...how.path, key] });
    }
  }
  return reach;
}

/**
 * The type of the value `via` names in code of `type`: a type name itself, a declared property, a
 * `@Dependency(\.key)` value (the type `DependencyValues.key` is declared with).
 */
function receiverType(index: ProjectIndex, type: string, via: string): string | undefined {
  if (/^[A-Z]/.test(via)) return index.type(via) || index.closureMembers.has(via) ? via : undefined;
  const owner = index.type(type);
  const declared = owner?.properties?.find((p) => p.name === via)?.type;
  if (declared && (index.type(declared) || index.closureMembers.has(declared))) return declared;
  const key = owner?.dependencies?.find((d) => d.name === via)?.key;
  if (key) return index.type('DependencyValues')?.properties?.find((p) => p.name === key)?.type;
  return undefined;
}

/** Shorter names for messages: `HubWorksApp.performBackgroundRefresh → .refresh → KeychainService.load`. */
export function describeReach(how: BackgroundReach, last?: string): string {
  const steps = [...how.path, ...(last ? [last] : [])];
  return steps.length ? `${how.scope} (through ${steps.join(' → ')})` : how.scope;
}

