/**
 * The language server's incremental parse keeps the view of top-level declarations an edit did not
 * touch (`ParseCache.view`, syntax/reuse.ts): moved by the edit, their pending parts (bodies,
 * property values) pointed at the new tree. After every edit of seeded random sequences over the
 * fixtures, the view must equal one lowered afresh from the same tree, with parts lowered before the
 * edit, after it, or never, in a seeded mix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageOf, ParseCache, parseSource } from '@bglint/core';
import type { Language, SyntaxNode } from '@bglint/core';
import { mirrorTree } from '../src/syntax/grammar-tree';
import { lowerSwift, SWIFT_DEFERRED_SUBTREES } from '../src/syntax/lower-swift';
import { lowerObjC, OBJC_DEFERRED_SUBTREES } from '../src/syntax/lower-objc';
import { pendingPartSpan } from '../src/syntax/deferred';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const EDITS_PER_FILE = 14;
let keptDeclarations = 0;

interface Source {
  file: string;
  language: Language;
  text: string;
}

const sources: Source[] = filesUnder(FIXTURES).flatMap((file) => {
  const language = languageOf(file);
  return language && !file.includes('/generated/') ? [{ file, language, text: fs.readFileSync(file, 'utf8') }] : [];
});

const TYPED = {
  swift: ['UIApplication.shared.endBackgroundTask(id)', 'func helper() { let x = 1 }', 'let é = "🚀"', 'if ready {', '}', '/* open', '*/', '"', '\n\n'],
  objc: ['[self finish];', '- (void)helper { int x = 1; }', '@"🚀"', 'if (ready) {', '}', '/* open', '*/', '#if DEBUG\n', '#endif\n'],
};

/** A seeded generator (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function edit(text: string, pick: (n: number) => number, language: Language): string {
  const at = pick(text.length + 1);
  switch (pick(4)) {
    case 0: return text.slice(0, at) + '{}();: ax\n"'[pick(11)]! + text.slice(at);
    case 1: return text.slice(0, at) + text.slice(at + 1 + pick(40));
    case 2: {
      // A whole line moves: everything after it shifts by lines, not only characters.
      const start = text.lastIndexOf('\n', at - 1) + 1;
      const end = text.indexOf('\n', at);
      return text.slice(0, start) + text.slice(end === -1 ? text.length : end + 1);
    }
    default: {
      const typed = TYPED[language];
      return text.slice(0, at) + typed[pick(typed.length)]! + text.slice(at);
    }
  }
}

/**
 * The view as plain data: every field but `parent`; a function's body (a property's getter or value)
 * only where `enter` says so, which lowers it if it is pending. The pending spans of the parts left
 * out are collected by the declaration's offset.
 */
function plain(root: SyntaxNode, enter: (node: SyntaxNode) => boolean, pending: Map<number, unknown>): unknown {
  const seen = new Set<object>();
  const visit = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(visit);
    if (seen.has(value)) return '(repeated)';
    seen.add(value);
    const out: Record<string, unknown> = {};
    const node = value as SyntaxNode;
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
      if (key === 'parent') continue;
      if ((key === 'body' && node.kind === 'function') || ((key === 'getter' || key === 'value') && node.kind === 'var')) {
        if (!enter(node)) {
          if (descriptor.get) pending.set(node.startIndex, pendingPartSpan(node));
          out[key] = '(not entered)';
          continue;
        }
        out[key] = visit((value as Record<string, unknown>)[key]);
        continue;
      }
      out[key] = visit(descriptor.value);
    }
    seen.delete(value);
    return out;
  };
  return visit(root);
}

describe.each(sources.map((s) => [path.relative(FIXTURES, s.file), s] as const))('%s', (_name, source) => {
  test('the kept view equals the view lowered afresh from the same tree after each edit', () => {
    const pick = random(hash(path.relative(FIXTURES, source.file)));
    const cache = new ParseCache();
    let text = source.text;
    let step = 0;
    let previous = new Set<SyntaxNode>();
    const run = () => {
      const parsed = parseSource(text, source.language, { cache });
      // Tree-sitter's error recovery can take past the time limit on a broken text: nothing to compare.
      if (!parsed.ok) return void step++;
      const fresh = source.language === 'swift'
        ? lowerSwift(mirrorTree(cache.tree!, parsed.file.text, 'swift', SWIFT_DEFERRED_SUBTREES).root)
        : lowerObjC(mirrorTree(cache.tree!, parsed.file.text, 'objc', OBJC_DEFERRED_SUBTREES).root);
      keptDeclarations += parsed.file.syntax.body.filter((n) => previous.has(n)).length;
      previous = new Set(parsed.file.syntax.body);
      // Which bodies this step lowers: the same for both views, by the function's offset.
      const enter = (node: SyntaxNode) => hash(`${step}:${node.startIndex}`) % 3 !== 0;
      const keptPending = new Map<number, unknown>();
      const freshPending = new Map<number, unknown>();
      expect({ step, view: plain(parsed.file.syntax, enter, keptPending) }).toEqual({ step, view: plain(fresh, enter, freshPending) });
      // A body still pending in the kept view is where the fresh view has it.
      for (const [at, span] of keptPending) expect({ step, at, span }).toEqual({ step, at, span: freshPending.get(at) });
      step++;
    };
    run();
    for (let i = 0; i < EDITS_PER_FILE; i++) {
      text = edit(text, pick, source.language);
      run();
    }
  });
});

test('declarations were kept across edits (the comparisons above covered kept views)', () => {
  expect(keptDeclarations).toBeGreaterThan(100);
});

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  }).sort();
}
