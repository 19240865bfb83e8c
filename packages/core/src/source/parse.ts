/** Parsing: normalize, run tree-sitter with a time limit, lower to the syntax view, report unreadable lines. */
import type Parser from 'tree-sitter';
type TSNode = Parser.SyntaxNode;
type Tree = Parser.Tree;
import type { FileNode, Language, SyntaxNode } from '../syntax/ir';
import { lowerSwift, SWIFT_DEFERRED_SUBTREES } from '../syntax/lower-swift';
import { lowerObjC, OBJC_DEFERRED_SUBTREES } from '../syntax/lower-objc';
import { LoweringState, linkParents } from '../syntax/lower-common';
import type { TopLevelReuse } from '../syntax/lower-common';
import { normalizeSource } from './normalize';
import { mirrorTree } from '../syntax/grammar-tree';
import type { GrammarNode } from '../syntax/grammar-tree';
import { moveView } from '../syntax/reuse';
import { recordFileText } from '../syntax/deferred';

/** A file taking longer than this to parse is reported and skipped (tree-sitter checks the limit as it goes). */
export const PARSE_TIME_LIMIT_MS = 5_000;

export interface LineSpan {
  startLine: number;
  endLine: number;
}

export interface ParsedFile {
  language: Language;
  syntax: FileNode;
  /** The normalized text the syntax view's offsets refer to (same length and lines as the original). */
  text: string;
  /** Line ranges the parser could not read (ERROR or MISSING nodes), merged. */
  unreadable: LineSpan[];
  /** Where the syntax nested too deeply to analyze, if anywhere. */
  tooDeepAtLine?: number;
}

export type ParseOutcome = { ok: true; file: ParsedFile } | { ok: false; reason: 'timeout' };

const parsers = new Map<Language, Parser>();

/**
 * node-tree-sitter 0.22 patches its native prototypes when its index.js runs; running it a second
 * time in one process (jest gives every test file a fresh module registry) breaks `Tree.rootNode`
 * for everyone. So the module is loaded once per process and kept on a built-in module object,
 * which every registry shares.
 */
function treeSitter(): typeof Parser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const host = require('node:os') as { __bglintTreeSitter?: typeof Parser };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  host.__bglintTreeSitter ??= require('tree-sitter') as typeof Parser;
  return host.__bglintTreeSitter;
}

function parserFor(language: Language): Parser {
  let parser = parsers.get(language);
  if (!parser) {
    const TreeSitter = treeSitter();
    parser = new TreeSitter();
    // Grammars load on first use: a run over Swift files never loads the Objective-C grammar.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const grammar = (language === 'swift' ? require('tree-sitter-swift') : require('tree-sitter-objc')) as { nodeSubclasses?: unknown };
    // setLanguage would first build a node class per named node type from node-types.json (hundreds
    // of `eval`ed classes with field getters, 100–200 ms for Swift) unless the language has them. We read
    // the tree through cursors and use native nodes only for their type, span and children, which the
    // base class answers: every type id gets the base class.
    const baseNode = (TreeSitter as unknown as { SyntaxNode: unknown }).SyntaxNode;
    grammar.nodeSubclasses ??= new Proxy([], { get: (_, key) => (typeof key === 'string' && /^\d+$/.test(key) ? baseNode : undefined) });
    parser.setLanguage(grammar as never);
    parsers.set(language, parser);
  }
  return parser;
}

export function languageOf(path: string): Language | undefined {
  if (/\.swift$/i.test(path)) return 'swift';
  if (/\.(m|mm|h)$/i.test(path)) return 'objc';
  return undefined;
}

/**
 * The last tree of one buffer that is parsed again and again (an editor's open file): tree-sitter
 * re-parses only what an edit touched when given the old tree, told where the text changed.
 */
export class ParseCache {
  language?: Language;
  text?: string;
  tree?: Tree;
  /** The last view, by top-level declaration, for the next parse to keep what an edit did not touch. */
  view?: KeptView;
}

interface KeptView {
  eager: boolean;
  /** Shared by every lowering of the buffer: bodies kept from earlier parses are lowered with it. */
  state: LoweringState;
  /** The view nodes each top-level grammar node became, by `type@start:end`. */
  tops: Map<string, SyntaxNode[]>;
}

/** Where the text changed, in both texts' offsets: `[start, oldEnd)` became `[start, newEnd)`. */
interface TextEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

export interface ParseOptions {
  /** Blank macros and `#if` lines first (default). Off only to measure what normalization buys. */
  normalize?: boolean;
  /** Give up on the file after this long (default PARSE_TIME_LIMIT_MS). */
  timeLimitMs?: number;
  /** The buffer's previous tree, reused for an incremental parse (and replaced by the new one). */
  cache?: ParseCache;
  /** Lower every function body at once rather than on first read (to prove the two agree). */
  eagerView?: boolean;
}

export function parseSource(source: string, language: Language, options: ParseOptions = {}): ParseOutcome {
  const text = options.normalize === false ? source : normalizeSource(source, language);
  const parser = parserFor(language);
  parser.setTimeoutMicros((options.timeLimitMs ?? PARSE_TIME_LIMIT_MS) * 1000);
  const { cache } = options;
  const eager = options.eagerView === true;
  const before = cache?.language === language && cache.tree && cache.text !== undefined ? { tree: cache.tree, text: cache.text, view: cache.view } : undefined;
  const edit = before ? editTree(before.tree, before.text, text) : undefined;
  let tree: Tree | undefined;
  try {
    tree = parser.parse(text, before?.tree, { bufferSize: text.length * 2 + 1024 });
  } catch {
    tree = undefined;
  }
  if (cache) Object.assign(cache, { language, text, tree, view: undefined });
  if (!tree) {
    parser.reset();
    return { ok: false, reason: 'timeout' };
  }
  const kept = before?.view && edit && before.view.eager === eager && !before.view.state.tooDeepAt
    ? keptDeclarations(before.view, before.tree, tree, before.text, text, edit)
    : undefined;
  const state = kept ? before!.view!.state : new LoweringState(options.eagerView);
  const tops = new Map<string, SyntaxNode[]>();
  const fresh: SyntaxNode[] = [];
  const deferred = eager ? undefined : language === 'swift' ? SWIFT_DEFERRED_SUBTREES : OBJC_DEFERRED_SUBTREES;
  const mirror = mirrorTree(tree, text, language, deferred, kept && ((node) => kept.find(node) !== undefined));
  const reuse: TopLevelReuse | undefined = cache && {
    kept(node) {
      const found = kept?.find(node);
      if (!found) return undefined;
      moveView(found.view, found.delta, found.lines, mirror.copier);
      tops.set(topKey(node), found.view);
      return found.view;
    },
    lowered(node, view) {
      tops.set(topKey(node), view);
      fresh.push(...view);
    },
  };
  const syntax = language === 'swift' ? lowerSwift(mirror.root, state, reuse) : lowerObjC(mirror.root, state, reuse);
  if (reuse) {
    for (const node of syntax.body) node.parent = syntax;
    for (const node of fresh) linkParents(node);
    cache!.view = { eager, state, tops };
  } else {
    linkParents(syntax);
  }
  recordFileText(syntax, text);
  const unreadable = tree.rootNode.hasError ? unreadableLines(tree.rootNode) : [];
  return {
    ok: true,
    file: {
      language, syntax, text, unreadable,
      // A body lowered later may still find nesting too deep: read the state when asked.
      get tooDeepAtLine() { return state.tooDeepAt?.range.start.line; },
    },
  };
}

function topKey(node: GrammarNode): string {
  return `${node.type}@${node.startIndex}:${node.endIndex}`;
}

interface KeptDeclaration {
  view: SyntaxNode[];
  /** How far it moved, in characters and lines. */
  delta: number;
  lines: number;
}

/**
 * Which top-level nodes of the new tree keep their view from the last parse: those wholly before the
 * edit, or starting on a line after it (so only offsets and line numbers move, never columns), whose
 * span tree-sitter reports no structural change in (`getChangedRanges`), and which the last parse had
 * with the same type and text.
 */
function keptDeclarations(view: KeptView, oldTree: Tree, newTree: Tree, before: string, after: string, edit: TextEdit) {
  const changed = oldTree.getChangedRanges(newTree);
  const delta = edit.newEnd - edit.oldEnd;
  const lines = newlines(after, edit.start, edit.newEnd) - newlines(before, edit.start, edit.oldEnd);
  const lineEnd = after.indexOf('\n', edit.newEnd);
  const firstMoved = lineEnd === -1 ? Infinity : lineEnd + 1;
  const found = new Map<GrammarNode, KeptDeclaration | undefined>();
  return {
    find(node: GrammarNode): KeptDeclaration | undefined {
      if (found.has(node)) return found.get(node);
      let result: KeptDeclaration | undefined;
      const { startIndex: start, endIndex: end } = node;
      const moved = start >= firstMoved;
      if ((end <= edit.start || moved) && !changed.some((r) => r.startIndex <= end && start <= r.endIndex)) {
        const shift = moved ? delta : 0;
        const old = view.tops.get(`${node.type}@${start - shift}:${end - shift}`);
        if (old) result = { view: old, delta: shift, lines: moved ? lines : 0 };
      }
      found.set(node, result);
      return result;
    },
  };
}

function newlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Tells the old tree the one span where the new text differs (found by comparing the two texts). */
function editTree(tree: Tree, before: string, after: string): TextEdit {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  // Never split a surrogate pair: widen the span to whole characters.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (tail > 0 && isHighSurrogate(after.charCodeAt(after.length - tail - 1))) tail--;
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  tree.edit({
    startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd,
    startPosition: pointAt(before, start), oldEndPosition: pointAt(before, oldEnd), newEndPosition: pointAt(after, newEnd),
  });
  return { start, oldEnd, newEnd };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Row and column (UTF-16 code units, as node-tree-sitter counts them) of an offset. */
function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: index - lineStart };
}

/** Lines covered by ERROR/MISSING nodes, found by descending only into subtrees that have errors. */
export function unreadableLines(root: TSNode): LineSpan[] {
  const spans: LineSpan[] = [];
  const stack: TSNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.isMissing) {
      spans.push({ startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 });
      continue;
    }
    if (!node.hasError) continue;
    for (let i = node.childCount - 1; i >= 0; i--) stack.push(node.child(i)!);
  }
  return mergeSpans(spans);
}

function mergeSpans(spans: LineSpan[]): LineSpan[] {
  const sorted = [...spans].sort((a, b) => a.startLine - b.startLine);
  const merged: LineSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.startLine <= last.endLine + 1) last.endLine = Math.max(last.endLine, span.endLine);
    else merged.push({ ...span });
  }
  return merged;
}
