/**
 * A plain-JavaScript copy of a tree-sitter tree, made with one TreeCursor walk, for the lowerings to
 * read. node-tree-sitter's node accessors are each a native call that first copies the node into a
 * transfer buffer, and lowering asked about 14 of them per node (children twice, field lookups, start
 * and end positions once per span): that cost 4–5× the parse itself on NetNewsWire. The walk asks 5 per
 * node (move, type id, field id, start, end); names come from per-language tables filled on first sight,
 * and rows and columns from the text's line starts, only when a span needs them.
 * `docs/benchmarks.md` has the figures (`node scripts/view-cost.mjs DIR`).
 */
import type Parser from 'tree-sitter';
import { lineAt, lineStartOffsets } from '../source/lines';

export interface Point {
  row: number;
  column: number;
}

/** What a lowering may ask of a grammar node: the subset of node-tree-sitter's `SyntaxNode` we use. */
export interface GrammarNode {
  readonly type: string;
  readonly isNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly text: string;
  readonly parent: GrammarNode | null;
  readonly children: GrammarNode[];
  readonly namedChildren: GrammarNode[];
  readonly childCount: number;
  readonly namedChildCount: number;
  child(index: number): GrammarNode | null;
  namedChild(index: number): GrammarNode | null;
  childForFieldName(field: string): GrammarNode | null;
  childrenForFieldName(field: string): GrammarNode[];
  fieldNameForChild(index: number): string | undefined;
}

/** The text and its line starts, shared by every node of one tree. */
class SourceText {
  private lineStarts?: number[];
  constructor(readonly text: string) {}

  pointAt(index: number): Point {
    const starts = (this.lineStarts ??= lineStartOffsets(this.text));
    const line = lineAt(starts, index);
    return { row: line - 1, column: index - starts[line - 1]! };
  }
}

const NO_CHILDREN: MirrorNode[] = [];
const FIND = 1 as const;

class MirrorNode implements GrammarNode {
  /** Filled by the walk (leaves share one empty list); a deferred node's children are copied when first asked for. */
  kids: MirrorNode[] = NO_CHILDREN;
  /**
   * The native node of a deferred subtree, until it is copied; `FIND` when it is to be found again in
   * the copier's tree (a subtree rarely read, see `Deferral`, or one kept from an earlier parse of the
   * buffer, see `rebindDeferred`).
   */
  pending?: Parser.SyntaxNode | typeof FIND;
  private named?: MirrorNode[];

  constructor(
    private copier: TreeCopier,
    readonly parent: MirrorNode | null,
    readonly type: string,
    readonly isNamed: boolean,
    readonly field: string | undefined,
    public startIndex: number,
    public endIndex: number,
  ) {}

  get children(): MirrorNode[] {
    if (this.pending) {
      const native = this.pending === FIND ? this.copier.find(this) : this.pending;
      this.pending = undefined;
      this.copier.fill(native.walk(), this);
    }
    return this.kids;
  }

  /** A deferred subtree kept from an earlier tree: its span in `copier`'s text, read from `copier`'s tree. */
  rebind(copier: TreeCopier, delta: number): void {
    if (!this.pending) return;
    this.copier = copier;
    this.startIndex += delta;
    this.endIndex += delta;
    this.pending = FIND;
  }
  get startPosition(): Point { return this.copier.source.pointAt(this.startIndex); }
  get endPosition(): Point { return this.copier.source.pointAt(this.endIndex); }
  get text(): string { return this.copier.source.text.slice(this.startIndex, this.endIndex); }
  get namedChildren(): MirrorNode[] { return (this.named ??= this.children.filter((c) => c.isNamed)); }
  get childCount(): number { return this.children.length; }
  get namedChildCount(): number { return this.namedChildren.length; }
  child(index: number): MirrorNode | null { return this.children[index] ?? null; }
  namedChild(index: number): MirrorNode | null { return this.namedChildren[index] ?? null; }
  childForFieldName(field: string): MirrorNode | null { return this.children.find((c) => c.field === field) ?? null; }
  childrenForFieldName(field: string): MirrorNode[] { return this.children.filter((c) => c.field === field); }
  fieldNameForChild(index: number): string | undefined { return this.children[index]?.field; }
}

/** Names by id, per grammar: filled from the cursor the first time an id is seen. */
interface NameTables {
  types: string[];
  named: boolean[];
  fields: (string | undefined)[];
  /** Types whose children can have a field name (from the grammar's node-types); others are not asked. */
  withFields?: Set<string>;
}
const tablesByGrammar = new Map<string, NameTables>();

/**
 * How a subtree waits to be copied until its children are first asked for. `'native'` keeps its native
 * node (one unmarshal now, about the cost of copying a node): for subtrees often read, function bodies
 * (see `setPart` in lower-common.ts). `'search'` keeps nothing and finds the node again by type and
 * span when read (a few native calls then): for subtrees rarely read, the declaration parts a lowering
 * reads only as text (a parameter's type, a modifier) or skips (imports), and properties' values.
 */
export type Deferral = 'native' | 'search';

/**
 * Which subtrees to copy only when asked, and how they wait: by the node's type and field name, and its
 * parent (whose own parent it may ask about).
 */
export type DeferredSubtree = (parent: GrammarNode, type: string, field: string | undefined) => Deferral | undefined;

/** In `deferredSubtrees`' `byParent`: every child of the parent type but those listed. */
export interface AllChildrenBut {
  allBut: readonly string[];
}

/**
 * A `DeferredSubtree` for `native` subtrees and for those found again when read: the types `anywhere`
 * (whatever their parent), and by parent type the child types (or every child `allBut` some).
 */
export function deferredSubtrees(
  native: (parentType: string, type: string) => boolean,
  searched: { anywhere: readonly string[]; byParent: Record<string, readonly string[] | AllChildrenBut> },
): DeferredSubtree {
  const anywhere = new Set(searched.anywhere);
  const byParent = new Map(Object.entries(searched.byParent).map(([parent, types]) =>
    [parent, 'allBut' in types ? { all: true, types: new Set(types.allBut) } : { all: false, types: new Set(types) }]));
  return ({ type: parentType }, type) => {
    if (native(parentType, type)) return 'native';
    if (anywhere.has(type)) return 'search';
    const children = byParent.get(parentType);
    return children && children.all !== children.types.has(type) ? 'search' : undefined;
  };
}

export class TreeCopier {
  readonly source: SourceText;
  private readonly tables: NameTables;

  constructor(
    private readonly tree: Parser.Tree, text: string, grammar: string, nodeTypes: NodeTypeInfo[] | undefined,
    private readonly deferred?: DeferredSubtree,
  ) {
    this.source = new SourceText(text);
    let tables = tablesByGrammar.get(grammar);
    if (!tables) tablesByGrammar.set(grammar, (tables = { types: [], named: [], fields: [], withFields: typesWithFields(nodeTypes) }));
    this.tables = tables;
  }

  /** The node under the cursor, added to its parent's children. */
  make(cursor: Parser.TreeCursor, parent: MirrorNode | null): MirrorNode {
    const { types, named, fields } = this.tables;
    const typeId = cursor.nodeTypeId;
    let type = types[typeId];
    if (type === undefined) {
      type = types[typeId] = cursor.nodeType;
      named[typeId] = cursor.nodeIsNamed;
    }
    const { withFields } = this.tables;
    const fieldId = parent && withFields && !withFields.has(parent.type) ? 0 : cursor.currentFieldId;
    const field = fieldId ? (fields[fieldId] ??= cursor.currentFieldName) : undefined;
    const node = new MirrorNode(this, parent, type, named[typeId]!, field, cursor.startIndex, cursor.endIndex);
    if (parent) {
      if (parent.kids === NO_CHILDREN) parent.kids = [node];
      else parent.kids.push(node);
      const deferral = this.deferred?.(parent, type, field);
      if (deferral === 'native') node.pending = cursor.currentNode;
      // An empty span would not find its node again (siblings can share it): such nodes are copied.
      else if (deferral === 'search' && node.endIndex > node.startIndex) node.pending = FIND;
    }
    return node;
  }

  /**
   * The native node of this tree that `node` copies: the one with its type and span. Nodes with the
   * same type and span can nest (Swift's `?` token in a `?` node): the match is the one with as many
   * of them above it as `node` has in its own tree.
   */
  find(node: MirrorNode): Parser.SyntaxNode {
    const { startIndex: start, endIndex: end, type } = node;
    // The ancestors with the same span are the nearest ones of the same length (a kept subtree's
    // ancestors may not have moved with it: lengths still compare).
    let sameAbove = 0;
    for (let up = node.parent; up && up.endIndex - up.startIndex === end - start; up = up.parent) if (up.type === type) sameAbove++;
    // The deepest node holding the span lies under (or is) every node with that span: walk up from it.
    const matches: Parser.SyntaxNode[] = [];
    for (let at: Parser.SyntaxNode | null = this.tree.rootNode.descendantForIndex(start, end); at && at.startIndex === start && at.endIndex === end; at = at.parent) {
      if (at.type === type) matches.push(at);
    }
    const found = matches[matches.length - 1 - sameAbove];
    if (!found) throw new Error(`syntax view: no ${type} at ${start}–${end} in the tree`);
    return found;
  }

  /** Copies the descendants of `top` (the cursor's node), iteratively, so any depth is safe. */
  fill(cursor: Parser.TreeCursor, top: MirrorNode): void {
    let current = top;
    for (;;) {
      if (current.pending === undefined && cursor.gotoFirstChild()) {
        current = this.make(cursor, current);
        continue;
      }
      for (;;) {
        if (current === top) return;
        if (cursor.gotoNextSibling()) {
          current = this.make(cursor, current.parent);
          break;
        }
        cursor.gotoParent();
        current = current.parent!;
      }
    }
  }
}

/** A grammar's node-types.json entry, as node-tree-sitter exposes it (`language.nodeTypeInfo`). */
interface NodeTypeInfo {
  type: string;
  named: boolean;
  fields?: Record<string, unknown>;
}

/** Without node-types we cannot tell, so every node is asked; ERROR nodes always are. */
function typesWithFields(nodeTypes: NodeTypeInfo[] | undefined): Set<string> | undefined {
  if (!nodeTypes) return undefined;
  const types = new Set<string>(['ERROR']);
  for (const info of nodeTypes) if (info.fields && Object.keys(info.fields).length > 0) types.add(info.type);
  return types;
}

/**
 * Copies `tree` (parsed from `text` by `grammar`) into plain nodes; `deferred` subtrees wait until asked
 * for. `keepTop` names top-level nodes whose subtree is not copied (the caller keeps their view from an
 * earlier parse); they come with no children.
 */
export function mirrorTree(
  tree: Parser.Tree, text: string, grammar: string, deferred?: DeferredSubtree, keepTop?: (node: GrammarNode) => boolean,
): { root: GrammarNode; copier: TreeCopier } {
  const nodeTypes = (tree as unknown as { language?: { nodeTypeInfo?: NodeTypeInfo[] } }).language?.nodeTypeInfo;
  const copier = new TreeCopier(tree, text, grammar, nodeTypes, deferred);
  const cursor = tree.walk();
  const root = copier.make(cursor, null);
  if (!keepTop) {
    copier.fill(cursor, root);
    return { root, copier };
  }
  if (cursor.gotoFirstChild()) {
    do {
      const top = copier.make(cursor, root);
      if (!keepTop(top)) copier.fill(cursor, top);
    } while (cursor.gotoNextSibling());
  }
  return { root, copier };
}

/** Points a deferred subtree (`GrammarNode` from an earlier copy) at `copier`'s tree, `delta` characters on. */
export function rebindDeferred(node: GrammarNode, copier: TreeCopier, delta: number): void {
  (node as MirrorNode).rebind(copier, delta);
}
