/**
 * Call summaries: what a callable does with one value, memoized per function body (and per method
 * of another file, from the project index's plain data), followed through calls to a bounded depth.
 * Every walk is iterative (`descendants`); following a call is one level of an explicit depth
 * counter, never recursion over the tree.
 */
import type { CallExpr, CodeBody, Expr, SyntaxNode } from '../syntax/ir';
import { bindArguments, descendants, enclosingType, memberPath, rootOf } from '../syntax/query';
import type { Obligation } from '../flow/paths';
import type { ProjectIndex } from '../facts/lexical-index';
import { aliasesIn, mentions, refersTo } from './aliases';
import { hopBetween, performHop, performedSelector } from './hops';
import { methodOf, propertyType, resolveCallable, resolveCallee, unwrapExpr } from './resolve';
import { NO_USE } from './types';
import type { Callable, Consumer, Hop, HopKind, ValueNames, ValueUse } from './types';

/** How many calls deep a summary follows (handler → method → helper → …). */
export const MAX_CALL_DEPTH = 6;

export interface UseOptions {
  /** Nodes whose code does not count (the begin call and its expiration handler, when checking the work). */
  skip?: ReadonlySet<SyntaxNode>;
}

export interface ObligationOptions extends UseOptions {
  /** Does a consumption after an async hop discharge it (the work's end may come later; a handler's may not)? */
  deferredCounts?: boolean;
  released?: Obligation['releasedWhen'];
}

const byFile = new WeakMap<SyntaxNode, WeakMap<ProjectIndex, CallSummaries>>();

export class CallSummaries {
  private readonly memo = new Map<SyntaxNode | string, Map<string, ValueUse>>();

  private constructor(private readonly root: SyntaxNode, private readonly index: ProjectIndex) {}

  /** The summaries of one file's tree against one index, shared by every rule linting it. */
  static of(node: SyntaxNode, index: ProjectIndex): CallSummaries {
    const root = rootOf(node);
    let perIndex = byFile.get(root);
    if (!perIndex) byFile.set(root, (perIndex = new WeakMap()));
    let summaries = perIndex.get(index);
    if (!summaries) perIndex.set(index, (summaries = new CallSummaries(root, index)));
    return summaries;
  }

  /** What `expr` (a closure, a name, `self.finish`) refers to, seen from `at`. */
  resolve(expr: Expr, at: SyntaxNode): Callable {
    return resolveCallable(expr, at, this.index);
  }

  /** What calling `callable` does with the value named `names` (any value of the consumer when undefined). */
  useOf(callable: Callable, names: ValueNames, consumer: Consumer, depth = 0): ValueUse {
    if (depth > MAX_CALL_DEPTH) return NO_USE;
    switch (callable.kind) {
      case 'code': {
        const inner = callable.across ? undefined : names;
        return merge(callable.bodies.map((body) => this.memoized(body, inner, consumer, () => this.scanBody(body, inner, consumer, depth))));
      }
      case 'indexed': {
        const inner = callable.across ? undefined : names;
        const key = `${callable.typeName}.${callable.name}`;
        return this.memoized(key, inner, consumer, () => this.indexedUse(callable.typeName, callable.name, inner, consumer, depth));
      }
      case 'parameter': return { ...NO_USE, callsParameter: true };
      case 'external': case 'unknown': return NO_USE;
    }
  }

  /** What running the code at `node` (a statement, a block, a whole body) does with the value. */
  useIn(node: SyntaxNode, names: ValueNames, consumer: Consumer, options: UseOptions = {}): ValueUse {
    return this.scan(node, aliasesIn(node, names), consumer, 0, options.skip);
  }

  /** "On every path, the value is consumed": an obligation for `pathsFrom` / `pathsThrough`. */
  obligation(names: ValueNames, consumer: Consumer, options: ObligationOptions = {}): Obligation {
    return {
      discharges: (node) => {
        const use = this.useIn(node, names, consumer, options);
        return use.consumed === 'sync' || (options.deferredCounts === true && use.consumed === 'deferred');
      },
      releasedWhen: options.released,
    };
  }

  private memoized(key: SyntaxNode | string, names: ValueNames, consumer: Consumer, compute: () => ValueUse): ValueUse {
    let perKey = this.memo.get(key);
    if (!perKey) this.memo.set(key, (perKey = new Map()));
    const valueKey = `${consumer.id}|${names ? [...names].sort().join(',') : '*'}`;
    const known = perKey.get(valueKey);
    if (known) return known;
    perKey.set(valueKey, NO_USE); // a call cycle reads "nothing" while its summary is being built
    const use = compute();
    perKey.set(valueKey, use);
    return use;
  }

  private scanBody(body: CodeBody, names: ValueNames, consumer: Consumer, depth: number): ValueUse {
    return body.body ? this.scan(body.body, aliasesIn(body, names), consumer, depth) : NO_USE;
  }

  /** One iterative walk over the code at `root`; nested `func`s run only when called, so they are skipped. */
  private scan(root: SyntaxNode, names: ValueNames, consumer: Consumer, depth: number, skip?: ReadonlySet<SyntaxNode>): ValueUse {
    const found = new UseBuilder();
    const into = (n: SyntaxNode) => !skip?.has(n) && n.kind !== 'function' && !(n.kind === 'closure' && isDiscarded(n));
    const nodes = skip?.has(root) ? [] : [root, ...descendants(root, into)].filter((n) => !skip?.has(n));
    for (const node of nodes) {
      if (node.kind === 'call') this.visitCall(node, root, names, consumer, depth, found);
      else if (node.kind === 'assign' && node.target.kind !== 'ident' && refersTo(node.value, names)) found.use.stores = true;
      else if (node.kind === 'jump' && node.jump === 'return' && node.value && mentions(node.value, names)) found.use.returns = true;
    }
    return found.use;
  }

  private visitCall(call: CallExpr, root: SyntaxNode, names: ValueNames, consumer: Consumer, depth: number, found: UseBuilder): void {
    const hop = hopBetween(call, root);
    if (consumer.consumes(call, names)) {
      found.consume(hop, [call]);
      return;
    }
    const selector = performedSelector(call);
    if (selector) {
      found.callee(this.useOf(methodOf(enclosingType(call), selector, this.root, this.index), names, consumer, depth + 1), hop ?? performHop(call));
      return;
    }
    const callee = resolveCallee(call, this.index);
    if (callee.kind === 'unknown') {
      if (call.args.some((a) => mentions(a.value, names))) found.use.forwards = true;
    } else {
      found.callee(this.useOf(callee, this.namesForCallee(callee, call, names), consumer, depth + 1), hop);
    }
    // A closure or func passed by name to another call (`client.sync(completion: finish)`, `queue.async(execute: work)`).
    for (const arg of call.args) {
      const value = unwrapExpr(arg.value);
      if (value.kind !== 'ident' && value.kind !== 'member') continue;
      const passed = resolveCallable(value, call, this.index);
      if (passed.kind === 'code' || passed.kind === 'indexed') found.callee(this.useOf(passed, names, consumer, depth + 1), hop ?? hopOfCall(call));
    }
  }

  /** The value's names, plus the callee's parameters that receive it (`[self endTask:task]` → `task`). */
  private namesForCallee(callee: Callable, call: CallExpr, names: ValueNames): ValueNames {
    if (!names || callee.kind !== 'code') return names;
    const extended = new Set(names);
    call.args.forEach((arg, i) => {
      if (!refersTo(arg.value, names)) return;
      for (const body of callee.bodies) if (body.params[i]) extended.add(body.params[i]!);
    });
    return extended;
  }

  /** A method known from the index: its recorded consumptions, then its same-type and property calls. */
  private indexedUse(typeName: string, name: string, names: ValueNames, consumer: Consumer, depth: number): ValueUse {
    const found = new UseBuilder();
    for (const method of this.index.type(typeName)?.methods.filter((m) => m.name === name) ?? []) {
      for (const use of method.uses ?? []) {
        if (use.api !== consumer.indexed) continue;
        if (names && !names.has(use.value) && use.value !== 'invalid') continue;
        found.consume(use.hop ? { kind: use.hop as HopKind } : undefined, []);
      }
      for (const callee of method.calls) {
        if (callee !== name) found.callee(this.useOf(methodOf(typeName, callee, this.root, this.index), names, consumer, depth + 1), undefined);
      }
      for (const later of method.callsLater ?? []) {
        found.callee(this.useOf(methodOf(typeName, later.name, this.root, this.index), names, consumer, depth + 1), { kind: later.hop as HopKind });
      }
      for (const member of method.memberCalls ?? []) {
        const other = propertyType(typeName, member.via, this.root, this.index);
        if (!other) continue;
        const target = methodOf(other, member.method, this.root, this.index);
        found.callee(this.useOf(across(target), undefined, consumer, depth + 1), member.hop ? { kind: member.hop as HopKind } : undefined);
      }
    }
    return found.use;
  }
}

/**
 * A closure written as a statement (or in a comma expression, `dispatch_get_main_queue(), ^{ … };`)
 * is built and thrown away: its code never runs.
 */
function isDiscarded(closure: SyntaxNode): boolean {
  const parent = closure.parent;
  return parent?.kind === 'block' || (parent?.kind === 'other' && parent.text === 'comma_expression');
}

function across(callable: Callable): Callable {
  return callable.kind === 'code' || callable.kind === 'indexed' ? { ...callable, across: true } : callable;
}

/** A call that itself runs what it is given later (`queue.async(execute: work)`). */
function hopOfCall(call: CallExpr): Hop | undefined {
  const kind = ({ async: 'queue-async', asyncAfter: 'async-after', addOperation: 'operation-queue' } as Record<string, HopKind>)[call.baseName];
  return kind ? { kind, call } : undefined;
}

class UseBuilder {
  readonly use: ValueUse = { ...NO_USE, at: [] };

  consume(hop: Hop | undefined, at: CallExpr[]): void {
    if (hop) {
      if (this.use.consumed === 'none') { this.use.consumed = 'deferred'; this.use.hop = hop; }
      this.use.at.push(...at);
    } else {
      this.use.consumed = 'sync';
      this.use.hop = undefined;
      this.use.at.unshift(...at);
    }
  }

  callee(sub: ValueUse, hop: Hop | undefined): void {
    if (sub.consumed === 'sync') this.consume(hop, sub.at);
    else if (sub.consumed === 'deferred') this.consume(hop ?? sub.hop, sub.at);
    this.use.stores ||= sub.stores;
    this.use.forwards ||= sub.forwards;
    this.use.callsParameter ||= sub.callsParameter;
  }
}

function merge(uses: ValueUse[]): ValueUse {
  const found = new UseBuilder();
  for (const use of uses) {
    found.callee(use, undefined);
    found.use.returns ||= use.returns;
  }
  return found.use;
}

const CONVERSIONS = new Set(['rawValue', 'unsignedLongValue', 'unsignedIntegerValue', 'integerValue', 'intValue', 'longValue', 'unsignedIntValue']);

/** A consumer for calls that take the value as an argument: `endBackgroundTask(_:)` and its `_`. */
export function argumentConsumer(id: string, signatures: string[], label = '_', indexed?: string): Consumer {
  return {
    id,
    indexed,
    consumes(call, names) {
      for (const signature of signatures) {
        const args = bindArguments(call, signature);
        if (!args) continue;
        const value = args.get(label);
        if (!names || !value) return true;
        // An identifier the view cannot name (`UIBackgroundTaskIdentifier(rawValue: n)`) is given the benefit of the doubt.
        // `[taskId unsignedLongValue]`, `id.rawValue`: a conversion names the value it converts.
        const path = memberPath(unwrapExpr(value));
        while (path.length > 1 && CONVERSIONS.has(path[path.length - 1]!)) path.pop();
        const last = path[path.length - 1]?.replace(/^_+/, '');
        return last === undefined || last === 'invalid' || names.has(last);
      }
      return false;
    },
  };
}

/** A consumer satisfied by any of several (`endBackgroundTask` or a project wrapper's own end). */
export function anyConsumer(id: string, consumers: Consumer[]): Consumer {
  return {
    id,
    indexed: consumers.find((c) => c.indexed)?.indexed,
    consumes: (call, names) => consumers.some((c) => c.consumes(call, names)),
  };
}

/** A consumer for a closure value that is called: `completion()`, `self.completionHandler?()`, `handler(result)`. */
export function invocationConsumer(id = 'invoke'): Consumer {
  return {
    id,
    consumes(call, names) {
      if (!names) return false;
      const path = memberPath(call.receiver);
      const calleeName = call.receiver && call.baseName === 'callAsFunction' ? path[path.length - 1] : call.baseName;
      return calleeName !== undefined && names.has(calleeName.replace(/^_/, '')) && (path.length === 0 || /^(weak|strong|unowned)?_?[sS]elf$/.test(path[0]!) || call.baseName === 'callAsFunction');
    },
  };
}

