import type { LatencyModel } from '../check/options';
import type { ClockModel, Model } from '../model';
import type { TraceEvent } from '../sim/trace';
import { formatDuration, formatPpm } from '../units';
import type { Cause, WorldView } from './invariant';

/** Stands for true time where a node index is expected: the line t ↦ t. */
export const TRUE_TIME = -1;

/** A clock between two changes: its reading at the snapshot and its rate in ppm. */
interface Line {
  readonly node: number;
  readonly reading: number;
  readonly ppm: number;
}

export interface Reading {
  readonly node: number;
  readonly reading: number;
}

/** The first instant the gap was at or over the bound, and the two clocks that made it. */
export interface Excess {
  readonly time: number;
  /** The event at or just before it; -1 at the very start. */
  readonly seq: number;
  readonly gap: number;
  /** The clock ahead and the clock behind (either may be TRUE_TIME). */
  readonly ahead: Reading;
  readonly behind: Reading;
  /** Why those two clocks read what they did then: their last change, else their declaration. */
  readonly causes: readonly Cause[];
}

export interface GapWatchSpec {
  /** Nodes whose clocks count (those alive at each instant). */
  readonly watched: readonly number[];
  /**
   * Without a reference the gap is the spread of the watched clocks (max −
   * min); with one it is the largest distance of a watched clock from the
   * reference: a node's clock (while that node is up) or TRUE_TIME.
   */
  readonly reference?: number;
  readonly bound: number;
  /** `<` (the gap must stay below the bound) rather than `<=`. */
  readonly strict: boolean;
  /** Only instants from this true time on count (`converges within T`). */
  readonly from: number;
}

/**
 * Watches the gap between piecewise-linear clocks exactly, not by sampling:
 * between two clock or liveness changes every clock is a line in true time,
 * so the gap (a maximum of differences of lines) is convex there and crosses
 * the bound at most once, at an instant found analytically. Call `check` on
 * every event for which `changesClocks` holds, and at the end of the run.
 */
export class ClockGapWatch {
  private t0: number;
  private lines: Line[] = [];
  /** The reference clock's line; undefined while the reference node is down. */
  private ref: Line | undefined;
  /** What started each clock's current piece, for explaining an excess found on it later. */
  private pieceCauses = new Map<number, Cause | undefined>();
  private started = false;

  constructor(
    private readonly world: WorldView,
    private readonly spec: GapWatchSpec,
  ) {
    // Monitors are created before the first event, when every clock is on its first piece.
    this.t0 = world.now();
    this.snapshot(this.t0);
  }

  static changesClocks(e: TraceEvent): boolean {
    return e.kind === 'clock-jump' || e.kind === 'clock-drift' || e.kind === 'clock-adjust' || e.kind === 'crash' || e.kind === 'restart';
  }

  check(seq: number): Excess | undefined {
    const t1 = this.world.now();
    const { from } = this.spec;
    if (!this.started) {
      this.started = true;
      if (from <= this.t0) {
        const start = this.worst(this.t0);
        if (this.exceeds(start.gap)) return { ...start, time: this.t0, seq: -1, causes: this.causes(start) };
      }
    }
    // 1. The old pieces continued up to t1: did the gap reach the bound in between?
    const s = Math.max(this.t0, from);
    if (t1 > this.t0 && s <= t1) {
      let at: number | undefined;
      if (s > this.t0 && this.exceeds(this.worst(s).gap)) at = s;
      else if (this.exceeds(this.worst(t1).gap)) at = this.earliestExcess(s, t1);
      if (at !== undefined) {
        const w = this.worst(at);
        return { ...w, time: at, seq: at < t1 ? seq - 1 : seq, causes: this.causes(w) };
      }
    }
    // 2. The state after the change at t1.
    this.snapshot(t1);
    if (t1 >= from) {
      const now = this.worst(t1);
      if (this.exceeds(now.gap)) return { ...now, time: t1, seq, causes: this.causes(now) };
    }
    return undefined;
  }

  private exceeds(gap: number): boolean {
    return this.spec.strict ? gap >= this.spec.bound : gap > this.spec.bound;
  }

  private snapshot(t: number): void {
    this.t0 = t;
    const { watched, reference } = this.spec;
    const line = (node: number): Line => ({ node, reading: this.world.clock(node).exact(t), ppm: this.world.clock(node).totalRatePpm });
    this.lines = watched.filter((i) => i !== reference && this.world.isAlive(i)).map(line);
    this.ref = reference === undefined ? undefined : reference === TRUE_TIME ? { node: TRUE_TIME, reading: t, ppm: 0 } : this.world.isAlive(reference) ? line(reference) : undefined;
    const nodes = [...this.lines, ...(this.ref ? [this.ref] : [])].map((l) => l.node).filter((i) => i !== TRUE_TIME);
    this.pieceCauses = new Map(nodes.map((i) => [i, this.world.lastClockChange(i)]));
  }

  private causes(w: { ahead: Reading; behind: Reading }): Cause[] {
    const out: Cause[] = [];
    for (const node of [w.ahead.node, w.behind.node]) {
      if (node === TRUE_TIME) continue;
      const model = this.world.model.nodes[node]!;
      const declared = model.clock.range ? { message: `clock ${model.name} ${describeClock(model.clock)}`, range: model.clock.range } : undefined;
      const cause = this.pieceCauses.get(node) ?? declared;
      if (cause && !out.some((c) => c.message === cause.message)) out.push(cause);
    }
    return out;
  }

  private readingAt(l: Line, t: number): number {
    const dt = t - this.t0;
    return l.reading + dt + (dt * l.ppm) / 1e6;
  }

  /** The gap at t on the current pieces, and the pair of clocks that make it. */
  private worst(t: number): { gap: number; ahead: Reading; behind: Reading } {
    const readings = this.lines.map((l) => ({ node: l.node, reading: this.readingAt(l, t) }));
    const none = { gap: 0, ahead: { node: TRUE_TIME, reading: t }, behind: { node: TRUE_TIME, reading: t } };
    if (this.spec.reference !== undefined) {
      if (!this.ref) return none;
      const r = { node: this.ref.node, reading: this.readingAt(this.ref, t) };
      let out = none;
      for (const x of readings) {
        const d = x.reading - r.reading;
        if (Math.abs(d) > out.gap) out = d >= 0 ? { gap: d, ahead: x, behind: r } : { gap: -d, ahead: r, behind: x };
      }
      return out;
    }
    if (readings.length < 2) return none;
    let hi = readings[0]!;
    let lo = readings[0]!;
    for (const x of readings) {
      if (x.reading > hi.reading) hi = x;
      if (x.reading < lo.reading) lo = x;
    }
    return { gap: hi.reading - lo.reading, ahead: hi, behind: lo };
  }

  /** The first integer instant in (s, t1] at which the gap exceeds the bound (it does at t1). */
  private earliestExcess(s: number, t1: number): number {
    const pairs: [Line, Line][] = [];
    if (this.spec.reference !== undefined) {
      for (const l of this.lines) pairs.push([l, this.ref!], [this.ref!, l]);
    } else {
      for (const a of this.lines) for (const b of this.lines) if (a !== b) pairs.push([a, b]);
    }
    let best = t1;
    for (const [a, b] of pairs) {
      const dppm = a.ppm - b.ppm;
      if (dppm <= 0) continue;
      const d0 = this.readingAt(a, s) - this.readingAt(b, s);
      const t = s + Math.max(0, Math.ceil(((this.spec.bound - d0) * 1e6) / dppm));
      if (t < best) best = t;
    }
    // The analytic instant is exact up to rounding; settle on the first instant where the predicate holds.
    while (best > s && this.exceeds(this.worst(best - 1).gap)) best--;
    while (best < t1 && !this.exceeds(this.worst(best).gap)) best++;
    return Math.max(best, s);
  }
}

/** `offset +3ms drift +50ppm`, leaving out what is zero. */
function describeClock(c: ClockModel): string {
  const parts = [...(c.offset !== 0 ? [`offset ${formatDuration(c.offset, true)}`] : []), ...(c.driftPpm !== 0 ? [`drift ${formatPpm(c.driftPpm)}`] : [])];
  return parts.length ? parts.join(' ') : 'exact';
}

export function clockName(world: WorldView, node: number): string {
  return node === TRUE_TIME ? 'true time' : world.model.nodes[node]!.name;
}

/** Mean one-way delay of a latency model. */
function meanLatency(l: LatencyModel): number {
  switch (l.kind) {
    case 'fixed': return l.ns;
    case 'uniform': return (l.low + l.high) / 2;
    case 'normal': return l.mean;
    case 'exponential': return l.mean;
  }
}

/**
 * Links of `node` whose two directions differ on average: two-way time
 * transfer (NTP, PTP, Cristian) cannot see that and is off by half the
 * difference, so they explain an offset that synchronisation did not remove.
 */
export function asymmetryCauses(model: Model, node: number): Cause[] {
  const n = model.nodes.length;
  const causes: Cause[] = [];
  if (node < 0) return causes;
  const name = (i: number): string => model.nodes[i]!.name;
  for (let j = 0; j < n; j++) {
    if (j === node) continue;
    const out = model.links.get(node * n + j);
    const back = model.links.get(j * n + node);
    if (!out && !back) continue;
    const a = meanLatency((out ?? model.network).latency);
    const b = meanLatency((back ?? model.network).latency);
    if (a === b) continue;
    const message = `link ${name(node)} -> ${name(j)} takes ${formatDuration(a)} but ${name(j)} -> ${name(node)} ${formatDuration(b)}: two-way synchronisation between them is off by half the difference, ${formatDuration(Math.abs(a - b) / 2)}`;
    causes.push({ message, range: (out ?? back)!.range });
  }
  return causes;
}
