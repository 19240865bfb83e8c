/**
 * Keeping the view of a top-level declaration across parses of one buffer (the language server): a
 * declaration an edit did not touch keeps its view nodes, lowered bodies included; those after the
 * edit are moved by the edit's length and line count, and the parts still waiting to be lowered
 * (bodies, property values) are pointed at the new tree. `source/parse.ts` decides what is kept (tree-sitter's changed ranges).
 */
import type { Span, SyntaxNode } from './ir';
import { childrenOf } from './children';
import { movePendingPart, pendingPartSource, pendingPartSpan } from './deferred';
import type { GrammarNode, TreeCopier } from './grammar-tree';
import { rebindDeferred } from './grammar-tree';

/**
 * Moves `nodes` (and everything lowered under them) `delta` characters and `lines` lines on, and
 * rebinds their pending parts to `copier`'s tree. Ranges and name spans are replaced, not changed in
 * place: findings of an earlier result share them. Only nodes that start on a line after the edit
 * are moved, so columns stay as they are.
 */
export function moveView(nodes: SyntaxNode[], delta: number, lines: number, copier: TreeCopier): void {
  const seen = new Set<SyntaxNode>();
  const stack = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (delta !== 0 || lines !== 0) {
      moveSpan(node, delta, lines);
      const named = node as { nameSpan?: Span };
      if (named.nameSpan) named.nameSpan = moved(named.nameSpan, delta, lines);
    }
    const pending = pendingPartSpan(node);
    if (pending) {
      movePendingPart(node, moved(pending, delta, lines));
      const source = pendingPartSource(node) as GrammarNode | undefined;
      if (source) rebindDeferred(source, copier, delta);
      continue;
    }
    for (const child of childrenOf(node)) stack.push(child);
  }
}

function moveSpan(span: Span, delta: number, lines: number): void {
  span.startIndex += delta;
  span.endIndex += delta;
  const { start, end } = span.range;
  span.range = { start: { line: start.line + lines, column: start.column }, end: { line: end.line + lines, column: end.column } };
}

function moved(span: Span, delta: number, lines: number): Span {
  const copy = { ...span };
  moveSpan(copy, delta, lines);
  return copy;
}
