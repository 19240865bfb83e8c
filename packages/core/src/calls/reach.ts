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

/**
 * Code that keeps a unit's result as the signed-in state (`let hasToken = keychain.exists(…)`; with `nil`, a nil
 * taken for "signed out": `let isLoggedIn = provider.userToken != nil`), by the unit called: the checking unit
 * (`key`, to ask its reach) and how messages name it.
 */
export function signedInChecksOf(index: ProjectIndex, key: string, nil = false): { unit: string; key: string; name: string }[] {
  const found: { unit: string; key: string; name: string }[] = [];
  // A reducer case is named with its reducer: `AppFeature case .onAppear`.
  for (const unit of allUnits(index)) {
    for (const check of unit.facts.authChecks ?? []) {
      if (Boolean(check.nil) !== nil) continue;
      const target = check.viaType && index.type(check.viaType) ? check.viaType : receiverType(index, unit.type, check.via);
      if (target && `${target}.${check.method}` === key) found.push({ unit: unit.key.startsWith('.') ? `${unit.type} case ${unit.key}` : unit.key, key: unit.key, name: check.name });
    }
  }
  return found;
}

/**
 * The units that return what one of `keys` returns (`var userToken: String? { return Keychain.userToken }`,
 * `get { getValue(for: .token) }`), through other such units, with the keys themselves: every way a read's
 * value reaches code of the project unchanged.
 */
export function passThroughsOf(index: ProjectIndex, keys: ReadonlySet<string>): Set<string> {
  const all = new Set(keys);
  for (let round = 0; round < 4; round++) {
    const before = all.size;
    for (const u of allUnits(index)) {
      const r = u.facts.returnsFrom;
      if (!r || all.has(u.key)) continue;
      const target = r.via === '' ? u.type : receiverType(index, u.type, r.via);
      if (target && adopters(index, target).some((t) => all.has(`${t}.${r.name}`))) all.add(u.key);
    }
    if (all.size === before) break;
  }
  return all;
}

/** Units of other code that read the keychain, with the literal service and account they name. */
export function keychainReadUnits(index: ProjectIndex): { key: string; type: string; service?: string; account?: string }[] {
  return allUnits(index).flatMap((u) => (u.facts.keychainReads ?? []).map((r) => ({ key: u.key, type: u.type, ...r })));
}

/**
 * Code that takes a nil from one of `keys` (`Type.member`) for "none yet" and generates and stores a
 * new value (`facts/nil-fallbacks.ts`): the unit, and what it generates. The call's receiver is
 * resolved like the reach map's (own type, a type name, a typed property or parameter, a protocol's
 * adopters); an unresolved receiver is not guessed.
 */
export function regeneratingCallersOf(index: ProjectIndex, keys: ReadonlySet<string>): { unit: string; action: string }[] {
  const found: { unit: string; action: string }[] = [];
  for (const unit of allUnits(index)) {
    // Code that checks protected data first (itself, or through a member of its type) reads only when the keychain is readable.
    if (unit.facts.checksProtectedData) continue;
    for (const f of unit.facts.regenerates ?? []) {
      const target = f.via === '' ? unit.type : f.viaType && (index.type(f.viaType) || index.closureMembers.has(f.viaType)) ? f.viaType : receiverType(index, unit.type, f.via);
      if (target && adopters(index, target).some((t) => keys.has(`${t}.${f.method}`))) {
        found.push({ unit: unit.key.startsWith('.') ? `${unit.type} case ${unit.key}` : unit.key, action: f.action });
      }
    }
  }
  return found;
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
    for (const g of type.getters ?? []) units.push({ key: `${type.name}.${g.name}`, type: type.name, facts: withCalls(g) });
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
  const entries: [Unit, BackgroundReach][] = [];
  const blocks: [string, ReachCallFacts, BackgroundReach][] = [];
  // Units whose parameter a background block calls: a closure handed to them runs in the background.
  const runsParameter = new Map<string, string>();
  for (const u of units) {
    const entry = BACKGROUND_METHODS.get(u.facts.fullName ?? '');
    if (entry) entries.push([u, { scope: entry, path: [] }]);
    for (const block of u.facts.backgroundBlocks ?? []) {
      blocks.push([u.type, block, { scope: block.scope, path: [] }]);
      if (block.invokes.some((n) => u.facts.params?.includes(n))) runsParameter.set(u.key, block.scope);
    }
  }
  for (const u of units) {
    for (const arg of u.facts.closureArgs ?? []) {
      const target = receiverType(index, u.type, arg.via);
      const scope = target ? runsParameter.get(`${target}.${arg.method}`) : undefined;
      if (scope) blocks.push([u.type, arg, { scope, path: [`${target}.${arg.method}`] }]);
    }
  }
  return spread(index, entries, blocks);
}

const LAUNCH_METHODS = new Set(['application(_:didFinishLaunchingWithOptions:)', 'application(_:willFinishLaunchingWithOptions:)']);

const launchCache = new WeakMap<ProjectIndex, Map<string, Map<string, BackgroundReach>>>();

/** The units launch code starts from: `application(_:didFinishLaunchingWithOptions:)`, `…willFinishLaunching…`, a SwiftUI `App`'s `init`. */
function launchEntries(index: ProjectIndex): [Unit, BackgroundReach][] {
  const entries: [Unit, BackgroundReach][] = [];
  for (const u of allUnits(index)) {
    const scope = launchScopeOf(index, u.type, u.facts);
    if (scope) entries.push([u, { scope, path: [] }]);
  }
  return entries;
}

/** How a message names launch code, when the method is an entry of it (one that does not check protected data first). */
function launchScopeOf(index: ProjectIndex, type: string, m: Partial<IndexedMethod>): string | undefined {
  if (m.checksProtectedData) return undefined;
  if (LAUNCH_METHODS.has(m.fullName ?? '')) return `launch code (${m.fullName})`;
  return m.fullName === 'init' && isAppType(index, type) ? 'launch code' : undefined;
}

/**
 * The files that declare launch code (the files of each launch entry's type): whose targets' Info.plist
 * tells whether iOS launches that app in the background (`launchReachIn`). A scan of the types, without
 * the units the reach map builds, so a run can ask it whatever its rules.
 */
export function launchEntryFiles(index: ProjectIndex): string[] {
  const files = new Set<string>();
  for (const t of index.types.values()) if (t.methods.some((m) => launchScopeOf(index, t.name, m))) for (const f of t.files) files.add(f);
  return [...files];
}

/**
 * Every unit of the project that runs from app launch: `application(_:didFinishLaunchingWithOptions:)`,
 * `…willFinishLaunching…`, a SwiftUI `App`'s `init`, and what they call. Launch code runs in every
 * background launch too (a relaunch for Bluetooth, location, a push, a BGTask) — whether the app is
 * launched that way is for the caller to decide from its Info.plist (`launchReachIn`). Code that checks
 * `isProtectedDataAvailable` (or waits for `…ProtectedDataDidBecomeAvailable`) is neither an entry nor
 * followed: it defers what needs the keychain until the device is unlocked. `from`: only the entries of
 * these types (every entry when absent).
 */
export function launchReach(index: ProjectIndex, from?: ReadonlySet<string>): Map<string, BackgroundReach> {
  let byEntries = launchCache.get(index);
  if (!byEntries) launchCache.set(index, (byEntries = new Map()));
  const cacheKey = from ? [...from].sort().join(' ') : '*';
  let reach = byEntries.get(cacheKey);
  if (!reach) {
    const entries = launchEntries(index).filter(([u]) => !from || from.has(u.type));
    byEntries.set(cacheKey, (reach = spread(index, entries, [], (u) => !u.facts.checksProtectedData)));
  }
  return reach;
}

/** Launch reach of a unit in an app iOS launches in the background: how it is reached, and the modes that launch it. */
export type LaunchReach = (key: string | undefined) => { how: BackgroundReach; modes: string[] } | undefined;

/**
 * Launch reach of the project's units, counting only launch code of apps that iOS launches in the
 * background. `modesByFile`: the relaunching background modes of the targets of each file declaring
 * launch code (`launchEntryFiles`), so an SDK's code is judged by the sample app that starts it, not by
 * the SDK's own target; `ownModes` stand in for launch code whose files' targets are unknown (examples,
 * a single file). Undefined when no launch code runs in the background.
 */
export function launchReachIn(index: ProjectIndex, ownModes: string[], modesByFile: Readonly<Record<string, string[]>> = {}): LaunchReach | undefined {
  const modesOfType = new Map<string, string[]>();
  for (const [u] of launchEntries(index)) {
    const files = index.type(u.type)?.files ?? [];
    const known = files.filter((f) => f in modesByFile);
    const modes = known.length ? [...new Set(known.flatMap((f) => modesByFile[f]!))] : ownModes;
    if (modes.length) modesOfType.set(u.type, [...new Set([...(modesOfType.get(u.type) ?? []), ...modes])]);
  }
  if (!modesOfType.size) return undefined;
  const reach = launchReach(index, new Set(modesOfType.keys()));
  return (key) => {
    const how = key ? reach.get(key) : undefined;
    const entryType = how?.path[0]?.split('.')[0] ?? key?.split('.')[0];
    return how ? { how, modes: modesOfType.get(entryType ?? '') ?? [...modesOfType.values()][0]! } : undefined;
  };
}

/**
 * Does the unit `Type.member` check protected data (`isProtectedDataAvailable`, directly or through a
 * member of its type such as `canUseKeychain`) before what it does? Every unit of that key must.
 */
export function checksProtectedDataOf(index: ProjectIndex, key: string): boolean {
  const units = unitsByKey(index).get(key);
  return !!units?.length && units.every((u) => u.facts.checksProtectedData);
}

/** Is the unit `Type.member` run from launch code (`launchReach`)? */
export function launchReachOf(index: ProjectIndex, key: string | undefined): BackgroundReach | undefined {
  return key ? launchReach(index).get(key) : undefined;
}

/** A SwiftUI `App` (its `init` runs at launch). */
function isAppType(index: ProjectIndex, type: string): boolean {
  return index.type(type)?.inherits.includes('App') ?? false;
}

/**
 * Units reached from the entry units (each followed alone: ObjC units share the key of their first
 * selector piece, `AppDelegate.application`) and from blocks of code, through what each calls.
 */
function spread(index: ProjectIndex, entries: [Unit, BackgroundReach][], blocks: [string, ReachCallFacts, BackgroundReach][], follow: (u: Unit) => boolean = () => true): Map<string, BackgroundReach> {
  const byKey = unitsByKey(index);
  const reach = new Map<string, BackgroundReach>();
  const queue: [string, BackgroundReach][] = [];
  const visit = (key: string, how: BackgroundReach) => {
    if (reach.has(key) || !byKey.has(key)) return;
    reach.set(key, how);
    queue.push([key, how]);
  };
  for (const [u, how] of entries) {
    if (!reach.has(u.key)) reach.set(u.key, how);
    for (const t of callTargets(index, u.type, u.facts)) visit(t, { scope: how.scope, path: [...how.path, u.key] });
  }
  for (const [type, facts, how] of blocks) for (const t of callTargets(index, type, facts)) visit(t, how);
  for (let i = 0; i < queue.length; i++) {
    const [key, how] = queue[i]!;
    for (const u of byKey.get(key) ?? []) {
      if (!follow(u)) continue;
      for (const t of callTargets(index, u.type, u.facts)) visit(t, { scope: how.scope, path: [...how.path, key] });
    }
  }
  return reach;
}

const byKeyCache = new WeakMap<ProjectIndex, Map<string, Unit[]>>();

function unitsByKey(index: ProjectIndex): Map<string, Unit[]> {
  let byKey = byKeyCache.get(index);
  if (!byKey) {
    byKey = new Map();
    for (const u of allUnits(index)) byKey.set(u.key, [...(byKey.get(u.key) ?? []), u]);
    byKeyCache.set(index, byKey);
  }
  return byKey;
}

/**
 * Where the calls of a piece of code (owned by `type`) lead: same-instance members, property members
 * (a protocol-typed property to each type of the project adopting the protocol), a type's initializer
 * (`AppRuntime(…)` → `AppRuntime.init`), reducer actions sent.
 */
function callTargets(index: ProjectIndex, type: string, facts: ReachCallFacts): string[] {
  return [
    ...facts.calls.flatMap((c) => (/^[A-Z]/.test(c) && index.closureMembers.has(c) ? [`${c}.init`] : [`${type}.${c}`])),
    ...facts.memberCalls.flatMap((c) => {
      const target = receiverType(index, type, c.via);
      return target ? adopters(index, target).map((t) => `${t}.${c.method}`) : [];
    }),
    ...(facts.sharedCalls ?? []).flatMap((c) => (index.type(c.type) ? adopters(index, c.type).map((t) => `${t}.${c.method}`) : [])),
    ...(facts.sends ?? []).map((a) => `.${a}`),
    ...readTargets(index, type, facts),
  ];
}

const gettersCache = new WeakMap<ProjectIndex, Set<string>>();

/**
 * The getters a piece of code runs by reading properties (`self.token`, `Keychain.userToken`, `store.email`
 * with a typed `store`, a protocol-typed one to each adopter's getter): only getters with a body (Swift
 * computed properties, ObjC methods without arguments), so a stored property's read leads nowhere.
 */
function readTargets(index: ProjectIndex, type: string, facts: ReachCallFacts): string[] {
  if (!facts.reads?.length) return [];
  let getters = gettersCache.get(index);
  if (!getters) {
    getters = new Set(allUnits(index).filter((u) => u.facts.getter).map((u) => u.key));
    gettersCache.set(index, getters);
  }
  const found: string[] = [];
  for (const r of facts.reads) {
    const target = r.via === 'self' ? type : r.viaType ? (index.type(r.viaType) ? r.viaType : undefined) : receiverType(index, type, r.via);
    if (target) for (const t of adopters(index, target)) if (getters.has(`${t}.${r.name}`)) found.push(`${t}.${r.name}`);
  }
  return found;
}

const adoptersCache = new WeakMap<ProjectIndex, Map<string, string[]>>();

/** The type itself, and when it is a protocol, every type of the project that adopts it (calls on it may run any of them). */
function adopters(index: ProjectIndex, type: string): string[] {
  if (!index.type(type)?.kinds.includes('protocol')) return [type];
  let byProtocol = adoptersCache.get(index);
  if (!byProtocol) {
    byProtocol = new Map();
    for (const t of index.types.values()) for (const p of t.inherits) byProtocol.set(p, [...(byProtocol.get(p) ?? []), t.name]);
    adoptersCache.set(index, byProtocol);
  }
  return [type, ...(byProtocol.get(type) ?? []).filter((t) => t !== type)];
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

