/**
 * The type language of DSync expressions. Property types are written as
 * text in the same syntax users write (`'int'`, `'node?'`,
 * `'list<{ term: int, command: string }>'`); `parseTypeText` reads it.
 *
 * Run-time representation of each type (what protocols' `inspect()` returns
 * and what compiled expressions compute): int and time → number (exact safe
 * integers; time in ns), bool → boolean, string and node → string (a node is
 * its name), none → null, list and set → readonly arrays (a set is sorted
 * and free of duplicates), map and record → plain objects.
 */
export type Type =
  | { readonly k: 'int' }
  | { readonly k: 'bool' }
  | { readonly k: 'string' }
  | { readonly k: 'time' }
  | { readonly k: 'node' }
  /** The type of the literal `none` before it meets an optional. */
  | { readonly k: 'none' }
  | { readonly k: 'set'; readonly of: Type }
  | { readonly k: 'list'; readonly of: Type }
  | { readonly k: 'map'; readonly key: Type; readonly value: Type }
  | { readonly k: 'record'; readonly fields: readonly (readonly [string, Type])[] }
  | { readonly k: 'optional'; readonly of: Type }
  /**
   * A delay model, the value of a written protocol's `latency` option
   * (`10ms`, `5ms..20ms`, `normal(10ms, 2ms)`, `exponential(5ms)`): only
   * `random(x)` reads it, drawing a time as the network draws a latency.
   * At run time the model as the option checker gives it (check/options.ts LatencyModel).
   */
  | { readonly k: 'latency' }
  /** Unknown: an empty collection's element, or an expression that already has an error (no second report). */
  | { readonly k: 'any' };

export const INT: Type = { k: 'int' };
export const BOOL: Type = { k: 'bool' };
export const STRING: Type = { k: 'string' };
export const TIME: Type = { k: 'time' };
export const NODE: Type = { k: 'node' };
export const NONE: Type = { k: 'none' };
export const LATENCY: Type = { k: 'latency' };
export const ANY: Type = { k: 'any' };
export const setOf = (of: Type): Type => ({ k: 'set', of });
export const listOf = (of: Type): Type => ({ k: 'list', of });
export const optional = (of: Type): Type => (of.k === 'optional' || of.k === 'none' || of.k === 'any' ? of : { k: 'optional', of });

export function typeToString(t: Type): string {
  switch (t.k) {
    case 'set':
    case 'list': return `${t.k}<${typeToString(t.of)}>`;
    case 'map': return `map<${typeToString(t.key)}, ${typeToString(t.value)}>`;
    case 'record': return `{ ${t.fields.map(([f, ft]) => `${f}: ${typeToString(ft)}`).join(', ')} }`;
    case 'optional': return `${typeToString(t.of)}?`;
    case 'any': return 'unknown';
    default: return t.k;
  }
}

/** Structural equality, where `any` matches everything. */
export function sameType(a: Type, b: Type): boolean {
  if (a.k === 'any' || b.k === 'any') return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'set':
    case 'list':
    case 'optional': return sameType(a.of, (b as typeof a).of);
    case 'map': return sameType(a.key, (b as typeof a).key) && sameType(a.value, (b as typeof a).value);
    case 'record': {
      const bf = (b as typeof a).fields;
      return a.fields.length === bf.length && a.fields.every(([f, t], i) => bf[i]![0] === f && sameType(t, bf[i]![1]));
    }
    default: return true;
  }
}

/**
 * The type both sides fit (for `==`, `if` branches, set and list elements),
 * or undefined when they do not: `none` joins any optional, `T` joins `T?`.
 */
export function joinTypes(a: Type, b: Type): Type | undefined {
  if (a.k === 'any') return b;
  if (b.k === 'any') return a;
  if (a.k === 'none') return b.k === 'none' ? a : optional(b);
  if (b.k === 'none') return optional(a);
  if (a.k === 'optional' || b.k === 'optional') {
    const inner = joinTypes(a.k === 'optional' ? a.of : a, b.k === 'optional' ? b.of : b);
    return inner && optional(inner);
  }
  if ((a.k === 'set' || a.k === 'list') && a.k === b.k) {
    const of = joinTypes(a.of, b.of);
    return of && { k: a.k, of };
  }
  return sameType(a, b) ? a : undefined;
}

export class TypeSyntaxError extends Error {}

/** Reads a type written as text (see the module comment); legacy `number` means `int`. Throws TypeSyntaxError. */
export function parseTypeText(text: string): Type {
  const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|[<>{}:,?|]|"[^"]*"|\S/g) ?? [];
  let i = 0;
  const fail = (what: string): never => {
    throw new TypeSyntaxError(`type '${text}': ${what}`);
  };
  const expect = (t: string): void => {
    if (tokens[i] !== t) fail(`expected '${t}' but found ${tokens[i] === undefined ? 'the end' : `'${tokens[i]}'`}`);
    i++;
  };
  const one = (): Type => {
    const t = tokens[i++];
    let base: Type;
    if (t === undefined) return fail('a type is missing');
    if (t.startsWith('"')) {
      // `"follower" | "candidate"`: a string restricted to some values; checked as a string.
      while (tokens[i] === '|' && tokens[i + 1]?.startsWith('"')) i += 2;
      base = STRING;
    } else {
      switch (t) {
        case 'int':
        case 'number': base = INT; break;
        case 'bool': base = BOOL; break;
        case 'string': base = STRING; break;
        case 'time':
        case 'duration': base = TIME; break;
        case 'node': base = NODE; break;
        case 'set':
        case 'list': {
          expect('<');
          const of = one();
          expect('>');
          base = { k: t, of };
          break;
        }
        case 'map': {
          expect('<');
          const key = one();
          expect(',');
          const value = one();
          expect('>');
          base = { k: 'map', key, value };
          break;
        }
        case '{': {
          const fields: [string, Type][] = [];
          while (tokens[i] !== '}') {
            const name = tokens[i++];
            if (!name || !/^[A-Za-z_]/.test(name)) fail('expected a field name');
            expect(':');
            fields.push([name!, one()]);
            if (tokens[i] === ',') i++;
            else if (tokens[i] !== '}') fail("expected ',' or '}'");
          }
          i++;
          base = { k: 'record', fields };
          break;
        }
        default: return fail(`unknown type '${t}'`);
      }
    }
    while (tokens[i] === '?') {
      i++;
      base = optional(base);
    }
    return base;
  };
  const result = one();
  if (i !== tokens.length) fail(`unexpected '${tokens[i]}'`);
  return result;
}

/**
 * Whether values of the type are ordered by < (each only with itself): ints
 * and times by value, nodes by the order they are declared in (`nodes
 * n1..n12`: n2 < n10), as `min`, `max` and the bully election need.
 */
export function isOrdered(t: Type): boolean {
  return t.k === 'int' || t.k === 'time' || t.k === 'node' || t.k === 'any';
}

export function isCollection(t: Type): t is Extract<Type, { k: 'set' | 'list' | 'map' }> {
  return t.k === 'set' || t.k === 'list' || t.k === 'map';
}

/** The element type a quantifier or `in` ranges over: a set's or list's elements, a map's keys. */
export function elementType(t: Type): Type | undefined {
  if (t.k === 'set' || t.k === 'list') return t.of;
  if (t.k === 'map') return t.key;
  if (t.k === 'any') return ANY;
  return undefined;
}

/**
 * Whether a value of type `from` may be stored where `to` is declared
 * (assignment, a message field, a fn argument): the same type, `none` or
 * `T` into `T?`, collections whose elements are assignable (an empty `{}`
 * or `[]` into any set, list or map), records field by field. `any` (an
 * expression that already has an error) fits everywhere.
 */
export function assignable(to: Type, from: Type): boolean {
  if (to.k === 'any' || from.k === 'any') return true;
  if (to.k === 'optional') return from.k === 'none' || assignable(to.of, from.k === 'optional' ? from.of : from);
  if (from.k === 'none') return false;
  switch (to.k) {
    case 'set':
    case 'list':
      // `{}` is an empty set; it may stand for an empty map too (below).
      return from.k === to.k && assignable(to.of, from.of);
    case 'map':
      if (from.k === 'set' && from.of.k === 'any') return true;
      return from.k === 'map' && assignable(to.key, from.key) && assignable(to.value, from.value);
    case 'record': {
      if (from.k !== 'record' || from.fields.length !== to.fields.length) return false;
      return to.fields.every(([f, t]) => {
        const other = from.fields.find(([g]) => g === f);
        return other !== undefined && assignable(t, other[1]);
      });
    }
    default: return to.k === from.k;
  }
}
