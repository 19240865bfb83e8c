/**
 * Source normalization before parsing. Each edit replaces characters with spaces (never removes or
 * adds any, and keeps newlines), so every offset, line and column the parser reports is still right
 * for the original text. It exists because the grammars do not expand macros or handle a few newer
 * Swift forms; `pnpm parse-health` measures what it buys on real code.
 */
import type { Language } from '../syntax/ir';

/** Objective-C annotation macros that expand to attributes or nothing. Followed by `(…)` or not. */
const OBJC_ANNOTATION_MACRO = new RegExp(
  '\\b(?:' +
    [
      'NS_(?:ASSUME_NONNULL_(?:BEGIN|END)|DESIGNATED_INITIALIZER|REQUIRES_SUPER|UNAVAILABLE|REFINED_FOR_SWIFT|NOESCAPE',
      'SWIFT_\\w+|AVAILABLE\\w*|DEPRECATED\\w*|EXTENSION_UNAVAILABLE\\w*|FORMAT_\\w+|RETURNS_\\w+|HEADER_AUDIT_\\w+',
      'CLASS_AVAILABLE\\w*|CLASS_DEPRECATED\\w*|ENUM_AVAILABLE\\w*|ENUM_DEPRECATED\\w*|REQUIRES_PROPERTY_DEFINITIONS|TYPED_\\w+|STRING_ENUM|EXTENSIBLE_STRING_ENUM)',
      'API_(?:AVAILABLE|UNAVAILABLE|DEPRECATED)\\w*',
      'CF_(?:RETURNS_\\w+|SWIFT_\\w+|IMPLICIT_BRIDGING_\\w+|ASSUME_NONNULL_\\w+|CONSUMED|NOESCAPE)',
      'UIKIT_EXTERN|FOUNDATION_EXPORT|FOUNDATION_EXTERN|OBJC_EXTERN|UI_APPEARANCE_SELECTOR|IB_DESIGNABLE|IBInspectable',
      '__(?:IOS|OSX|TVOS|WATCHOS)_\\w+',
    ].join('|') +
    ')\\b',
  'g',
);

/**
 * `typedef NS_ENUM(NSInteger, Name)` → `enum Name`, so `typedef NS_ENUM(…) {…};` reads as a C enum
 * declaration (a `typedef` with no declarator after the braces would not parse).
 */
const OBJC_ENUM_MACRO = /(?:\btypedef\s+)?\b(?:NS|CF)_(?:ENUM|OPTIONS|CLOSED_ENUM|ERROR_ENUM)\s*\(([^,()]*),\s*(\w+)\s*\)/g;

/** `NS_ERROR_ENUM(Domain) {…}`, one argument: an anonymous C enum. */
const OBJC_ERROR_ENUM_MACRO = /\bNS_ERROR_ENUM\s*\(\s*\w+\s*\)/g;

/**
 * A line holding nothing but an upper-case macro, with no `;`: a project's own `MX_ASSUME_…_BEGIN`
 * or `FOO_EXTERN_C_BEGIN`. No statement or declaration looks like that, so blanking it is safe.
 */
const OBJC_BARE_MACRO_LINE = /^[ \t]*[A-Z][A-Z0-9]*_[A-Z0-9_]+[ \t]*$/gm;

/**
 * A line holding nothing but one identifier between statements (`DMPrettyLog`, `WEAKIFY_SELF`): a
 * logging or scope macro without `;`. As written it glues itself to the next statement, which then
 * fails to parse. Only blanked when the line before ends a statement or block and the line after
 * does not continue an expression.
 */
const OBJC_LONE_IDENTIFIER_LINE = /(^|[;{}][ \t]*(?:\/\/[^\n]*)?\r?\n)((?:[ \t]*\r?\n)*)([ \t]*)([A-Za-z_]\w*)([ \t]*)(?=\r?\n(?:[ \t]*(?:\/\/[^\n]*)?\r?\n)*[ \t]*(?![=.(:?*\-+\/&|<>,\]])\S)/g;
const OBJC_KEYWORDS = new Set(['else', 'do', 'return', 'break', 'continue', 'default', 'try', 'finally', 'case', 'goto', 'typedef', 'struct', 'enum', 'union', 'static', 'const', 'extern', 'inline', 'void', 'id', 'self', 'super', 'nil', 'YES', 'NO']);

/**
 * React Native's method macros: `RCT_EXPORT_METHOD(begin:(RCTResponseSenderBlock)cb) { … }` declares
 * `- (void)begin:(RCTResponseSenderBlock)cb`. Rewritten to that method header, offsets kept.
 */
const RCT_METHOD_MACRO = /\bRCT_(EXPORT_METHOD|EXPORT_BLOCKING_SYNCHRONOUS_METHOD|REMAP_METHOD)[ \t]*\(/g;

/** Swift conditional-compilation lines: the grammar mishandles them between a type's members. */
const SWIFT_DIRECTIVE_LINE = /^[ \t]*#(?:if|elseif|else|endif)\b[^\n]*/gm;
const SWIFT_NONISOLATED_UNSAFE = /\bnonisolated\s*\(\s*unsafe\s*\)/g;

export function normalizeSource(text: string, language: Language): string {
  return language === 'objc' ? normalizeObjC(text) : normalizeSwift(text);
}

function normalizeSwift(text: string): string {
  let out = text.replace(SWIFT_DIRECTIVE_LINE, blank);
  out = out.replace(SWIFT_NONISOLATED_UNSAFE, (m) => 'nonisolated' + blank(m.slice('nonisolated'.length)));
  return out;
}

function normalizeObjC(text: string): string {
  let out = text.replace(OBJC_ENUM_MACRO, (match, _type: string, name: string) => {
    const macroAt = match.search(/(?:NS|CF)_/);
    const nameAt = match.lastIndexOf(name);
    return blank(match.slice(0, macroAt)) + 'enum' + blank(match.slice(macroAt + 4, nameAt)) + name + blank(match.slice(nameAt + name.length));
  });
  out = out.replace(OBJC_ERROR_ENUM_MACRO, (match) => 'enum' + blank(match.slice(4)));
  out = out.replace(OBJC_BARE_MACRO_LINE, blank);
  out = out.replace(OBJC_LONE_IDENTIFIER_LINE, (match, before: string, blanks: string, indent: string, name: string, trailing: string) =>
    OBJC_KEYWORDS.has(name) ? match : before + blanks + indent + blank(name) + trailing);
  out = rewriteReactNativeMethods(out);
  out = blankAnnotationMacros(out);
  return out;
}

function blankAnnotationMacros(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(OBJC_ANNOTATION_MACRO)) {
    const start = match.index ?? 0;
    if (start < last) continue;
    let end = start + match[0].length;
    const open = skipSpaces(text, end);
    if (text[open] === '(') end = matchingParen(text, open) ?? end;
    parts.push(text.slice(last, start), blank(text.slice(start, end)));
    last = end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

function rewriteReactNativeMethods(text: string): string {
  if (!text.includes('RCT_')) return text;
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(RCT_METHOD_MACRO)) {
    const start = match.index ?? 0;
    const open = start + match[0].length - 1;
    const close = matchingParen(text, open);
    if (start < last || close === undefined) continue;
    // `RCT_REMAP_METHOD(jsName, selector…)`: the selector follows the first comma.
    const selectorAt = match[1] === 'REMAP_METHOD' ? text.indexOf(',', open) + 1 : open + 1;
    if (selectorAt <= 0 || selectorAt >= close) continue;
    const header = match[1] === 'EXPORT_BLOCKING_SYNCHRONOUS_METHOD' ? '- (id)' : '- (void)';
    const prefix = text.slice(start, selectorAt);
    if (prefix.length < header.length) continue;
    parts.push(text.slice(last, start), header + blank(prefix.slice(header.length)), text.slice(selectorAt, close - 1), ' ');
    last = close;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

function skipSpaces(text: string, at: number): number {
  while (text[at] === ' ' || text[at] === '\t') at++;
  return at;
}

/** Index just past the `)` that closes the `(` at `open`, or undefined when it is not closed. */
function matchingParen(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
    else if (ch === '\n' && depth > 0 && text[i + 1] === '\n') return undefined;
  }
  return undefined;
}

/** Spaces in place of every character but line breaks. */
export function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}
