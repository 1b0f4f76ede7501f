import type { PropertyValue } from '../protocols/protocol';
import { valuesEqual } from '../protocols/values';

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

/**
 * An array property stored as its change from the node's previous stored
 * version of it (at `previousSeq`): that version's first `keep` elements,
 * then `tail`. A protocol's growing collection (a Raft log) changes by a few
 * elements at a time; storing every version whole made the diffs cost
 * hundreds of bytes per event on a long run. Every DELTA_DEPTH versions one
 * is stored whole, so building a value back reads a bounded chain.
 */
class ArrayDelta {
  constructor(readonly previousSeq: number, readonly keep: number, readonly tail: readonly PropertyValue[], readonly depth: number) {}
}

type Stored = PropertyValue | ArrayDelta;

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
 * An array that keeps a prefix of its previous version is stored as an
 * ArrayDelta and built back whole when asked for.
 * Exploration does not record and never builds one.
 */
export class StateRecorder implements StateHistory {
  private readonly last: NodeProperties[];
  private readonly lastSeq: Int32Array;
  private readonly diffs = new Map<number, Record<string, Stored>>();
  /** Per node, the seqs that carry a diff, ascending. */
  private readonly changedAt: number[][];
  /** Per node, per property: the seq of its last stored version. */
  private readonly versionAt: Map<string, number>[];
  bytes = 0;

  /** `read(node)`: the node's protocol properties now, or undefined when it is down or runs no protocol. */
  constructor(nodes: number, private readonly read: (node: number) => NodeProperties | undefined) {
    this.last = Array.from({ length: nodes }, () => NONE);
    this.lastSeq = new Int32Array(nodes).fill(-1);
    this.changedAt = Array.from({ length: nodes }, () => []);
    this.versionAt = Array.from({ length: nodes }, () => new Map());
  }

  /** Event `seq` of `node` was just recorded. */
  onEvent(node: number, seq: number): void {
    this.lastSeq[node] = seq;
    this.settle(node, seq);
  }

  /** A protocol handler of `node` returned (start, a message, a timer). */
  afterHandler(node: number): void {
    const seq = this.lastSeq[node]!;
    if (seq >= 0) this.settle(node, seq);
  }

  diff(seq: number): StateDiff | undefined {
    const stored = this.diffs.get(seq);
    if (!stored) return undefined;
    const out: Record<string, PropertyValue> = {};
    for (const key in stored) out[key] = this.value(key, stored[key]!);
    return out;
  }

  stateAt(node: number, seq: number): NodeProperties {
    // Each property's latest version at or before `seq`, built once (in the order the properties first changed).
    const latest = new Map<string, Stored>();
    for (const s of this.changedAt[node] ?? []) {
      if (s > seq) break;
      const stored = this.diffs.get(s)!;
      for (const key in stored) latest.set(key, stored[key]!);
    }
    const out: Record<string, PropertyValue> = {};
    for (const [key, stored] of latest) out[key] = this.value(key, stored);
    return out;
  }

  /** A stored version of property `key` built back whole. */
  private value(key: string, stored: Stored): PropertyValue {
    if (!(stored instanceof ArrayDelta)) return stored;
    const chain: ArrayDelta[] = [];
    let at: Stored = stored;
    while (at instanceof ArrayDelta) {
      chain.push(at);
      at = this.diffs.get(at.previousSeq)![key]!;
    }
    const out = (at as readonly PropertyValue[]).slice();
    for (let i = chain.length - 1; i >= 0; i--) {
      const delta = chain[i]!;
      out.length = delta.keep;
      for (const v of delta.tail) out.push(v);
    }
    return out;
  }

  private settle(node: number, seq: number): void {
    const now = this.read(node);
    if (!now) return;
    const before = this.last[node]!;
    const versions = this.versionAt[node]!;
    let diff: Record<string, Stored> | undefined;
    const put = (key: string, value: PropertyValue, previous: PropertyValue | undefined) => {
      if (!diff) {
        diff = this.diffs.get(seq);
        if (!diff) {
          this.diffs.set(seq, (diff = {}));
          this.changedAt[node]!.push(seq);
          this.bytes += DIFF_BYTES;
        }
      }
      const delta = this.delta(versions.get(key), seq, key, value, previous);
      diff[key] = delta ?? value;
      versions.set(key, seq);
      this.bytes += KEY_BYTES + (delta ? DELTA_BYTES + valueBytes(delta.tail, undefined) : valueBytes(value, previous));
    };
    for (const key in now) {
      const value = now[key]!;
      if (!(key in before)) put(key, value, undefined);
      else if (!valuesEqual(before[key]!, value)) put(key, value, before[key]);
    }
    for (const key in before) if (!(key in now)) put(key, null, before[key]);
    this.last[node] = now;
  }

  /**
   * `value` as a change from the version stored at `previousSeq` (whose
   * value was `previous`), when both are arrays sharing a first element and
   * that version is an earlier event's (a version of this same event may
   * still be replaced) and the chain is not yet DELTA_DEPTH long.
   */
  private delta(previousSeq: number | undefined, seq: number, key: string, value: PropertyValue, previous: PropertyValue | undefined): ArrayDelta | undefined {
    if (previousSeq === undefined || previousSeq === seq || !Array.isArray(value) || !Array.isArray(previous)) return undefined;
    const list = value as readonly PropertyValue[];
    const old = previous as readonly PropertyValue[];
    let keep = 0;
    const shared = Math.min(list.length, old.length);
    while (keep < shared && list[keep] === old[keep]) keep++;
    if (keep === 0) return undefined;
    const base = this.diffs.get(previousSeq)![key]!;
    const depth = base instanceof ArrayDelta ? base.depth + 1 : 1;
    if (depth >= DELTA_DEPTH) return undefined;
    return new ArrayDelta(previousSeq, keep, list.slice(keep), depth);
  }
}

const DIFF_BYTES = 64;
const KEY_BYTES = 32;
/** An ArrayDelta object without its tail. */
const DELTA_BYTES = 48;

/**
 * About how many bytes storing `value` adds: an array's slots and only those
 * elements that are not the previous value's element at the same index (a
 * protocol that caches its entries, like a Raft log, shares them between
 * versions), a record's or map's keys and values, a string's characters.
 */
function valueBytes(value: PropertyValue, previous: PropertyValue | undefined): number {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return 8;
  if (typeof value === 'string') return 24 + 2 * value.length;
  if (Array.isArray(value)) {
    const list = value as readonly PropertyValue[];
    const old = Array.isArray(previous) ? (previous as readonly PropertyValue[]) : undefined;
    let bytes = 32 + 8 * list.length;
    for (let i = 0; i < list.length; i++) if (old?.[i] !== list[i]) bytes += valueBytes(list[i]!, undefined);
    return bytes;
  }
  let bytes = 32;
  for (const [k, v] of Object.entries(value as Record<string, PropertyValue>)) bytes += 16 + 2 * k.length + valueBytes(v, undefined);
  return bytes;
}
