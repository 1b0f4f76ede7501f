import type { Checked } from './checked';
import { ASSUMED_COLLECTION_SIZE } from './limits';

/** A static estimate of the evaluations one check takes (see limits.ts). */
export function costOf(c: Checked, nodeCount: number): number {
  const size = (over: Checked): number => (over.nodes ? over.nodes.length : over.op === 'set' || over.op === 'list' ? over.items.length : ASSUMED_COLLECTION_SIZE);
  switch (c.op) {
    case 'quantifier': return costOf(c.over, nodeCount) + Math.max(1, size(c.over)) ** c.slots.length * costOf(c.body, nodeCount);
    case 'aggregate': return costOf(c.over, nodeCount) + Math.max(1, size(c.over)) * ((c.where ? costOf(c.where, nodeCount) : 0) + (c.map ? costOf(c.map, nodeCount) : 1));
    default: return 1 + checkedChildren(c).reduce((sum, x) => sum + costOf(x, nodeCount), 0);
  }
}

export function checkedChildren(c: Checked): Checked[] {
  switch (c.op) {
    case 'prop': return c.arg ? [c.target, c.arg] : [c.target];
    case 'set':
    case 'list': return [...c.items];
    case 'record': return c.fields.map(([, f]) => f);
    case 'field': return [c.target];
    case 'index': return [c.target, c.index];
    case 'neg':
    case 'not': return [c.operand];
    case 'arith':
    case 'cmp':
    case 'logic': return [c.left, c.right];
    case 'in': return [c.element, c.collection];
    case 'if': return [c.cond, c.then, c.else];
    case 'quantifier': return [c.over, c.body];
    case 'aggregate': return [c.over, ...(c.where ? [c.where] : []), ...(c.map ? [c.map] : [])];
    case 'call':
    case 'user-call':
    case 'random': return [...c.args];
    default: return [];
  }
}

