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
 * Records, for a run that records its trace, which protocol properties each
 * event changed on its node. The node's properties are read when one of its
 * events is recorded (what changed since its previous event goes on this
 * one) and again after each protocol handler (what the handler changed after
 * its last event goes on that event), so every change lands on the event
 * during or after which it happened and a handler that changes state without
 * emitting anything still shows it on the receive or timer that ran it.
 * Exploration does not record and never builds one.
 */
export class StateRecorder implements StateHistory {
  private readonly last: NodeProperties[];
  private readonly lastSeq: Int32Array;
  private readonly diffs = new Map<number, Record<string, PropertyValue>>();
  /** Per node, the seqs that carry a diff, ascending. */
  private readonly changedAt: number[][];
  bytes = 0;

  /** `read(node)`: the node's protocol properties now, or undefined when it is down or runs no protocol. */
  constructor(nodes: number, private readonly read: (node: number) => NodeProperties | undefined) {
    this.last = Array.from({ length: nodes }, () => NONE);
    this.lastSeq = new Int32Array(nodes).fill(-1);
    this.changedAt = Array.from({ length: nodes }, () => []);
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
    return this.diffs.get(seq);
  }

  stateAt(node: number, seq: number): NodeProperties {
    const out: Record<string, PropertyValue> = {};
    for (const s of this.changedAt[node] ?? []) {
      if (s > seq) break;
      Object.assign(out, this.diffs.get(s));
    }
    return out;
  }

  private settle(node: number, seq: number): void {
    const now = this.read(node);
    if (!now) return;
    const before = this.last[node]!;
    let diff: Record<string, PropertyValue> | undefined;
    const put = (key: string, value: PropertyValue, previous: PropertyValue | undefined) => {
      if (!diff) {
        diff = this.diffs.get(seq);
        if (!diff) {
          this.diffs.set(seq, (diff = {}));
          this.changedAt[node]!.push(seq);
          this.bytes += DIFF_BYTES;
        }
      }
      diff[key] = value;
      this.bytes += KEY_BYTES + valueBytes(value, previous);
    };
    for (const key in now) {
      const value = now[key]!;
      if (!(key in before)) put(key, value, undefined);
      else if (!valuesEqual(before[key]!, value)) put(key, value, before[key]);
    }
    for (const key in before) if (!(key in now)) put(key, null, before[key]);
    this.last[node] = now;
  }
}

const DIFF_BYTES = 64;
const KEY_BYTES = 32;

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
