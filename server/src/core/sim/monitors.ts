import type { InvariantMonitor, RunEnd, ViolationReport, WorldView } from '../invariants/invariant';
import type { InvariantInstance } from '../model';
import { EVENT_KINDS, type EventKind, type TraceEvent, type Violation } from './trace';

/**
 * The invariant monitors of one run, in the scenario's order: which event
 * kinds each reads (InvariantMonitor.kinds), and the first violation of
 * each (a monitor that reported once is not asked again).
 */
export class Monitors {
  readonly violations: Violation[] = [];
  /** Whether some monitor keeps `event.vc` past onEvent (InvariantMonitor.keepsEventClocks). */
  readonly keepEventClocks: boolean;
  private readonly monitors: (InvariantMonitor | undefined)[];
  /** Per event kind, the indices of the monitors that read it. */
  private readonly listeners: Readonly<Record<EventKind, readonly number[]>>;
  /** Indices of the monitors that want to know which nodes ran a handler (InvariantMonitor.handled). */
  private readonly handlers: readonly number[];
  /** Indices of the monitors with `advance`. */
  private readonly advancing: readonly number[];
  /** Monitors with `settle` that saw an event in the current step. */
  private readonly unsettled: number[] = [];
  private readonly settling: boolean[];

  constructor(private readonly invariants: readonly InvariantInstance[], world: WorldView) {
    this.monitors = invariants.map((inv) => inv.definition.create(inv.params, world));
    const listeners = {} as Record<EventKind, number[]>;
    for (const kind of EVENT_KINDS) listeners[kind] = [];
    this.monitors.forEach((m, i) => {
      if (m?.onEvent) for (const kind of m.kinds ?? EVENT_KINDS) listeners[kind].push(i);
    });
    this.listeners = listeners;
    this.keepEventClocks = this.monitors.some((m) => m?.keepsEventClocks);
    // Every settling monitor looks at the state once the protocols have started (the engine calls settle then).
    this.settling = this.monitors.map((m) => m?.settle !== undefined);
    this.handlers = this.monitors.flatMap((m, i) => (m?.handled ? [i] : []));
    this.advancing = this.monitors.flatMap((m, i) => (m?.advance ? [i] : []));
    this.settling.forEach((s, i) => s && this.unsettled.push(i));
  }

  /** Whether some monitor reads events of this kind. */
  read(kind: EventKind): boolean {
    return this.listeners[kind].length > 0;
  }

  /** Shows an event, after it took effect, to the monitors that read its kind. */
  show(event: TraceEvent): void {
    const listening = this.listeners[event.kind];
    for (let j = 0; j < listening.length; j++) {
      const i = listening[j]!;
      const report = this.monitors[i]?.onEvent!(event);
      if (report) this.violated(i, report);
      else if (this.settling[i]) {
        this.settling[i] = false;
        this.unsettled.push(i);
      }
    }
  }

  /** True time is about to move to `to` (InvariantMonitor.advance); called before each step. */
  advance(to: number): void {
    const advancing = this.advancing;
    for (let j = 0; j < advancing.length; j++) {
      const i = advancing[j]!;
      const report = this.monitors[i]?.advance!(to);
      if (report) this.violated(i, report);
    }
  }

  /** A protocol handler of `node` ran in this step (InvariantMonitor.handled). */
  handled(node: number): void {
    const handlers = this.handlers;
    for (let j = 0; j < handlers.length; j++) {
      const i = handlers[j]!;
      const m = this.monitors[i];
      if (!m) continue;
      m.handled!(node);
      if (this.settling[i]) {
        this.settling[i] = false;
        this.unsettled.push(i);
      }
    }
  }

  /** The end of a step: monitors that saw an event in it check the settled state. */
  settle(): void {
    if (this.unsettled.length === 0) return;
    for (let j = 0; j < this.unsettled.length; j++) {
      const i = this.unsettled[j]!;
      const monitor = this.monitors[i];
      if (!monitor) continue;
      this.settling[i] = true;
      const report = monitor.settle!();
      if (report) this.violated(i, report);
    }
    this.unsettled.length = 0;
  }

  /** The end of the run: every monitor's last word. */
  atEnd(end: RunEnd): void {
    this.settle();
    this.monitors.forEach((m, i) => {
      const report = m?.atEnd?.(end);
      if (report) this.violated(i, report);
    });
  }

  private violated(index: number, report: ViolationReport): void {
    const inv = this.invariants[index]!;
    this.monitors[index] = undefined; // the first violation of each invariant is the one reported
    this.violations.push({
      invariant: inv.text,
      code: report.verdict === 'undecided' ? 'DS206' : report.verdict === 'error' ? 'DS205' : 'DS201',
      message: report.message,
      time: report.time,
      seq: report.seq,
      range: inv.range,
      causes: report.causes,
      ...(report.witness ? { witness: report.witness } : {}),
    });
  }
}
