/**
 * A node's clock offset from true time (local − true) over the run, rebuilt
 * from what the trace shows: the declared offset and drift at t = 0, the
 * reading at every event of the node, and the clock-change events (jump,
 * drift change, protocol step/slew). Between two events the clock is linear
 * (every change is an event), so joining samples is exact; a step is drawn
 * as a vertical segment at the change, reached by extrapolating the rate in
 * force before it. Readings are floored to the clock's resolution, so the
 * curve can be off by that much.
 */
import type { TimelineEvent, TimelineNode } from '../../../server/src/core/sim/timeline';
import { lowerBound } from './scale';

export interface CurvePoint {
  readonly t: number;
  readonly offset: number;
}

export interface ClockCurve {
  /** Sorted by t; a step appears as two points with the same t. */
  readonly points: readonly CurvePoint[];
  /** True when local = true time throughout. */
  readonly flat: boolean;
}

const CLOCK_CHANGES = new Set(['clock-jump', 'clock-drift', 'clock-adjust']);

/** Drift (ppm) and protocol slew (ppm) as the engine's event details state them. */
function rateChange(e: TimelineEvent): { drift?: number; slew?: number } {
  const detail = e.detail ?? '';
  const ppm = /^(drift|slew) ([+-]?\d+(?:\.\d+)?)ppm/.exec(detail);
  if (!ppm) return {};
  return ppm[1] === 'drift' ? { drift: Number(ppm[2]) } : { slew: Number(ppm[2]) };
}

export function buildClockCurve(node: TimelineNode, laneEvents: readonly TimelineEvent[], endTime: number): ClockCurve {
  const points: CurvePoint[] = [{ t: 0, offset: node.offset }];
  let drift = node.driftPpm;
  let slew = 0;
  let last = points[0]!;
  let flat = node.offset === 0 && node.driftPpm === 0;
  const extrapolate = (t: number): number => last.offset + (t - last.t) * (drift + slew) * 1e-6;
  for (const e of laneEvents) {
    const offset = e.local - e.time;
    if (offset !== 0) flat = false;
    if (e.time < last.t) continue;
    if (CLOCK_CHANGES.has(e.kind)) {
      // The clock ran at the old rate up to the change; then it reads `offset`.
      const before = extrapolate(e.time);
      if (Math.abs(before - offset) >= 1) points.push({ t: e.time, offset: before });
      const change = rateChange(e);
      if (change.drift !== undefined) drift = change.drift;
      if (change.slew !== undefined) slew = change.slew;
    }
    last = { t: e.time, offset };
    points.push(last);
  }
  if (endTime > last.t) points.push({ t: endTime, offset: extrapolate(endTime) });
  if (drift !== 0 || slew !== 0) flat = false;
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
