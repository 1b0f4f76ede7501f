import type { PropertyValue } from '../protocols/protocol';
import { valuesEqual } from '../protocols/values';
import { Column } from './column';
import { TraceValues } from './traceValues';
import { StringIds } from './stringIds';

/** The protocol properties that changed on a node with one event: property → new value (null: none, or no longer reported). */
export type StateDiff = Readonly<Record<string, PropertyValue>>;

export type NodeProperties = Readonly<Record<string, PropertyValue>>;

/** What a recorded run says about protocol state over time (RunResult.states). */
export interface StateHistory {
  /** The properties that changed on the event's node with event `seq`; undefined when none did. */
  diff(seq: number): StateDiff | undefined;
  /**
   * A node's protocol properties right after event `seq` (any event, of any
   * node): the diffs of its events up to `seq` folded together. While a node
   * is down its state is the one it had when it crashed; its restart and
   * the events after show what the restart changed. Empty before the node's
   * first change.
   */
  stateAt(node: number, seq: number): NodeProperties;
  /** About how many bytes the diffs hold, counted into the trace's memory budget (traceMemory.ts). */
  readonly bytes: number;
}

const NONE: NodeProperties = {};

/** Versions of an array between two stored whole. */
const DELTA_DEPTH = 32;

/**
 * Records, for a run that records its trace, which protocol properties each
 * event changed on its node. The node's properties are read when one of its
 * events is recorded (what changed since its previous event goes on this
 * one) and again after each protocol handler (what the handler changed after
 * its last event goes on that event), so every change lands on the event
 * during or after which it happened and a handler that changes state without
 * emitting anything still shows it on the receive or timer that ran it.
 * Exploration does not record and never builds one.
 *
 * Storage: a node's diff stays an object while its event is the node's
 * latest (later handlers may still add to it); at the node's next event it
 * is written as words (traceValues.ts: scalars inline, texts as templates
 * and numbers, arrays and records interned, so a value seen before costs a
 * word) with the property names interned. An array that keeps a prefix of
 * its previous version is written as that version's position, the length
 * kept and the new tail (a Raft log grows by an entry or two); every
 * DELTA_DEPTH versions one is written whole, so building a value back
 * reads a bounded chain.
 */
export class StateRecorder implements StateHistory {
  private readonly last: NodeProperties[];
  private readonly lastSeq: Int32Array;
  /** Per node, the diff of its latest event, not yet written (undefined: none). */
  private readonly pending: (Record<string, PropertyValue> | undefined)[];
  /** Per node, the seqs that carry a written diff (ascending) and where each diff's words start. */
  private readonly diffSeqs: Column[];
  private readonly diffAts: Column[];
  private readonly diffCounts: Int32Array;
  private readonly words = Column.int32();
  private used = 0;
  private readonly values = new TraceValues();
  private readonly keys = new StringIds();
  /** Per node, per property: its last written version's value, entry position and delta depth. */
  private readonly written: Map<string, { value: PropertyValue; at: number; depth: number }>[];
  private pendingBytes = 0;

  /**
   * `read(node)`: the node's protocol properties now, or undefined when it is
   * down or runs no protocol; `nodeOf(seq)`: the node of recorded event `seq`.
   */
  constructor(nodes: number, private readonly read: (node: number) => NodeProperties | undefined, private readonly nodeOf: (seq: number) => number) {
    this.last = Array.from({ length: nodes }, () => NONE);
    this.lastSeq = new Int32Array(nodes).fill(-1);
    this.pending = Array.from({ length: nodes }, () => undefined);
    this.diffSeqs = Array.from({ length: nodes }, () => Column.int32());
    this.diffAts = Array.from({ length: nodes }, () => Column.int32());
    this.diffCounts = new Int32Array(nodes);
    this.written = Array.from({ length: nodes }, () => new Map());
  }

  /** About how many bytes the diffs hold: their words, the codec's tables, and the diffs not yet written. */
  get bytes(): number {
    let diffs = 0;
    for (let i = 0; i < this.diffCounts.length; i++) diffs += this.diffCounts[i]!;
    return 8 * diffs + 4 * this.used + this.values.bytes + this.pendingBytes;
  }

  /** Event `seq` of `node` was just recorded. */
  onEvent(node: number, seq: number): void {
    if (this.pending[node] !== undefined) this.flush(node);
    this.lastSeq[node] = seq;
    this.settle(node);
  }

  /** A protocol handler of `node` returned (start, a message, a timer). */
  afterHandler(node: number): void {
    const seq = this.lastSeq[node]!;
    if (seq >= 0) this.settle(node);
  }

  diff(seq: number): StateDiff | undefined {
    const node = this.nodeOf(seq);
    if (node < 0 || node >= this.pending.length) return undefined;
    if (this.lastSeq[node] === seq && this.pending[node] !== undefined) return { ...this.pending[node] };
    const index = this.indexOf(node, seq);
    if (index < 0) return undefined;
    const out: Record<string, PropertyValue> = {};
    this.entries(this.diffAts[node]!.get(index), (key, at) => set(out, key, this.valueAt(at)));
    return out;
  }

  stateAt(node: number, seq: number): NodeProperties {
    // Each property's latest version at or before `seq`, built once (in the order the properties first changed).
    const latest = new Map<string, number>();
    const seqs = this.diffSeqs[node];
    if (!seqs) return {};
    const count = this.diffCounts[node]!;
    for (let i = 0; i < count && seqs.get(i) <= seq; i++) this.entries(this.diffAts[node]!.get(i), (key, at) => latest.set(key, at));
    const out: Record<string, PropertyValue> = {};
    for (const [key, at] of latest) set(out, key, this.valueAt(at));
    const pending = this.pending[node];
    if (pending !== undefined && this.lastSeq[node]! <= seq) for (const key in pending) set(out, key, pending[key]!);
    return out;
  }

  /** The index of node's written diff at `seq`, or −1: a binary search. */
  private indexOf(node: number, seq: number): number {
    const seqs = this.diffSeqs[node]!;
    let lo = 0;
    let hi = this.diffCounts[node]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = seqs.get(mid);
      if (at === seq) return mid;
      if (at < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Calls `each` with every entry of the diff written at `at`: its property and where its entry starts. */
  private entries(at: number, each: (key: string, entry: number) => void): void {
    const n = this.words.get(at);
    let pos = at + 1;
    for (let i = 0; i < n; i++) {
      const head = this.words.get(pos);
      each(this.keys.at(head >>> 1), pos);
      pos = this.entryEnd(pos);
    }
  }

  /** Where the entry at `pos` ends. */
  private entryEnd(pos: number): number {
    const head = this.words.get(pos);
    if (!(head & 1)) return this.values.skip(this.words, pos + 1);
    const tail = this.words.get(pos + 4);
    let at = pos + 5;
    for (let i = 0; i < tail; i++) at = this.values.skip(this.words, at);
    return at;
  }

  /** The value of the entry at `pos`, built back whole. */
  private valueAt(pos: number): PropertyValue {
    const head = this.words.get(pos);
    if (!(head & 1)) return this.values.read(this.words, pos + 1) as PropertyValue;
    // A delta: [head, previous entry, kept length, depth, tail length, tail values…].
    const out = (this.valueAt(this.words.get(pos + 1)) as readonly PropertyValue[]).slice(0, this.words.get(pos + 2));
    const tail = this.words.get(pos + 4);
    let at = pos + 5;
    for (let i = 0; i < tail; i++) {
      out.push(this.values.read(this.words, at) as PropertyValue);
      at = this.values.next;
    }
    return out;
  }

  private settle(node: number): void {
    const now = this.read(node);
    if (!now) return;
    const before = this.last[node]!;
    let diff = this.pending[node];
    const put = (key: string, value: PropertyValue): void => {
      if (diff === undefined) {
        this.pending[node] = diff = {};
        this.pendingBytes += PENDING_BYTES;
      }
      set(diff, key, value);
    };
    for (const key in now) {
      const value = now[key]!;
      if (!(key in before)) put(key, value);
      else if (!valuesEqual(before[key]!, value)) put(key, value);
    }
    for (const key in before) if (!(key in now)) put(key, null);
    this.last[node] = now;
  }

  /** Writes node's pending diff (of its latest event so far) as words. */
  private flush(node: number): void {
    const diff = this.pending[node]!;
    this.pending[node] = undefined;
    this.pendingBytes -= PENDING_BYTES;
    const seq = this.lastSeq[node]!;
    const index = this.diffCounts[node]!++;
    this.diffSeqs[node]!.set(index, seq);
    this.diffAts[node]!.set(index, this.used);
    const start = this.used;
    let n = 0;
    let at = start + 1;
    const written = this.written[node]!;
    for (const key in diff) {
      const value = diff[key]!;
      const previous = written.get(key);
      const head = this.keys.id(key) << 1;
      const entry = at;
      const keep = previous !== undefined && previous.depth + 1 < DELTA_DEPTH ? sharedPrefix(previous.value, value) : 0;
      if (keep > 0) {
        const list = value as readonly PropertyValue[];
        this.words.set(at, head | 1);
        this.words.set(at + 1, previous!.at);
        this.words.set(at + 2, keep);
        this.words.set(at + 3, previous!.depth + 1);
        this.words.set(at + 4, list.length - keep);
        at += 5;
        for (let i = keep; i < list.length; i++) at = this.values.write(list[i], this.words, at);
        written.set(key, { value, at: entry, depth: previous!.depth + 1 });
      } else {
        this.words.set(at, head);
        at = this.values.write(value, this.words, at + 1);
        written.set(key, { value, at: entry, depth: 0 });
      }
      n++;
    }
    this.words.set(start, n);
    this.used = at;
  }

}

/**
 * How many first elements array `value` shares with array `previous` (by
 * identity: a protocol that caches its entries, like a Raft log, hands out
 * the same objects), 0 when either is no array.
 */
function sharedPrefix(previous: PropertyValue, value: PropertyValue): number {
  if (!Array.isArray(previous) || !Array.isArray(value)) return 0;
  const list = value as readonly PropertyValue[];
  const old = previous as readonly PropertyValue[];
  const shared = Math.min(list.length, old.length);
  let keep = 0;
  while (keep < shared && list[keep] === old[keep]) keep++;
  return keep;
}

/** `out[key] = value`, also for a property named `__proto__`. */
function set(out: Record<string, PropertyValue>, key: string, value: PropertyValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** About what a diff not yet written costs (an object and a few properties; their values are the protocol's own). */
const PENDING_BYTES = 160;
