/**
 * A node's clock offset from true time (local − true) over the run, rebuilt
 * from what the trace shows: the declared offset and drift at t = 0, the
 * reading at every event of the node, and the clock-change events, whose
 * `data` says the step (`step`, ns) and the rate after it (`ratePpm`).
 * Between two events the clock is linear (every change is an event), so
 * joining samples is exact; a step is a vertical segment at the change.
 * Readings are floored to the clock's resolution, so the curve can be off by
 * that much.
 */
import type { TimelineEvent, TimelineNode } from '../../../server/src/core/sim/timeline';
import { lowerBound } from './scale';

export interface CurvePoint {
  readonly t: number;
  readonly offset: number;
}

export interface ClockCurve {
  /** Sorted by t; a step appears as two points with the same t (before, after). */
  readonly points: readonly CurvePoint[];
  /** True when local = true time throughout. */
  readonly flat: boolean;
}

const CLOCK_CHANGES = new Set(['clock-jump', 'clock-drift', 'clock-adjust']);

function numberIn(e: TimelineEvent, key: string): number | undefined {
  const v = e.data?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function buildClockCurve(node: TimelineNode, laneEvents: readonly TimelineEvent[], endTime: number): ClockCurve {
  const points: CurvePoint[] = [{ t: 0, offset: node.offset }];
  let ratePpm = node.driftPpm;
  let last = points[0]!;
  let flat = node.offset === 0 && node.driftPpm === 0;
  const extrapolate = (t: number): number => last.offset + (t - last.t) * ratePpm * 1e-6;
  for (const e of laneEvents) {
    const offset = e.local - e.time;
    if (offset !== 0) flat = false;
    if (e.time < last.t) continue;
    if (CLOCK_CHANGES.has(e.kind)) {
      // Just before the change the clock read `offset − step` (or ran on at the old rate).
      const step = numberIn(e, 'step');
      const before = step !== undefined ? offset - step : extrapolate(e.time);
      if (Math.abs(before - offset) >= 1) points.push({ t: e.time, offset: before });
      ratePpm = numberIn(e, 'ratePpm') ?? ratePpm;
    }
    last = { t: e.time, offset };
    points.push(last);
  }
  if (endTime > last.t) points.push({ t: endTime, offset: extrapolate(endTime) });
  if (ratePpm !== 0) flat = false;
  return { points, flat };
}

/** The offset at true time t (after any step at exactly t). */
export function offsetAt(curve: ClockCurve, t: number): number {
  const pts = curve.points;
  const i = lowerBound(pts, t, (p) => p.t);
  if (i >= pts.length) return pts[pts.length - 1]!.offset;
  // Several points at t: the last is after the step.
  let j = i;
  while (j + 1 < pts.length && pts[j + 1]!.t === t) j++;
  if (pts[j]!.t === t || j === 0) return pts[j]!.offset;
  const a = pts[j - 1]!;
  const b = pts[j]!;
  return a.offset + ((t - a.t) / (b.t - a.t)) * (b.offset - a.offset);
}

/**
 * True times in [from, to] at which the node's clock reads a multiple of
 * `step`, with the reading: the per-lane local-time scale. A backward step
 * repeats readings, a forward one skips them, so jumps show.
 */
export function localTicks(curve: ClockCurve, from: number, to: number, step: number, max = 400): { t: number; local: number }[] {
  const out: { t: number; local: number }[] = [];
  const pts = curve.points;
  for (let i = 1; i < pts.length && out.length < max; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (b.t <= a.t || b.t < from || a.t > to) continue;
    const t0 = Math.max(a.t, from);
    const t1 = Math.min(b.t, to);
    const slope = (b.offset - a.offset) / (b.t - a.t);
    const localAt = (t: number): number => t + a.offset + (t - a.t) * slope;
    const l0 = localAt(t0);
    const l1 = localAt(t1);
    // Half-open pieces [a, b) so a tick on a shared boundary is drawn once.
    for (let k = Math.ceil(l0 / step); k * step < l1 && out.length < max; k++) {
      const local = k * step;
      const t = a.t + (local - a.offset - a.t) / (1 + slope);
      if (t >= t0 && t < t1) out.push({ t, local });
    }
  }
  return out;
}
