import type { SyntaxNode } from './ir';

/** The direct children of a view node, in source order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  switch (node.kind) {
    case 'file': return node.body;
    case 'type': return node.members;
    case 'function': return node.body ? [node.body] : [];
    case 'var': return compact([node.value, node.getter]);
    case 'block': return node.body;
    case 'if': return compact([...node.conditions, node.then, node.else]);
    case 'guard': return [...node.conditions, node.else];
    case 'switch': return compact([node.subject, ...node.cases]);
    case 'loop': return [...node.conditions, node.body];
    case 'jump': return compact([node.value]);
    case 'defer': return [node.body];
    case 'try': return compact([node.body, ...node.catches, node.finally]);
    case 'call': return compact([node.receiver, ...node.args.map((a) => a.value)]);
    case 'closure': return [node.body];
    case 'assign': return [node.target, node.value];
    case 'member': return [node.object];
    case 'ident': case 'self': return [];
    case 'literal': return node.elements;
    case 'binary': return [node.left, node.right];
    case 'unary': return [node.operand];
    case 'ternary': return [node.condition, node.whenTrue, node.whenFalse];
    case 'binding': return compact([node.value]);
    case 'cast': return [node.operand];
    case 'other': return node.children;
  }
}

function compact<T>(items: (T | undefined)[]): T[] {
  return items.filter((x): x is T => x !== undefined);
}
