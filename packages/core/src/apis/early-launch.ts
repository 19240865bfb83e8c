/**
 * Code that runs before the app's UI launches — where iOS may be prewarming the process, possibly
 * before the device is first unlocked — and what such code must not read. Pre-main code (`+load`,
 * `__attribute__((constructor))`, `main` before `UIApplicationMain`) runs during prewarm; `App.init`
 * and `application(_:willFinishLaunchingWithOptions:)` run that early too, and so do the functions of
 * the same file they call (one level).
 */
import type { CallExpr, Expr, FileNode, FunctionDecl, SyntaxNode } from '../syntax/ir';
import { callsIn, descendants, isSelfReceiver, memberPath, methodsNamed } from '../syntax/query';
import { resolveString } from '../syntax/constants';
import type { ProjectIndex } from '../facts/lexical-index';

export type EarlyLaunchKind = 'load' | 'constructor' | 'main' | 'app-init' | 'will-finish-launching';

export interface EarlyLaunchCode {
  kind: EarlyLaunchKind;
  /** The statements that run early (a function's body, or `main`'s statements before `UIApplicationMain`). */
  statements: SyntaxNode[];
  /** The early function that calls this code, when it is a callee (one level). */
  calledFrom?: CallExpr;
}

const UI_MAIN = 'UIApplicationMain';

/** Every piece of early-launch code in a file, callees of the same file included (one level). */
export function earlyLaunchCode(root: FileNode, fileName: string, index: ProjectIndex): EarlyLaunchCode[] {
  const found: EarlyLaunchCode[] = [];
  if (root.language === 'swift' && /(^|\/)main\.swift$/.test(fileName)) {
    const statements = beforeUIApplicationMain(root.body.filter((n) => n.kind !== 'type' && n.kind !== 'function'));
    if (statements) found.push({ kind: 'main', statements });
  }
  for (const node of descendants(root, (n) => n.kind === 'file' || n.kind === 'type')) {
    if (node.kind !== 'function') continue;
    // The kind first: reading `body` lowers it, and most functions are not early.
    const kind = earlyKind(node, root, index);
    if (!kind || !node.body) continue;
    const statements = kind === 'main' ? beforeUIApplicationMain(node.body.body) : node.body.body;
    if (statements) found.push({ kind, statements });
  }
  return [...found, ...found.flatMap((code) => calleesOf(code, root))];
}

function earlyKind(fn: FunctionDecl, root: FileNode, index: ProjectIndex): EarlyLaunchKind | undefined {
  const owner = ownerOf(fn);
  if (fn.attributes.includes('constructor') || hasConstructorAttributeBefore(fn)) return 'constructor';
  if (root.language === 'objc' && fn.name === 'load()' && fn.modifiers.includes('static') && owner) return 'load';
  if (root.language === 'objc' && fn.baseName === 'main' && !owner) return 'main';
  if (fn.name === 'application(_:willFinishLaunchingWithOptions:)') return 'will-finish-launching';
  if (fn.name === 'init()' && owner && isSwiftUIApp(fn, owner, index)) return 'app-init';
  return undefined;
}

/**
 * `__attribute__((constructor))` that the grammar reads as a node of its own just before the function
 * (it does so inside `#if`/`#ifdef`, where it attaches the attribute to the function elsewhere).
 */
function hasConstructorAttributeBefore(fn: FunctionDecl): boolean {
  const siblings = fn.parent?.kind === 'file' || fn.parent?.kind === 'block' ? fn.parent.body : fn.parent?.kind === 'other' ? fn.parent.children : [];
  const before = siblings[siblings.indexOf(fn) - 1];
  if (before?.kind !== 'other' || before.text !== 'attribute_specifier') return false;
  return [...descendants(before)].some((n) => n.kind === 'ident' && n.name === 'constructor');
}

/** The type a function is declared in (its extension's or category's name too). */
function ownerOf(fn: FunctionDecl): string | undefined {
  return fn.typeName ?? (fn.parent?.kind === 'type' ? fn.parent.name : undefined);
}

function isSwiftUIApp(fn: FunctionDecl, owner: string, index: ProjectIndex): boolean {
  const type = fn.parent?.kind === 'type' ? fn.parent : undefined;
  return (type?.inherits.includes('App') ?? false) || (index.type(owner)?.inherits.includes('App') ?? false);
}

/** The statements before the one that calls `UIApplicationMain` (inside `@autoreleasepool` too); undefined without one. */
function beforeUIApplicationMain(statements: SyntaxNode[]): SyntaxNode[] | undefined {
  const at = statements.findIndex((s) => callsIn(s, (c) => c.baseName === UI_MAIN, false).length > 0);
  if (at < 0) return undefined;
  const holder = statements[at]!;
  const inner = holder.kind === 'block' ? beforeUIApplicationMain(holder.body) ?? [] : [];
  return [...statements.slice(0, at), ...inner];
}

/** Functions of the same file (same type, or free functions) that early code calls. */
function calleesOf(code: EarlyLaunchCode, root: FileNode): EarlyLaunchCode[] {
  const owner = code.statements[0] ? enclosingTypeName(code.statements[0]) : undefined;
  const callees: EarlyLaunchCode[] = [];
  for (const statement of code.statements) {
    for (const call of callsIn(statement, (c) => isSelfReceiver(c.receiver) || c.receiver === undefined, false)) {
      for (const fn of methodsNamed(root, undefined, call.baseName)) {
        const fnOwner = ownerOf(fn);
        if (!fn.body || (fnOwner !== undefined && fnOwner !== owner)) continue;
        callees.push({ kind: code.kind, statements: fn.body.body, calledFrom: call });
      }
    }
  }
  return callees;
}

function enclosingTypeName(node: SyntaxNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.kind === 'function') return ownerOf(p);
  return undefined;
}

// ── what early code must not read ───────────────────────────────────────────────

export type ProtectedRead = 'keychain' | 'user-defaults' | 'container-file';

const DEFAULTS_READ = /^(object|string|bool|integer|double|float|array|dictionary|data|url|stringArray|value)(ForKey)?$/;
const FILE_READ = new Set([
  'Data(contentsOf:)', 'Data(contentsOf:options:)', 'String(contentsOf:)', 'String(contentsOf:encoding:)', 'String(contentsOfFile:)',
  'String(contentsOfFile:encoding:)', 'contents(atPath:)', 'data(withContentsOfFile:)', 'data(withContentsOfURL:)',
  'data(withContentsOfFile:options:error:)', 'data(withContentsOfURL:options:error:)', 'init(withContentsOfFile:)', 'init(withContentsOfURL:)',
  'string(withContentsOfFile:encoding:error:)', 'string(withContentsOfURL:encoding:error:)', 'unarchiveObject(withFile:)',
  'NSDictionary(contentsOfFile:)', 'NSDictionary(contentsOf:)', 'dictionary(withContentsOfFile:)', 'FileHandle(forReadingFrom:)',
  'FileHandle(forReadingAtPath:)', 'fileHandleForReading(atPath:)',
]);
/** A path or URL in the app's data container (documents, library, caches, app group), not its bundle. */
const CONTAINER_WORD = /^(documentDirectory|documentsDirectory|applicationSupportDirectory|cachesDirectory|libraryDirectory|NSDocumentDirectory|NSLibraryDirectory|NSApplicationSupportDirectory|NSCachesDirectory|NSHomeDirectory|NSSearchPathForDirectoriesInDomains|containerURL|containerURLForSecurityApplicationGroupIdentifier|homeDirectory|homeDirectoryForCurrentUser)$/;

/** What protected data this call reads, if any. */
export function protectedReadOf(call: CallExpr): ProtectedRead | undefined {
  if (call.baseName === 'SecItemCopyMatching') return 'keychain';
  if (DEFAULTS_READ.test(call.baseName) && (call.baseName.endsWith('ForKey') || call.args[0]?.label === 'forKey') && isUserDefaults(call.receiver, call)) {
    return 'user-defaults';
  }
  if (FILE_READ.has(call.name) && readsContainer(call.args[0]?.value, call)) return 'container-file';
  return undefined;
}

/** `UserDefaults.standard`, `UserDefaults(suiteName:)`, `[NSUserDefaults standardUserDefaults]`, or a local holding one. */
function isUserDefaults(receiver: Expr | undefined, at: SyntaxNode): boolean {
  const value = throughLocal(receiver, at);
  if (!value) return false;
  if (value.kind === 'call' && (value.name === 'UserDefaults(suiteName:)' || value.name === 'init(withSuiteName:)')) return true;
  return memberPath(value)[0] === 'UserDefaults';
}

function readsContainer(arg: Expr | undefined, at: SyntaxNode, depth = 3): boolean {
  const value = throughLocal(arg, at);
  if (!value || depth === 0) return false;
  return [value, ...descendants(value)].some((n) => {
    if (n.kind === 'ident' || n.kind === 'member') return CONTAINER_WORD.test(n.name) || (n.kind === 'ident' && n !== value && readsContainer(n, at, depth - 1));
    return n.kind === 'call' && CONTAINER_WORD.test(n.baseName);
  });
}

/** A bare name's value when it is a local `let`/`var` declared with one, earlier in the same scope. */
function throughLocal(expr: Expr | undefined, at: SyntaxNode): Expr | undefined {
  if (expr?.kind !== 'ident' || expr.implicitMember) return expr;
  for (let p = at.parent; p; p = p.parent) {
    const statements = p.kind === 'block' || p.kind === 'file' ? p.body : [];
    const decl = statements.find((s) => s.kind === 'var' && s.name === expr.name && s.startIndex < at.startIndex);
    if (decl?.kind === 'var') return decl.value ?? expr;
  }
  return expr;
}

/** `exit(_:)`, `_exit(_:)`, `abort()`: ending the process. */
export function isProcessExit(call: CallExpr): boolean {
  return (call.name === 'exit(_:)' || call.name === '_exit(_:)' || call.name === 'abort()') && call.receiver === undefined;
}

/**
 * A read of the `ActivePrewarm` environment variable: `getenv("ActivePrewarm")`,
 * `ProcessInfo.processInfo.environment["ActivePrewarm"]`, `[env objectForKey:@"ActivePrewarm"]`, or an
 * Objective-C subscript `environment[@"ActivePrewarm"]`.
 */
export function readsActivePrewarm(node: SyntaxNode): boolean {
  if (node.kind === 'call') return !ENV_WRITE.test(node.baseName) && node.args.some((a) => isActivePrewarm(a.value));
  if (node.kind !== 'other') return false;
  return node.children.some((c) => c.kind !== 'other' && isActivePrewarm(c as Expr)) && node.children.some((c) => c.kind === 'member' && c.name === 'environment');
}

/** Setting the variable (a test simulating a prewarm) is not reading it. */
const ENV_WRITE = /^(setenv|unsetenv|putenv|setValue|setObject|updateValue|removeValue|removeObject)/;

function isActivePrewarm(expr: Expr): boolean {
  const value = resolveString(expr);
  return value.kind === 'static' && value.value === 'ActivePrewarm';
}
