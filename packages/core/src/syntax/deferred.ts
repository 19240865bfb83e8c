/**
 * Function bodies (and computed properties' getters) lowered on first read. Most bodies of a file hold
 * nothing any enabled rule listens for, and lowering them is most of the syntax view's cost; so a
 * function's `body` is a getter that lowers it when a rule, a query or the call-summary layer first reads it. The one walk of the runner
 * enters a body only when its text holds a trigger string or a subscribed call name of an enabled rule
 * (`engine/runner.ts`); everything else that reads `body` gets it lowered, as if it always had been.
 */
import type { Block, FunctionDecl, Span, SyntaxNode, VarDecl } from './ir';

interface Pending {
  span: Span;
  /** What the body is lowered from (a grammar node), for a view kept across parses to rebind. */
  source?: unknown;
}

const pendingBodies = new WeakMap<SyntaxNode, Pending>();
let loweredCount = 0;

/** How many deferred bodies have been lowered in this process (a rule reading bodies it has no use for shows here). */
export function bodiesLowered(): number {
  return loweredCount;
}

/**
 * Where a function's body (a computed property's getter) is, while it is not yet lowered; `undefined`
 * once it is, or if it never was deferred. While it is pending, it is the node's only child.
 */
export function pendingBodySpan(node: SyntaxNode): Span | undefined {
  return pendingBodies.get(node)?.span;
}

/** The grammar node a pending body will be lowered from. */
export function pendingBodySource(node: SyntaxNode): unknown {
  return pendingBodies.get(node)?.source;
}

const fileTexts = new WeakMap<SyntaxNode, string>();

/** The text a file's view was lowered from (what spans index), for asking what a pending body holds. */
export function recordFileText(root: SyntaxNode, text: string): void {
  fileTexts.set(root, text);
}

/**
 * Could `node`'s subtree hold `word`? False only for a body not yet lowered whose text does not
 * contain it, so a search for a name need not lower it; true once lowered, or when the text is unknown.
 */
export function mayMention(node: SyntaxNode, word: string, root: SyntaxNode): boolean {
  const pending = pendingBodies.get(node);
  const text = pending && fileTexts.get(root);
  if (!pending || text === undefined) return true;
  // Searched in the body only (a search from its start to the file's end, for each of many bodies, is quadratic).
  return text.slice(pending.span.startIndex, pending.span.endIndex).includes(word);
}

/** The pending body moved (the text before it changed length): its new span. */
export function movePendingBody(node: SyntaxNode, span: Span): void {
  const pending = pendingBodies.get(node);
  if (pending) pending.span = span;
}

/** Makes `owner[key]` a getter that runs `lower` once, links the body's parents and keeps the result. */
export function deferBody<K extends 'body' | 'getter'>(
  owner: K extends 'body' ? FunctionDecl : VarDecl, key: K, span: Span, lower: () => Block, link: (body: Block) => void, source?: unknown,
): void {
  const fn = owner as SyntaxNode;
  const settle = (body: Block | undefined) => {
    pendingBodies.delete(fn);
    Object.defineProperty(fn, key, { value: body, writable: true, configurable: true, enumerable: true });
  };
  pendingBodies.set(fn, { span, source });
  Object.defineProperty(fn, key, {
    configurable: true,
    enumerable: true,
    get() {
      loweredCount++;
      const body = lower();
      settle(body);
      body.parent = fn;
      link(body);
      return body;
    },
    set(value: Block | undefined) { settle(value); },
  });
}
