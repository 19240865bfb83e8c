/**
 * The syntax view: one small tree that Swift and Objective-C are both lowered into, so a rule reads
 * `beginBackgroundTask(withName:expirationHandler:)` the same whichever language the file is in.
 * Rules see only these nodes, never tree-sitter's.
 */
import type { Range } from '../types';

export type Language = 'swift' | 'objc';

export interface Span {
  range: Range;
  /** UTF-16 offsets into the (normalized) source text. */
  startIndex: number;
  endIndex: number;
}

interface Base extends Span {
  /** Set by the lowering; the root (`file`) has none. */
  parent?: SyntaxNode;
}

// ── declarations ──────────────────────────────────────────────────────────────

export interface FileNode extends Base {
  kind: 'file';
  language: Language;
  body: SyntaxNode[];
}

export type TypeKind = 'class' | 'struct' | 'enum' | 'actor' | 'extension' | 'protocol' | 'category';

export interface TypeDecl extends Base {
  kind: 'type';
  typeKind: TypeKind;
  name: string;
  /** Superclass first when known, then protocols, as written. */
  inherits: string[];
  /** Attribute names without `@`: `MainActor`, `main`, `objc`. */
  attributes: string[];
  modifiers: string[];
  members: SyntaxNode[];
}

export interface FunctionDecl extends Base {
  kind: 'function';
  /** Swift-style full name: `application(_:didFinishLaunchingWithOptions:)`, `init()`, `finish()`. */
  name: string;
  /** The first part of the name: `application`, `init`, `finish`. */
  baseName: string;
  params: string[];
  attributes: string[];
  /** `nonisolated`, `static`, `class`, `override`, `async`, `+` (ObjC class method)… */
  modifiers: string[];
  isAsync: boolean;
  body?: Block;
  /** A declaration nested in a type has its type here (extensions and categories use the extended name). */
  typeName?: string;
  nameSpan: Span;
}

export interface VarDecl extends Base {
  kind: 'var';
  name: string;
  /** A stored or computed property of a type (not a local). */
  isProperty: boolean;
  attributes: string[];
  modifiers: string[];
  typeName?: string;
  value?: Expr;
  /** Declared with Swift's `let` or ObjC's `const`: the value never changes after it is set. */
  constant: boolean;
  /** Getter body of a computed property. */
  getter?: Block;
}

// ── statements ────────────────────────────────────────────────────────────────

export interface Block extends Base {
  kind: 'block';
  body: SyntaxNode[];
}

export interface IfStmt extends Base {
  kind: 'if';
  conditions: Expr[];
  then: Block;
  else?: Block | IfStmt;
}

export interface GuardStmt extends Base {
  kind: 'guard';
  conditions: Expr[];
  else: Block;
}

export interface SwitchStmt extends Base {
  kind: 'switch';
  subject?: Expr;
  cases: Block[];
  hasDefault: boolean;
}

export interface LoopStmt extends Base {
  kind: 'loop';
  conditions: Expr[];
  body: Block;
}

export interface JumpStmt extends Base {
  kind: 'jump';
  jump: 'return' | 'throw' | 'break' | 'continue' | 'goto';
  value?: Expr;
}

export interface DeferStmt extends Base {
  kind: 'defer';
  body: Block;
}

/** Swift `do { } catch { }`, ObjC `@try { } @catch { } @finally { }`. */
export interface TryStmt extends Base {
  kind: 'try';
  body: Block;
  catches: Block[];
  finally?: Block;
}

// ── expressions ───────────────────────────────────────────────────────────────

export interface Argument {
  /** Swift label (`withName`), `_` for an unlabeled one; ObjC arguments get the labels of the Swift name. */
  label: string;
  value: Expr;
  /** A trailing closure (Swift) — its label is only known by position in the callee's signature. */
  trailing: boolean;
}

export interface CallExpr extends Base {
  kind: 'call';
  /** `beginBackgroundTask(withName:expirationHandler:)`; for ObjC the selector mapped to Swift's name. */
  name: string;
  baseName: string;
  receiver?: Expr;
  args: Argument[];
  /** The ObjC selector as written (`beginBackgroundTaskWithName:expirationHandler:`), when ObjC. */
  selector?: string;
  nameSpan: Span;
  /** Swift `await f()`: the caller may be suspended here (code after it runs later). */
  awaited?: boolean;
}

export interface ClosureExpr extends Base {
  kind: 'closure';
  params: string[];
  attributes: string[];
  /** Capture list entries as written (`weak self`). */
  captures: string[];
  body: Block;
}

export interface AssignExpr extends Base {
  kind: 'assign';
  operator: string;
  target: Expr;
  value: Expr;
}

export interface MemberExpr extends Base {
  kind: 'member';
  object: Expr;
  name: string;
}

export interface IdentExpr extends Base {
  kind: 'ident';
  name: string;
  /** Swift's `.gpu`, `.main`: a member of a type the compiler infers. */
  implicitMember: boolean;
}

export interface SelfExpr extends Base {
  kind: 'self';
  super: boolean;
}

export interface LiteralExpr extends Base {
  kind: 'literal';
  type: 'string' | 'bool' | 'nil' | 'number' | 'array' | 'dictionary';
  /** The string's contents (no interpolation), `true`/`false`, or the number's text. */
  value?: string;
  /** A string with interpolation or concatenation is dynamic: its value is not known statically. */
  dynamic?: boolean;
  elements: Expr[];
}

export interface BinaryExpr extends Base {
  kind: 'binary';
  operator: string;
  left: Expr;
  right: Expr;
}

export interface UnaryExpr extends Base {
  kind: 'unary';
  operator: string;
  operand: Expr;
}

export interface TernaryExpr extends Base {
  kind: 'ternary';
  condition: Expr;
  whenTrue: Expr;
  whenFalse: Expr;
}

/** `if let x = y`, `case let`, `as?`-binding conditions: binds `name` to `value`. */
export interface BindingExpr extends Base {
  kind: 'binding';
  name: string;
  value?: Expr;
}

/** `x as? T`, `(T *)x`: kept so rules can see through casts. */
export interface CastExpr extends Base {
  kind: 'cast';
  operand: Expr;
  typeName: string;
  conditional: boolean;
}

/** Anything the view does not model; its children are still visited. */
export interface OtherExpr extends Base {
  kind: 'other';
  text: string;
  children: SyntaxNode[];
}

export type Expr =
  | CallExpr
  | ClosureExpr
  | AssignExpr
  | MemberExpr
  | IdentExpr
  | SelfExpr
  | LiteralExpr
  | BinaryExpr
  | UnaryExpr
  | TernaryExpr
  | BindingExpr
  | CastExpr
  | OtherExpr;

export type Statement = Block | IfStmt | GuardStmt | SwitchStmt | LoopStmt | JumpStmt | DeferStmt | TryStmt;

export type Declaration = TypeDecl | FunctionDecl | VarDecl;

export type SyntaxNode = FileNode | Declaration | Statement | Expr;

export type SyntaxKind = SyntaxNode['kind'];

export type NodeOfKind<K extends SyntaxKind> = Extract<SyntaxNode, { kind: K }>;

/** A body that code runs in: where path analysis starts and `return` ends. */
export type CodeBody = FunctionDecl | ClosureExpr;
