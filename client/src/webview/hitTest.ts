/**
 * What is under the pointer, found by geometry rather than per-element
 * listeners (the diagram draws thousands of marks as a few paths). Small
 * things win over big ones: an event over the arrow it ends, an arrow over
 * the partition it crosses.
 */
import type { TimelineEvent, TimelineMessage, TimelinePayload, TimelineViolation } from '../../../server/src/core/sim/timeline';
import { arrowShape, arrowsInView, dropShape, dropsInView, eventPoint, segmentDistance, x, type Frame, type Point } from './frame';
import { laneY } from './layout';
import type { DropMark, OffsetEstimate } from './model';
import { estimateAt } from './offsetChart';
import { lowerBound } from './scale';

export type Hit =
  | { readonly kind: 'event'; readonly event: TimelineEvent; readonly at: Point }
  | { readonly kind: 'message'; readonly message: TimelineMessage; readonly from: Point; readonly to: Point }
  | { readonly kind: 'drop'; readonly drop: DropMark; readonly from: Point; readonly to: Point }
  | { readonly kind: 'violation'; readonly violation: TimelineViolation }
  | { readonly kind: 'estimate'; readonly estimate: OffsetEstimate }
  | { readonly kind: 'node'; readonly node: number }
  | { readonly kind: 'role'; readonly role: TimelinePayload['roles'][number] }
  | { readonly kind: 'crash'; readonly crash: TimelinePayload['crashes'][number] }
  | { readonly kind: 'partition'; readonly partition: TimelinePayload['partitions'][number] };

const EVENT_PX = 7;
const ARROW_PX = 4;

function nearestEvent(frame: Frame, node: number, p: Point): TimelineEvent | undefined {
  const lane = frame.prepared.lanes[node] ?? [];
  const t = frame.layout.time.invert(p.x);
  const i = lowerBound(lane, t, (e) => e.time);
  let best: TimelineEvent | undefined;
  let bestD = EVENT_PX;
  // Walk outwards while events are still within reach on either side.
  for (let j = i; j < lane.length && Math.abs(x(frame, lane[j]!.time) - p.x) <= EVENT_PX; j++) {
    const d = Math.abs(x(frame, lane[j]!.time) - p.x);
    if (d < bestD) [best, bestD] = [lane[j], d];
  }
  for (let j = i - 1; j >= 0 && Math.abs(x(frame, lane[j]!.time) - p.x) <= EVENT_PX; j--) {
    const d = Math.abs(x(frame, lane[j]!.time) - p.x);
    if (d < bestD) [best, bestD] = [lane[j], d];
  }
  return best;
}

export function hitTest(frame: Frame, p: Point): Hit | undefined {
  const { layout, prepared, window } = frame;
  const inLanes = p.y >= layout.lanesTop && p.y < layout.lanesBottom;
  const node = Math.floor((p.y - layout.lanesTop) / layout.laneH);
  if (p.x < layout.plotX0) return inLanes ? { kind: 'node', node } : undefined;
  if (p.x > layout.plotX1 + EVENT_PX) return undefined;

  if (inLanes && Math.abs(p.y - laneY(layout, node)) <= 10) {
    const event = nearestEvent(frame, node, p);
    if (event) return { kind: 'event', event, at: eventPoint(frame, event) };
  }
  for (const drop of dropsInView(frame)) {
    const { from, at } = dropShape(frame, drop);
    if (Math.hypot(at.x - p.x, at.y - p.y) <= EVENT_PX) return { kind: 'drop', drop, from, to: at };
  }
  // The nearest arrow or dropped stub within reach.
  let line: Hit | undefined;
  let bestD = ARROW_PX;
  for (const a of arrowsInView(frame)) {
    const s = arrowShape(frame, a);
    const d = s.control ? Math.min(segmentDistance(p, s.from, s.control), segmentDistance(p, s.control, s.to)) : segmentDistance(p, s.from, s.to);
    if (d <= bestD) [line, bestD] = [{ kind: 'message', message: a.message, from: s.from, to: s.to }, d];
  }
  for (const drop of dropsInView(frame)) {
    const { from, at } = dropShape(frame, drop);
    const d = segmentDistance(p, from, at);
    if (d <= bestD) [line, bestD] = [{ kind: 'drop', drop, from, to: at }, d];
  }
  if (line) return line;

  const chartBottom = layout.chart ? layout.chart.plotBottom : layout.lanesBottom;
  if (p.y >= layout.bannerY && p.y <= chartBottom) {
    for (const v of prepared.payload.violations) {
      if (v.time >= window.start && v.time <= window.end && Math.abs(x(frame, v.time) - p.x) <= 3) return { kind: 'violation', violation: v };
    }
  }
  if (layout.chart && p.y >= layout.chart.plotTop - 4 && p.y <= layout.chart.plotBottom + 4) {
    const estimate = estimateAt(frame, p, 6);
    if (estimate) return { kind: 'estimate', estimate };
    return undefined;
  }
  if (!inLanes && !(p.y >= layout.bannerY && p.y < layout.lanesTop)) return undefined;
  const t = layout.time.invert(p.x);
  if (inLanes) {
    const y = laneY(layout, node);
    const role = prepared.payload.roles.find((r) => r.node === node && r.from <= t && t <= r.to);
    if (role && Math.abs(p.y - y) <= 6) return { kind: 'role', role };
    const crash = prepared.payload.crashes.find((c) => c.node === node && c.from <= t && t <= c.to);
    if (crash && Math.abs(p.y - y) <= Math.min(13, layout.laneH * 0.25)) return { kind: 'crash', crash };
  }
  const partition = prepared.payload.partitions.find((q) => q.from <= t && t <= q.to);
  if (partition) return { kind: 'partition', partition };
  return undefined;
}
