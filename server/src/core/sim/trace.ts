import type { SourceRange } from '../source';
import type { Hlc } from './hlc';

/**
 * What a run records. Times are integer nanoseconds of true (simulated) time;
 * `local` is the node's own clock reading at that instant. Every event that a
 * node performs ticks its Lamport clock and vector clock by the textbook
 * rules, and its hybrid logical clock (`hlc`) by Kulkarni et al.'s rules
 * from the node's physical clock reading; network and environment events
 * (drop, partition, …) carry the clocks of the node they concern unchanged.
 */
export type EventKind =
  | 'send' // a node sent a message
  | 'receive' // a message was delivered and handled
  | 'local' // a local event (`A local "x"`)
  | 'drop' // the network lost a message (see `reason`)
  | 'duplicate' // the network duplicated a message (delivered twice)
  | 'crash'
  | 'restart'
  | 'skip' // a scripted action did not run: its node was down, or its clock passed several `every` periods at once
  | 'partition'
  | 'heal'
  | 'link-down'
  | 'link-up'
  | 'link-delay'
  | 'clock-jump'
  | 'clock-drift'
  | 'clock-adjust' // a protocol stepped or slewed a clock (NTP, PTP, …)
  | 'timer' // a protocol timer fired (election timeout, poll, …)
  | 'note'; // a protocol reported a state change (became leader, committed, …)

/** Every event kind, once (the compiler checks the list is complete). */
export const EVENT_KINDS = Object.keys({
  send: 0, receive: 0, local: 0, drop: 0, duplicate: 0, crash: 0, restart: 0, skip: 0, partition: 0, heal: 0,
  'link-down': 0, 'link-up': 0, 'link-delay': 0, 'clock-jump': 0, 'clock-drift': 0, 'clock-adjust': 0, timer: 0, note: 0,
} satisfies Record<EventKind, 0>) as EventKind[];

export type DropReason = 'loss' | 'partition' | 'link-down' | 'node-down' | 'no-handler';

export interface TraceEvent {
  readonly seq: number;
  readonly time: number;
  /** Index of the node; −1 for environment events (partition, heal), which have no clocks. */
  readonly node: number;
  readonly local: number;
  readonly kind: EventKind;
  readonly lamport: number;
  readonly vc: Int32Array;
  /** The node's hybrid logical clock after the event; absent on environment events. */
  readonly hlc?: Hlc;
  /** The statement in the file that caused this event. */
  readonly range: SourceRange;
  readonly msg?: number;
  /** The other end of a message: receiver for send/drop, sender for receive. */
  readonly peer?: number;
  readonly label?: string;
  /** For receive/drop/duplicate: the seq of the send event. */
  readonly cause?: number;
  readonly reason?: DropReason;
  /** Which protocol produced it ('script' for the scenario's own messages). */
  readonly protocol?: string;
  readonly detail?: string;
  /**
   * Structured data of a protocol note (see NodeContext.note); on clock-jump,
   * clock-drift and clock-adjust events `{ step?: ns, ratePpm }`: the step
   * (negative = backwards) and the clock's total rate (drift + slew) after it.
   */
  readonly data?: Readonly<Record<string, number | string | boolean>>;
}

export interface Violation {
  readonly invariant: string;
  /**
   * DS201 for invariants, DS202 for expectations, DS204 for a simulation that failed (exploration's
   * run-time errors), DS205 for a written property that could not be evaluated, DS206 for one not
   * decided by the end of the run (`?`: not a failure, not a pass), DS207/DS208 for a written
   * protocol's run-time error (the run stops there).
   */
  readonly code: 'DS201' | 'DS202' | 'DS204' | 'DS205' | 'DS206' | 'DS207' | 'DS208';
  readonly message: string;
  readonly time: number;
  /** The event at (or just before) which it was detected; -1 at the very start. */
  readonly seq: number;
  /** The invariant or expect statement. */
  readonly range: SourceRange;
  /** What in the file caused it: messages, faults, clock declarations. */
  readonly causes: readonly { readonly message: string; readonly range: SourceRange }[];
  /** A written property's witness (invariants/invariant.ts ViolationWitness). */
  readonly witness?: ViolationWitness;
}

/** Why a written property failed: its quantifier bindings and the values it read, by node. */
export interface ViolationWitness {
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly nodes: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

