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
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: index - starts[low]! };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

class MirrorNode implements GrammarNode {
  readonly children: MirrorNode[] = [];
  private named?: MirrorNode[];

  constructor(
    private readonly source: SourceText,
    readonly parent: MirrorNode | null,
    readonly type: string,
    readonly isNamed: boolean,
    readonly field: string | undefined,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}

  get startPosition(): Point { return this.source.pointAt(this.startIndex); }
  get endPosition(): Point { return this.source.pointAt(this.endIndex); }
  get text(): string { return this.source.text.slice(this.startIndex, this.endIndex); }
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
}
const tablesByGrammar = new Map<string, NameTables>();

/** Copies `tree` (parsed from `text` by `grammar`) into plain nodes; iterative, so any depth is safe. */
export function mirrorTree(tree: Parser.Tree, text: string, grammar: string): GrammarNode {
  let tables = tablesByGrammar.get(grammar);
  if (!tables) tablesByGrammar.set(grammar, (tables = { types: [], named: [], fields: [] }));
  const { types, named, fields } = tables;
  const source = new SourceText(text);
  const cursor = tree.walk();
  const make = (parent: MirrorNode | null): MirrorNode => {
    const typeId = cursor.nodeTypeId;
    let type = types[typeId];
    if (type === undefined) {
      type = types[typeId] = cursor.nodeType;
      named[typeId] = cursor.nodeIsNamed;
    }
    const fieldId = cursor.currentFieldId;
    let field: string | undefined;
    if (fieldId) field = fields[fieldId] ??= cursor.currentFieldName;
    return new MirrorNode(source, parent, type, named[typeId]!, field, cursor.startIndex, cursor.endIndex);
  };
  const root = make(null);
  let current = root;
  for (;;) {
    if (cursor.gotoFirstChild()) {
      const child = make(current);
      current.children.push(child);
      current = child;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || current.parent === null) return root;
      current = current.parent;
    }
    const sibling = make(current.parent);
    current.parent!.children.push(sibling);
    current = sibling;
  }
}
