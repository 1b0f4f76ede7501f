import type { WorldView } from '../invariants/invariant';
import type { Model } from '../model';
import type { Mix, PropertyValue } from '../protocols/protocol';
import { EventLog } from './eventLog';
import { fingerprintProtocols } from './fingerprint';
import { NodeState } from './nodeState';
import type { JsonValue } from './payloadJson';
import type { StateRecorder } from './stateDiffs';
import type { Tallies } from './tallies';
import type { TraceEvent } from './trace';
import type { TraceStore } from './traceStore';
import { VcArena } from './vcArena';

/**
 * What a run is at any moment, as the invariant monitors and the run's
 * readers see it (WorldView): the nodes, true time, and what the run has
 * recorded. The simulator (engine.ts) extends it with the loop that changes
 * it; this part only reads.
 */
export abstract class RunState implements WorldView {
  readonly nodes: NodeState[];
  /** The recorded trace's storage (traceStore.ts); undefined when the run does not record. */
  readonly trace: TraceStore | undefined;
  /** The recorded trace (empty when the run does not record): events built on access from `trace`. */
  readonly events: readonly TraceEvent[];
  /** Which protocol properties each recorded event changed (only when recording). */
  readonly states: StateRecorder | undefined;
  /** Counts of what protocol code did that the trace does not show (only when recording; see tallies.ts). */
  readonly tallies: Tallies | undefined;
  /** Each message's payload as JSON by message id (only with the `payloads` option; see payloadJson.ts). */
  readonly payloads: JsonValue[] | undefined;
  protected time = 0;
  /** The vector clock copies handed out: messages' clocks, and events' for monitors that keep them. */
  protected readonly vcs: VcArena;
  /** Every event goes through here: seq, recorded trace, monitors (eventLog.ts). */
  protected readonly log: EventLog;

  constructor(readonly model: Model, record: boolean, payloads: boolean) {
    this.nodes = model.nodes.map((n) => new NodeState(n, model.nodes.length, model.protocols));
    this.vcs = new VcArena(model.nodes.length);
    this.log = new EventLog(this.nodes, this.vcs, record, payloads, (node) => this.protocolState(node));
    this.trace = this.log.trace;
    this.events = this.trace ? this.trace.view() : [];
    this.states = this.log.states;
    this.tallies = this.log.tallies;
    this.payloads = this.log.payloads;
  }

  now(): number {
    return this.time;
  }
  isAlive(node: number): boolean {
    return this.nodes[node]!.alive;
  }
  clock(node: number): NodeState['clock'] {
    return this.nodes[node]!.clock;
  }
  lamport(node: number): number {
    return this.nodes[node]!.lamport;
  }
  vc(node: number): Int32Array {
    return this.nodes[node]!.vc;
  }
  event(seq: number): TraceEvent | undefined {
    return this.trace?.event(seq);
  }
  lastSeq(): number {
    return this.log.count - 1;
  }
  /** How many events the run has had (recorded or not). */
  get eventCount(): number {
    return this.log.count;
  }
  lastClockChange(node: number): NodeState['lastClockCause'] {
    return this.nodes[node]!.lastClockCause;
  }
  counters(node: number): NodeState {
    return this.nodes[node]!;
  }
  inspect(node: number): Readonly<Record<string, PropertyValue>> {
    const out: Record<string, PropertyValue> = {};
    for (const p of this.nodes[node]!.protocols) if (p) Object.assign(out, p.inspect());
    return out;
  }
  property(node: number, name: string): PropertyValue | undefined {
    const protocols = this.nodes[node]!.protocols;
    for (let i = 0; i < protocols.length; i++) {
      const p = protocols[i];
      if (!p) continue;
      const v = p.read ? p.read(name) : p.inspect()[name];
      if (v !== undefined) return v;
    }
    return undefined;
  }
  fingerprint(node: number, mix: Mix): void {
    fingerprintProtocols(this.nodes[node]!.protocols, mix);
  }

  /** About how many bytes the recorded trace holds: its events, its state diffs and the payloads. */
  traceBytes(): number {
    return this.log.bytes;
  }

  /** The node's protocol properties, or undefined when it is down or runs no protocol (StateRecorder). */
  protected protocolState(node: number): Readonly<Record<string, PropertyValue>> | undefined {
    const state = this.nodes[node]!;
    if (!state.alive) return undefined;
    // A loop, not `some`: the recorder asks after every recorded event, mostly of nodes without protocols on message-heavy runs.
    const protocols = state.protocols;
    for (let i = 0; i < protocols.length; i++) if (protocols[i] !== undefined) return this.inspect(node);
    return undefined;
  }
}
