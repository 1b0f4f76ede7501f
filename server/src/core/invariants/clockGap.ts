import type { LatencyModel } from '../check/options';
import type { ClockModel, ScenarioModel } from '../scenarioModel';
import type { LocalClock } from '../sim/clock';
import type { TraceEvent } from '../sim/trace';
import { firstGapAtLeast, trueTimeClock } from './readingGap';
import { formatDuration, formatDurationExact, formatPpm } from '../units';
import type { Cause, WorldView } from './invariant';

/** Stands for true time where a node index is expected: the line t ↦ t. */
export const TRUE_TIME = -1;

/** A clock between two changes: a frozen copy of its piece (see LocalClock.copy). */
interface Piece {
  readonly node: number;
  readonly clock: LocalClock;
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
 * Watches the gap between clock readings exactly, not by sampling, on the
 * readings the nodes see (whole nanoseconds, floored to each clock's
 * resolution). Between two clock or liveness changes every clock is one
 * piece, and the first instant a pair of readings is the bound apart is
 * solved for (readingGap.ts). Call `check` on every event for which
 * `changesClocks` holds, and at the end of the run.
 */
export class ClockGapWatch {
  private t0: number;
  private pieces: Piece[] = [];
  /** The reference clock's piece; undefined while the reference node is down. */
  private ref: Piece | undefined;
  /** What started each clock's current piece, for explaining an excess found on it later. */
  private pieceCauses = new Map<number, Cause | undefined>();
  private started = false;
  /** The smallest gap that violates: readings are integers, so `> X` is `≥ X + 1`. */
  private readonly k: number;
  private readonly trueTime = trueTimeClock();

  constructor(
    private readonly world: WorldView,
    private readonly spec: GapWatchSpec,
  ) {
    this.k = spec.strict ? spec.bound : spec.bound + 1;
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
        if (start.gap >= this.k) return { ...start, time: this.t0, seq: -1, causes: this.causes(start) };
      }
    }
    // 1. The old pieces continued up to t1 (t0 itself was checked when they began).
    const lo = Math.max(this.t0 + 1, from);
    if (lo <= t1) {
      const at = this.firstExcess(lo, t1);
      if (at !== undefined) {
        const w = this.worst(at);
        return { ...w, time: at, seq: at < t1 ? this.seqAt(at, seq) : seq, causes: this.causes(w) };
      }
    }
    // 2. The state after the change at t1.
    this.snapshot(t1);
    if (t1 >= from) {
      const now = this.worst(t1);
      if (now.gap >= this.k) return { ...now, time: t1, seq, causes: this.causes(now) };
    }
    return undefined;
  }

  /** The last event at or before a crossing found in hindsight, so the trace marks the right instant. */
  private seqAt(time: number, seq: number): number {
    let s = seq - 1;
    for (let e = this.world.event(s); e && e.time > time; e = this.world.event(s)) s--;
    return s;
  }

  private snapshot(t: number): void {
    this.t0 = t;
    const { watched, reference } = this.spec;
    const piece = (node: number): Piece => ({ node, clock: this.world.clock(node).copy() });
    this.pieces = watched.filter((i) => i !== reference && this.world.isAlive(i)).map(piece);
    this.ref = reference === undefined ? undefined : reference === TRUE_TIME ? { node: TRUE_TIME, clock: this.trueTime } : this.world.isAlive(reference) ? piece(reference) : undefined;
    const nodes = [...this.pieces, ...(this.ref ? [this.ref] : [])].map((l) => l.node).filter((i) => i !== TRUE_TIME);
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

  /** The gap at t on the current pieces, and the pair of clocks that make it. */
  private worst(t: number): { gap: number; ahead: Reading; behind: Reading } {
    const readings = this.pieces.map((l) => ({ node: l.node, reading: l.clock.read(t) }));
    const none = { gap: 0, ahead: { node: TRUE_TIME, reading: t }, behind: { node: TRUE_TIME, reading: t } };
    if (this.spec.reference !== undefined) {
      if (!this.ref) return none;
      const r = { node: this.ref.node, reading: this.ref.clock.read(t) };
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

  /**
   * The first integer instant in [lo, t1] at which some pair of readings is
   * k apart, on the current pieces. The exact readings' spread is convex on
   * a piece (a maximum of lines minus a minimum of lines), so it is largest
   * at an end; readings differ from it by less than a tick, which rules out
   * most pieces and pairs before any search.
   */
  private firstExcess(lo: number, t1: number): number | undefined {
    const pairs: [Piece, Piece][] = [];
    if (this.spec.reference !== undefined) {
      if (!this.ref) return undefined;
      for (const l of this.pieces) pairs.push([l, this.ref], [this.ref, l]);
    } else {
      // The spread of the exact readings, convex, is largest at an end: most pieces end here in O(n).
      const spread = (t: number): number => {
        let hi = -Infinity;
        let low = Infinity;
        for (const p of this.pieces) {
          const e = p.clock.exact(t);
          if (e > hi) hi = e;
          if (e < low) low = e;
        }
        return hi - low;
      };
      const tick = this.pieces.reduce((m, p) => Math.max(m, p.clock.tick), 1);
      if (this.pieces.length < 2 || Math.max(spread(lo), spread(t1)) + tick + 2 <= this.k) return undefined;
      for (const a of this.pieces) for (const b of this.pieces) if (a !== b) pairs.push([a, b]);
    }
    let best: number | undefined;
    for (const [a, b] of pairs) {
      // D is linear: its largest value on [lo, t1] is at an end; the readings' gap is below D + tick_b.
      const reach = Math.max(a.clock.exact(lo) - b.clock.exact(lo), a.clock.exact(t1) - b.clock.exact(t1)) + b.clock.tick + 2;
      if (reach <= this.k) continue;
      const at = firstGapAtLeast(a.clock, b.clock, lo, best === undefined ? t1 : best - 1, this.k);
      if (at !== undefined) best = at;
    }
    return best;
  }
}

/** `offset +3ms drift +50ppm`, leaving out what is zero. */
function describeClock(c: ClockModel): string {
  const parts = [...(c.offset !== 0 ? [`offset ${formatDuration(c.offset, true)}`] : []), ...(c.driftPpm !== 0 ? [`drift ${formatPpm(c.driftPpm)}`] : [])];
  return parts.length ? parts.join(' ') : 'exact';
}

/** The gap for a verdict: to 3 decimals, unless that would read the same as the bound (`1ms > 1ms`): then exactly. */
export function gapText(gap: number, bound: number): string {
  const text = formatDuration(gap);
  return text === formatDuration(bound) ? formatDurationExact(gap) : text;
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
export function asymmetryCauses(model: ScenarioModel, node: number): Cause[] {
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
