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
