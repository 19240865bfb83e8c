/** Parsing: normalize, run tree-sitter with a time limit, lower to the syntax view, report unreadable lines. */
import type Parser from 'tree-sitter';
type TSNode = Parser.SyntaxNode;
type Tree = Parser.Tree;
import type { FileNode, Language } from '../syntax/ir';
import { lowerSwift } from '../syntax/lower-swift';
import { lowerObjC } from '../syntax/lower-objc';
import { LoweringState, linkParents } from '../syntax/lower-common';
import { normalizeSource } from './normalize';

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
    parser.setLanguage(language === 'swift' ? require('tree-sitter-swift') : require('tree-sitter-objc'));
    parsers.set(language, parser);
  }
  return parser;
}

export function languageOf(path: string): Language | undefined {
  if (/\.swift$/i.test(path)) return 'swift';
  if (/\.(m|mm|h)$/i.test(path)) return 'objc';
  return undefined;
}

export interface ParseOptions {
  /** Blank macros and `#if` lines first (default). Off only to measure what normalization buys. */
  normalize?: boolean;
  /** Give up on the file after this long (default PARSE_TIME_LIMIT_MS). */
  timeLimitMs?: number;
}

export function parseSource(source: string, language: Language, options: ParseOptions = {}): ParseOutcome {
  const text = options.normalize === false ? source : normalizeSource(source, language);
  const parser = parserFor(language);
  parser.setTimeoutMicros((options.timeLimitMs ?? PARSE_TIME_LIMIT_MS) * 1000);
  let tree: Tree | undefined;
  try {
    tree = parser.parse(text, undefined, { bufferSize: text.length * 2 + 1024 });
  } catch {
    tree = undefined;
  }
  if (!tree) {
    parser.reset();
    return { ok: false, reason: 'timeout' };
  }
  const state = new LoweringState();
  const syntax = language === 'swift' ? lowerSwift(tree.rootNode, state) : lowerObjC(tree.rootNode, state);
  linkParents(syntax);
  const unreadable = tree.rootNode.hasError ? unreadableLines(tree.rootNode) : [];
  return { ok: true, file: { language, syntax, text, unreadable, tooDeepAtLine: state.tooDeepAt?.range.start.line } };
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
