import type { PropertyValue } from '../protocols/protocol';
import { valuesEqual } from '../protocols/values';
import type { Type } from './types';

export { valuesEqual };

/**
 * Run-time values of expressions and protocol properties (see types.ts for
 * which type is which representation). Sets are canonical (sorted by
 * `compareValues`, no duplicates), so equal sets are equal arrays.
 */
export type Value = PropertyValue;

/** A run-time failure of an expression (DS205): integer overflow, division by zero, a missing key. */
export class ExprRuntimeError extends Error {
  constructor(message: string, readonly range?: import('../source').SourceRange) {
    super(message);
  }
}

export function checkedInt(n: number, range?: import('../source').SourceRange): number {
  if (!Number.isSafeInteger(n)) throw new ExprRuntimeError(`integer overflow: the result is beyond ±${Number.MAX_SAFE_INTEGER}`, range);
  return n;
}

/** Integer division rounding toward zero, as in most languages; division by zero is an error. */
export function intDivide(a: number, b: number, range?: import('../source').SourceRange): number {
  if (b === 0) throw new ExprRuntimeError('division by zero', range);
  return checkedInt(Math.trunc(a / b), range);
}

export function intModulo(a: number, b: number, range?: import('../source').SourceRange): number {
  if (b === 0) throw new ExprRuntimeError('modulo by zero', range);
  return a % b;
}

const RANK = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5 } as const;
const rank = (v: Value): number => (v === null ? 0 : Array.isArray(v) ? 4 : RANK[typeof v as 'boolean' | 'number' | 'string' | 'object']);

/** A total order on values, for canonical sets: none, bools, numbers, strings, lists, objects. */
export function compareValues(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return Number(a) - Number(b as boolean);
  if (Array.isArray(a)) {
    const bl = b as readonly Value[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i]!, bl[i]!);
      if (c !== 0) return c;
    }
    return a.length - bl.length;
  }
  if (a === null) return 0;
  const ak = Object.keys(a).sort();
  const bo = b as { readonly [k: string]: Value };
  const c = compareValues(ak, Object.keys(bo).sort());
  if (c !== 0) return c;
  for (const k of ak) {
    const d = compareValues((a as { readonly [k: string]: Value })[k]!, bo[k]!);
    if (d !== 0) return d;
  }
  return 0;
}

/** Sorted, without duplicates. */
export function canonicalSet(items: readonly Value[]): readonly Value[] {
  // Often already in order (members, map keys): one pass instead of a sort.
  let ordered = true;
  for (let i = 1; i < items.length && ordered; i++) ordered = compareValues(items[i - 1]!, items[i]!) < 0;
  if (ordered) return items.slice();
  const sorted = [...items].sort(compareValues);
  const out: Value[] = [];
  for (const v of sorted) if (out.length === 0 || compareValues(out[out.length - 1]!, v) !== 0) out.push(v);
  return out;
}

export function setHas(set: readonly Value[], v: Value): boolean {
  // Binary search: sets are canonical.
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareValues(set[mid]!, v);
    if (c === 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** A time to the nanosecond, in the largest unit that keeps it short: `4.9995s`, `1.5ms`, `-40us`. */
export function formatTime(ns: number): string {
  const abs = Math.abs(ns);
  const [unit, scale, digits] = abs >= 1e9 ? ['s', 1e9, 9] : abs >= 1e6 ? ['ms', 1e6, 6] : abs >= 1e3 ? ['us', 1e3, 3] : ['ns', 1, 0];
  return `${ns < 0 ? '-' : ''}${(abs / scale).toFixed(digits).replace(/\.?0+$/, '')}${unit}`;
}

/** How a value reads in messages and witnesses: times with units, plain words unquoted. */
/** A `latency` option's value at run time: check/options.ts's LatencyModel (not imported: expr sits below check). */
export type DelayModel =
  | { readonly kind: 'fixed'; readonly ns: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly kind: 'exponential'; readonly mean: number };

/** A delay model as written in a binding: `10ms`, `5ms..20ms`, `normal(10ms, 2ms)`, `exponential(5ms)`. */
export function formatDelay(model: DelayModel): string {
  switch (model.kind) {
    case 'fixed': return formatTime(model.ns);
    case 'uniform': return `${formatTime(model.low)}..${formatTime(model.high)}`;
    case 'normal': return `normal(${formatTime(model.mean)}, ${formatTime(model.sd)})`;
    case 'exponential': return `exponential(${formatTime(model.mean)})`;
  }
}

export function formatValue(v: Value, type?: Type): string {
  if (v === null) return 'none';
  if (type?.k === 'latency') return formatDelay(v as unknown as DelayModel);
  if (typeof v === 'number') return type && (type.k === 'time' || (type.k === 'optional' && type.of.k === 'time')) ? formatTime(v) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(v) ? v : JSON.stringify(v);
  const inner = type && (type.k === 'optional' ? type.of : type);
  if (Array.isArray(v)) {
    const of = inner && (inner.k === 'list' || inner.k === 'set') ? inner.of : undefined;
    const items = v.length > 8 ? [...v.slice(0, 3).map((x) => formatValue(x, of)), `… ${v.length - 6} more …`, ...v.slice(-3).map((x) => formatValue(x, of))] : v.map((x) => formatValue(x, of));
    return inner?.k === 'set' ? `{${items.join(', ')}}` : `[${items.join(', ')}]`;
  }
  const o = v as { readonly [k: string]: Value };
  const fieldType = (k: string): Type | undefined => (inner?.k === 'record' ? inner.fields.find(([f]) => f === k)?.[1] : inner?.k === 'map' ? inner.value : undefined);
  const keys = Object.keys(o);
  return keys.length === 0 ? '{}' : `{ ${keys.map((k) => `${k}: ${formatValue(o[k]!, fieldType(k))}`).join(', ')} }`;
}
