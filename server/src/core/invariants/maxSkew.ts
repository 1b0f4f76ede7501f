import type { Cause, InvariantDefinition, ViolationReport, WorldView } from './invariant';
import { formatDuration, formatPpm } from '../units';

/**
 * max_skew < X: the spread of clock readings among live nodes (or the nodes
 * named in parentheses) stays below X at every instant.
 *
 * Exact, not sampled: between two clock or liveness changes every clock is
 * linear in true time, so the spread (max − min of lines) is convex there and
 * can only cross X once; we check at each change and solve for the crossing
 * instant analytically.
 */
export const maxSkew: InvariantDefinition = {
  name: 'max_skew',
  summary: 'clocks of live nodes never differ by the bound or more',
  example: 'invariant max_skew < 10ms',
  form: { bound: 'duration', comparators: ['<', '<='], args: { min: 0, max: 1000, kind: 'node' } },
  create(params, world) {
    const bound = params.bound!;
    const strict = params.comparator === '<';
    const watched = params.nodeArgs.length > 0 ? [...params.nodeArgs] : world.model.nodes.map((n) => n.index);
    const exceeds = (skew: number): boolean => (strict ? skew >= bound : skew > bound);
    // Snapshot of each watched live clock at the last checkpoint: reading and rate (ppm).
    let t0 = 0;
    let live: Line[] | undefined;
    const snapshot = (t: number): void => {
      t0 = t;
      live = watched.filter((i) => world.isAlive(i)).map((i) => ({ node: i, reading: world.clock(i).exact(t0), ppm: world.clock(i).totalRatePpm }));
    };
    // Monitors are created before the first event, when every clock is on its first piece.
    snapshot(world.now());
    let started = false;
    const report = (time: number, seq: number, readings: { node: number; reading: number }[]): ViolationReport => {
      let hi = readings[0]!;
      let lo = readings[0]!;
      for (const r of readings) {
        if (r.reading > hi.reading) hi = r;
        if (r.reading < lo.reading) lo = r;
      }
      const name = (i: number): string => world.model.nodes[i]!.name;
      const spread = hi.reading - lo.reading;
      const causes = clockCauses(world, [hi.node, lo.node]);
      return {
        message: `max_skew ${formatDuration(Math.round(spread))} ${strict ? '>=' : '>'} ${formatDuration(bound)} at t=${formatDuration(time)} (${name(hi.node)} ${formatDuration(Math.round(hi.reading - time), true)}, ${name(lo.node)} ${formatDuration(Math.round(lo.reading - time), true)} from true time)${causes.length ? `; caused by: ${causes.map((c) => `${c.message} (line ${c.range.startLine})`).join('; ')}` : ''}`,
        time,
        seq,
        causes,
      };
    };
    // The last event at or before a crossing found in hindsight, so the trace marks the right instant.
    const seqAt = (time: number, seq: number): number => {
      let s = seq - 1;
      for (let e = world.event(s); e && e.time > time; e = world.event(s)) s--;
      return s;
    };
    const check = (seq: number): ViolationReport | undefined => {
      if (!started) {
        started = true;
        const start = live!.map((l) => ({ node: l.node, reading: l.reading }));
        if (start.length > 1 && exceeds(spreadOf(start))) return report(0, -1, start);
      }
      const t1 = world.now();
      const lines = live!;
      // 1. Continuation of the old pieces up to t1: did the spread cross X in between?
      if (lines.length > 1 && t1 > t0) {
        const at = (t: number) => lines.map((l) => ({ node: l.node, reading: readingAt(l, t0, t) }));
        if (exceeds(spreadOf(at(t1)))) {
          const crossing = earliestCrossing(lines, t0, t1, bound, exceeds);
          return report(crossing, crossing < t1 ? seqAt(crossing, seq) : seq, at(crossing));
        }
      }
      // 2. The state after the change at t1.
      snapshot(t1);
      const now = live!.map((l) => ({ node: l.node, reading: l.reading }));
      if (now.length > 1 && exceeds(spreadOf(now))) return report(t1, seq, now);
      return undefined;
    };
    return {
      onEvent(e) {
        if (!started || e.kind === 'clock-jump' || e.kind === 'clock-drift' || e.kind === 'clock-adjust' || e.kind === 'crash' || e.kind === 'restart') return check(e.seq);
        return undefined;
      },
      atEnd: () => check(world.lastSeq()),
    };
  },
};

interface Line {
  readonly node: number;
  readonly reading: number;
  readonly ppm: number;
}

/** A clock's reading at t, continuing its piece from the snapshot at t0 (drift kept in ppm so whole-ppm rates stay exact). */
function readingAt(l: Line, t0: number, t: number): number {
  return l.reading + (t - t0) + ((t - t0) * l.ppm) / 1e6;
}

function spreadOf(readings: readonly { reading: number }[]): number {
  let hi = -Infinity;
  let lo = Infinity;
  for (const r of readings) {
    if (r.reading > hi) hi = r.reading;
    if (r.reading < lo) lo = r.reading;
  }
  return hi - lo;
}

/** The first integer instant in (t0, t1] at which the spread of the linear clocks exceeds the bound. */
function earliestCrossing(live: readonly Line[], t0: number, t1: number, bound: number, exceeds: (s: number) => boolean): number {
  let best = t1;
  for (const a of live) {
    for (const b of live) {
      const d0 = a.reading - b.reading;
      const dppm = a.ppm - b.ppm;
      if (dppm <= 0) continue;
      const t = t0 + Math.max(0, Math.ceil(((bound - d0) * 1e6) / dppm));
      if (t < best) best = t;
    }
  }
  // The analytic instant is exact up to rounding; settle on the first instant where the predicate holds.
  const spreadAt = (t: number): number => spreadOf(live.map((l) => ({ reading: readingAt(l, t0, t) })));
  while (best > t0 && exceeds(spreadAt(best - 1))) best--;
  while (best < t1 && !exceeds(spreadAt(best))) best++;
  return Math.max(best, t0);
}

/** Why these clocks are where they are: their last change, else their declaration. */
export function clockCauses(world: WorldView, nodes: readonly number[]): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  for (const i of nodes) {
    const node = world.model.nodes[i]!;
    const last = world.lastClockChange(i);
    const declared = [node.clock.offset !== 0 ? `offset ${formatDuration(node.clock.offset, true)}` : '', node.clock.driftPpm !== 0 ? `drift ${formatPpm(node.clock.driftPpm)}` : ''].filter(Boolean).join(' ');
    const cause = last ?? (node.clock.range ? { message: `clock ${node.name} ${declared || 'declared'}`, range: node.clock.range } : undefined);
    if (cause && !seen.has(cause.message)) {
      seen.add(cause.message);
      causes.push(cause);
    }
  }
  return causes;
}
