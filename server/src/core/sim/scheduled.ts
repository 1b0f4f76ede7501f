import type { FaultModel } from '../model';
import type { SourceRange } from '../source';
import type { Hlc } from './hlc';
import type { Timer } from './nodeState';

/** A message in flight; it is its own queue entry (`t: 'deliver'`), and a duplicate copy is a clone with `copy` set. */
export interface Message {
  readonly t: 'deliver';
  readonly copy: boolean;
  readonly id: number;
  readonly from: number;
  readonly to: number;
  /** -1 for the scenario's own messages, else the protocol instance index. */
  readonly protocol: number;
  readonly label: string;
  readonly payload: unknown;
  readonly summary: string | undefined;
  readonly lamport: number;
  /** The sender's vector clock at the send: its own copy (VcArena), never changed. */
  readonly vc: Int32Array;
  readonly hlc: Hlc;
  readonly sendSeq: number;
  readonly range: SourceRange;
}

/** What the simulator's event queue holds: messages, timers, faults and their windows' ends, and timed expectations. */
export type Scheduled =
  | Message
  | { readonly t: 'timer'; readonly timer: Timer; readonly generation: number }
  | { readonly t: 'fault'; readonly fault: FaultModel }
  | { readonly t: 'window-end'; readonly fault: FaultModel; readonly partitionId: number }
  | { readonly t: 'expect'; readonly index: number };
