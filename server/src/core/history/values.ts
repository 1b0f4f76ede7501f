import { fail, showDatum, type Datum } from './located';
import { NIL, type OpKind, type Value } from './operations';

/** A scalar read from the input as a history value; collections are refused where a value belongs. */
export function toValue(d: Datum, what: string): Value {
  switch (d.kind) {
    case 'nil': return NIL;
    case 'int': return { key: `i:${d.text}`, text: d.text };
    case 'float': return { key: `f:${d.value}`, text: String(d.value) };
    case 'string': return { key: `s:${d.value}`, text: JSON.stringify(d.value), string: d.value };
    case 'keyword': return { key: `k:${d.name}`, text: `:${d.name}` };
    case 'bool': return { key: `b:${d.value}`, text: String(d.value) };
    case 'symbol': return { key: `y:${d.name}`, text: d.name };
    default: fail(d, `${what} must be a single value (a number, string, keyword or nil), not ${showDatum(d)}`);
  }
}

/** The operation names histories use, Jepsen's and Porcupine's. */
const KINDS: Readonly<Record<string, OpKind>> = { read: 'read', get: 'read', write: 'write', put: 'write', cas: 'cas', 'compare-and-set': 'cas', append: 'append' };

export function toKind(d: Datum | undefined, at: Datum): OpKind {
  if (!d) fail(at, 'the operation has no :f (read, write, cas, append, get or put)');
  const name = d.kind === 'keyword' || d.kind === 'symbol' ? d.name : d.kind === 'string' ? d.value : undefined;
  const kind = name !== undefined ? KINDS[name] : undefined;
  if (!kind) fail(d, `unknown operation ${showDatum(d)}: expected :read, :write, :cas, :append, :get or :put`);
  return kind;
}

/** `[expected new]`: the argument of a compare-and-set. */
export function toCasArgs(d: Datum | undefined, at: Datum): { expected: Value; value: Value } {
  if (!d || (d.kind !== 'vector' && d.kind !== 'list') || d.items.length !== 2) fail(d ?? at, `a cas takes [expected new], not ${d ? showDatum(d) : 'nothing'}`);
  return { expected: toValue(d.items[0]!, 'the expected value of a cas'), value: toValue(d.items[1]!, 'the new value of a cas') };
}

/** A key as a string: `"x"` and `x` are the same key; 3 is the key "3". */
export function toKey(d: Datum | undefined): string | undefined {
  if (!d || d.kind === 'nil') return undefined;
  switch (d.kind) {
    case 'string': return d.value;
    case 'int': return d.text;
    case 'keyword': return `:${d.name}`;
    case 'symbol': return d.name;
    default: fail(d, `a key must be a string, number or keyword, not ${showDatum(d)}`);
  }
}
