/**
 * Meaning-preserving rewrites of Swift and Objective-C source (issue 13, item 4), in the spirit of
 * SwiftLint's generated example variants: each returns the rewritten text, or undefined where it
 * does not apply (only applied rewrites are counted). They work on text that may carry `↓` markers,
 * which move with the code they stand in.
 */
import type { Language } from '@bglint/core';

export type RewriteKind =
  | 'rename-locals'
  | 'named-closure'
  | 'if-os'
  | 'move-to-extension'
  | 'comments-and-blank-lines'
  | 'trailing-closure'
  | 'objc-block-variable';

export interface Rewrite {
  kind: RewriteKind;
  apply(code: string, language: Language): string | undefined;
}

const MARK = '↓';
/** A suffix renamed locals get, so a finding's text can be compared with the original's. */
export const RENAMED = 'Renamed';

/** Index of the brace closing the one at `open` (strings and comments are rare in examples; skipped). */
function closing(code: string, open: number, openCh = '{', closeCh = '}'): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const ch = code[i];
    if (ch === '"') { i = code.indexOf('"', i + 1); if (i < 0) return -1; continue; }
    if (ch === openCh) depth++;
    else if (ch === closeCh && --depth === 0) return i;
  }
  return -1;
}

function lineStart(code: string, at: number): number {
  return code.lastIndexOf('\n', at - 1) + 1;
}

function indentAt(code: string, at: number): string {
  return /^[ \t]*/.exec(code.slice(lineStart(code, at)))![0];
}

const SWIFT_KEYWORDS = new Set(['self', 'super', 'task', 'id', 'in', 'let', 'var', 'error', 'result', 'success']);

/** `let name =` / `var name =` (Swift), `Type name =` / `__block Type name` (ObjC) locals, renamed everywhere. */
function renameLocals(code: string, language: Language): string | undefined {
  const plain = code.split(MARK).join('');
  const declared = language === 'swift'
    ? [...plain.matchAll(/\b(?:let|var)\s+([a-z]\w*)\s*(?::[^=\n]*)?=/g)].map((m) => m[1]!)
    : [...plain.matchAll(/(?:__block\s+)?\b(?:UIBackgroundTaskIdentifier|NSUInteger|NSInteger|BOOL)\s+([a-z]\w*)\s*[=;]/g)].map((m) => m[1]!);
  const names = [...new Set(declared)].filter((name) =>
    !SWIFT_KEYWORDS.has(name) &&
    !new RegExp(`(\\.|->|_|@)\\s*${name}\\b|\\b${name}\\s*:(?!:)|"[^"\\n]*\\b${name}\\b`).test(plain) &&
    !/property/.test(plain.slice(0, 0)));
  if (names.length === 0) return undefined;
  let out = code;
  for (const name of names) out = out.replace(new RegExp(`(?<![\\w.$])${name}(?!\\w)`, 'g'), `${name}${RENAMED}`);
  return out === code ? undefined : out;
}

/** The whole example under `#if os(iOS)` / `#if TARGET_OS_IOS`. */
function ifOs(code: string, language: Language): string {
  return language === 'swift' ? `#if os(iOS)\n${code}\n#endif` : `#if TARGET_OS_IOS\n${code}\n#endif`;
}

/** A comment line and a blank line after every line that opens a block. */
function commentsAndBlankLines(code: string, language: Language): string | undefined {
  const lines = code.split('\n');
  if (!lines.some((l) => /\{\s*$/.test(l))) return undefined;
  const comment = language === 'swift' ? '// the same code, annotated' : '/* the same code, annotated */';
  return lines.flatMap((l) => (/\{\s*$/.test(l) && !l.includes(MARK) ? [l, '', `${indentAt(l, 0)}  ${comment}`] : [l])).join('\n');
}

/**
 * The handler closure of an `expirationHandler:` / `launchHandler:` argument (labeled or trailing)
 * moved into a named local declared just before the statement, and the name passed instead. Only
 * where the statement does not declare a name the closure captures (moving it up would not compile).
 */
function namedClosure(code: string, language: Language): string | undefined {
  if (language !== 'swift') return undefined;
  const handler = /(expirationHandler|launchHandler):\s*\{|(beginBackgroundTask(?:\(withName:[^()]*\))?|register\(forTaskWithIdentifier:[^()]*?using:[^()]*?\))\s*\{/g;
  for (const m of code.matchAll(handler)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = closing(code, open);
    if (close < 0) continue;
    const start = lineStart(code, m.index ?? 0);
    const statementHead = code.slice(start, m.index);
    const declared = /\b(?:let|var)\s+(\w+)/.exec(statementHead)?.[1];
    const closure = code.slice(open, close + 1);
    if (declared && new RegExp(`\\b${declared}\\b`).test(closure)) continue;
    if (statementHead.includes('{')) continue; // a one-line function or closure: no statement to put the local before
    const name = m[1] === 'launchHandler' || m[2]?.startsWith('register') ? 'launchHandlerNamed' : 'expirationHandlerNamed';
    const indent = indentAt(code, m.index ?? 0);
    const params = /^\{\s*(?:\[[^\]]*\]\s*)?(?:(@\w+\s+)?(\w+)\s+in\b)?/.exec(closure);
    const typed = name === 'launchHandlerNamed' ? (params?.[2] ? '' : undefined) : ': () -> Void';
    if (typed === undefined) continue;
    const declaration = `${indent}let ${name}${typed} = ${closure.split('\n').join('\n')}\n`;
    let call: string;
    if (m[1]) call = code.slice(m.index, open).replace(/\{$/, '') + name;
    else call = m[2]!.endsWith(')') ? `${m[2]!.slice(0, -1)}, ${m[2]!.startsWith('register') ? 'launchHandler' : 'expirationHandler'}: ${name})` : `${m[2]}(expirationHandler: ${name})`;
    return code.slice(0, start) + declaration + code.slice(start, m.index) + call + code.slice(close + 1);
  }
  return undefined;
}

/** ObjC: an inline block argument (`…Handler:^{ … }`, `dispatch_async(q, ^{ … })`) moved into a block variable. */
function objcBlockVariable(code: string, language: Language): string | undefined {
  if (language !== 'objc') return undefined;
  for (const m of code.matchAll(/(ExpirationHandler:|launchHandler:|dispatch_async\([^,()]*(?:\([^()]*\))?,)\s*\^(\s*\([^)]*\))?\s*\{/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = closing(code, open);
    if (close < 0) continue;
    const start = lineStart(code, m.index ?? 0);
    const head = code.slice(start, m.index);
    const declared = /(?:__block\s+)?\w+\s*\*?\s*(\w+)\s*=\s*\[/.exec(head)?.[1];
    if (declared && new RegExp(`\\b${declared}\\b`).test(code.slice(open, close))) continue;
    if (head.includes('{')) continue;
    const params = m[2]?.trim() ?? '(void)';
    const paramTypes = params === '(void)' ? '(void)' : `(${params.slice(1, -1).split(',').map((p) => p.trim().replace(/\s*\b\w+$/, '')).join(', ')})`;
    const indent = indentAt(code, m.index ?? 0);
    const declaration = `${indent}void (^blockNamed)${paramTypes} = ^${m[2] ?? ''}${code.slice(open, close + 1)};\n`;
    return code.slice(0, start) + declaration + code.slice(start, m.index) + `${m[1]} blockNamed` + code.slice(close + 1);
  }
  return undefined;
}

/** Swift: the last labeled closure argument becomes a trailing closure (`f(a: 1, handler: { … })` → `f(a: 1) { … }`). */
function trailingClosure(code: string, language: Language): string | undefined {
  if (language !== 'swift') return undefined;
  for (const m of code.matchAll(/(\(|,\s*)(\w+):\s*\{/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = closing(code, open);
    if (close < 0 || code[close + 1] !== ')') continue;
    if (code.slice(0, m.index).trimEnd().endsWith('?')) continue;
    const before = m[1] === '(' ? '' : ')';
    const head = code.slice(0, m.index) + (m[1] === '(' ? ' ' : `${before} `);
    return head + code.slice(open, close + 1) + code.slice(close + 2);
  }
  return undefined;
}

/**
 * Swift: the last method of the first type moved into an extension after it; ObjC: the last
 * method of the first `@implementation` moved into a category implementation after it.
 */
function moveToExtension(code: string, language: Language): string | undefined {
  if (language === 'swift') {
    const type = /^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:final|public|private)\s+)*(class|struct|actor)\s+(\w+)[^{\n]*\{/m.exec(code);
    if (!type) return undefined;
    const open = (type.index ?? 0) + type[0].length - 1;
    const close = closing(code, open);
    const body = code.slice(open + 1, close);
    const funcs = [...body.matchAll(/^([ \t]*)(?:(?:private|fileprivate|public|@objc|override|@MainActor)\s+)*func\s/gm)];
    const last = funcs[funcs.length - 1];
    if (close < 0 || funcs.length < 2 || !last) return undefined;
    const fStart = open + 1 + (last.index ?? 0);
    const fOpen = code.indexOf('{', fStart);
    const fClose = closing(code, fOpen);
    if (fClose < 0 || fClose > close || /private\s+(var|let)/.test(code.slice(fStart, fClose)) || /^\s*private/.test(code.slice(fStart))) return undefined;
    const method = code.slice(fStart, fClose + 1);
    const rest = code.slice(0, fStart) + code.slice(fClose + 1, close + 1);
    return `${rest}\nextension ${type[2]} {\n${method}\n}${code.slice(close + 1)}`;
  }
  const impl = /@implementation\s+(\w+)\s*\n/.exec(code);
  if (!impl) return undefined;
  const end = code.indexOf('@end', impl.index);
  const methods = [...code.slice(impl.index, end).matchAll(/^[-+]\s*\(/gm)];
  if (methods.length < 2) return undefined;
  const mStart = impl.index + (methods[methods.length - 1]!.index ?? 0);
  const method = code.slice(mStart, end);
  return `${code.slice(0, mStart)}@end\n\n@implementation ${impl[1]} (Moved)\n${method}${code.slice(end)}`;
}

/** The trailing-closure label of the APIs the rules check, for turning a trailing closure back into a labeled one. */
const TRAILING_LABELS: [RegExp, string][] = [
  [/\bbeginBackgroundTask(\(withName:[^()]*\))?\s*\{$/, 'expirationHandler'],
  [/\bregister\(forTaskWithIdentifier:[^()]*?using:[^()]*?\)\s*\{$/, 'launchHandler'],
  [/\.async\s*\{$/, 'execute'],
  [/\.asyncAfter\(deadline:[^{}]*?\)\s*\{$/, 'execute'],
];

/** Swift: a trailing closure of a known API becomes a labeled argument (`f(a: 1) { … }` → `f(a: 1, label: { … })`). */
function labeledClosure(code: string, language: Language): string | undefined {
  if (language !== 'swift') return undefined;
  for (let open = code.indexOf('{'); open >= 0; open = code.indexOf('{', open + 1)) {
    const head = code.slice(Math.max(0, open - 160), open + 1);
    const known = TRAILING_LABELS.find(([pattern]) => pattern.test(head));
    if (!known) continue;
    const close = closing(code, open);
    if (close < 0) continue;
    let before = code.slice(0, open).trimEnd();
    before = before.endsWith(')') ? `${before.slice(0, -1)}${before.endsWith('()') ? '' : ', '}${known[1]}: ` : `${before}(${known[1]}: `;
    return `${before}${code.slice(open, close + 1)})${code.slice(close + 1)}`;
  }
  return undefined;
}

export const REWRITES: Rewrite[] = [
  { kind: 'rename-locals', apply: renameLocals },
  { kind: 'named-closure', apply: namedClosure },
  { kind: 'if-os', apply: ifOs },
  { kind: 'move-to-extension', apply: moveToExtension },
  { kind: 'comments-and-blank-lines', apply: commentsAndBlankLines },
  { kind: 'trailing-closure', apply: (code, language) => trailingClosure(code, language) ?? labeledClosure(code, language) },
  { kind: 'objc-block-variable', apply: objcBlockVariable },
];
