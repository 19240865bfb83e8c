/**
 * Code that takes a call's "nothing" for "there is none yet" and makes a new one: the call returns nil
 * (or an empty string), and the code then generates a new value (a UUID, random bytes, a new key) and
 * stores it. Found lexically (comments and strings blanked), for the keychain rule: a keychain read that
 * returns nil for every failure, read through such a call, replaces a device id or a key whenever the
 * keychain is locked.
 *
 *   if let id = store.deviceID() { return id }          guard let key = readKey() else {
 *   let id = UUID().uuidString; store.save(id)             let key = generateKey(); saveKey(key) … }
 *
 *   NSString *secret = [storage secretForDevice:d];     token = keychain.token() ?? makeAndStoreToken()
 *   if (secret == nil) { [self generateAndPersist…]; }
 */
import { matchingBrace } from './braces';

/** One such call: its receiver as written (`''` for the code's own type), the receiver's declared type when it is a parameter, and what the fallback does. */
export interface NilFallback {
  via: string;
  viaType?: string;
  method: string;
  /** The generating call or expression (`UUID()`, `generateAndPersistPairOfDeviceIdAndSecret`), for messages. */
  action: string;
}

/** New values: UUIDs, random bytes and keys, and calls named for generating one. */
const GENERATES = /\b(?:NS)?UUID\s*\(\s*\)|\bNSUUID\s+UUID\b|\bCFUUIDCreate\b|\bSecRandomCopyBytes\b|\bSecKeyCreateRandomKey\b|\barc4random\w*|\bSymmetricKey\s*\(\s*size\b|\bPrivateKey\s*\(\s*\)|\b(?:re)?[gG]enerate\w*/;
/** Storing something: `save(…)`, `store.set(…)`, `[self persist…]`, a name saying it persists (`generateAndPersist…`), `SecItemAdd`. */
const STORES = /\b(?:set|save|store|persist|write|add|update|insert|put)(?:[A-Z]\w*)?\s*[(:\]]|\b[a-z]\w*(?:Save|Store|Persist|Write)\w*\s*[(:\]]|\bSecItem(?:Add|Update)\b/;
/** Quick test before any pattern runs: most code generates nothing. */
const MAY_GENERATE = /UUID|enerate|Random|random|PrivateKey|SymmetricKey/;

const CHAIN = String.raw`((?:[A-Za-z_]\w*\s*[?!]?\s*\.\s*)*)`;
/** `if let x = recv.m(`, `guard var x: T = try? await m(`. */
const BOUND = new RegExp(String.raw`\b(if|guard)\s+(?:let|var)\s+\w+\s*(?::[^=\n{]+)?=\s*(?:try\s*[?!]?\s*)?(?:await\s+)?${CHAIN}([a-z_]\w*)\s*\(`, 'g');
/** `recv.m(…) ??` */
const COALESCED = new RegExp(String.raw`${CHAIN}([a-z_]\w*)\s*\((?:[^()]|\([^()]*\))*\)\s*\?\?`, 'g');
/** `x = …` up to the end of the statement (a Swift line or an ObjC `;`). */
const ASSIGNED = /\b([A-Za-z_]\w*)\s*=(?!=)\s*([^;\n]*)/g;
const SWIFT_CALL = new RegExp(String.raw`^\s*(?:try\s*[?!]?\s*)?(?:await\s+)?${CHAIN}([a-z_]\w*)\s*\(`);
const OBJC_CALL = /\[\s*([A-Za-z_][\w.]*)\s+([a-z_]\w*)\b/;

/** The calls whose nil result leads to generating and storing a new value, in one method's code. */
export function nilFallbacksIn(text: string, paramTypes: () => { name: string; type: string }[]): NilFallback[] {
  if (!MAY_GENERATE.test(text)) return [];
  const found: NilFallback[] = [];
  const add = (chain: string, method: string, fallback: string | undefined) => {
    if (!fallback || !STORES.test(fallback)) return;
    const generated = GENERATES.exec(fallback);
    if (!generated) return;
    const via = receiverName(chain);
    const viaType = via ? paramTypes().find((p) => p.name === via)?.type : undefined;
    if (!found.some((f) => f.via === via && f.method === method)) found.push({ via, ...(viaType ? { viaType } : {}), method, action: generated[0].replace(/\s+/g, ' ') });
  };
  for (const m of text.matchAll(BOUND)) {
    const at = (m.index ?? 0) + m[0].length - 1;
    add(m[2] ?? '', m[3]!, m[1] === 'guard' ? guardElse(text, at) : ifLetFallback(text, at));
  }
  for (const m of text.matchAll(COALESCED)) {
    const end = (m.index ?? 0) + m[0].length;
    const line = text.indexOf('\n', end);
    add(m[1] ?? '', m[2]!, text.slice(end, line < 0 ? text.length : line));
  }
  for (const m of text.matchAll(ASSIGNED)) {
    const rhs = m[2]!;
    const swift = SWIFT_CALL.exec(rhs);
    const objc = swift ? undefined : OBJC_CALL.exec(rhs);
    const [chain, method] = swift ? [swift[1] ?? '', swift[2]!] : objc ? [`${objc[1]}.`, objc[2]!] : [];
    if (method === undefined || /^(init|alloc|new)$/.test(method)) continue;
    add(chain!, method, nilTestFallback(text, m[1]!, (m.index ?? 0) + m[0].length));
  }
  return found;
}

/** The receiver's last name (`self.keychain.` → `keychain`, `KeychainHelper.` → `KeychainHelper`), `''` for the code's own type. */
function receiverName(chain: string): string {
  const names = chain.split('.').map((s) => s.replace(/[?!\s]/g, '')).filter(Boolean);
  const last = names[names.length - 1] ?? '';
  return last === 'self' || last === 'Self' ? '' : last;
}

/** After `if let x = m(…) … {`: its `else` block, or — when the body returns — the code after it. */
function ifLetFallback(text: string, from: number): string | undefined {
  const open = bodyOpen(text, from);
  if (open < 0) return undefined;
  const close = matchingBrace(text, open);
  const after = text.slice(close + 1).replace(/^\s+/, '');
  if (after.startsWith('else')) {
    const elseOpen = text.indexOf('{', close);
    return elseOpen < 0 ? undefined : text.slice(elseOpen, matchingBrace(text, elseOpen) + 1);
  }
  return /\b(return|throw)\b/.test(text.slice(open, close)) ? text.slice(close + 1, close + 1500) : undefined;
}

/** After `guard let x = m(…) …`: its `else { … }` block. */
function guardElse(text: string, from: number): string | undefined {
  const open = bodyOpen(text, from);
  if (open < 0 || !/\belse\s*$/.test(text.slice(Math.max(0, open - 12), open))) return undefined;
  return text.slice(open, matchingBrace(text, open) + 1);
}

/** The branch of a later `if` that tests `name` for nothing (`x == nil`, `!x`, `[x length] == 0`, `x.isEmpty`). */
function nilTestFallback(text: string, name: string, from: number): string | undefined {
  const m = nilTestNear(text, nilTestOf(name), from);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const open = bodyOpen(text, start);
  const semicolon = text.indexOf(';', start);
  if (open >= 0 && (semicolon < 0 || open < semicolon || text.slice(start, open).includes(')'))) return text.slice(open, matchingBrace(text, open) + 1);
  return semicolon < 0 ? undefined : text.slice(start, semicolon + 1);
}

/**
 * The first test (`test`, sticky) that starts within 1,500 characters after `from`. Every test starts with
 * `if`, so it is tried at each `if` there only: searching on would scan the rest of the method per assignment.
 */
function nilTestNear(text: string, test: RegExp, from: number): RegExpExecArray | undefined {
  for (let at = text.indexOf('if', from); at >= 0 && at - from <= 1500; at = text.indexOf('if', at + 1)) {
    test.lastIndex = at;
    const m = test.exec(text);
    if (m) return m;
  }
  return undefined;
}

// Compiled once per name: the same names (`token`, `deviceID`) come back in file after file. Bounded, since
// a long-lived process (the language server) would otherwise keep one per name it ever met.
const nilTests = new Map<string, RegExp>();
const NIL_TESTS_KEPT = 256;

/** `if x == nil`, `if (!x)`, `if x.isEmpty`, …: a test that `name` holds nothing. */
function nilTestOf(name: string): RegExp {
  let test = nilTests.get(name);
  if (!test) {
    test = new RegExp(String.raw`\bif\s*\(?[^{;]*?(?:\b${name}\s*==\s*nil\b|\bnil\s*==\s*${name}\b|!\s*${name}\b(?!\s*[=.\[])|\[\s*${name}\s+length\s*\]\s*==\s*0|\b${name}\s*[?!]?\s*\.\s*isEmpty\b|\b${name}\s*==\s*"")`, 'y');
    if (nilTests.size >= NIL_TESTS_KEPT) nilTests.clear();
    nilTests.set(name, test);
  }
  return test;
}

/** The `{` that opens the body after a condition starting at `from` (parentheses skipped), or -1. */
function bodyOpen(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length && i < from + 2000; i++) {
    const ch = text[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === '{' && depth <= 0) return i;
    else if ((ch === ';' || ch === '}') && depth <= 0) return -1;
  }
  return -1;
}

const SWIFT_PARAM = /^\s*(?:\w+\s+)?(\w+)\s*:\s*(?:inout\s+|any\s+|some\s+|@\w+\s+)*([A-Z]\w*)/;

/** `func f(_ storage: DeviceStorage, …)` → storage: DeviceStorage (top-level parameters of a header). */
export function swiftParamTypes(parameters: string[]): { name: string; type: string }[] {
  return parameters.flatMap((p) => {
    const m = SWIFT_PARAM.exec(p);
    return m ? [{ name: m[1]!, type: m[2]! }] : [];
  });
}

/** `- (id)deviceWithStorage:(id<ARTDeviceStorage>)storage logger:(Logger *)logger {` → storage: ARTDeviceStorage, logger: Logger. */
export function objcParamTypes(header: string): { name: string; type: string }[] {
  return [...header.matchAll(/:\s*\(\s*(?:(?:nullable|nonnull|_Nullable|_Nonnull|const|__\w+)\s+)*(?:id\s*<\s*(\w+)\s*>|([A-Z]\w*)\s*(?:<[^>]*>)?\s*\*)[^)]*\)\s*(\w+)/g)]
    .map((m) => ({ name: m[3]!, type: (m[1] ?? m[2])! }));
}
