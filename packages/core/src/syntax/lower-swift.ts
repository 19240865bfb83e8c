/** Lowers a tree-sitter-swift tree into the syntax view. */
import type { GrammarNode as TSNode } from './grammar-tree';
import { deferredSubtrees } from './grammar-tree';
import type { DeferredSubtree } from './grammar-tree';
import type {
  Argument, Block, CallExpr, ClosureExpr, Expr, FileNode, FunctionDecl, IfStmt, SyntaxNode, TypeDecl, TypeKind, VarDecl,
} from './ir';
import { swiftName } from './api-names';
import { asBlock, emptyBlock, isExpr, Lowering, LoweringState, opaque, spanOf } from './lower-common';
import type { TopLevelReuse } from './lower-common';

const BINARY_KINDS = new Set([
  'conjunction_expression', 'disjunction_expression', 'equality_expression', 'comparison_expression',
  'additive_expression', 'multiplicative_expression', 'nil_coalescing_expression', 'infix_expression',
  'bitwise_operation', 'range_expression',
]);
const TRANSPARENT_KINDS = new Set(['try_expression', 'await_expression', 'postfix_expression', 'directly_assignable_expression']);
const SKIPPED_KINDS = new Set(['comment', 'multiline_comment', 'import_declaration', 'directive', 'typealias_declaration', 'diagnostic', 'shebang_line']);
const STRING_KINDS = new Set(['line_string_literal', 'multi_line_string_literal', 'raw_string_literal']);
const NUMBER_KINDS = new Set(['integer_literal', 'real_literal', 'hex_literal', 'oct_literal', 'bin_literal']);

/** What a function or type declaration's lowering reads the children of; the rest of it is read as text, if at all. */
const FUNCTION_PARTS_READ = ['modifiers', 'parameter', 'function_body'];
const TYPE_PARTS_READ = ['modifiers', 'inheritance_specifier', 'class_body', 'enum_class_body', 'protocol_body'];

/**
 * Function bodies and computed properties, copied from the tree only when lowered (see syntax/deferred.ts);
 * and the parts of declarations this lowering reads as text or skips (types, modifiers, default values,
 * imports), copied only if something asks for their children (chosen by counting, on five apps, the
 * subtrees a lint with every rule leaves unread).
 */
const SWIFT_DECLARATION_PARTS = deferredSubtrees(
  (_parent, type) => type === 'function_body' || type === 'computed_property',
  {
    anywhere: ['import_declaration', 'typealias_declaration', 'willset_didset_block', 'protocol_property_requirements', 'boolean_literal'],
    byParent: {
      function_declaration: { allBut: FUNCTION_PARTS_READ },
      init_declaration: { allBut: FUNCTION_PARTS_READ },
      protocol_function_declaration: { allBut: FUNCTION_PARTS_READ },
      class_declaration: { allBut: TYPE_PARTS_READ },
      protocol_declaration: { allBut: TYPE_PARTS_READ },
      parameter: { allBut: [] },
      type_annotation: { allBut: [] },
      inheritance_specifier: { allBut: [] },
      modifiers: { allBut: ['attribute'] },
      attribute: { allBut: [] },
      property_declaration: ['value_binding_pattern'],
      value_argument: ['value_argument_label'],
      line_string_literal: ['str_escaped_char'],
      multi_line_string_literal: ['str_escaped_char'],
    },
  },
);

/**
 * Those, and the initial values of a type's properties, which are lowered only when read (see
 * `valueWaits`): found again when read, as most never are.
 */
export const SWIFT_DEFERRED_SUBTREES: DeferredSubtree = (parent, type, field) =>
  field === 'value' && parent.type === 'property_declaration' && valueWaits(parent) ? 'search' : SWIFT_DECLARATION_PARTS(parent, type, field);

export function lowerSwift(root: TSNode, state = new LoweringState(), reuse?: TopLevelReuse): FileNode {
  const lowering = new SwiftLowering(state);
  return { kind: 'file', language: 'swift', body: lowering.topLevel(root.namedChildren, reuse), ...spanOf(root) };
}

class SwiftLowering extends Lowering {
  constructor(state: LoweringState) {
    super(state, SKIPPED_KINDS);
  }

  override expr(node: TSNode | null | undefined): Expr | undefined {
    if (node && !node.isNamed) return this.token(node);
    return super.expr(node);
  }

  private token(node: TSNode): Expr | undefined {
    if (node.type === 'nil') return { kind: 'literal', type: 'nil', elements: [], ...spanOf(node) };
    return undefined;
  }

  protected dispatch(node: TSNode): SyntaxNode | undefined {
    const t = node.type;
    switch (t) {
      case 'statements': return this.block(node);
      case 'class_declaration': case 'protocol_declaration': return this.typeDecl(node);
      case 'function_declaration': case 'init_declaration': case 'deinit_declaration':
      case 'protocol_function_declaration':
        return this.functionDecl(node);
      case 'property_declaration': case 'protocol_property_declaration': return this.varDecl(node);
      case 'if_statement': return this.ifStmt(node);
      case 'guard_statement': return this.guardStmt(node);
      case 'switch_statement': return this.switchStmt(node);
      case 'for_statement': case 'while_statement': case 'repeat_while_statement': return this.loop(node);
      case 'do_statement': return this.doStmt(node);
      case 'control_transfer_statement': return this.jump(node);
      case 'call_expression': return this.call(node);
      case 'constructor_expression': return this.constructorCall(node);
      case 'lambda_literal': return this.closure(node);
      case 'assignment': return this.assign(node);
      case 'navigation_expression': return this.member(node);
      case 'simple_identifier': return { kind: 'ident', name: node.text, implicitMember: false, ...spanOf(node) };
      case 'self_expression': return { kind: 'self', super: false, ...spanOf(node) };
      case 'super_expression': return { kind: 'self', super: true, ...spanOf(node) };
      case 'prefix_expression': return this.prefix(node);
      case 'boolean_literal': return { kind: 'literal', type: 'bool', value: node.text, elements: [], ...spanOf(node) };
      case 'array_literal': return this.collection(node, 'array');
      case 'dictionary_literal': return this.collection(node, 'dictionary');
      case 'ternary_expression': return this.ternary(node);
      case 'as_expression': return this.cast(node);
      case 'tuple_expression': return this.tuple(node);
      case 'class_body': case 'enum_class_body': case 'protocol_body': case 'function_body':
        return this.block(node.namedChildren.find((c) => c.type === 'statements') ?? node);
    }
    if (STRING_KINDS.has(t)) return this.string(node);
    if (NUMBER_KINDS.has(t)) return { kind: 'literal', type: 'number', value: node.text, elements: [], ...spanOf(node) };
    if (BINARY_KINDS.has(t)) return this.binary(node);
    if (t === 'await_expression') return this.awaited(node);
    // `x!` reads as `x` (its `target`): the force unwrap changes nothing a rule asks about.
    if (TRANSPARENT_KINDS.has(t)) return this.expr(node.childForFieldName('expr') ?? node.childForFieldName('target') ?? node.namedChildren[node.namedChildren.length - 1]);
    return opaque(node, this.list(node.namedChildren));
  }

  /** `await f()`: the call, marked as a suspension point. */
  private awaited(node: TSNode): Expr | undefined {
    const inner = this.expr(node.childForFieldName('expr') ?? node.namedChildren[node.namedChildren.length - 1]);
    return inner?.kind === 'call' ? { ...inner, awaited: true } : inner;
  }

  private block(node: TSNode): Block {
    return { kind: 'block', body: this.list(node.namedChildren), ...spanOf(node) };
  }

  /** The block in braces among a node's children (absent when the braces are empty). */
  private bodyOf(node: TSNode, from = 0): Block {
    for (let i = from; i < node.childCount; i++) {
      const child = node.child(i)!;
      if (child.type === 'statements') return this.block(child);
      if (child.type === '}') break;
    }
    return emptyBlock(node);
  }

  private typeDecl(node: TSNode): TypeDecl {
    const kindText = node.childForFieldName('declaration_kind')?.text ?? 'protocol';
    const body = node.childForFieldName('body');
    const { attributes, modifiers } = this.modifiers(node);
    return {
      kind: 'type',
      typeKind: (kindText === 'protocol' ? 'protocol' : kindText) as TypeKind,
      name: stripGenerics(node.childForFieldName('name')?.text ?? ''),
      inherits: node.namedChildren
        .filter((c) => c.type === 'inheritance_specifier')
        .map((c) => stripGenerics(c.childForFieldName('inherits_from')?.text ?? c.text)),
      attributes,
      modifiers,
      members: body ? this.list(body.namedChildren) : [],
      ...spanOf(node),
    };
  }

  private modifiers(node: TSNode): { attributes: string[]; modifiers: string[] } {
    const attributes: string[] = [];
    const modifiers: string[] = [];
    const holder = node.namedChildren.find((c) => c.type === 'modifiers');
    for (const child of holder?.namedChildren ?? []) {
      if (child.type === 'attribute') attributes.push(attributeName(child));
      else modifiers.push(child.text);
    }
    return { attributes, modifiers };
  }

  private functionDecl(node: TSNode): FunctionDecl {
    const nameNode = node.childForFieldName('name');
    const baseName = node.type === 'init_declaration' ? 'init' : node.type === 'deinit_declaration' ? 'deinit' : nameNode?.text ?? '';
    const params = node.namedChildren.filter((c) => c.type === 'parameter');
    const labels = params.map((p) => (p.childForFieldName('external_name') ?? p.childForFieldName('name'))?.text ?? '_');
    const { attributes, modifiers } = this.modifiers(node);
    const isAsync = node.children.some((c) => c.type === 'async');
    const fn: FunctionDecl = {
      kind: 'function',
      name: swiftName(baseName, labels),
      baseName,
      params: params.map((p) => p.childForFieldName('name')?.text ?? '_'),
      attributes,
      modifiers: isAsync ? [...modifiers, 'async'] : modifiers,
      isAsync,
      nameSpan: spanOf(nameNode ?? node),
      ...spanOf(node),
    };
    return this.setPart(fn, 'body', node.childForFieldName('body'), (body) => this.bodyOf(body));
  }

  private varDecl(node: TSNode): VarDecl {
    const pattern = node.childForFieldName('name');
    const name = pattern?.childForFieldName('bound_identifier')?.text ?? pattern?.text ?? '';
    const { attributes, modifiers } = this.modifiers(node);
    const computed = node.childForFieldName('computed_value');
    const valueNode = node.childForFieldName('value');
    const typeNode = node.namedChildren.find((c) => c.type === 'type_annotation');
    const decl: VarDecl = {
      kind: 'var',
      name,
      isProperty: isTypeMember(node),
      attributes,
      modifiers,
      typeName: typeNode?.childForFieldName('name')?.text,
      constant: node.namedChildren.some((c) => c.type === 'value_binding_pattern' && c.text.startsWith('let')),
      ...spanOf(node),
    };
    // A node waits for one part at most: a property with a value and a getter (not valid Swift) lowers both now.
    const both = valueNode !== null && computed !== null;
    this.setPart(decl, 'value', valueNode, (value) => this.expr(value), both || !valueWaits(node));
    return this.setPart(decl, 'getter', computed, (getter) => this.bodyOf(getter), both);
  }

  /**
   * `if`/`guard` conditions arrive flattened (`let`, name, `=`, value, `,` …); regroup them into
   * bindings and boolean expressions, stopping at the opening brace.
   */
  private conditions(node: TSNode): { conditions: Expr[]; braceAt: number } {
    const conditions: Expr[] = [];
    let binding: { name?: string; start: TSNode } | undefined;
    let i = 0;
    for (; i < node.childCount; i++) {
      const child = node.child(i)!;
      if (child.type === '{' || child.type === 'else') break;
      const field = node.fieldNameForChild(i);
      if (child.type === 'value_binding_pattern') binding = { start: child };
      else if (field === 'bound_identifier' && binding) binding.name = child.text;
      else if (child.type === '=' || child.type === ',' || !child.isNamed && child.type !== 'nil') continue;
      else if (binding) {
        const value = this.expr(child);
        conditions.push({
          kind: 'binding', name: binding.name ?? '', value,
          ...spanOf(binding.start), endIndex: child.endIndex,
          range: { start: spanOf(binding.start).range.start, end: spanOf(child).range.end },
        });
        binding = undefined;
      } else if (field === 'condition' || child.isNamed) {
        const value = this.expr(child);
        if (value) conditions.push(value);
      }
    }
    if (binding) {
      // `if let x {` shorthand: binds x to itself.
      conditions.push({ kind: 'binding', name: binding.name ?? '', ...spanOf(binding.start) });
    }
    return { conditions, braceAt: i };
  }

  private ifStmt(node: TSNode): IfStmt {
    const { conditions, braceAt } = this.conditions(node);
    const then = this.bodyOf(node, braceAt);
    let elseBranch: Block | IfStmt | undefined;
    const elseAt = node.children.findIndex((c) => c.type === 'else');
    if (elseAt >= 0) {
      const next = node.child(elseAt + 1);
      elseBranch = next?.type === 'if_statement' ? this.ifStmt(next) : this.bodyOf(node, elseAt + 1);
    }
    return { kind: 'if', conditions, then, else: elseBranch, ...spanOf(node) };
  }

  private guardStmt(node: TSNode): SyntaxNode {
    const { conditions } = this.conditions(node);
    const elseAt = node.children.findIndex((c) => c.type === 'else');
    return { kind: 'guard', conditions, else: this.bodyOf(node, elseAt + 1), ...spanOf(node) };
  }

  private switchStmt(node: TSNode): SyntaxNode {
    const entries = node.namedChildren.filter((c) => c.type === 'switch_entry');
    return {
      kind: 'switch',
      subject: this.expr(node.childForFieldName('expr')),
      cases: entries.map((e) => this.bodyOfEntry(e)),
      hasDefault: entries.some((e) => e.namedChildren.some((c) => c.type === 'default_keyword')),
      ...spanOf(node),
    };
  }

  private bodyOfEntry(entry: TSNode): Block {
    const statements = entry.namedChildren.find((c) => c.type === 'statements');
    return statements ? this.block(statements) : emptyBlock(entry);
  }

  private loop(node: TSNode): SyntaxNode {
    const conditions = ['collection', 'condition']
      .flatMap((f) => node.childrenForFieldName(f))
      .map((c) => this.expr(c))
      .filter((e): e is Expr => e !== undefined);
    const statements = node.namedChildren.find((c) => c.type === 'statements');
    return { kind: 'loop', conditions, body: statements ? this.block(statements) : emptyBlock(node), ...spanOf(node) };
  }

  private doStmt(node: TSNode): SyntaxNode {
    const catches = node.namedChildren.filter((c) => c.type === 'catch_block').map((c) => this.bodyOf(c));
    const body = this.bodyOf(node);
    if (catches.length === 0) return body;
    return { kind: 'try', body, catches, ...spanOf(node) };
  }

  private jump(node: TSNode): SyntaxNode {
    const keyword = node.child(0)?.text ?? 'return';
    const jump = keyword === 'throw' ? 'throw' : keyword === 'break' ? 'break' : keyword === 'continue' ? 'continue' : 'return';
    const valueNode = node.childForFieldName('result') ?? node.namedChildren.find((c) => c.type !== 'throw_keyword');
    return { kind: 'jump', jump, value: this.expr(valueNode), ...spanOf(node) };
  }

  private call(node: TSNode): SyntaxNode {
    const callee = node.namedChild(0)!;
    const suffix = node.namedChildren.find((c) => c.type === 'call_suffix');
    const args = suffix ? this.arguments(suffix) : [];
    if (callee.type === 'simple_identifier' && callee.text === 'defer' && args.length === 1 && args[0]!.value.kind === 'closure') {
      return { kind: 'defer', body: args[0]!.value.body, ...spanOf(node) };
    }
    // The grammar sometimes reads `f(x) { … }` as a call of `f(x)`'s result; rejoin the trailing closure.
    if (/^(call|await|try)_expression$/.test(callee.type) && args.length > 0 && args.every((a) => a.trailing)) {
      const inner = this.node(callee);
      if (inner?.kind === 'call') return { ...inner, args: [...inner.args, ...args], ...spanOf(node) };
    }
    const negated = this.negatedFunction(callee);
    const { receiver, baseName, nameNode } = negated ?? this.callee(callee);
    const explicit = args.filter((a) => !a.trailing).map((a) => a.label);
    const call: CallExpr = {
      kind: 'call',
      name: swiftName(baseName, explicit),
      baseName,
      receiver: negated ? undefined : receiver?.kind === 'unary' ? receiver.operand : receiver,
      args,
      nameSpan: spanOf(nameNode),
      ...spanOf(node),
    };
    // The grammar binds `!` tighter than a call chain (`!a.b()` reads as `(!a).b()`); undo that.
    return receiver?.kind === 'unary' && receiver.operator === '!' ? { ...receiver, operand: call, ...spanOf(node) } : call;
  }

  /** `!isValid(x)` reads as a call of `!isValid`: call `isValid` and negate the result (the operand is replaced by the call). */
  private negatedFunction(callee: TSNode): { receiver: Expr; baseName: string; nameNode: TSNode } | undefined {
    if (callee.type !== 'prefix_expression') return undefined;
    const op = callee.childForFieldName('operation') ?? callee.child(0);
    const target = callee.childForFieldName('target') ?? callee.namedChildren[callee.namedChildren.length - 1];
    if (op?.type !== 'bang' || target?.type !== 'simple_identifier') return undefined;
    const placeholder: Expr = { kind: 'self', super: false, ...spanOf(target) };
    return { receiver: { kind: 'unary', operator: '!', operand: placeholder, ...spanOf(callee) }, baseName: target.text, nameNode: target };
  }

  private callee(callee: TSNode): { receiver?: Expr; baseName: string; nameNode: TSNode } {
    if (callee.type === 'navigation_expression') {
      const suffix = callee.childForFieldName('suffix');
      const nameNode = suffix?.childForFieldName('suffix') ?? suffix ?? callee;
      return { receiver: this.expr(callee.childForFieldName('target')), baseName: nameNode.text, nameNode };
    }
    if (callee.type === 'simple_identifier') return { baseName: callee.text, nameNode: callee };
    if (callee.type === 'prefix_expression' && callee.child(0)?.type === '.') {
      const target = callee.childForFieldName('target') ?? callee;
      return { baseName: target.text, nameNode: target };
    }
    if (callee.type === 'user_type' || callee.type === 'type_identifier') return { baseName: stripGenerics(callee.text), nameNode: callee };
    return { receiver: this.expr(callee), baseName: '', nameNode: callee };
  }

  private constructorCall(node: TSNode): SyntaxNode {
    const suffix = node.namedChildren.find((c) => c.type === 'constructor_suffix');
    const args = suffix ? this.arguments(suffix) : [];
    const typeNode = node.namedChild(0) ?? node;
    const baseName = stripGenerics(typeNode.text);
    return {
      kind: 'call', name: swiftName(baseName, args.filter((a) => !a.trailing).map((a) => a.label)), baseName, args,
      nameSpan: spanOf(typeNode), ...spanOf(node),
    };
  }

  private arguments(suffix: TSNode): Argument[] {
    const args: Argument[] = [];
    let pendingLabel: string | undefined;
    for (const child of suffix.namedChildren) {
      if (child.type === 'value_arguments') {
        for (const arg of child.namedChildren.filter((c) => c.type === 'value_argument')) {
          const value = this.expr(arg.childForFieldName('value') ?? arg.namedChildren[arg.namedChildren.length - 1]);
          const label = arg.childForFieldName('name')?.text ?? '_';
          if (value) args.push({ label, value, trailing: false });
        }
      } else if (child.type === 'lambda_literal' || child.type === 'annotated_lambda') {
        const lambda = child.type === 'lambda_literal' ? child : child.namedChildren.find((c) => c.type === 'lambda_literal');
        const value = lambda ? this.expr(lambda) : undefined;
        if (value) args.push({ label: pendingLabel ?? '_', value, trailing: true });
        pendingLabel = undefined;
      } else if (child.type === 'simple_identifier') {
        pendingLabel = child.text;
      }
    }
    return args;
  }

  private closure(node: TSNode): ClosureExpr {
    const type = node.childForFieldName('type');
    const params = (type?.namedChildren.find((c) => c.type === 'lambda_function_type_parameters')?.namedChildren ?? [])
      .map((p) => p.childForFieldName('name')?.text ?? p.text);
    const captures = node.childForFieldName('captures')?.namedChildren.map((c) => c.text) ?? [];
    const statements = node.namedChildren.find((c) => c.type === 'statements');
    return {
      kind: 'closure',
      params,
      attributes: node.namedChildren.filter((c) => c.type === 'attribute').map(attributeName),
      captures,
      body: statements ? this.block(statements) : asBlock(undefined, node),
      ...spanOf(node),
    };
  }

  private assign(node: TSNode): SyntaxNode {
    const target = this.expr(node.childForFieldName('target'));
    const value = this.expr(node.childForFieldName('result'));
    if (!target || !value) return opaque(node, this.list(node.namedChildren));
    return { kind: 'assign', operator: node.childForFieldName('operator')?.text ?? '=', target, value, ...spanOf(node) };
  }

  private member(node: TSNode): Expr {
    const object = this.expr(node.childForFieldName('target'));
    const suffix = node.childForFieldName('suffix');
    const name = (suffix?.childForFieldName('suffix') ?? suffix)?.text ?? '';
    if (!object) return { kind: 'ident', name, implicitMember: true, ...spanOf(node) };
    if (object.kind === 'unary' && object.operator === '!') {
      return { ...object, operand: { kind: 'member', object: object.operand, name, ...spanOf(node) }, ...spanOf(node) };
    }
    return { kind: 'member', object, name, ...spanOf(node) };
  }

  private prefix(node: TSNode): Expr {
    const op = node.childForFieldName('operation') ?? node.child(0);
    const target = node.childForFieldName('target') ?? node.namedChildren[node.namedChildren.length - 1];
    if (op?.type === '.') return { kind: 'ident', name: target?.text ?? '', implicitMember: true, ...spanOf(node) };
    const operand = this.expr(target);
    if (!operand) return opaque(node);
    const operator = op?.type === 'bang' ? '!' : op?.text ?? '';
    return { kind: 'unary', operator, operand, ...spanOf(node) };
  }

  private string(node: TSNode): Expr {
    const dynamic = node.namedChildren.some((c) => c.type === 'interpolated_expression' || c.type === 'raw_str_interpolation');
    const value = node.namedChildren
      .filter((c) => c.type === 'line_str_text' || c.type === 'multi_line_str_text' || c.type === 'raw_str_part' || c.type === 'str_escaped_char')
      .map((c) => c.text)
      .join('');
    const interpolations = node.namedChildren
      .filter((c) => c.type === 'interpolated_expression')
      .flatMap((c) => this.list(c.namedChildren))
      .filter(isExpr);
    return { kind: 'literal', type: 'string', value, dynamic, elements: interpolations, ...spanOf(node) };
  }

  private collection(node: TSNode, type: 'array' | 'dictionary'): Expr {
    return { kind: 'literal', type, elements: this.list(node.namedChildren).filter(isExpr), ...spanOf(node) };
  }

  private ternary(node: TSNode): Expr {
    const [condition, whenTrue, whenFalse] = ['condition', 'if_true', 'if_false'].map((f) => this.expr(node.childForFieldName(f)));
    if (!condition || !whenTrue || !whenFalse) return opaque(node, this.list(node.namedChildren));
    return { kind: 'ternary', condition, whenTrue, whenFalse, ...spanOf(node) };
  }

  private cast(node: TSNode): Expr {
    const operand = this.expr(node.childForFieldName('expr'));
    if (!operand) return opaque(node);
    const op = node.namedChildren.find((c) => c.type === 'as_operator')?.text ?? 'as';
    return { kind: 'cast', operand, typeName: node.childForFieldName('name')?.text ?? '', conditional: op === 'as?', ...spanOf(node) };
  }

  private tuple(node: TSNode): Expr {
    const items = this.list(node.namedChildren).filter(isExpr);
    if (items.length === 1) return items[0]!;
    return opaque(node, items);
  }

  private binary(node: TSNode): Expr {
    const left = this.expr(node.childForFieldName('lhs') ?? node.namedChild(0));
    const right = this.expr(node.childForFieldName('rhs') ?? node.namedChild(node.namedChildCount - 1));
    const operator = node.childForFieldName('op')?.text ?? node.child(1)?.text ?? '';
    if (!left || !right) return opaque(node, this.list(node.namedChildren));
    return { kind: 'binary', operator, left, right, ...spanOf(node) };
  }
}

function attributeName(node: TSNode): string {
  const type = node.namedChildren.find((c) => c.type === 'user_type');
  return (type?.text ?? node.text.replace(/^@/, '')).split('(')[0]!.trim();
}

function stripGenerics(name: string): string {
  const lt = name.indexOf('<');
  return (lt >= 0 ? name.slice(0, lt) : name).trim();
}

const TYPE_BODIES = new Set(['class_body', 'protocol_body', 'enum_class_body']);

function isTypeMember(node: TSNode): boolean {
  return TYPE_BODIES.has(node.parent?.type ?? '');
}

/**
 * Does this property declaration's initial value wait to be copied and lowered until read? A type's
 * properties' do (most are never read: generated tables of constants, formatters); a local's is read
 * with its function's body. A global's is lowered at once: top-level code nested too deeply to lower
 * is reported whether or not a rule reads it (a test of the language server pins that notice).
 */
function valueWaits(declaration: TSNode): boolean {
  return isTypeMember(declaration);
}
