/**
 * Main-actor inference for Swift declarations: explicit `@MainActor`, UI supertypes that are
 * main-actor isolated, `nonisolated` and `@Sendable` opting out, and the module's default isolation.
 * Objective-C has no actor isolation: every answer for it is false.
 */
import type { CallExpr, SyntaxNode } from '../syntax/ir';
import { memberPath } from '../syntax/query';
import type { ProjectIndex } from './lexical-index';

/** Types whose subclasses and conformers are main-actor isolated (UIKit, AppKit, SwiftUI). */
export const MAIN_ACTOR_SUPERTYPES = new Set([
  'App', 'View', 'Scene', 'UIApplicationDelegate', 'UIWindowSceneDelegate', 'UISceneDelegate', 'UIResponder',
  'UIViewController', 'UIView', 'UIApplication', 'UITableViewController', 'UICollectionViewController',
  'UINavigationController', 'UITabBarController', 'UIWindow', 'NSViewController', 'NSView', 'NSWindowController',
  'NSApplicationDelegate', 'NSWindow', 'NSResponder',
]);

export interface IsolationSettings {
  /** `SWIFT_DEFAULT_ACTOR_ISOLATION = MainActor` or `.defaultIsolation(MainActor.self)`. */
  defaultIsolation?: 'MainActor' | 'nonisolated';
}

export type Isolation = { mainActor: boolean; because: string };

/** Is the type (by name, across every file and extension) main-actor isolated? */
export function typeIsolation(name: string, index: ProjectIndex, seen = new Set<string>()): Isolation | undefined {
  if (seen.has(name)) return undefined;
  seen.add(name);
  const type = index.type(name);
  if (!type) return undefined;
  if (type.kinds.includes('actor')) return { mainActor: false, because: `${name} is an actor` };
  if (type.attributes.includes('MainActor')) return { mainActor: true, because: `${name} is declared @MainActor` };
  for (const parent of type.inherits) {
    if (MAIN_ACTOR_SUPERTYPES.has(parent)) return { mainActor: true, because: `${name} is a ${parent}, which is main-actor isolated` };
    const inherited = typeIsolation(parent, index, seen);
    if (inherited?.mainActor) return { mainActor: true, because: `${name} inherits from ${parent}: ${inherited.because}` };
  }
  return undefined;
}

/**
 * The isolation code at `node` runs with, for Swift: the nearest closure or declaration that
 * decides it. A non-`@Sendable` closure inherits the isolation of the context it is formed in.
 */
export function isolationAt(node: SyntaxNode, index: ProjectIndex, settings: IsolationSettings): Isolation {
  for (let n: SyntaxNode | undefined = node; n; n = n.parent) {
    if (n.kind === 'closure') {
      if (n.attributes.includes('MainActor')) return { mainActor: true, because: 'the closure is marked @MainActor' };
      if (n.attributes.includes('Sendable')) return { mainActor: false, because: 'the closure is @Sendable' };
    } else if (n.kind === 'function' || n.kind === 'var') {
      if (n.modifiers.includes('nonisolated')) return { mainActor: false, because: `${label(n)} is nonisolated` };
      if (n.attributes.includes('MainActor')) return { mainActor: true, because: `${label(n)} is declared @MainActor` };
    } else if (n.kind === 'type') {
      if (n.typeKind === 'actor') return { mainActor: false, because: `${n.name} is an actor` };
      if (n.attributes.includes('MainActor')) return { mainActor: true, because: `${n.name} is declared @MainActor` };
      const inherited = n.inherits.find((i) => MAIN_ACTOR_SUPERTYPES.has(i));
      if (inherited) return { mainActor: true, because: `${n.name} is a ${inherited}, which is main-actor isolated` };
      const indexed = typeIsolation(n.name, index);
      if (indexed) return indexed;
    } else if (n.kind === 'file' && n.language === 'objc') {
      return { mainActor: false, because: 'Objective-C has no actor isolation' };
    }
  }
  if (settings.defaultIsolation === 'MainActor') return { mainActor: true, because: 'the module defaults to MainActor isolation' };
  return { mainActor: false, because: 'nothing isolates it to the main actor' };
}

function label(n: { kind: string; name: string }): string {
  return n.kind === 'function' ? `${n.name}` : `\`${n.name}\``;
}

/**
 * Is the declaration a call reaches one the project isolates to the main actor? Known only for
 * project types and globals named directly: `Model.shared.reload()`, `Store.save()`, `refreshUI()`.
 * A receiver held in a variable has a type we do not know, so it is never guessed.
 */
export function calleeIsolation(call: CallExpr, index: ProjectIndex): Isolation | undefined {
  if (call.receiver === undefined) {
    return index.mainActorGlobals.has(call.baseName) ? { mainActor: true, because: `${call.baseName} is declared @MainActor` } : undefined;
  }
  const typeName = memberPath(call.receiver)[0];
  const type = index.type(typeName);
  if (!type || !typeName) return undefined;
  const method = type.methods.find((m) => m.name === call.baseName);
  if (method?.nonisolated) return undefined;
  if (method?.attributes.includes('MainActor') || type.mainActorMembers.includes(call.baseName)) {
    return { mainActor: true, because: `${typeName}.${call.baseName} is declared @MainActor` };
  }
  const isolation = typeIsolation(typeName, index);
  return isolation?.mainActor ? isolation : undefined;
}
