import { isDict } from './dict';
import type { LocationNode, PlistPath, PlistValue, SourceLocation } from './types';

/** What path resolution needs to know about a tree (location tree or value tree). */
interface TreeView<T> {
  keys(node: T): Iterable<string>;
  child(node: T, key: string): T | undefined;
  item(node: T, index: number): T | undefined;
}

export const locationTree: TreeView<LocationNode> = {
  keys: (node) => node.keys?.keys() ?? [],
  child: (node, key) => node.keys?.get(key),
  item: (node, index) => node.items?.[index],
};

export const valueTree: TreeView<PlistValue> = {
  keys: (node) => (isDict(node) ? Object.keys(node) : []),
  child: (node, key) => (isDict(node) && Object.hasOwn(node, key) ? node[key] : undefined),
  item: (node, index) => (Array.isArray(node) ? node[index] : undefined),
};

/**
 * Follows a path through a tree. String paths use `.` between keys and `[n]` for array items;
 * keys that themselves contain dots (entitlement names) match whole: the longest key that fits wins.
 */
export function followPath<T>(root: T, path: PlistPath, view: TreeView<T>): T | undefined {
  if (typeof path !== 'string') return followSegments(root, path, view);
  let node: T | undefined = root;
  let rest = path;
  while (node !== undefined && rest !== '') {
    const index = /^\[(\d+)\]/.exec(rest);
    let consumed: number;
    if (index) {
      node = view.item(node, Number(index[1]));
      consumed = index[0].length;
    } else {
      const key = longestKeyPrefix(view.keys(node), rest);
      if (key === undefined) return undefined;
      node = view.child(node, key);
      consumed = key.length;
    }
    rest = rest.slice(consumed);
    if (rest.startsWith('.')) rest = rest.slice(1);
  }
  return node;
}

function followSegments<T>(root: T, path: readonly (string | number)[], view: TreeView<T>): T | undefined {
  let node: T | undefined = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = typeof segment === 'number' ? view.item(node, segment) : view.child(node, segment);
  }
  return node;
}

function longestKeyPrefix(keys: Iterable<string>, rest: string): string | undefined {
  let best: string | undefined;
  for (const key of keys) {
    const fits = rest === key || rest.startsWith(`${key}.`) || rest.startsWith(`${key}[`);
    if (fits && (best === undefined || key.length > best.length)) best = key;
  }
  return best;
}

export function locateXml(root: LocationNode, path: PlistPath): SourceLocation | undefined {
  const node = followPath(root, path, locationTree);
  return node ? { ...node.at } : undefined;
}

export function locateBinary(root: PlistValue, path: PlistPath): SourceLocation | undefined {
  return followPath(root, path, valueTree) === undefined ? undefined : { line: 1, column: 1 };
}
