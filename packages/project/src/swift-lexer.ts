/** Just enough of Swift's lexical grammar to read a Package.swift: comments and strings are skipped. */

export type SwiftToken =
  | { kind: 'ident'; text: string; start: number }
  | { kind: 'string'; text: string; start: number }
  | { kind: 'number'; text: string; start: number }
  | { kind: 'punct'; text: string; start: number };

export function tokenizeSwift(text: string): SwiftToken[] {
  const tokens: SwiftToken[] = [];
  let pos = 0;
  while (pos < text.length) {
    const c = text[pos];
    if (/\s/.test(c)) pos++;
    else if (text.startsWith('//', pos)) pos = lineEnd(text, pos);
    else if (text.startsWith('/*', pos)) pos = blockCommentEnd(text, pos);
    else if (c === '"' || (c === '#' && /^#+"/.test(text.slice(pos, pos + 8)))) {
      const end = stringEnd(text, pos);
      tokens.push({ kind: 'string', text: stringContent(text.slice(pos, end)), start: pos });
      pos = end;
    } else {
      const word = /^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`\n]*`)/.exec(text.slice(pos, pos + 256));
      const number = word ? null : /^\d[\d_.]*/.exec(text.slice(pos, pos + 64));
      if (word) tokens.push({ kind: 'ident', text: word[0].replace(/`/g, ''), start: pos });
      else if (number) tokens.push({ kind: 'number', text: number[0], start: pos });
      else tokens.push({ kind: 'punct', text: c, start: pos });
      pos += word ? word[0].length : number ? number[0].length : 1;
    }
  }
  return tokens;
}

function lineEnd(text: string, pos: number): number {
  const end = text.indexOf('\n', pos);
  return end < 0 ? text.length : end;
}

/** Swift block comments nest. */
function blockCommentEnd(text: string, pos: number): number {
  let depth = 0;
  let i = pos;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** End offset of a string literal starting at `pos` ("…", """…""", #"…"#). Interpolations are skipped. */
function stringEnd(text: string, pos: number): number {
  const hashes = /^#*/.exec(text.slice(pos, pos + 8))?.[0] ?? '';
  const open = text.startsWith('"""', pos + hashes.length) ? '"""' : '"';
  const close = open + hashes;
  let i = pos + hashes.length + open.length;
  while (i < text.length) {
    if (text.startsWith(close, i)) return i + close.length;
    if (text[i] === '\\' && hashes === '') i += 2;
    else if (open === '"' && text[i] === '\n') return i;
    else i++;
  }
  return text.length;
}

function stringContent(literal: string): string {
  const body = literal.replace(/^#*"(?:"")?/, '').replace(/(?:"")?"#*$/, '');
  return body.replace(/\\(["\\])/g, '$1');
}
