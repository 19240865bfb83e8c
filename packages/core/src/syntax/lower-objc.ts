/** Lowers a tree-sitter-objc tree into the syntax view, naming messages the way Swift imports them. */
import type { GrammarNode as TSNode } from './grammar-tree';
import { deferredSubtrees } from './grammar-tree';
import type { Argument, Block, Expr, FileNode, FunctionDecl, SyntaxNode, TypeDecl } from './ir';
import {
  C_FUNCTIONS_AS_METHODS, C_FUNCTIONS_AS_PROPERTIES, OBJC_CLASS_METHODS, OBJC_CLASS_PROPERTIES, OBJC_PROPERTY_NAMES, OBJC_SELECTORS,
  OBJC_TYPE_NAMES, parseSwiftName, swiftName, swiftNameForSelector,
} from './api-names';
import { asBlock, emptyBlock, isExpr, Lowering, LoweringState, opaque, spanOf } from './lower-common';
import type { TopLevelReuse } from './lower-common';

const SKIPPED_KINDS = new Set(['comment', 'preproc_include', 'preproc_def', 'preproc_function_def', 'preproc_call', 'module_import', 'type_definition', 'struct_specifier', 'enum_specifier', 'protocol_forward_declaration', 'class_declaration']);
/** Conditional compilation and scoping constructs whose contents run as written. */
const CONTAINER_KINDS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list', 'implementation_definition', 'labeled_statement', 'attributed_statement']);
const LOOP_KINDS = new Set(['for_statement', 'while_statement', 'do_statement']);
const TRUE_WORDS = new Set(['YES', 'TRUE', 'true']);
const FALSE_WORDS = new Set(['NO', 'FALSE', 'false']);
const NIL_WORDS = new Set(['nil', 'Nil', 'NULL', 'null', 'nullptr']);

/** What a method's lowering reads the children of; the rest of it (return and parameter types) only as text. */
const METHOD_PARTS_READ = ['method_parameter', 'compound_statement'];

/**
 * Method and C function bodies, copied from the tree only when lowered (see syntax/deferred.ts); and
 * what this lowering reads as text or skips (properties, types, imports, macros), copied only if
 * something asks for their children (chosen by counting, on three apps, the subtrees a lint with every
 * rule leaves unread).
 */
export const OBJC_DEFERRED_SUBTREES = deferredSubtrees(
  (parent, type) => type === 'compound_statement' && (parent === 'method_definition' || parent === 'function_definition'),
  {
    anywhere: ['property_declaration', ...[...SKIPPED_KINDS].filter((kind) => kind !== 'comment')],
    byParent: {
      method_definition: { allBut: METHOD_PARTS_READ },
      method_declaration: { allBut: METHOD_PARTS_READ },
      method_parameter: { allBut: [] },
      declaration: ['storage_class_specifier', 'type_qualifier', 'struct_specifier', 'generic_specifier', 'typedefed_specifier'],
    },
  },
);

export function lowerObjC(root: TSNode, state = new LoweringState(), reuse?: TopLevelReuse): FileNode {
  const lowering = new ObjCLowering(state);
  return { kind: 'file', language: 'objc', body: lowering.topLevel(root.namedChildren, reuse), ...spanOf(root) };
}

class ObjCLowering extends Lowering {
  constructor(state: LoweringState) {
    super(state, SKIPPED_KINDS);
  }

  protected override lowerInList(node: TSNode): SyntaxNode[] {
    if (!CONTAINER_KINDS.has(node.type)) return super.lowerInList(node);
    return this.list(node.namedChildren.filter((c) => c.type !== 'identifier' && c.type !== 'preproc_arg'));
  }

  protected dispatch(node: TSNode): SyntaxNode | undefined {
    switch (node.type) {
      case 'compound_statement': return this.block(node);
      case 'expression_statement': case 'parenthesized_expression': case 'else_clause':
        return node.namedChildCount === 1 ? this.node(node.namedChild(0)!) : opaque(node, this.list(node.namedChildren));
      case 'class_interface': case 'class_implementation': return this.typeDecl(node);
      case 'protocol_declaration': return this.typeDecl(node, 'protocol');
      case 'method_definition': case 'method_declaration': return this.method(node);
      case 'function_definition': return this.cFunction(node);
      case 'declaration': return this.declaration(node);
      case 'property_declaration': return this.property(node);
      case 'if_statement': return this.ifStmt(node);
      case 'switch_statement': return this.switchStmt(node);
      case 'return_statement': return this.jump(node, 'return');
      case 'break_statement': return this.jump(node, 'break');
      case 'continue_statement': return this.jump(node, 'continue');
      case 'throw_statement': return this.jump(node, 'throw');
      case 'goto_statement': return this.jump(node, 'goto');
      case 'try_statement': return this.tryStmt(node);
      case 'synchronized_statement': case 'autoreleasepool_statement': {
        const body = node.namedChildren.find((c) => c.type === 'compound_statement');
        return body ? this.block(body) : opaque(node, this.list(node.namedChildren));
      }
      case 'message_expression': return this.message(node);
      case 'call_expression': return this.cCall(node);
      case 'block_literal': return this.blockLiteral(node);
      case 'assignment_expression': return this.assign(node);
      case 'field_expression': return this.field(node);
      case 'identifier': return this.identifier(node);
      case 'true': case 'false':
        return { kind: 'literal', type: 'bool', value: node.type, elements: [], ...spanOf(node) };
      case 'null': return { kind: 'literal', type: 'nil', elements: [], ...spanOf(node) };
      case 'string_literal': case 'concatenated_string': return this.string(node);
      case 'number_literal': return { kind: 'literal', type: 'number', value: node.text, elements: [], ...spanOf(node) };
      case 'at_expression': return node.namedChildCount === 1 ? this.node(node.namedChild(0)!) : opaque(node, this.list(node.namedChildren));
      case 'array_literal': return { kind: 'literal', type: 'array', elements: this.list(node.namedChildren).filter(isExpr), ...spanOf(node) };
      case 'dictionary_literal': return { kind: 'literal', type: 'dictionary', elements: this.list(node.namedChildren).filter(isExpr), ...spanOf(node) };
      case 'binary_expression': return this.binary(node);
      case 'unary_expression': case 'pointer_expression': return this.unary(node);
      case 'conditional_expression': return this.ternary(node);
      case 'cast_expression': return this.cast(node);
    }
    if (LOOP_KINDS.has(node.type)) return this.loop(node);
    return opaque(node, this.list(node.namedChildren));
  }

  private block(node: TSNode): Block {
    return { kind: 'block', body: this.list(node.namedChildren), ...spanOf(node) };
  }

  private statement(node: TSNode | null | undefined, at: TSNode): Block {
    return asBlock(node ? this.node(node) : undefined, at);
  }

  private typeDecl(node: TSNode, forced?: 'protocol'): TypeDecl {
    const identifiers = node.namedChildren.filter((c) => c.type === 'identifier' || c.type === 'type_identifier');
    const name = identifiers[0]?.text ?? '';
    const isCategory = node.children.some((c) => c.type === '(');
    const colon = node.children.findIndex((c) => c.type === ':');
    const superclass = colon >= 0 ? node.child(colon + 1)?.text : undefined;
    const protocols = node.namedChildren
      .filter((c) => c.type === 'protocol_reference_list' || c.type === 'parameterized_arguments')
      .flatMap((c) => c.namedChildren.map((p) => p.text));
    const bodyNodes = node.namedChildren.filter((c) => !['identifier', 'type_identifier', 'protocol_reference_list', 'parameterized_arguments'].includes(c.type));
    return {
      kind: 'type',
      typeKind: forced ?? (isCategory ? 'category' : 'class'),
      name,
      inherits: [...(superclass ? [superclass] : []), ...protocols],
      attributes: [],
      modifiers: [],
      members: this.list(bodyNodes),
      ...spanOf(node),
    };
  }

  /** `- (void)application:(UIApplication *)app didFinishLaunchingWithOptions:(NSDictionary *)o { … }` */
  private method(node: TSNode): FunctionDecl {
    const pieces: string[] = [];
    const params: string[] = [];
    let firstName: TSNode | undefined;
    for (const child of node.namedChildren) {
      if (child.type === 'identifier' && !firstName) firstName = child;
      if (child.type === 'identifier') pieces.push(child.text);
      else if (child.type === 'method_parameter') {
        params.push(child.namedChildren.filter((c) => c.type === 'identifier').pop()?.text ?? '_');
        if (pieces.length === params.length - 1) pieces.push('');
      }
    }
    const selector = params.length === 0 ? pieces.join('') : pieces.map((p) => `${p}:`).join('');
    const name = swiftNameForSelector(selector);
    const isClassMethod = node.child(0)?.type === '+';
    const fn: FunctionDecl = {
      kind: 'function',
      name,
      baseName: parseSwiftName(name).base,
      params,
      // `- (IBAction)save:(id)sender` reads like Swift's `@IBAction func save(_:)`.
      attributes: /^[-+]\s*\(\s*IBAction\s*\)/.test(node.text) ? ['IBAction'] : [],
      modifiers: isClassMethod ? ['static'] : [],
      isAsync: false,
      nameSpan: spanOf(firstName ?? node),
      ...spanOf(node),
    };
    return this.setPart(fn, 'body', node.namedChildren.find((c) => c.type === 'compound_statement'), (body) => this.block(body));
  }

  private cFunction(node: TSNode): FunctionDecl {
    let declarator = node.childForFieldName('declarator');
    while (declarator && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
    const nameNode = declarator?.childForFieldName('declarator') ?? node;
    const paramList = declarator?.childForFieldName('parameters');
    const params = (paramList?.namedChildren ?? []).filter((p) => p.type === 'parameter_declaration' && p.text !== 'void');
    const attributes = /__attribute__\s*\(\(\s*constructor/.test(node.text.slice(0, node.text.indexOf('{') + 1)) ? ['constructor'] : [];
    const fn: FunctionDecl = {
      kind: 'function',
      name: swiftName(nameNode.text, params.map(() => '_')),
      baseName: nameNode.text,
      params: params.map((p) => p.text),
      attributes,
      modifiers: [],
      isAsync: false,
      nameSpan: spanOf(nameNode),
      ...spanOf(node),
    };
    return this.setPart(fn, 'body', node.childForFieldName('body'), (body) => this.block(body));
  }

  private declaration(node: TSNode): SyntaxNode | undefined {
    const declarators = node.childrenForFieldName('declarator');
    const init = declarators.find((d) => d.type === 'init_declarator');
    const target = init ?? declarators[0];
    if (!target) return undefined;
    let nameNode: TSNode | null = init ? init.childForFieldName('declarator') : target;
    while (nameNode && nameNode.type !== 'identifier') nameNode = nameNode.childForFieldName('declarator') ?? nameNode.namedChild(nameNode.namedChildCount - 1);
    if (target.type === 'function_declarator') return undefined;
    return {
      kind: 'var',
      name: nameNode?.text ?? '',
      isProperty: false,
      attributes: [],
      modifiers: node.namedChildren.filter((c) => c.type === 'type_qualifier' || c.type === 'storage_class_specifier').map((c) => c.text),
      typeName: node.childForFieldName('type')?.text,
      value: init ? this.expr(init.childForFieldName('value')) : undefined,
      // `NSString *const kID` or `const NSString *kID`: a const anywhere before the name.
      constant: /\bconst\b/.test(node.text.slice(0, (nameNode?.endIndex ?? node.startIndex) - node.startIndex)),
      ...spanOf(node),
    };
  }

  private property(node: TSNode): SyntaxNode {
    const text = node.text.replace(/;\s*$/, '');
    const name = /(\w+)\s*$/.exec(text)?.[1] ?? '';
    // `@property (nonatomic, strong) dispatch_semaphore_t lock` → `dispatch_semaphore_t`; `NSString *title` → `NSString`.
    const typeName = /(?:\)|^@property)\s*(?:(?:nonnull|nullable|_Nonnull|_Nullable|__kindof|const)\s+)*(\w+)[\s*<]/.exec(text)?.[1];
    return { kind: 'var', name: OBJC_PROPERTY_NAMES[name] ?? name, isProperty: true, attributes: [], modifiers: [], typeName, constant: false, ...spanOf(node) };
  }

  private ifStmt(node: TSNode): SyntaxNode {
    const condition = this.expr(node.childForFieldName('condition'));
    const alternative = node.childForFieldName('alternative');
    const elseNode = alternative?.type === 'else_clause' ? alternative.namedChild(0) : alternative;
    const elseLowered = elseNode ? this.node(elseNode) : undefined;
    return {
      kind: 'if',
      conditions: condition ? [condition] : [],
      then: this.statement(node.childForFieldName('consequence'), node),
      else: elseLowered?.kind === 'if' ? elseLowered : elseNode ? asBlock(elseLowered, elseNode) : undefined,
      ...spanOf(node),
    };
  }

  private switchStmt(node: TSNode): SyntaxNode {
    const body = node.childForFieldName('body');
    const cases = (body?.namedChildren ?? []).filter((c) => c.type === 'case_statement');
    return {
      kind: 'switch',
      subject: this.expr(node.childForFieldName('condition')),
      cases: cases.map((c) => {
        const value = c.childForFieldName('value');
        const statements = c.namedChildren.filter((s) => s !== value);
        return { kind: 'block', body: this.list(statements), ...spanOf(c) } as Block;
      }),
      hasDefault: cases.some((c) => c.child(0)?.type === 'default'),
      ...spanOf(node),
    };
  }

  private loop(node: TSNode): SyntaxNode {
    // Fast enumeration (`for (X *x in items) {…}`) has no `body` field: its body is the last child.
    const bodyNode = node.childForFieldName('body') ?? node.namedChild(node.namedChildCount - 1);
    const conditions = ['condition', 'initializer', 'update', 'right']
      .map((f) => this.expr(node.childForFieldName(f)))
      .filter((e): e is Expr => e !== undefined);
    return { kind: 'loop', conditions, body: this.statement(bodyNode, node), ...spanOf(node) };
  }

  private jump(node: TSNode, jump: 'return' | 'break' | 'continue' | 'throw' | 'goto'): SyntaxNode {
    return { kind: 'jump', jump, value: this.expr(node.namedChild(0)), ...spanOf(node) };
  }

  private tryStmt(node: TSNode): SyntaxNode {
    const body = node.namedChildren.find((c) => c.type === 'compound_statement');
    const clauseBody = (c: TSNode) => {
      const block = c.namedChildren.find((x) => x.type === 'compound_statement');
      return block ? this.block(block) : emptyBlock(c);
    };
    const finallyNode = node.namedChildren.find((c) => c.type === 'finally_clause');
    return {
      kind: 'try',
      body: body ? this.block(body) : emptyBlock(node),
      catches: node.namedChildren.filter((c) => c.type === 'catch_clause').map(clauseBody),
      finally: finallyNode ? clauseBody(finallyNode) : undefined,
      ...spanOf(node),
    };
  }

  /** `[receiver sel:arg rest:arg]`, mapped to the Swift call, property or assignment it imports as. */
  private message(node: TSNode): Expr {
    const receiverNode = node.childForFieldName('receiver');
    const pieces: string[] = [];
    const argNodes: TSNode[] = [];
    let nameNode: TSNode | undefined;
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i)!;
      const field = node.fieldNameForChild(i);
      if (field === 'receiver' || !child.isNamed && child.type !== ':') continue;
      if (field === 'method') {
        pieces.push(child.text);
        nameNode ??= child;
      } else if (child.type === ':') {
        if (pieces.length === argNodes.length) pieces.push('');
      } else if (child.isNamed && child.type !== 'comment') argNodes.push(child);
    }
    const selector = argNodes.length === 0 ? pieces.join('') : pieces.map((p) => `${p}:`).join('');
    const receiverText = receiverNode?.type === 'identifier' ? receiverNode.text : undefined;
    const classKey = `${receiverText} ${selector}`;

    const asProperty = OBJC_CLASS_PROPERTIES[classKey];
    if (asProperty) return this.typeMember(node, asProperty.type, asProperty.name, receiverNode!);

    const setter = /^set([A-Z]\w*):$/.exec(selector);
    if (setter && !OBJC_SELECTORS[selector] && argNodes.length === 1 && receiverNode) {
      const target = this.expr(receiverNode);
      const value = this.expr(argNodes[0]);
      const property = lowerFirst(setter[1]!);
      if (target && value) {
        const member: Expr = { kind: 'member', object: target, name: OBJC_PROPERTY_NAMES[property] ?? property, ...spanOf(node) };
        return { kind: 'assign', operator: '=', target: member, value, ...spanOf(node) };
      }
    }

    const allocated = allocatedClass(receiverNode);
    if (allocated && /^init(?![a-z])/.test(selector)) return this.initializer(node, allocated, selector, argNodes, nameNode);

    const asClassMethod = OBJC_CLASS_METHODS[classKey];
    const name = asClassMethod?.name ?? swiftNameForSelector(selector);
    const { base, labels } = parseSwiftName(name);
    const receiver = asClassMethod
      ? asClassMethod.type ? this.typeIdent(receiverNode!, asClassMethod.type) : undefined
      : this.expr(receiverNode);
    const args: Argument[] = argNodes.flatMap((argNode, i) => {
      const value = this.expr(argNode);
      return value ? [{ label: labels[i] ?? '_', value, trailing: false }] : [];
    });
    return { kind: 'call', name, baseName: base, receiver, args, selector, nameSpan: spanOf(nameNode ?? node), ...spanOf(node) };
  }

  /** `[[T alloc] initWithDelegate:d queue:q]` reads as Swift's `T(delegate: d, queue: q)`. */
  private initializer(node: TSNode, type: string, selector: string, argNodes: TSNode[], nameNode: TSNode | undefined): Expr {
    const labels = parseSwiftName(swiftNameForSelector(selector)).labels.map((l, i) => (i === 0 ? initLabel(l) : l));
    const swiftType = OBJC_TYPE_NAMES[type] ?? type;
    const args: Argument[] = argNodes.flatMap((argNode, i) => {
      const value = this.expr(argNode);
      return value ? [{ label: labels[i] ?? '_', value, trailing: false }] : [];
    });
    const name = swiftName(swiftType, labels);
    return { kind: 'call', name, baseName: swiftType, args, selector, nameSpan: spanOf(nameNode ?? node), ...spanOf(node) };
  }

  private typeIdent(at: TSNode, name: string): Expr {
    return { kind: 'ident', name, implicitMember: false, ...spanOf(at) };
  }

  private typeMember(node: TSNode, type: string, name: string, at: TSNode): Expr {
    return { kind: 'member', object: this.typeIdent(at, type), name, ...spanOf(node) };
  }

  /** C calls: `dispatch_async(q, ^{…})` reads as `q.async(execute:)`, like the Swift overlay. */
  private cCall(node: TSNode): Expr {
    const fn = node.childForFieldName('function');
    const argNodes = node.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    const fnName = fn?.type === 'identifier' ? fn.text : '';
    const property = C_FUNCTIONS_AS_PROPERTIES[fnName];
    if (property) return this.typeMember(node, property.type, property.name, fn!);
    const args = argNodes.map((a) => this.expr(a));
    const method = C_FUNCTIONS_AS_METHODS[fnName];
    if (method && args[method.receiverArg]) {
      const { base, labels } = parseSwiftName(method.name);
      const rest = args.filter((_, i) => i !== method.receiverArg);
      return {
        kind: 'call', name: method.name, baseName: base, receiver: args[method.receiverArg],
        args: rest.flatMap((value, i) => (value ? [{ label: labels[i] ?? '_', value, trailing: false }] : [])),
        nameSpan: spanOf(fn!), ...spanOf(node),
      };
    }
    return {
      kind: 'call',
      name: swiftName(fnName, argNodes.map(() => '_')),
      baseName: fnName,
      receiver: fnName ? undefined : this.expr(fn),
      args: args.flatMap((value) => (value ? [{ label: '_', value, trailing: false }] : [])),
      nameSpan: spanOf(fn ?? node),
      ...spanOf(node),
    };
  }

  private blockLiteral(node: TSNode): Expr {
    const params = node.namedChildren.find((c) => c.type === 'parameter_list')?.namedChildren
      .map((p) => /(\w+)\s*$/.exec(p.text)?.[1] ?? p.text) ?? [];
    const body = node.namedChildren.find((c) => c.type === 'compound_statement');
    return { kind: 'closure', params, attributes: [], captures: [], body: body ? this.block(body) : emptyBlock(node), ...spanOf(node) };
  }

  private assign(node: TSNode): Expr {
    const target = this.expr(node.childForFieldName('left'));
    const value = this.expr(node.childForFieldName('right'));
    if (!target || !value) return opaque(node, this.list(node.namedChildren));
    return { kind: 'assign', operator: node.childForFieldName('operator')?.text ?? '=', target, value, ...spanOf(node) };
  }

  private field(node: TSNode): Expr {
    const object = this.expr(node.childForFieldName('argument'));
    const name = node.childForFieldName('field')?.text ?? '';
    if (!object) return opaque(node);
    return { kind: 'member', object, name: OBJC_PROPERTY_NAMES[name] ?? name, ...spanOf(node) };
  }

  private identifier(node: TSNode): Expr {
    const text = node.text;
    if (text === 'self' || text === 'super') return { kind: 'self', super: text === 'super', ...spanOf(node) };
    if (TRUE_WORDS.has(text)) return { kind: 'literal', type: 'bool', value: 'true', elements: [], ...spanOf(node) };
    if (FALSE_WORDS.has(text)) return { kind: 'literal', type: 'bool', value: 'false', elements: [], ...spanOf(node) };
    if (NIL_WORDS.has(text)) return { kind: 'literal', type: 'nil', elements: [], ...spanOf(node) };
    return { kind: 'ident', name: OBJC_TYPE_NAMES[text] ?? text, implicitMember: false, ...spanOf(node) };
  }

  private string(node: TSNode): Expr {
    const parts = node.type === 'concatenated_string' ? node.namedChildren : [node];
    const value = parts.flatMap((p) => p.namedChildren.filter((c) => c.type === 'string_content' || c.type === 'escape_sequence')).map((c) => c.text).join('');
    const dynamic = parts.some((p) => p.type !== 'string_literal');
    return { kind: 'literal', type: 'string', value, dynamic, elements: [], ...spanOf(node) };
  }

  private binary(node: TSNode): Expr {
    const left = this.expr(node.childForFieldName('left'));
    const right = this.expr(node.childForFieldName('right'));
    if (!left || !right) return opaque(node, this.list(node.namedChildren));
    return { kind: 'binary', operator: node.childForFieldName('operator')?.text ?? '', left, right, ...spanOf(node) };
  }

  private unary(node: TSNode): Expr {
    const operand = this.expr(node.childForFieldName('argument'));
    if (!operand) return opaque(node, this.list(node.namedChildren));
    return { kind: 'unary', operator: node.childForFieldName('operator')?.text ?? node.child(0)?.text ?? '', operand, ...spanOf(node) };
  }

  private ternary(node: TSNode): Expr {
    const [condition, whenTrue, whenFalse] = ['condition', 'consequence', 'alternative'].map((f) => this.expr(node.childForFieldName(f)));
    if (!condition || !whenTrue || !whenFalse) return opaque(node, this.list(node.namedChildren));
    return { kind: 'ternary', condition, whenTrue, whenFalse, ...spanOf(node) };
  }

  private cast(node: TSNode): Expr {
    const operand = this.expr(node.childForFieldName('value'));
    if (!operand) return opaque(node);
    const typeName = (node.childForFieldName('type')?.text ?? '').replace(/\s*\*\s*$/, '');
    return { kind: 'cast', operand, typeName, conditional: false, ...spanOf(node) };
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The class of `[T alloc]`, the receiver an initializer message is sent to. */
function allocatedClass(receiver: TSNode | null): string | undefined {
  if (receiver?.type !== 'message_expression') return undefined;
  const inner = receiver.childForFieldName('receiver');
  const method = receiver.childForFieldName('method');
  const isClass = inner?.type === 'identifier' && !/^(self|super)$/.test(inner.text);
  return isClass && method?.text === 'alloc' && receiver.namedChildCount === 2 ? inner!.text : undefined;
}

/** `withDelegate` → `delegate`: Swift drops the `With` of an initializer's first label. */
function initLabel(label: string): string {
  const m = /^with([A-Z])(.*)$/.exec(label);
  return m ? m[1]!.toLowerCase() + m[2]! : label;
}
