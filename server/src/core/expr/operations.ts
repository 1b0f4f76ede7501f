import type { SourceRange } from '../source';
import type { FunctionName } from './checked';
import type { ExprReader } from './reader';
import type { Type } from './types';
import { canonicalSet, checkedInt, compareValues, ExprRuntimeError, intDivide, intModulo, valuesEqual, type DelayModel, type Value } from './values';

/**
 * The meaning of each operator and function on run-time values, shared by
 * the compiled closures and the reference evaluator so both agree by
 * construction on everything but evaluation order and dispatch.
 */
export type ArithFn = '+' | '-' | '*' | '/' | '%' | 'union' | 'diff' | 'concat';

export function arithmetic(fn: ArithFn, a: Value, b: Value, range: SourceRange): Value {
  switch (fn) {
    case '+': return checkedInt((a as number) + (b as number), range);
    case '-': return checkedInt((a as number) - (b as number), range);
    case '*': return checkedInt((a as number) * (b as number), range);
    case '/': return intDivide(a as number, b as number, range);
    case '%': return intModulo(a as number, b as number, range);
    case 'union': return setUnion(a as readonly Value[], b as readonly Value[], range);
    case 'diff': return setDifference(a as readonly Value[], b as readonly Value[]);
    case 'concat': return bounded(typeof a === 'string' ? a + (b as string) : [...(a as readonly Value[]), ...(b as readonly Value[])], range);
  }
}

/**
 * The most elements a list or set, or characters a string, may have: a
 * value doubled in a loop (`l = l + l`) would otherwise exhaust memory
 * long before any step budget notices.
 */
export const MAX_COLLECTION_SIZE = 1_000_000;

function bounded<T extends string | readonly Value[]>(v: T, range: SourceRange): T {
  if (v.length > MAX_COLLECTION_SIZE) throw new ExprRuntimeError(`a ${typeof v === 'string' ? 'string' : 'collection'} of more than ${MAX_COLLECTION_SIZE.toLocaleString('en-US')} ${typeof v === 'string' ? 'characters' : 'elements'}`, range);
  return v;
}

/**
 * `a + b` on sets: both are canonical (sorted by compareValues, no
 * repeats), so one merge in linear time keeps the result canonical without
 * sorting. Bounded as the two together (what a concatenation would hold),
 * so the size rule does not depend on how many elements they share.
 */
function setUnion(a: readonly Value[], b: readonly Value[], range: SourceRange): readonly Value[] {
  if (a.length + b.length > MAX_COLLECTION_SIZE) bounded([...a, ...b], range);
  const out: Value[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = compareValues(a[i]!, b[j]!);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** `a - b` on sets in linear time for scalar elements (a JS Set), pairwise for composite ones. */
function setDifference(a: readonly Value[], b: readonly Value[]): readonly Value[] {
  if (b.length === 0) return a;
  if (b.length === 1 && (b[0] === null || typeof b[0] !== 'object')) {
    // `members - {self}`: one scalar to leave out, without a Set.
    const drop = b[0];
    return a.filter((x) => x !== drop);
  }
  if (b.every((y) => y === null || typeof y !== 'object')) {
    const drop = new Set<Value>(b);
    return a.filter((x) => !drop.has(x));
  }
  return a.filter((x) => !b.some((y) => valuesEqual(x, y)));
}

/**
 * Where an ordered value stands: ints and times are their own rank; a node
 * (a name at run time) ranks by its declared position, which only the
 * reader knows. Absent: the values are numbers.
 */
export type Rank = (v: Value) => number;

/** The rank of values of `type` (or of its elements: a set or list of nodes), read through `r`; undefined for numbers. */
export function rankOf(type: Type, r: ExprReader): Rank | undefined {
  const t = type.k === 'set' || type.k === 'list' ? type.of : type;
  return t.k === 'node' ? (v) => r.nodeIndex(v as string) : undefined;
}

export function compareOp(fn: '==' | '!=' | '<' | '<=' | '>' | '>=', a: Value, b: Value, rank?: Rank): boolean {
  if (fn === '==') return valuesEqual(a, b);
  if (fn === '!=') return !valuesEqual(a, b);
  const x = rank ? rank(a) : (a as number);
  const y = rank ? rank(b) : (b as number);
  switch (fn) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
}

/** A map's keys as values of the key type (maps are objects with string keys at run time). */
export function mapKeys(m: Value, keyType: Type | undefined): readonly Value[] {
  const keys = Object.keys(m as object);
  return canonicalSet(keyType && (keyType.k === 'int' || keyType.k === 'time') ? keys.map(Number) : keys);
}

/** The elements a quantifier or aggregate ranges over. */
export function elementsOf(collection: Value, on: Type): readonly Value[] {
  if (on.k === 'map') return mapKeys(collection, on.key);
  return collection as readonly Value[];
}

export function member(element: Value, collection: Value, on: 'set' | 'list' | 'map'): boolean {
  if (on === 'map') return element !== null && Object.prototype.hasOwnProperty.call(collection, String(element));
  const items = collection as readonly Value[];
  for (let i = 0; i < items.length; i++) if (valuesEqual(items[i]!, element)) return true;
  return false;
}

export function indexInto(target: Value, index: Value, on: 'list' | 'map', range: SourceRange): Value {
  if (on === 'list') {
    const list = target as readonly Value[];
    const i = index as number;
    if (i < 0 || i >= list.length) throw new ExprRuntimeError(`list index ${i} is out of range: the list has ${list.length} entr${list.length === 1 ? 'y' : 'ies'} (indices count from 0)`, range);
    return list[i]!;
  }
  const key = String(index);
  if (!Object.prototype.hasOwnProperty.call(target, key)) throw new ExprRuntimeError(`the map has no key ${JSON.stringify(index)}; test 'k in m' first`, range);
  return (target as { readonly [k: string]: Value })[key]!;
}

export function extreme(fn: 'min' | 'max', items: readonly Value[], range: SourceRange, rank?: Rank): Value {
  if (items.length === 0) throw new ExprRuntimeError(`${fn} of an empty set`, range);
  if (rank) {
    let best = items[0]!;
    let bestRank = rank(best);
    for (let i = 1; i < items.length; i++) {
      const r = rank(items[i]!);
      if (fn === 'min' ? r < bestRank : r > bestRank) [best, bestRank] = [items[i]!, r];
    }
    return best;
  }
  let best = items[0] as number;
  for (let i = 1; i < items.length; i++) {
    const v = items[i] as number;
    if (fn === 'min' ? v < best : v > best) best = v;
  }
  return best;
}

/** The number of elements of a set, list or map, or characters of a string. */
export function sizeOf(a: Value): number {
  return typeof a === 'string' || Array.isArray(a) ? a.length : Object.keys(a as object).length;
}

/** `rank` orders the arguments of min and max when they are nodes (see rankOf). */
export function callFunction(fn: FunctionName, args: readonly Value[], argTypes: readonly Type[], range: SourceRange, rank?: Rank): Value {
  switch (fn) {
    case 'size': return sizeOf(args[0]!);
    case 'abs': return Math.abs(args[0] as number);
    case 'keys': return mapKeys(args[0]!, argTypes[0]?.k === 'map' ? argTypes[0].key : undefined);
    case 'prefix_agrees': {
      const a = args[0] as readonly Value[];
      const b = args[1] as readonly Value[];
      const n = args[2] as number;
      if (n > a.length || n > b.length) return false;
      for (let i = 0; i < n; i++) if (!valuesEqual(a[i]!, b[i]!)) return false;
      return true;
    }
    case 'min':
    case 'max':
      if (args.length === 2) return compareOp(fn === 'min' ? '<=' : '>=', args[0]!, args[1]!, rank) ? args[0]! : args[1]!;
      return extreme(fn, args[0] as readonly Value[], range, rank);
    case 'sum': {
      let total = 0;
      for (const v of args[0] as readonly Value[]) total = checkedInt(total + (v as number), range);
      return total;
    }
    case 'count': return 0;
    case 'range': {
      const [a, b] = args as [number, number];
      if (b - a > MAX_COLLECTION_SIZE) throw new ExprRuntimeError(`range(${a}, ${b}) has more than ${MAX_COLLECTION_SIZE.toLocaleString('en-US')} elements`, range);
      const out: number[] = [];
      for (let i = a; i < b; i++) out.push(i);
      return out;
    }
    case 'take': return (args[0] as readonly Value[]).slice(0, Math.max(0, args[1] as number));
    case 'skip': return (args[0] as readonly Value[]).slice(Math.max(0, args[1] as number));
    case 'values': {
      const m = args[0] as { readonly [k: string]: Value };
      return mapKeys(m, argTypes[0]?.k === 'map' ? argTypes[0].key : undefined).map((k) => m[String(k)]!);
    }
    case 'remove': {
      const m = args[0] as { readonly [k: string]: Value };
      const key = String(args[1]);
      if (!Object.prototype.hasOwnProperty.call(m, key)) return m;
      const out: { [k: string]: Value } = {};
      for (const k of Object.keys(m)) {
        if (k === key) continue;
        if (k === '__proto__') Object.defineProperty(out, k, { value: m[k]!, enumerable: true, writable: true, configurable: true });
        else out[k] = m[k]!;
      }
      return out;
    }
  }
}

export { compareValues };

/**
 * A time drawn from a delay model the way the network draws a latency
 * (sim/network.ts): uniform over whole nanoseconds with both ends included,
 * normal by Box–Muller cut at 0, exponential by inversion; whole ns.
 */
function drawDelay(model: DelayModel, random: () => number): number {
  switch (model.kind) {
    case 'fixed': return model.ns;
    case 'uniform': return model.low + Math.floor(random() * (model.high - model.low + 1));
    case 'normal': {
      const u = 1 - random();
      const v = random();
      return Math.max(0, Math.round(model.mean + model.sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
    }
    case 'exponential': return Math.round(-model.mean * Math.log(1 - random()));
  }
}


/**
 * `random(…)` on evaluated arguments (see the 'random' op in checked.ts):
 * one draw from the reader's stream, uniform over the whole numbers from low
 * to high (both included) or over the elements.
 */
export function drawRandom(from: 'range' | 'elements' | 'between' | 'latency', args: readonly Value[], reader: ExprReader, range: SourceRange): Value {
  if (!reader.random) throw new ExprRuntimeError('random(…) has no random stream here', range);
  if (from === 'latency') return drawDelay(args[0] as unknown as DelayModel, () => reader.random!());
  if (from === 'elements') {
    const items = args[0] as readonly Value[];
    if (items.length === 0) throw new ExprRuntimeError('random of an empty set or list', range);
    return items[Math.floor(reader.random() * items.length)]!;
  }
  const [low, high] = from === 'range' ? [(args[0] as { low: number }).low, (args[0] as { high: number }).high] : [args[0] as number, args[1] as number];
  if (low > high) throw new ExprRuntimeError(`random(${low}, ${high}): the low bound is above the high one`, range);
  // Two draws when the span is beyond what one 53-bit draw resolves evenly (times of hours in ns).
  const span = high - low + 1;
  const draw = span <= 2 ** 32 ? Math.floor(reader.random() * span) : Math.floor(reader.random() * 2 ** 21) * 2 ** 32 % span + Math.floor(reader.random() * 2 ** 32);
  return low + (draw % span);
}
