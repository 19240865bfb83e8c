/** What both lowerings share: spans, a depth limit, and the parent links set after lowering. */
import type { GrammarNode as TSNode } from './grammar-tree';
import type { Block, Expr, FunctionDecl, OtherExpr, Span, SyntaxNode, VarDecl } from './ir';
import { childrenOf } from './children';
import { deferPart, pendingPartSpan } from './deferred';

/**
 * Deeper syntax than this is kept as one opaque node and reported, so neither the lowering nor any
 * analysis over the view can overflow the stack (tree-sitter itself parses any depth).
 */
export const MAX_SYNTAX_DEPTH = 300;

export class LoweringState {
  depth = 0;
  tooDeepAt: Span | undefined;
  /** Lower function bodies and property values at once instead of on first read (the soundness test compares both). */
  constructor(readonly eager = false) {}
}

export function spanOf(node: TSNode): Span {
  // Each position is computed when read (a search of the line starts): read once each.
  const start = node.startPosition;
  const end = node.endPosition;
  return {
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    range: { start: { line: start.row + 1, column: start.column + 1 }, end: { line: end.row + 1, column: end.column + 1 } },
  };
}

export function spanBetween(first: Span, last: Span): Span {
  return {
    startIndex: first.startIndex,
    endIndex: last.endIndex,
    range: { start: first.range.start, end: last.range.end },
  };
}

export function emptyBlock(at: TSNode): Block {
  return { kind: 'block', body: [], ...spanOf(at) };
}

export function opaque(node: TSNode, children: SyntaxNode[] = []): OtherExpr {
  return { kind: 'other', text: node.type, children, ...spanOf(node) };
}

/** Wraps a lone statement (ObjC `if (x) return;`) so every branch is a block. */
export function asBlock(node: SyntaxNode | undefined, at: TSNode): Block {
  if (!node) return emptyBlock(at);
  if (node.kind === 'block') return node;
  return { kind: 'block', body: [node], startIndex: node.startIndex, endIndex: node.endIndex, range: node.range };
}

export function isExpr(node: SyntaxNode | undefined): node is Expr {
  if (!node) return false;
  switch (node.kind) {
    case 'call': case 'closure': case 'assign': case 'member': case 'ident': case 'self': case 'literal':
    case 'binary': case 'unary': case 'ternary': case 'binding': case 'cast': case 'other':
      return true;
    default:
      return false;
  }
}

/** Sets `parent` on every node, iteratively (a deferred part links its own when it is lowered). */
export function linkParents(root: SyntaxNode): void {
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (pendingPartSpan(node)) continue;
    for (const child of childrenOf(node)) {
      child.parent = node;
      stack.push(child);
    }
  }
}

/** How a lowering reuses the view of top-level declarations an edit did not touch (source/parse.ts). */
export interface TopLevelReuse {
  kept(node: TSNode): SyntaxNode[] | undefined;
  lowered(node: TSNode, view: SyntaxNode[]): void;
}

/** Runs `lower` one level deeper, or returns an opaque node past the depth limit. */
export function deeper<T extends SyntaxNode | undefined>(
  state: LoweringState,
  node: TSNode,
  lower: () => T,
): T | OtherExpr {
  if (state.depth >= MAX_SYNTAX_DEPTH) {
    state.tooDeepAt ??= spanOf(node);
    return opaque(node);
  }
  state.depth++;
  try {
    return lower();
  } finally {
    state.depth--;
  }
}

/**
 * The walk both lowerings share: lists, the depth limit, skipped kinds, and expressions wrapped as
 * opaque nodes when a statement stands where an expression was expected. A language's lowering
 * supplies `dispatch` (grammar node → view node) and may widen `lowerInList`.
 */
export abstract class Lowering {
  constructor(
    protected readonly state: LoweringState,
    private readonly skippedKinds: ReadonlySet<string>,
  ) {}

  list(nodes: TSNode[]): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (const node of nodes) out.push(...this.lowerInList(node));
    return out;
  }

  node(node: TSNode): SyntaxNode | undefined {
    if (this.skippedKinds.has(node.type)) return undefined;
    return deeper(this.state, node, () => this.dispatch(node));
  }

  expr(node: TSNode | null | undefined): Expr | undefined {
    if (!node) return undefined;
    const lowered = this.node(node);
    return isExpr(lowered) ? lowered : lowered ? { ...opaque(node), children: [lowered] } : undefined;
  }

  /**
   * The file's top-level nodes, each lowered, or taken from `kept` when it returns the view an earlier
   * parse made of it (the language server's incremental lint); `lowered` hears what each one became.
   */
  topLevel(nodes: TSNode[], reuse?: TopLevelReuse): SyntaxNode[] {
    if (!reuse) return this.list(nodes);
    const out: SyntaxNode[] = [];
    for (const node of nodes) {
      let view = reuse.kept(node);
      if (!view) {
        view = this.lowerInList(node);
        reuse.lowered(node, view);
      }
      for (const v of view) out.push(v);
    }
    return out;
  }

  /** The view nodes one grammar node contributes to a list (containers contribute their children). */
  protected lowerInList(node: TSNode): SyntaxNode[] {
    const lowered = this.node(node);
    return lowered ? [lowered] : [];
  }

  /**
   * Sets `decl[key]` from `part` (a function's body, a property's getter or initial value): at once
   * when the state is eager or `now`, else on first read, at the depth the declaration was found at (so
   * the depth limit holds).
   */
  protected setPart<D extends FunctionDecl | VarDecl>(
    decl: D, key: 'body' | 'getter' | 'value', part: TSNode | null | undefined, lower: (node: TSNode) => SyntaxNode | undefined, now = false,
  ): D {
    if (!part) return decl;
    if (this.state.eager || now) {
      (decl as Partial<Record<typeof key, unknown>>)[key] = lower(part);
      return decl;
    }
    const depth = this.state.depth;
    deferPart(decl, key, spanOf(part), () => {
      const outer = this.state.depth;
      this.state.depth = depth;
      try {
        return lower(part);
      } finally {
        this.state.depth = outer;
      }
    }, linkParents, part);
    return decl;
  }

  protected abstract dispatch(node: TSNode): SyntaxNode | undefined;
}
