/**
 * Declaration parts lowered on first read: function bodies, computed properties' getters, and the
 * initial values of a type's properties. Most of them hold nothing any enabled rule listens
 * for, and lowering them is most of the syntax view's cost; so such a part is a getter that lowers it
 * when a rule, a query or the call-summary layer first reads it. The one walk of the runner enters a
 * part only when its text holds a trigger string or a subscribed call name of an enabled rule
 * (`engine/runner.ts`); everything else that reads it gets it lowered, as if it always had been.
 * A node waits for one part at most (a declaration with two lowers both at once).
 */
import type { Span, SyntaxNode } from './ir';

interface Pending {
  span: Span;
  /** What the part is lowered from (a grammar node), for a view kept across parses to rebind. */
  source?: unknown;
}

const pendingParts = new WeakMap<SyntaxNode, Pending>();
let loweredCount = 0;

/** How many deferred parts have been lowered in this process (a rule reading parts it has no use for shows here). */
export function partsLowered(): number {
  return loweredCount;
}

/**
 * Where a node's part waiting to be lowered is (a function's body, a property's getter or initial
 * value); `undefined` once it is lowered, or if none was deferred. While it is pending, it is the
 * node's only child.
 */
export function pendingPartSpan(node: SyntaxNode): Span | undefined {
  return pendingParts.get(node)?.span;
}

/** The grammar node a pending part will be lowered from. */
export function pendingPartSource(node: SyntaxNode): unknown {
  return pendingParts.get(node)?.source;
}

const fileTexts = new WeakMap<SyntaxNode, string>();

/** The text a file's view was lowered from (what spans index), for asking what a pending part holds. */
export function recordFileText(root: SyntaxNode, text: string): void {
  fileTexts.set(root, text);
}

/**
 * Could `node`'s subtree hold `word`? False only for a part not yet lowered whose text does not
 * contain it, so a search for a name need not lower it; true once lowered, or when the text is unknown.
 */
export function mayMention(node: SyntaxNode, word: string, root: SyntaxNode): boolean {
  return mayMentionAny(node, [word], root);
}

/** `mayMention` for several words: could the subtree hold any of them? */
export function mayMentionAny(node: SyntaxNode, words: readonly string[], root: SyntaxNode): boolean {
  const pending = pendingParts.get(node);
  const text = pending && fileTexts.get(root);
  if (!pending || text === undefined) return true;
  // Searched in the part only (a search from its start to the file's end, for each of many parts, is quadratic).
  const part = text.slice(pending.span.startIndex, pending.span.endIndex);
  return words.some((w) => part.includes(w));
}

/** The pending part moved (the text before it changed length): its new span. */
export function movePendingPart(node: SyntaxNode, span: Span): void {
  const pending = pendingParts.get(node);
  if (pending) pending.span = span;
}

/**
 * Makes `owner[key]` a getter that runs `lower` once, links the part's parents and keeps the result
 * (which may be undefined: a value the lowering has no node for).
 */
export function deferPart<T extends SyntaxNode>(
  owner: SyntaxNode, key: string, span: Span, lower: () => T | undefined, link: (part: T) => void, source?: unknown,
): void {
  if (pendingParts.has(owner)) throw new Error(`syntax view: a ${owner.kind} already waits for a part`);
  const settle = (part: T | undefined) => {
    pendingParts.delete(owner);
    Object.defineProperty(owner, key, { value: part, writable: true, configurable: true, enumerable: true });
  };
  pendingParts.set(owner, { span, source });
  Object.defineProperty(owner, key, {
    configurable: true,
    enumerable: true,
    get() {
      loweredCount++;
      const part = lower();
      settle(part);
      if (part) {
        part.parent = owner;
        link(part);
      }
      return part;
    },
    set(value: T | undefined) { settle(value); },
  });
}
