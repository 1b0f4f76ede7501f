/**
 * A message payload as a JSON value, for `dsync run --json`: taken when the
 * message is sent (a protocol that changes the object later does not change
 * the trace), deterministic, and safe to serialise whatever a protocol sent.
 *
 * The shape (docs/language.md, "The trace as JSON"): numbers, strings,
 * booleans and null as themselves (a non-finite number is null); an array or
 * typed array as an array; a Set as an array sorted by each element's JSON
 * text; a Map as an object keyed by each key's text, keys sorted; a plain
 * object as an object in its own key order, without undefined or function
 * members. A written protocol's payload is `{ field: value }` with values in
 * the shape of protocol state: time in integer ns, a node by name, none as
 * null, a set as a sorted array, a map as an object, a record as an object.
 * Anything nested deeper than MAX_DEPTH, or a cycle, is the string "…".
 */
export interface PayloadJson {
  readonly value: JsonValue;
  /** About how many bytes the value holds (for the trace's memory budget). */
  readonly bytes: number;
}

export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 32;
const CUT = '…';

export function payloadJson(payload: unknown): PayloadJson {
  let bytes = 0;
  const seen = new Set<object>();
  const convert = (v: unknown, depth: number): JsonValue | undefined => {
    switch (typeof v) {
      case 'number':
        bytes += 8;
        return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
      case 'string':
        bytes += 24 + 2 * v.length;
        return v;
      case 'boolean':
        bytes += 8;
        return v;
      case 'bigint':
        bytes += 24;
        return v.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        break;
    }
    if (v === null) return null;
    const o = v as object;
    if (depth >= MAX_DEPTH || seen.has(o)) return CUT;
    seen.add(o);
    bytes += 32;
    let out: JsonValue;
    if (Array.isArray(o)) out = o.map((x) => convert(x, depth + 1) ?? null);
    else if (ArrayBuffer.isView(o)) out = Array.from(o as unknown as ArrayLike<number>, (x) => convert(x, depth + 1) ?? null);
    else if (o instanceof Set) {
      out = [...o].map((x) => convert(x, depth + 1) ?? null).map((x) => [JSON.stringify(x), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, x]) => x);
    } else if (o instanceof Map) {
      const entries = [...o].map(([k, x]) => [typeof k === 'string' ? k : JSON.stringify(convert(k, depth + 1) ?? null), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const obj: { [key: string]: JsonValue } = {};
      for (const [k, x] of entries) {
        const c = convert(x, depth + 1);
        if (c !== undefined) obj[k] = c;
      }
      out = obj;
    } else {
      const obj: { [key: string]: JsonValue } = {};
      for (const k of Object.keys(o)) {
        const c = convert((o as Record<string, unknown>)[k], depth + 1);
        if (c !== undefined) {
          obj[k] = c;
          bytes += 16 + 2 * k.length;
        }
      }
      out = obj;
    }
    seen.delete(o);
    return out;
  };
  const value = convert(payload, 0);
  return { value: value === undefined ? null : value, bytes };
}
