import type { Expr } from './ast';
import type { Binding } from './scope';

/**
 * The scope in which `cond` is known to be `when`: a variable of an
 * optional type tested against none (`x != none`, `not (x == none)`, and
 * conjunctions of such tests when true, disjunctions when false) is bound
 * again, to the same slot, with the type it has when it is not none.
 */
export function narrowScope(cond: Expr, when: boolean, scope: Binding | undefined): Binding | undefined {
  if (cond.kind === 'unary' && cond.op === 'not') return narrowScope(cond.operand, !when, scope);
  if (cond.kind !== 'binary') return scope;
  if (cond.op === 'and' && when) return narrowScope(cond.right, true, narrowScope(cond.left, true, scope));
  if (cond.op === 'or' && !when) return narrowScope(cond.right, false, narrowScope(cond.left, false, scope));
  if (!((cond.op === '!=' && when) || (cond.op === '==' && !when))) return scope;
  const named = cond.left.kind === 'name' && cond.right.kind === 'none' ? cond.left : cond.right.kind === 'name' && cond.left.kind === 'none' ? cond.right : undefined;
  if (!named || named.kind !== 'name') return scope;
  let b = scope;
  while (b && b.name !== named.name.text) b = b.outer;
  if (!b || b.type.k !== 'optional') return scope;
  return { name: b.name, slot: b.slot, type: b.type.of, ...(b.nodes ? { nodes: b.nodes } : {}), ...(scope ? { outer: scope } : {}) };
}
