import type { Expr } from './ast';
import type { Binding, ExprChecker } from './check';
import { closest } from './check';
import { FUNCTIONS, type Checked, type FunctionName } from './checked';
import { BOOL, elementType, INT, isOrdered, joinTypes, setOf, type Type, typeToString } from './types';

type CallExpr = Extract<Expr, { kind: 'call' }>;

/** A call without a target: a function (`size(s)`, `min(a, b)`) or an aggregate over a comprehension. */
export function checkCall(c: ExprChecker, e: CallExpr, scope: Binding | undefined): Checked {
  const range = e.range;
  const name = e.callee.text;
  if (!(name in FUNCTIONS)) {
    const close = closest(name, Object.keys(FUNCTIONS));
    return c.report('DS183', `unknown function '${name}'${close ? `; did you mean '${close}'?` : `; functions: ${Object.keys(FUNCTIONS).join(', ')}`}`, e.callee.range);
  }
  const fn = name as FunctionName;
  if (e.comprehension) {
    const comp = e.comprehension;
    if (fn !== 'count' && fn !== 'min' && fn !== 'max' && fn !== 'sum') return c.report('DS180', `'${fn}' takes values, not 'x in S ${comp.where ? 'where' : ':'} …'`, range);
    if (comp.variable.text === '') return c.report('DS180', `write the variable and the set before '${comp.where ? 'where' : ':'}': ${fn}(x in S ${comp.where ? 'where P' : ': e'})`, comp.over.range);
    if (fn === 'count' && !comp.where) return c.report('DS180', "count takes a condition: count(x in S where P)", range);
    if (fn !== 'count' && !comp.map) return c.report('DS180', `${fn} takes a value per element: ${fn}(x in S: e)`, range);
    const over = c.check(comp.over, scope);
    const element = c.rangeOver(over, fn);
    const bound = c.bind(comp.variable, element, scope, over.nodes);
    const base = { op: 'aggregate' as const, fn, slot: bound.slot, name: bound.name, over, range };
    if (fn === 'count') return { ...base, where: c.expect(c.check(comp.where!, bound), BOOL, "count's condition"), type: INT };
    const map = c.check(comp.map!, bound);
    if (!isOrdered(map.type)) return c.report('DS180', `${fn} needs ints or times, not ${typeToString(map.type)}`, map.range);
    return { ...base, map, type: map.type };
  }
  const [low, high] = FUNCTIONS[fn].arity;
  if (e.args.length < low || e.args.length > high) {
    const usage = FUNCTIONS[fn].doc.split(':')[0];
    return c.report('DS184', `'${fn}' takes ${low === high ? low : `${low} or ${high}`} argument${high === 1 ? '' : 's'}, not ${e.args.length}: ${usage}`, range);
  }
  const args = e.args.map((a) => c.check(a, scope));
  const call = (type: Type): Checked => ({ op: 'call', fn, args, type, range });
  const t0 = args[0]!.type;
  if (args.some((a) => a.type.k === 'any')) return call(fn === 'size' || fn === 'count' ? INT : fn === 'prefix_agrees' ? BOOL : { k: 'any' });
  switch (fn) {
    case 'size':
      if (t0.k !== 'set' && t0.k !== 'list' && t0.k !== 'map' && t0.k !== 'string') return c.report('DS180', `size needs a set, list, map or string, not ${typeToString(t0)}`, args[0]!.range);
      return call(INT);
    case 'abs':
      if (t0.k !== 'int' && t0.k !== 'time') return c.report('DS180', `abs needs an int or a time, not ${typeToString(t0)}`, args[0]!.range);
      return call(t0);
    case 'keys':
      if (t0.k !== 'map') return c.report('DS180', `keys needs a map, not ${typeToString(t0)}`, args[0]!.range);
      return call(setOf(t0.key));
    case 'prefix_agrees': {
      const [a, b, n] = args as [Checked, Checked, Checked];
      if (a.type.k !== 'list' || !joinTypes(a.type, b.type)) return c.report('DS180', `prefix_agrees compares two lists of the same type, not ${typeToString(a.type)} and ${typeToString(b.type)}`, range);
      c.expect(n, INT, "prefix_agrees's length");
      return call(BOOL);
    }
    case 'min':
    case 'max':
    case 'sum': {
      if (args.length === 2) {
        if (fn === 'sum') return c.report('DS184', 'sum takes one argument: sum(S) or sum(x in S: e)', range);
        const t = joinTypes(t0, args[1]!.type);
        if (!t || !isOrdered(t)) return c.report('DS133', `${fn} compares two ints or two times, not ${typeToString(t0)} and ${typeToString(args[1]!.type)}`, range);
        return call(t);
      }
      const element = elementType(t0);
      if (!element || t0.k === 'map' || !isOrdered(element)) return c.report('DS180', `${fn}(S) needs a set or list of ints or times, not ${typeToString(t0)}; or write ${fn}(x in S: e)`, args[0]!.range);
      return call(element);
    }
    case 'count':
      return c.report('DS180', 'count takes a condition: count(x in S where P)', range);
  }
}
