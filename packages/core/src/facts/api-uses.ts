/**
 * Project-wide uses of a few APIs that decide whether code elsewhere is at risk, found lexically while
 * the index reads every file: a rule linting an `NSXPCListenerDelegate` must know whether any file
 * makes a Mach-service listener (anyone on the system can connect to it) and whether one sets a
 * requirement for every connection on the listener itself.
 */

/** Each use, the pattern that finds it in code with comments and strings blanked, and the words a file needs to have it. */
export const INDEXED_API_USES = {
  /** `NSXPCListener(machServiceName:)`, `NSXPCListener.init(machServiceName:)`, `[[NSXPCListener alloc] initWithMachServiceName:…]`. */
  'xpc-mach-service-listener': /\bNSXPCListener\s*(?:\.\s*init\s*)?\(\s*machServiceName\s*:|\bNSXPCListener\s+alloc\s*\]\s*initWithMachServiceName\s*:/,
  /** `listener.setConnectionCodeSigningRequirement(…)` (macOS 13): every connection the listener accepts is checked. */
  'xpc-listener-requirement': /\bsetConnectionCodeSigningRequirement\b/,
} as const;

export type IndexedApiUse = keyof typeof INDEXED_API_USES;

/** Words that make a file worth indexing for these uses (a single-file run indexes such files too). */
export const API_USE_WORDS = ['MachServiceName', 'machServiceName', 'setConnectionCodeSigningRequirement'];

/** The uses in one file's code (comments and strings blanked). */
export function apiUsesIn(code: string): IndexedApiUse[] {
  // Each pattern holds one of the words: a word search first spares most files the patterns' scans.
  if (!API_USE_WORDS.some((word) => code.includes(word))) return [];
  return (Object.keys(INDEXED_API_USES) as IndexedApiUse[]).filter((use) => INDEXED_API_USES[use].test(code));
}
