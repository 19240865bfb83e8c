/** Brace matching over code whose comments and strings are blanked (`stripCommentsAndStrings`), shared by the lexical passes. */

/** Index of the `}` closing the `{` at `open` (or the end of text). */
export function matchingBrace(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch === 123) depth++;
    else if (ch === 125 && --depth === 0) return i;
  }
  return code.length;
}
