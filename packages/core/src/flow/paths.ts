/**
 * Path analysis over the syntax view's structured statements (no goto-style jumps but `break`,
 * `continue`, `return`, `throw`), shared by every rule that asks "on every path from A, does B happen?"
 * or "is A reached only when check C held?".
 *
 * Recursion here follows statement nesting, which the lowering caps (MAX_SYNTAX_DEPTH).
 */
import type { Block, CodeBody, Expr, JumpStmt, SyntaxNode } from '../syntax/ir';

export interface Obligation {
  /** Does running this simple statement (or expression) discharge the obligation? */
  discharges(node: SyntaxNode): boolean;
  /**
   * Does a branch taken when `condition` is `holds` need nothing more (the task already ended, its
   * owner gone)? Such a branch's exits are not leaks.
   */
  releasedWhen?(condition: Expr, holds: boolean): boolean;
}

export interface PathLeaks {
  /** `return`/`throw` statements reached with the obligation still open. */
  exits: JumpStmt[];
  /** The end of the body is reached with the obligation still open. */
  fallsOffEnd: boolean;
}

/**
 * Follows every path from just after `start` (a node somewhere in `body`) to the end of `body`, and
 * reports where the code leaves without discharging the obligation. A `defer` or `@finally` that
 * discharges it, registered on the way, covers every exit after it.
 */
export function pathsFrom(body: CodeBody, start: SyntaxNode, obligation: Obligation): PathLeaks {
  const walker = new PathWalker(obligation);
  const root = body.body;
  if (!root) return { exits: [], fallsOffEnd: false };
  let open = true;
  let child: SyntaxNode = statementOf(start, root);
  let covered = coveredByEnclosing(child, root, obligation);
  while (open && child !== root) {
    const parent = child.parent!;
    if (parent.kind === 'block') {
      const rest = parent.body.slice(parent.body.indexOf(child) + 1);
      const result = walker.run(rest, covered);
      open = result.open;
      covered = result.covered;
    } else if (parent.kind === 'guard' && parent.else === child) {
      open = false; // a guard's else leaves the scope: its own jump was already walked
    }
    child = parent;
  }
  return { exits: walker.leaks, fallsOffEnd: open && !covered };
}

/** Follows every path through a whole body (a closure the work was handed to) from its first statement. */
export function pathsThrough(body: CodeBody, obligation: Obligation): PathLeaks {
  const walker = new PathWalker(obligation);
  const open = body.body ? walker.run(body.body.body, false) : { open: true, covered: false };
  return { exits: walker.leaks, fallsOffEnd: open.open && !open.covered };
}

/** The ancestor of `node` that sits directly in a block under `root` (or `node` itself). */
function statementOf(node: SyntaxNode, root: Block): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.kind !== 'block' && n !== root) n = n.parent;
  return n;
}

/** A defer before `node` in any enclosing block, or an enclosing `@finally`, that discharges it. */
function coveredByEnclosing(node: SyntaxNode, root: Block, obligation: Obligation): boolean {
  for (let child = node, p = node.parent; p && child !== root; child = p, p = p.parent) {
    if (p.kind === 'block') {
      const before = p.body.slice(0, p.body.indexOf(child));
      if (before.some((s) => s.kind === 'defer' && blockDischarges(s.body, obligation))) return true;
    }
    if (p.kind === 'try' && p.body === child && p.finally && blockDischarges(p.finally, obligation)) return true;
  }
  return false;
}

function blockDischarges(block: Block, obligation: Obligation): boolean {
  return block.body.some((s) => obligation.discharges(s));
}

class PathWalker {
  readonly leaks: JumpStmt[] = [];

  constructor(private readonly obligation: Obligation) {}

  /** Runs statements with the obligation open; returns whether it may still be open at their end. */
  run(statements: SyntaxNode[], covered: boolean): { open: boolean; covered: boolean } {
    for (const statement of statements) {
      if (statement.kind === 'defer') {
        covered ||= blockDischarges(statement.body, this.obligation);
        continue;
      }
      const open = this.statement(statement, covered);
      if (!open) return { open: false, covered };
    }
    return { open: true, covered };
  }

  /** A branch taken when all `conditions` held: one released condition is enough. */
  private releasedIfAny(conditions: Expr[], holds: boolean): boolean {
    return conditions.some((c) => this.obligation.releasedWhen?.(c, holds) ?? false);
  }

  /** A branch taken when some condition failed: any of them may be the one, so all must release. */
  private releasedIfEvery(conditions: Expr[], holds: boolean): boolean {
    return conditions.length > 0 && conditions.every((c) => this.obligation.releasedWhen?.(c, holds) ?? false);
  }

  /** Whether the obligation may still be open after `node`. */
  private statement(node: SyntaxNode, covered: boolean): boolean {
    switch (node.kind) {
      case 'jump':
        if ((node.jump === 'return' || node.jump === 'throw') && !covered) {
          if (!(node.value && this.obligation.discharges(node.value))) this.leaks.push(node);
        }
        return false;
      case 'block':
        return this.run(node.body, covered).open;
      case 'if': {
        if (node.conditions.some((c) => this.obligation.discharges(c))) return false;
        const thenOpen = this.releasedIfAny(node.conditions, true) ? false : this.run(node.then.body, covered).open;
        // Without an else, the fall-through is the else path: released too when the check's failure means "already ended".
        const elseReleased = this.releasedIfEvery(node.conditions, false);
        const elseOpen = node.else && !elseReleased ? this.statement(node.else, covered) : !elseReleased;
        return thenOpen || elseOpen;
      }
      case 'guard':
        if (node.conditions.some((c) => this.obligation.discharges(c))) return false;
        if (!this.releasedIfEvery(node.conditions, false)) this.run(node.else.body, covered);
        return true;
      case 'switch': {
        const open = node.cases.map((c) => this.run(c.body, covered).open);
        return open.some(Boolean) || !node.hasDefault;
      }
      case 'loop':
        this.run(node.body.body, covered);
        return true;
      case 'try': {
        const finallyCovers = node.finally ? blockDischarges(node.finally, this.obligation) : false;
        const bodyOpen = this.run(node.body.body, covered || finallyCovers).open;
        const catchOpen = node.catches.map((c) => this.run(c.body, covered || finallyCovers).open);
        return !finallyCovers && (bodyOpen || catchOpen.some(Boolean));
      }
      default:
        return !this.obligation.discharges(node);
    }
  }
}

// ── dominance by a check ──────────────────────────────────────────────────────

/** A predicate on a condition: `negated` is true when the code runs only if the condition is false. */
export type CheckTest = (condition: Expr, negated: boolean) => boolean;

/**
 * Is `node` reached only after a condition that `isCheck` accepts held? Counts an enclosing `if`
 * (then-branch), an `else` of a negated check, a ternary branch, the right side of `&&`, and an
 * earlier `guard check else { exit }` or `if !check { exit }` in an enclosing block.
 */
export function isGuardedBy(node: SyntaxNode, isCheck: CheckTest): boolean {
  const holds = (c: Expr, negated: boolean) => conditionHolds(c, negated, isCheck);
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    switch (p.kind) {
      case 'if':
        if (p.then === child && p.conditions.some((c) => holds(c, false))) return true;
        if (p.else === child && p.conditions.length === 1 && holds(p.conditions[0]!, true)) return true;
        break;
      case 'ternary':
        if (p.whenTrue === child && holds(p.condition, false)) return true;
        if (p.whenFalse === child && holds(p.condition, true)) return true;
        break;
      case 'binary':
        if (p.operator === '&&' && p.right === child && holds(p.left, false)) return true;
        break;
      case 'block':
        if (p.body.slice(0, p.body.indexOf(child)).some((s) => exitsUnless(s, holds))) return true;
        break;
      case 'function':
        return false;
    }
  }
  return false;
}

/** `guard check else { return }` or `if !check { return }`: what follows runs only when check held. */
function exitsUnless(statement: SyntaxNode, holds: (c: Expr, negated: boolean) => boolean): boolean {
  if (statement.kind === 'guard') return statement.conditions.some((c) => holds(c, false));
  if (statement.kind === 'if' && !statement.else && alwaysExits(statement.then)) {
    return statement.conditions.length === 1 && holds(statement.conditions[0]!, true);
  }
  return false;
}

function alwaysExits(block: Block): boolean {
  const last = block.body[block.body.length - 1];
  return last?.kind === 'jump' && last.jump !== 'continue' && last.jump !== 'break';
}

/** Sees through `!`, `&&` (positive), `||` (negated), parentheses and comparisons with `true`/`false`. */
function conditionHolds(c: Expr, negated: boolean, isCheck: CheckTest): boolean {
  if (c.kind === 'unary' && c.operator === '!') return conditionHolds(c.operand, !negated, isCheck);
  if (c.kind === 'binary') {
    if (c.operator === '&&' && !negated) return conditionHolds(c.left, false, isCheck) || conditionHolds(c.right, false, isCheck);
    if (c.operator === '||' && negated) return conditionHolds(c.left, true, isCheck) || conditionHolds(c.right, true, isCheck);
    const other = c.right.kind === 'literal' && c.right.type === 'bool' ? c.right : undefined;
    if (other && (c.operator === '==' || c.operator === '!=')) {
      const flips = (other.value === 'false') !== (c.operator === '!=');
      return conditionHolds(c.left, flips ? !negated : negated, isCheck);
    }
  }
  return isCheck(c, negated);
}
