/**
 * The copy of tree-sitter's tree (syntax/grammar-tree.ts) defers subtrees: function bodies keep their
 * native node, the parts of declarations a lowering reads as text are found again by type and span
 * when first read. Deferring must change only when children are copied: every fixture file, copied
 * with the lowerings' deferrals or with every subtree deferred, read to the leaves, must give the
 * same tree (type, span, field, children) as a copy that defers nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageOf, ParseCache, parseSource } from '@bglint/core';
import type { Language } from '@bglint/core';
import { mirrorTree } from '../src/syntax/grammar-tree';
import type { DeferredSubtree, GrammarNode } from '../src/syntax/grammar-tree';
import { SWIFT_DEFERRED_SUBTREES } from '../src/syntax/lower-swift';
import { OBJC_DEFERRED_SUBTREES } from '../src/syntax/lower-objc';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');

const sources = filesUnder(FIXTURES).flatMap((file) => {
  const language = languageOf(file);
  return language ? [{ name: path.relative(FIXTURES, file), language, text: fs.readFileSync(file, 'utf8') }] : [];
});

const LOWERINGS: Record<Language, DeferredSubtree> = { swift: SWIFT_DEFERRED_SUBTREES, objc: OBJC_DEFERRED_SUBTREES };
const EVERY_SUBTREE_SEARCHED: DeferredSubtree = () => 'search';

/** Nodes whose parent has the same type and span (a search by type and span must tell them apart). */
let nestedLookalikes = 0;

describe.each(sources.map((s) => [s.name, s] as const))('%s', (_name, source) => {
  const cache = new ParseCache();
  const parsed = parseSource(source.text, source.language, { cache, eagerView: true });
  if (!parsed.ok) throw new Error(`${source.name}: parse timed out`);
  const copy = (deferred?: DeferredSubtree) => rows(mirrorTree(cache.tree!, parsed.file.text, source.language, deferred).root);

  test("deferring the lowering's subtrees changes no node", () => {
    expect(copy(LOWERINGS[source.language])).toEqual(copy());
  });

  test('deferring every subtree, each found again by type and span, changes no node', () => {
    const eager = copy();
    expect(copy(EVERY_SUBTREE_SEARCHED)).toEqual(eager);
    nestedLookalikes += eager.filter((row) => row.lookalikeOfParent).length;
  });
});

test('the fixtures hold nodes nested in a node of the same type and span (the searches above told them apart)', () => {
  expect(nestedLookalikes).toBeGreaterThan(0);
});

interface Row {
  depth: number;
  type: string;
  isNamed: boolean;
  field: string | undefined;
  startIndex: number;
  endIndex: number;
  lookalikeOfParent: boolean;
}

/** Every node, depth first, read through `children` (which copies a deferred subtree). */
function rows(root: GrammarNode): Row[] {
  const out: Row[] = [];
  const stack: { node: GrammarNode; depth: number; field: string | undefined }[] = [{ node: root, depth: 0, field: undefined }];
  while (stack.length > 0) {
    const { node, depth, field } = stack.pop()!;
    const { parent } = node;
    out.push({
      depth, type: node.type, isNamed: node.isNamed, field, startIndex: node.startIndex, endIndex: node.endIndex,
      lookalikeOfParent: parent !== null && parent.type === node.type && parent.startIndex === node.startIndex && parent.endIndex === node.endIndex,
    });
    const { children } = node;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: depth + 1, field: node.fieldNameForChild(i) });
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}
