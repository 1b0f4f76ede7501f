import type { PropertyValue } from '../protocols/protocol';
import { allViolations, type RunResult } from '../sim/result';
import type { TraceEvent, Violation } from '../sim/trace';

/**
 * The one walk over a recorded run that every export (ShiViz, ITF, Mermaid)
 * reads: the events in order, each with what the walk knows after taking it
 * in — which events ticked their node's vector clock, the send a receive or
 * drop belongs to, the violations detected at it, and per node whether it is
 * up, its latest clocks and its protocol state (the run's state diffs folded
 * together). Pure: reads the RunResult, changes nothing in it.
 */
export interface WalkStep {
  /** 0-based position among the walked events. */
  readonly index: number;
  readonly event: TraceEvent;
  /**
   * The event ticked its node's own vector-clock entry (send, receive,
   * local): an event in the vector-clock sense. Timers, notes, crashes,
   * drops and environment events carry a clock they did not change.
   */
  readonly ticked: boolean;
  /** For a receive, drop or duplicate: the send it belongs to (always walked before it). */
  readonly send?: TraceEvent;
  /** The violations detected at this event. */
  readonly violations: readonly Violation[];
}

/** A node as the walk last saw it. */
export interface NodeView {
  readonly name: string;
  readonly alive: boolean;
  readonly lamport: number;
  /** Its vector clock after its latest event (all zeros before it has one). */
  readonly vc: readonly number[];
  /** Its clock reading (ns) at its latest event; its offset before it has one. */
  readonly local: number;
  /** Its protocol properties after the step (empty before its first change). */
  readonly state: Readonly<Record<string, PropertyValue>>;
}

interface MutableNodeView {
  name: string;
  alive: boolean;
  lamport: number;
  vc: number[];
  local: number;
  state: Record<string, PropertyValue>;
}

export class RunWalk {
  readonly names: readonly string[];
  /** Every event of the run's trace. */
  readonly total: number;
  private readonly views: MutableNodeView[];
  /** How many events the walk takes (the first ones): all, or the limit it was given. */
  readonly walked: number;
  /**
   * The violations no walked event carries, in the run's order: expectations
   * (judged at a time, not at an event) and those detected past the limit.
   */
  readonly unplaced: readonly Violation[];
  private readonly bySeq = new Map<number, Violation[]>();

  constructor(readonly result: RunResult, limit = Number.POSITIVE_INFINITY) {
    this.names = result.model.nodes.map((n) => n.name);
    this.total = result.events.length;
    this.views = result.model.nodes.map((n) => ({ name: n.name, alive: true, lamport: 0, vc: new Array<number>(this.names.length).fill(0), local: n.clock.offset, state: {} }));
    this.walked = Math.min(this.total, Math.max(0, limit));
    const walkedSeqs = new Set<number>();
    for (let i = 0; i < this.walked; i++) walkedSeqs.add(result.events[i]!.seq);
    const unplaced: Violation[] = [];
    for (const v of allViolations(result)) {
      if (!walkedSeqs.has(v.seq)) unplaced.push(v);
      else this.bySeq.set(v.seq, [...(this.bySeq.get(v.seq) ?? []), v]);
    }
    this.unplaced = unplaced;
  }

  /** The node's view after the latest step taken. */
  node(index: number): NodeView {
    return this.views[index]!;
  }

  get nodes(): readonly NodeView[] {
    return this.views;
  }

  /** The walked events, each after the walk has taken it in (once: the node views move on). */
  *steps(): Generator<WalkStep> {
    const sends = new Map<number, TraceEvent>();
    const events = this.result.events;
    for (let index = 0; index < this.walked; index++) {
      const event = events[index]!;
      const view = this.views[event.node];
      let ticked = false;
      if (view) {
        ticked = event.vc.length > event.node && event.vc[event.node]! > view.vc[event.node]!;
        for (let i = 0; i < view.vc.length && i < event.vc.length; i++) view.vc[i] = event.vc[i]!;
        view.lamport = event.lamport;
        view.local = event.local;
        if (event.kind === 'crash') view.alive = false;
        else if (event.kind === 'restart') view.alive = true;
        const diff = this.result.states?.diff(event.seq);
        if (diff) Object.assign(view.state, diff);
      }
      let send: TraceEvent | undefined;
      if (event.msg !== undefined) {
        if (event.kind === 'send') sends.set(event.msg, event);
        else send = sends.get(event.msg);
      }
      const violations = this.bySeq.get(event.seq) ?? [];
      yield { index, event, ticked, ...(send ? { send } : {}), violations };
    }
  }
}
