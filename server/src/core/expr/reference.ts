import type { Checked, CheckedWithSource } from './checked';
import { arithmetic, callFunction, compareOp, drawRandom, elementsOf, extreme, indexInto, member, rankOf } from './operations';
import type { ExprReader } from './reader';
import { canonicalSet, ExprRuntimeError, type Value } from './values';

/** Values of bound variables by slot (a persistent list: each binding extends its parent). */
export interface Scope {
  readonly slot: number;
  readonly value: Value;
  readonly outer: Scope | undefined;
}

export function lookup(scope: Scope | undefined, slot: number): Value {
  for (let s = scope; s; s = s.outer) if (s.slot === slot) return s.value;
  throw new Error(`unbound slot ${slot}`);
}

/**
 * The slow, obviously-right evaluator: walks the checked tree on every call,
 * with variables in a linked scope. Tests compare the compiled closures
 * against it on random states; witnesses (explain.ts) use it to re-run a
 * violated expression and find the bindings that broke it.
 */
export function evaluateReference(c: CheckedWithSource, reader: ExprReader): Value {
  return evaluate(c.checked, reader, undefined);
}

export function evaluate(c: Checked, r: ExprReader, scope: Scope | undefined): Value {
  const ev = (x: Checked, s: Scope | undefined = scope): Value => evaluate(x, r, s);
  switch (c.op) {
    case 'const': return c.value;
    case 'slot': return lookup(scope, c.slot);
    case 'env': return r.variable(c.name);
    case 'prop': {
      const node = ev(c.target) as string;
      const index = r.nodeIndex(node);
      if (c.builtin) {
        const arg = c.arg === undefined ? undefined : ev(c.arg);
        return r.builtin(index, c.name, arg === undefined ? undefined : c.arg!.type.k === 'node' ? r.nodeIndex(arg as string) : (arg as string));
      }
      const v = r.property(index, c.name);
      if (v === undefined) throw new ExprRuntimeError(`${node} has no '${c.name}' now (it has not started or is down)`, c.range);
      return v;
    }
    case 'set': return canonicalSet(c.items.map((i) => ev(i)));
    case 'list': return c.items.map((i) => ev(i));
    case 'record': return Object.fromEntries(c.fields.map(([name, v]) => [name, ev(v)]));
    case 'field': return (ev(c.target) as { readonly [k: string]: Value })[c.name] ?? null;
    case 'index': return indexInto(ev(c.target), ev(c.index), c.on, c.range);
    case 'neg': return 0 - (ev(c.operand) as number);
    case 'not': return !ev(c.operand);
    case 'arith': return arithmetic(c.fn, ev(c.left), ev(c.right), c.range);
    case 'cmp': return compareOp(c.fn, ev(c.left), ev(c.right), rankOf(c.left.type.k === 'any' ? c.right.type : c.left.type, r));
    case 'logic': {
      const left = ev(c.left) === true;
      if (c.fn === 'and') return left && ev(c.right) === true;
      if (c.fn === 'or') return left || ev(c.right) === true;
      return !left || ev(c.right) === true;
    }
    case 'in': return member(ev(c.element), ev(c.collection), c.on);
    case 'if': return ev(c.cond) === true ? ev(c.then) : ev(c.else);
    case 'quantifier': {
      const items = elementsOf(ev(c.over), c.over.type);
      const want = c.fn === 'exists';
      const search = (depth: number, s: Scope | undefined): boolean => {
        if (depth === c.slots.length) return ev(c.body, s) === true;
        for (const item of items) if (search(depth + 1, { slot: c.slots[depth]!, value: item, outer: s }) === want) return want;
        return !want;
      };
      return search(0, scope);
    }
    case 'aggregate': {
      const items = elementsOf(ev(c.over), c.over.type);
      const bind = (item: Value): Scope => ({ slot: c.slot, value: item, outer: scope });
      if (c.fn === 'count') return items.filter((item) => ev(c.where!, bind(item)) === true).length;
      const values = items.map((item) => ev(c.map!, bind(item)));
      return c.fn === 'sum' ? callFunction('sum', [values], [], c.range) : extreme(c.fn, values, c.range, rankOf(c.type, r));
    }
    case 'call': return callFunction(c.fn, c.args.map((a) => ev(a)), c.args.map((a) => a.type), c.range, rankOf(c.type, r));
    case 'user-call': {
      let inner: Scope | undefined = scope;
      c.fn.params.forEach((p, i) => (inner = { slot: p.slot, value: ev(c.args[i]!), outer: inner }));
      return evaluate(c.fn.body!, r, inner);
    }
    case 'random': return drawRandom(c.from, c.args.map((a) => ev(a)), r, c.range);
  }
}
