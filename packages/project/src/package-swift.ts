import { decodeText } from './text';
import type { DefaultIsolation, Platform, SwiftLanguageMode } from './settings';
import { tokenizeSwift, type SwiftToken } from './swift-lexer';

export type PackageTargetKind = 'target' | 'executableTarget' | 'testTarget' | 'macro' | 'plugin';

export interface PackageTarget {
  name: string;
  kind: PackageTargetKind;
  /** Folder of the target's sources relative to the package root: `path:` or `Sources/<name>` (`Tests/<name>`, `Plugins/<name>`). */
  path: string;
  /** `.swiftLanguageMode(.vN)` / `.swiftLanguageVersion(.vN)` written on the target. */
  swiftLanguageMode?: SwiftLanguageMode;
  /** The mode the target compiles in: its own setting, else the package's, else from the tools version. */
  effectiveSwiftLanguageMode?: SwiftLanguageMode;
  /** `.defaultIsolation(MainActor.self)` → MainActor; `.defaultIsolation(nil)` → nonisolated. */
  defaultIsolation?: DefaultIsolation;
}

export interface SwiftPackage {
  /** From the first-line `// swift-tools-version:6.0` comment. */
  toolsVersion?: string;
  /** `swiftLanguageModes:` / `swiftLanguageVersions:` of the package. */
  swiftLanguageModes: SwiftLanguageMode[];
  /** `platforms:`; empty when the package does not restrict them. */
  platforms: Platform[];
  targets: PackageTarget[];
}

const TARGET_KINDS = new Set<string>(['target', 'executableTarget', 'testTarget', 'macro', 'plugin']);
const PLATFORMS: Record<string, Platform> = {
  iOS: 'ios',
  macOS: 'macos',
  macCatalyst: 'maccatalyst',
  tvOS: 'tvos',
  watchOS: 'watchos',
  visionOS: 'visionos',
};

/** Reads a Package.swift lexically (no Swift evaluation). Never throws. */
export function parsePackageSwift(source: Buffer | string): SwiftPackage {
  const text = decodeText(source);
  const tokens = tokenizeSwift(text);
  const toolsVersion = /^\s*\/\/\s*swift-tools-version\s*:\s*([0-9]+(?:\.[0-9]+)*)/i.exec(text)?.[1];
  const swiftLanguageModes = readPackageModes(tokens);
  const shared = readTargetsLoop(tokens);
  const targets = readTargets(tokens).map((target) => ({
    ...target,
    defaultIsolation: target.defaultIsolation ?? shared.defaultIsolation,
    effectiveSwiftLanguageMode: target.swiftLanguageMode ?? shared.swiftLanguageMode ?? packageMode(swiftLanguageModes, toolsVersion),
  }));
  return { toolsVersion, swiftLanguageModes, platforms: readPlatforms(tokens), targets };
}

function packageMode(modes: SwiftLanguageMode[], toolsVersion: string | undefined): SwiftLanguageMode | undefined {
  if (modes.length > 0) return Math.max(...modes) as SwiftLanguageMode;
  if (toolsVersion === undefined) return undefined;
  return parseInt(toolsVersion, 10) >= 6 ? 6 : 5;
}

/** Index of the token closing the bracket opened at `open`, or the last token. */
function closingIndex(tokens: SwiftToken[], open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const closer = pairs[tokens[open].text];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.text === tokens[open].text) depth++;
    else if (t.text === closer && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Finds `label: [` … `]` at the package level and returns the bracket's token range. */
function labeledList(tokens: SwiftToken[], labels: string[]): [number, number] | undefined {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'ident' && labels.includes(t.text) && tokens[i + 1].text === ':' && tokens[i + 2].text === '[') {
      return [i + 2, closingIndex(tokens, i + 2)];
    }
  }
  return undefined;
}

function readPackageModes(tokens: SwiftToken[]): SwiftLanguageMode[] {
  const range = labeledList(tokens, ['swiftLanguageModes', 'swiftLanguageVersions']);
  if (!range) return [];
  const modes: SwiftLanguageMode[] = [];
  for (let i = range[0]; i < range[1]; i++) {
    const mode = modeAt(tokens, i);
    if (mode !== undefined && !modes.includes(mode)) modes.push(mode);
  }
  return modes;
}

/** `.v5`, `.v6`, `.version("6")` starting at token i. */
function modeAt(tokens: SwiftToken[], i: number): SwiftLanguageMode | undefined {
  if (tokens[i].text !== '.') return undefined;
  const next = tokens[i + 1];
  if (next?.kind !== 'ident') return undefined;
  const versioned = /^v(\d+)/.exec(next.text);
  const literal = next.text === 'version' && tokens[i + 3]?.kind === 'string' ? tokens[i + 3].text : undefined;
  const major = versioned ? Number(versioned[1]) : literal ? parseInt(literal, 10) : NaN;
  if (Number.isNaN(major)) return undefined;
  return major >= 6 ? 6 : 5;
}

function readPlatforms(tokens: SwiftToken[]): Platform[] {
  const range = labeledList(tokens, ['platforms']);
  if (!range) return [];
  const platforms: Platform[] = [];
  for (let i = range[0]; i < range[1]; i++) {
    const name = tokens[i].text === '.' ? tokens[i + 1]?.text : undefined;
    if (name && Object.hasOwn(PLATFORMS, name) && !platforms.includes(PLATFORMS[name])) platforms.push(PLATFORMS[name]);
  }
  return platforms;
}

type RawTarget = Omit<PackageTarget, 'effectiveSwiftLanguageMode'>;

/** Every `.target(…)`-like call that is not nested inside another one (dependencies are). */
function readTargets(tokens: SwiftToken[]): RawTarget[] {
  const targets: RawTarget[] = [];
  const lists = namedLists(tokens);
  for (let i = 0; i + 2 < tokens.length; i++) {
    const kind = tokens[i + 1];
    if (tokens[i].text !== '.' || kind.kind !== 'ident' || !TARGET_KINDS.has(kind.text) || tokens[i + 2].text !== '(') continue;
    const end = closingIndex(tokens, i + 2);
    const target = readTarget(tokens, kind.text as PackageTargetKind, i + 2, end, lists);
    if (target) targets.push(target);
    i = end;
  }
  return targets;
}

function readTarget(
  tokens: SwiftToken[],
  kind: PackageTargetKind,
  open: number,
  close: number,
  lists: Map<string, [number, number]>,
): RawTarget | undefined {
  const args = topLevelArguments(tokens, open, close);
  const name = args.get('name');
  if (name === undefined) return undefined;
  const settings = swiftSettingsRanges(tokens, open, close, lists);
  return {
    name,
    kind,
    path: args.get('path') ?? defaultPath(kind, name),
    ...settingsIn(tokens, settings),
  };
}

function defaultPath(kind: PackageTargetKind, name: string): string {
  if (kind === 'testTarget') return `Tests/${name}`;
  if (kind === 'plugin') return `Plugins/${name}`;
  return `Sources/${name}`;
}

/** String-valued `label: "…"` arguments directly inside the call's parentheses. */
function topLevelArguments(tokens: SwiftToken[], open: number, close: number): Map<string, string> {
  const args = new Map<string, string>();
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (t.kind === 'punct' && '([{'.includes(t.text)) depth++;
    else if (t.kind === 'punct' && ')]}'.includes(t.text)) depth--;
    else if (depth === 0 && t.kind === 'ident' && tokens[i + 1]?.text === ':' && tokens[i + 2]?.kind === 'string') {
      if (!args.has(t.text)) args.set(t.text, tokens[i + 2].text);
    }
  }
  return args;
}

/** The call itself, plus any `let name = [ … ]` list a `swiftSettings: name` argument points to. */
function swiftSettingsRanges(
  tokens: SwiftToken[],
  open: number,
  close: number,
  lists: Map<string, [number, number]>,
): [number, number][] {
  const ranges: [number, number][] = [[open, close]];
  for (let i = open; i < close; i++) {
    if (tokens[i].text !== 'swiftSettings' || tokens[i + 1]?.text !== ':') continue;
    for (let j = i + 2; j < close && !/^[,)]$/.test(tokens[j].text); j++) {
      const list = tokens[j].kind === 'ident' ? lists.get(tokens[j].text) : undefined;
      if (list) ranges.push(list);
    }
  }
  return ranges;
}

/** `let|var name … = [ … ]` declarations, by name. */
function namedLists(tokens: SwiftToken[]): Map<string, [number, number]> {
  const lists = new Map<string, [number, number]>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    if ((tokens[i].text !== 'let' && tokens[i].text !== 'var') || tokens[i + 1].kind !== 'ident') continue;
    let j = i + 2;
    while (j < tokens.length && tokens[j].text !== '=' && j - i < 12) j++;
    if (tokens[j]?.text === '=' && tokens[j + 1]?.text === '[') lists.set(tokens[i + 1].text, [j + 1, closingIndex(tokens, j + 1)]);
  }
  return lists;
}

/** Settings applied to every target by `for target in package.targets { … }`. */
function readTargetsLoop(tokens: SwiftToken[]): Pick<RawTarget, 'swiftLanguageMode' | 'defaultIsolation'> {
  for (let i = 0; i + 4 < tokens.length; i++) {
    const isLoop = tokens[i].text === 'in' && tokens[i + 1].text === 'package' && tokens[i + 2].text === '.' && tokens[i + 3].text === 'targets';
    const brace = isLoop ? tokens.findIndex((t, j) => j > i + 3 && t.text === '{') : -1;
    if (brace > 0) return settingsIn(tokens, [[brace, closingIndex(tokens, brace)]]);
  }
  return {};
}

function settingsIn(tokens: SwiftToken[], ranges: [number, number][]): Pick<RawTarget, 'swiftLanguageMode' | 'defaultIsolation'> {
  const found: Pick<RawTarget, 'swiftLanguageMode' | 'defaultIsolation'> = {};
  for (const [start, end] of ranges) {
    for (let i = start; i < end; i++) {
      const name = tokens[i].text === '.' && tokens[i + 2]?.text === '(' ? tokens[i + 1]?.text : undefined;
      if (name === 'swiftLanguageMode' || name === 'swiftLanguageVersion') found.swiftLanguageMode ??= modeAt(tokens, i + 3);
      if (name === 'defaultIsolation') found.defaultIsolation ??= isolationAt(tokens, i + 3);
    }
  }
  return found;
}

function isolationAt(tokens: SwiftToken[], i: number): DefaultIsolation | undefined {
  if (tokens[i]?.text === 'MainActor') return 'MainActor';
  if (tokens[i]?.text === 'nil' || tokens[i]?.text === 'nonisolated') return 'nonisolated';
  return undefined;
}
