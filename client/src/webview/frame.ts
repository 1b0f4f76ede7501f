/**
 * One drawn frame: the prepared timeline seen through a time window at a
 * given size. Drawing and hit-testing both ask it where things are, so what
 * the pointer finds is exactly what was drawn.
 */
import type { TimelineEvent } from '../../../server/src/core/sim/timeline';
import { laneY, type Fonts, type Layout } from './layout';
import type { Arrow, DropMark, Prepared } from './model';
import { lowerBound, upperBound, type TimeWindow } from './scale';

export interface Frame {
  readonly prepared: Prepared;
  readonly layout: Layout;
  readonly window: TimeWindow;
  readonly showLocal: boolean;
  readonly fonts: Fonts;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Mark radius at the ends of arrows. */
export const MARK_R = 3.5;
/** How far past the window edges (in px) marks are still drawn, so they do not pop. */
const EDGE_PX = 12;

/** Labels stay inside the plot: shifted, never cut off at its edges. */
export function plotBounds(frame: Frame): { x0: number; x1: number } {
  return { x0: frame.layout.plotX0 + 2, x1: frame.layout.plotX1 - 2 };
}

export function x(frame: Frame, t: number): number {
  return frame.layout.time.at(t);
}

function slack(frame: Frame): number {
  return Math.abs(EDGE_PX / (frame.layout.time.k || 1));
}

/** Events of one lane that fall in the window (plus a few px either side). */
export function laneEventsInView(frame: Frame, node: number): readonly TimelineEvent[] {
  const lane = frame.prepared.lanes[node] ?? [];
  const s = slack(frame);
  const i0 = lowerBound(lane, frame.window.start - s, (e) => e.time);
  const i1 = upperBound(lane, frame.window.end + s, (e) => e.time);
  return lane.slice(i0, i1);
}

/** Arrows with any part inside the window. */
export function arrowsInView(frame: Frame): Arrow[] {
  const { arrows, longestArrow } = frame.prepared;
  const s = slack(frame);
  const from = frame.window.start - s;
  const to = frame.window.end + s;
  const i0 = lowerBound(arrows, from - longestArrow, (a) => a.message.sendTime);
  const i1 = upperBound(arrows, to, (a) => a.message.sendTime);
  const out: Arrow[] = [];
  for (let i = i0; i < i1; i++) {
    const a = arrows[i]!;
    if (a.message.endTime >= from) out.push(a);
  }
  return out;
}

export function dropsInView(frame: Frame): DropMark[] {
  const { drops, longestDrop } = frame.prepared;
  const s = slack(frame);
  const from = frame.window.start - s;
  const to = frame.window.end + s;
  const i0 = lowerBound(drops, from - longestDrop, (d) => d.message.sendTime);
  const i1 = upperBound(drops, to, (d) => d.message.sendTime);
  const out: DropMark[] = [];
  for (let i = i0; i < i1; i++) {
    const d = drops[i]!;
    if (d.time >= from) out.push(d);
  }
  return out;
}

export function eventPoint(frame: Frame, e: TimelineEvent): Point {
  return { x: x(frame, e.time), y: laneY(frame.layout, e.node) };
}

export interface ArrowShape {
  readonly from: Point;
  readonly to: Point;
  /** Control point of the loop a node draws for a message to itself. */
  readonly control: Point | undefined;
}

export function arrowShape(frame: Frame, a: Arrow): ArrowShape {
  const m = a.message;
  const from = { x: x(frame, m.sendTime), y: laneY(frame.layout, m.from) };
  const to = { x: x(frame, m.endTime), y: laneY(frame.layout, m.to) };
  const control = m.from === m.to ? { x: (from.x + to.x) / 2, y: from.y - frame.layout.laneH * 0.45 } : undefined;
  return { from, to, control };
}

export function dropShape(frame: Frame, d: DropMark): { from: Point; at: Point } {
  const m = d.message;
  const from = { x: x(frame, m.sendTime), y: laneY(frame.layout, m.from) };
  const yTo = laneY(frame.layout, m.to);
  const at = { x: x(frame, d.time), y: m.from === m.to ? from.y - frame.layout.laneH * 0.3 : from.y + (yTo - from.y) * d.along };
  return { from, at };
}

/** Distance from p to the segment ab. */
export function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + u * dx), p.y - (a.y + u * dy));
}
