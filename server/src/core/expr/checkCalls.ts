import type { Expr } from './ast';
import { closest, type Binding, type CallChecker } from './scope';
import { FUNCTIONS, type Checked, type FunctionName, type UserFunction } from './checked';
import { assignable, BOOL, elementType, INT, isOrdered, joinTypes, listOf, setOf, TIME, type Type, typeToString } from './types';

type CallExpr = Extract<Expr, { kind: 'call' }>;

/** A call without a target: a function (`size(s)`, `min(a, b)`) or an aggregate over a comprehension. */
export function checkCall(c: CallChecker, e: CallExpr, scope: Binding | undefined): Checked {
  const range = e.range;
  const name = e.callee.text;
  const code = c.env.protocolCode;
  if (code && name === 'random') return checkRandom(c, e, scope);
  const own = code?.functions.get(name);
  if (own) return checkUserCall(c, own, e, scope);
  if (!(name in FUNCTIONS)) {
    if (code?.laterFunctions?.has(name)) return c.report('DS197', `'${name}' is declared after this function: a fn may call only fns declared before it (so no fn calls itself, directly or not); move '${name}' up`, e.callee.range);
    if (name === 'random') return c.report('DS198', "random(…) draws from the node's own random stream, so it is only available in protocol handlers (not in guards, consts, fns, properties or expectations)", e.callee.range);
    const close = closest(name, [...Object.keys(FUNCTIONS), ...(code ? code.functions.keys() : [])]);
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
    if (!isOrdered(map.type) || (fn === 'sum' && map.type.k === 'node')) return c.report('DS180', `${fn} needs ${fn === 'sum' ? 'ints or times' : 'ints, times or nodes'}, not ${typeToString(map.type)}`, map.range);
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
        if (!t || !isOrdered(t)) return c.report('DS133', `${fn} compares two ints, two times or two nodes, not ${typeToString(t0)} and ${typeToString(args[1]!.type)}`, range);
        return call(t);
      }
      const element = elementType(t0);
      if (!element || t0.k === 'map' || !isOrdered(element) || (fn === 'sum' && element.k === 'node')) return c.report('DS180', `${fn}(S) needs a set or list of ints or times${fn === 'sum' ? '' : ' (or nodes)'}, not ${typeToString(t0)}; or write ${fn}(x in S: e)`, args[0]!.range);
      return call(element);
    }
    case 'count':
      return c.report('DS180', 'count takes a condition: count(x in S where P)', range);
    case 'range':
      c.expect(args[0]!, INT, 'range');
      c.expect(args[1]!, INT, 'range');
      return call(listOf(INT));
    case 'take':
    case 'skip':
      if (t0.k !== 'list') return c.report('DS180', `${fn} needs a list, not ${typeToString(t0)}`, args[0]!.range);
      c.expect(args[1]!, INT, `${fn}'s count`);
      return call(t0);
    case 'values':
      if (t0.k !== 'map') return c.report('DS180', `values needs a map, not ${typeToString(t0)}`, args[0]!.range);
      return call(listOf(t0.value));
    case 'remove':
      if (t0.k !== 'map') return c.report('DS180', `remove needs a map, not ${typeToString(t0)}; remove from a set with s - {x}`, args[0]!.range);
      if (!joinTypes(t0.key, args[1]!.type)) return c.report('DS133', `this map's keys are ${typeToString(t0.key)}, not ${typeToString(args[1]!.type)}`, args[1]!.range);
      return call(t0);
  }
}

/** `f(a, b)` of a protocol's own fn: arity and each argument against its parameter. */
function checkUserCall(c: CallChecker, fn: UserFunction, e: CallExpr, scope: Binding | undefined): Checked {
  if (e.comprehension) return c.report('DS180', `'${fn.name}' takes values, not a comprehension`, e.range);
  if (e.args.length !== fn.params.length) return c.report('DS184', `'${fn.name}' takes ${fn.params.length} argument${fn.params.length === 1 ? '' : 's'}, not ${e.args.length}: ${fn.doc}`, e.range);
  const args = e.args.map((a, i) => {
    const arg = c.check(a, scope);
    const want = fn.params[i]!;
    if (!assignable(want.type, arg.type)) c.report('DS180', `argument '${want.name}' of '${fn.name}' is ${typeToString(want.type)}, not ${typeToString(arg.type)}`, arg.range);
    return arg;
  });
  return { op: 'user-call', fn, args, type: fn.result, range: e.range };
}

/** `random(r)` for a range `{ low, high }`, `random(S)` for a set or list, `random(a, b)` between two ints or times. */
function checkRandom(c: CallChecker, e: CallExpr, scope: Binding | undefined): Checked {
  const range = e.range;
  if (!c.env.protocolCode?.random) return c.report('DS198', "random(…) draws from the node's own random stream, so it is only available in handler bodies (not in guards, consts, fns or state initial values)", e.callee.range);
  if (e.comprehension || e.args.length < 1 || e.args.length > 2) return c.report('DS184', 'random takes a range (random(timeout)), a set or list (random(members)), or two bounds (random(1, 6), random(150ms, 300ms))', range);
  const args = e.args.map((a) => c.check(a, scope));
  if (args.some((a) => a.type.k === 'any')) return { op: 'random', from: 'between', args, type: { k: 'any' }, range };
  const t0 = args[0]!.type;
  if (args.length === 2) {
    const t = joinTypes(t0, args[1]!.type);
    if (!t || (t.k !== 'int' && t.k !== 'time')) return c.report('DS180', `random(a, b) draws between two ints or two times, not ${typeToString(t0)} and ${typeToString(args[1]!.type)}`, range);
    return { op: 'random', from: 'between', args, type: t, range };
  }
  if (t0.k === 'set' || t0.k === 'list') return { op: 'random', from: 'elements', args, type: t0.of, range };
  if (t0.k === 'latency') return { op: 'random', from: 'latency', args, type: TIME, range };
  const bound = rangeBound(t0);
  if (bound) return { op: 'random', from: 'range', args, type: bound, range };
  return c.report('DS180', `random needs a range (an option such as 'timeout: duration range'), a latency option, a set or a list, not ${typeToString(t0)}`, args[0]!.range);
}

/** The bound type of a range value `{ low: T, high: T }` (T an int or a time), else undefined. */
export function rangeBound(t: Type): Type | undefined {
  if (t.k !== 'record' || t.fields.length !== 2) return undefined;
  const low = t.fields.find(([f]) => f === 'low')?.[1];
  const high = t.fields.find(([f]) => f === 'high')?.[1];
  return low && high && (low.k === 'int' || low.k === 'time') && low.k === high.k ? low : undefined;
}
