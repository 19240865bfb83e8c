/**
 * Values known before the app runs: string literals and simple constants declared in the same file
 * (`static let refreshID = "com.example.refresh"`, `static NSString *const kRefreshID = @"…"`).
 * Anything else is either built at run time (interpolation, `UUID().uuidString`) or unknown; rules
 * skip both rather than guess.
 */
import type { Expr, LiteralExpr, SyntaxNode, VarDecl } from './ir';
import { descendants, memberPath, rootOf } from './query';

export type StringValue =
  | { kind: 'static'; value: string }
  /** Built while the app runs: an interpolated or concatenated string, a call's result. */
  | { kind: 'dynamic' }
  /** A name we cannot follow (a property, a parameter, a constant in another file). */
  | { kind: 'unknown' };

/** What string `expr` holds, following one constant in the same file (`kID`, `Self.refreshID`, `Tasks.refresh`). */
export function resolveString(expr: Expr | undefined, depth = 0): StringValue {
  if (!expr) return { kind: 'unknown' };
  if (expr.kind === 'literal' && expr.type === 'string') return expr.dynamic ? { kind: 'dynamic' } : { kind: 'static', value: expr.value ?? '' };
  if (isBuiltAtRunTime(expr)) return { kind: 'dynamic' };
  const constant = depth < 3 ? constantNamed(expr) : undefined;
  return constant?.value ? resolveString(constant.value, depth + 1) : { kind: 'unknown' };
}

const RUN_TIME_STRINGS = /^(uuidString|UUIDString|globallyUniqueString|appending|appendingFormat|stringByAppendingString|stringByAppendingFormat)$/;

/** `"a" + b`, `String(format:)`, `[NSString stringWithFormat:]`, `UUID().uuidString`, `[[NSUUID UUID] UUIDString]`. */
function isBuiltAtRunTime(expr: Expr): boolean {
  if (expr.kind === 'binary' && expr.operator === '+') return true;
  if (expr.kind === 'member') return RUN_TIME_STRINGS.test(expr.name);
  if (expr.kind !== 'call') return false;
  return RUN_TIME_STRINGS.test(expr.baseName) || expr.name.startsWith('String(format:') || expr.name.startsWith('string(withFormat:');
}

/**
 * The one constant in this file a reference names: a bare name, or `Self.`/`self.`/`Type.` and a
 * name. Several declarations of that name (or a `var`) make it unknown.
 */
function constantNamed(expr: Expr): VarDecl | undefined {
  const path = memberPath(expr);
  if (path.length === 0 || path.length > 2) return undefined;
  const name = path[path.length - 1]!;
  const candidates = [...descendants(rootOf(expr))].filter((n): n is VarDecl => n.kind === 'var' && n.name === name);
  return candidates.length === 1 && candidates[0]!.constant ? candidates[0] : undefined;
}

/** Key and value pairs of a dictionary literal, in Swift (`[k: v]`) and Objective-C (`@{k: v}`). */
export function dictionaryEntries(literal: LiteralExpr): { key: Expr; value: Expr }[] {
  const pairs: { key: Expr; value: Expr }[] = [];
  const flat: SyntaxNode[] = literal.elements.flatMap((e) => (e.kind === 'other' && e.children.length === 2 ? e.children : [e]));
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push({ key: flat[i] as Expr, value: flat[i + 1] as Expr });
  return pairs;
}
