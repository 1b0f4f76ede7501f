import { formatDuration } from '../units';
import { describeKvOperation, formatKvValue, kvValueKey, type KvOperation } from './history';

/** Why a key-value history has no linearization, in words, and the operations the words name. */
export interface KvExplanation {
  readonly why: string;
  /** The operations that contradict the culprit, in the order the explanation names them. */
  readonly conflicting: readonly KvOperation[];
}

const span = (o: KvOperation): string => `[${formatDuration(o.call)}..${Number.isFinite(o.ret) ? formatDuration(o.ret) : 'no answer'}]`;
const named = (o: KvOperation): string => `${o.client}'s ${describeKvOperation(o)} ${span(o)}`;

/** The value an operation shows: what a put wrote, what a get read (undefined: the key was empty). */
function shown(o: KvOperation): string | undefined {
  return o.input.op === 'put' ? kvValueKey(o.input.value) : o.output === undefined ? undefined : kvValueKey(o.output);
}

/**
 * Explains the violation the checker found in one key's `partition`: why
 * `culprit` (the operation the deepest attempt could not place) fits no
 * order, naming operations whose values contradict it. Every reason given
 * for a get is a real contradiction, not a guess:
 *
 * 1. no put wrote the value it read;
 * 2. every put of that value began after the get returned;
 * 3. a stale read: an operation `o` that returned before the get began
 *    shows another value w (a put of w, or a get that read w), and every
 *    put of the value the get read had returned before any put of w began
 *    (so that value was overwritten before the get began). For a get that
 *    read nothing, any operation showing a value before it began will do;
 * 4. otherwise, the longest order the search found (`prefix`): its last
 *    write before the get, which wrote another value. Not a proof by
 *    itself, but an operation the failing order puts in conflict with it.
 *
 * A put that fits no order gets the generic reason (a put is always
 * allowed; it fails only through the others).
 */
export function explainKvViolation(partition: readonly KvOperation[], culprit: KvOperation, prefix: readonly KvOperation[]): KvExplanation {
  const c = culprit;
  if (c.input.op !== 'get') return { why: 'no order of the operations explains it', conflicting: [] };
  const key = c.input.key;
  const read = c.output === undefined ? undefined : kvValueKey(c.output);
  const puts = partition.filter((o) => o.input.op === 'put');
  const writersOf = (value: string | undefined) => puts.filter((p) => shown(p) === value);
  const writers = writersOf(read);
  if (read !== undefined && writers.length === 0) return { why: `no put ever wrote ${formatKvValue(c.output)} to ${key}`, conflicting: [] };
  if (read !== undefined && writers.every((w) => w.call > c.ret)) {
    const first = writers.sort((a, b) => a.call - b.call)[0]!;
    return { why: `${writers.length === 1 ? 'the only put' : 'every put'} of ${formatKvValue(c.output)} began after this get returned (${named(first)})`, conflicting: [first] };
  }
  // 3. A stale read: the latest evidence of another value that overwrote every write of the value read.
  const stale = partition
    .filter((o) => o !== c && o.ret < c.call && shown(o) !== undefined && shown(o) !== read)
    .filter((o) => {
      const later = writersOf(shown(o));
      return later.length > 0 && later.every((q) => writers.every((w) => w.ret < q.call));
    })
    .sort((a, b) => b.ret - a.ret || a.id - b.id)[0];
  if (stale) {
    const overwriters = writersOf(shown(stale));
    const before = `${named(stale)} returned before this get began`;
    if (c.output === undefined) return { why: `${before}, so ${key} was no longer empty`, conflicting: [stale] };
    const value = formatKvValue(c.output);
    const ofRead = `every put of ${value} (${writers.map(named).join(', ')})`;
    if (stale.input.op === 'put') return { why: `${before}, and ${ofRead} had returned before it began`, conflicting: [stale, ...writers] };
    const ofShown = `${overwriters.length === 1 ? 'the put' : 'any put'} of ${formatKvValue(stale.output)} (${overwriters.map(named).join(', ')})`;
    return { why: `${before}, and ${ofRead} had returned before ${ofShown} began`, conflicting: [stale, ...overwriters, ...writers] };
  }
  // 4. The failing order: the last write it places before the get got stuck.
  const last = [...prefix].reverse().find((o) => o.input.op === 'put');
  if (last && shown(last) !== read) {
    return { why: `no order of the operations lets it read ${formatKvValue(c.output)}: the longest one found ends its writes with ${named(last)}`, conflicting: [last] };
  }
  return { why: 'no order of the operations explains it', conflicting: [] };
}
