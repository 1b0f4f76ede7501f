import type { PropertyValue } from '../protocols/protocol';
import type { SourceRange } from '../source';
import type { Monitors } from './monitors';
import type { NodeState } from './nodeState';
import { payloadJson, type JsonValue } from './payloadJson';
import { StateRecorder } from './stateDiffs';
import { Tallies } from './tallies';
import type { DropReason, EventKind, TraceEvent } from './trace';
import { TraceStore } from './traceStore';
import type { VcArena } from './vcArena';

const EMPTY_VC = new Int32Array(0);
const NO_EXTRA: Partial<TraceEvent> = {};

/**
 * The recording path of a run: every event gets its seq here, goes to the
 * recorded trace when the run records, and is shown as a TraceEvent object
 * to the invariant monitors that read its kind. An event that nothing
 * records or reads only takes its seq. What else a recorded run keeps lives
 * here too: the state diffs, the tallies and (on request) message payloads.
 */
export class EventLog {
  /** Events so far; the last one's seq is `count − 1`. */
  count = 0;
  /** The recorded trace's storage (traceStore.ts); undefined when the run does not record. */
  readonly trace: TraceStore | undefined;
  /** Which protocol properties each recorded event changed (only when recording). */
  readonly states: StateRecorder | undefined;
  /** Counts of what protocol code did that the trace does not show (only when recording; see tallies.ts). */
  readonly tallies: Tallies | undefined;
  /** Each message's payload as JSON by message id (only with the `payloads` option; see payloadJson.ts). */
  readonly payloads: JsonValue[] | undefined;
  private payloadBytes = 0;
  /** Set once the monitors exist (they read the run through the simulation, which holds this log). */
  private monitors!: Monitors;
  /** Whether events get their own copy of the vector clock (see InvariantMonitor.keepsEventClocks). */
  private copyEventClocks = false;

  /** `protocolState(node)`: the node's protocol properties, or undefined when it is down or runs none (StateRecorder). */
  constructor(
    private readonly nodes: readonly NodeState[], private readonly vcs: VcArena, record: boolean, payloads: boolean,
    protocolState: (node: number) => Readonly<Record<string, PropertyValue>> | undefined,
  ) {
    this.trace = record ? new TraceStore(nodes.length) : undefined;
    const trace = this.trace;
    this.states = trace ? new StateRecorder(nodes.length, protocolState, (seq) => trace.nodeAt(seq)) : undefined;
    this.tallies = record ? new Tallies(nodes.length) : undefined;
    this.payloads = record && payloads ? [] : undefined;
  }

  /** The monitors events are shown to; called once, before the first event. */
  showTo(monitors: Monitors): void {
    this.monitors = monitors;
    // The recorded trace copies what it keeps itself; only a monitor that keeps clocks needs its own copy.
    this.copyEventClocks = monitors.keepEventClocks;
  }

  /** About how many bytes the recording holds: the trace, its state diffs and the payloads. */
  get bytes(): number {
    return (this.trace?.bytes ?? 0) + (this.states?.bytes ?? 0) + this.payloadBytes;
  }

  /** Keeps message `id`'s payload as JSON, when the run keeps payloads. */
  payload(id: number, payload: unknown): void {
    if (!this.payloads || payload === undefined) return;
    const json = payloadJson(payload);
    this.payloads[id] = json.value;
    this.payloadBytes += json.bytes;
  }

  /** Records and shows an event given as an object of its optional fields; returns its seq. */
  emit(time: number, kind: EventKind, node: number, range: SourceRange, extra: Partial<TraceEvent> = NO_EXTRA): number {
    return this.event(time, kind, node, undefined, range, undefined, extra.msg, extra.peer, extra.label, extra.cause, extra.reason, extra.protocol, extra.detail, extra.data);
  }

  /**
   * `emit` with the event's fields one by one: the messages and timers of
   * the hot path call it directly, so that an event nobody reads as an
   * object (the trace stores its fields) makes no object. `local`: the
   * node's clock reading now when the caller has it (else it is read when
   * needed); `vc`: the event's own vector clock (a send's is its message's),
   * else the node's is used.
   */
  event(
    time: number, kind: EventKind, node: number, local: number | undefined, range: SourceRange, vc: Int32Array | undefined,
    msg: number | undefined, peer: number | undefined, label: string | undefined, cause: number | undefined, reason: DropReason | undefined,
    protocol: string | undefined, detail: string | undefined, data: TraceEvent['data'] | undefined,
  ): number {
    const seq = this.count++;
    const shown = this.monitors.read(kind);
    const trace = this.trace;
    if (!trace && !shown) return seq;
    const state = this.nodes[node];
    if (local === undefined) local = state ? state.clock.read(time) : time;
    if (trace) {
      trace.append(seq, time, node, local, kind, state ? state.lamport : 0, vc ?? (state ? state.vc : EMPTY_VC), state ? state.hlc : undefined, range, msg, peer, label, cause, reason, protocol, detail, data);
      if (state) this.states!.onEvent(node, seq);
    }
    if (!shown) return seq;
    // One fixed object shape for every event (absent fields stay undefined), which
    // keeps this hot path monomorphic; serialisers skip undefined fields.
    const event: TraceEvent = {
      seq,
      time,
      node,
      local,
      kind,
      lamport: state ? state.lamport : 0,
      vc: vc ?? (state ? (this.copyEventClocks ? this.vcs.copy(state.vc) : state.vc) : EMPTY_VC),
      hlc: state ? state.hlc : undefined,
      range,
      msg,
      peer,
      label,
      cause,
      reason,
      protocol,
      detail,
      data,
    };
    this.monitors.show(event);
    return seq;
  }
}
