import type { Mix, PropertyValue } from './protocol';

/**
 * Property values (see PropertyValue): exact equality, the display form for
 * hovers and messages, a hash for exploration, and helpers protocols use to
 * build canonical collections. Equality is structural and exact: two Raft
 * logs are equal when every entry is, not when their displays agree.
 */

/** Structural equality: same kind, same scalars, same elements in order, same keys with equal values. */
export function valuesEqual(a: PropertyValue, b: PropertyValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const aList = Array.isArray(a);
  if (aList !== Array.isArray(b)) return false;
  if (aList) {
    const x = a as readonly PropertyValue[];
    const y = b as readonly PropertyValue[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!valuesEqual(x[i]!, y[i]!)) return false;
    return true;
  }
  const x = a as { readonly [key: string]: PropertyValue };
  const y = b as { readonly [key: string]: PropertyValue };
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(y, k) || !valuesEqual(x[k]!, y[k]!)) return false;
  return true;
}

export interface FormatOptions {
  /** Lists and maps longer than this show their last `limit` elements after `…` (hover); absent: all. */
  readonly limit?: number;
  /** A string on its own is shown without quotes (a table cell); inside a collection it keeps them. */
  readonly bare?: boolean;
}

/**
 * The display form: `3`, `"leader"`, `true`, `none`, `[1, 2]`,
 * `{term: 2, command: "put x=1"}`. For hovers and messages only; never
 * compared (two values with the same display may differ when a limit cuts them).
 */
export function formatValue(v: PropertyValue | undefined, options: FormatOptions = {}): string {
  if (v === undefined || v === null) return 'none';
  if (typeof v === 'string') return options.bare && v !== '' ? v : JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (options.bare) options = { ...options, bare: false };
  const limit = options.limit;
  if (Array.isArray(v)) {
    const list = v as readonly PropertyValue[];
    const cut = limit !== undefined && list.length > limit ? list.length - limit : 0;
    const shown = list.slice(cut).map((x) => formatValue(x, options));
    return `[${cut ? `… ${cut} more, ` : ''}${shown.join(', ')}]`;
  }
  const entries = Object.entries(v as { readonly [key: string]: PropertyValue });
  const cut = limit !== undefined && entries.length > limit ? entries.length - limit : 0;
  const shown = entries.slice(cut).map(([k, x]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue(x, options)}`);
  return `{${cut ? `… ${cut} more, ` : ''}${shown.join(', ')}}`;
}

/**
 * Where two unequal collections first differ, `element 3: {…} vs {…}` or
 * `key "x": "1" vs none`, so a message can name it when the display is cut;
 * undefined when they are equal or not both lists or both maps.
 */
export function firstDifference(a: PropertyValue, b: PropertyValue): string | undefined {
  if (valuesEqual(a, b) || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    const x = a as readonly PropertyValue[];
    const y = b as readonly PropertyValue[];
    let i = 0;
    while (i < x.length && i < y.length && valuesEqual(x[i]!, y[i]!)) i++;
    return `element ${i + 1}: ${i < x.length ? formatValue(x[i]) : 'nothing'} vs ${i < y.length ? formatValue(y[i]) : 'nothing'}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) return undefined;
  const x = a as { readonly [key: string]: PropertyValue };
  const y = b as { readonly [key: string]: PropertyValue };
  const key = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort().find((k) => !(k in x) || !(k in y) || !valuesEqual(x[k]!, y[k]!))!;
  return `key ${JSON.stringify(key)}: ${formatValue(x[key])} vs ${formatValue(y[key])}`;
}

/**
 * Feeds a value to an exploration hash: numbers by their two 32-bit halves,
 * booleans and none as marker values, strings by character, collections
 * element by element between markers (so `[1], [2]` and `[1, 2]` differ).
 */
export function mixValue(v: PropertyValue, mix: Mix): void {
  if (typeof v === 'number') {
    mix(v | 0);
    mix((v / 4294967296) | 0);
  } else if (typeof v === 'boolean') {
    mix(v ? 0x51 : 0x50);
  } else if (v === null) {
    mix(0x4e);
  } else if (typeof v === 'string') {
    for (let i = 0; i < v.length; i++) mix(v.charCodeAt(i));
    mix(0x2c);
  } else if (Array.isArray(v)) {
    mix(0x5b);
    for (const x of v as readonly PropertyValue[]) mixValue(x, mix);
    mix(0x5d);
  } else {
    mix(0x7b);
    for (const [k, x] of Object.entries(v as { readonly [key: string]: PropertyValue })) {
      mixValue(k, mix);
      mixValue(x, mix);
    }
    mix(0x7d);
  }
}

/** A set value: sorted (numbers numerically, strings by code unit) and without repeats. */
export function setValue<T extends string | number>(items: Iterable<T>): readonly T[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A map value: a plain object with its keys in sorted order (so equal maps serialise alike). */
export function mapValue(entries: Iterable<readonly [string, PropertyValue]>): { readonly [key: string]: PropertyValue } {
  const out: { [key: string]: PropertyValue } = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}
