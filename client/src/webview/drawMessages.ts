/**
 * Message arrows: one path per kind (delivered, duplicate copy, dropped
 * stub) plus one for all arrowheads and one for all ✕ marks, so thousands
 * of messages cost a handful of DOM nodes. Labels sit at the middle of the
 * arrow when there is room.
 */
import { clip } from './format';
import { arrowShape, arrowsInView, dropShape, dropsInView, MARK_R, plotBounds, type Frame, type Point } from './frame';
import { placeText, Repeats, RowGate, type LabelPlacer } from './labels';
import type { Arrow } from './model';
import { PathBuilder, pixelKey } from './svg';

const HEAD_LEN = 7;
const HEAD_HALF = 3.2;
const CROSS = 4.5;
/** Arrowheads are drawn while there are at most this many arrows per pixel of plot width. */
const HEADS_PER_PX = 1;
/** Identical labels in one gap between lanes closer than this (px) are drawn once. */
const LABEL_REPEAT_GAP = 180;

export interface MessageCounts {
  readonly arrows: number;
  /** Drop marks whose ✕ lies inside the window. */
  readonly drops: number;
  readonly visible: readonly Arrow[];
}

function head(path: PathBuilder, tip: Point, from: Point): void {
  const dx = tip.x - from.x;
  const dy = tip.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = tip.x - ux * HEAD_LEN;
  const by = tip.y - uy * HEAD_LEN;
  path.move(tip.x, tip.y).line(bx - uy * HEAD_HALF, by + ux * HEAD_HALF).line(bx + uy * HEAD_HALF, by - ux * HEAD_HALF).close();
}

/** Moves `tip` back towards `from` by `by` px (so the head stops at the mark's edge). */
function shorten(tip: Point, from: Point, by: number): Point {
  const len = Math.hypot(tip.x - from.x, tip.y - from.y);
  if (len <= by * 2) return tip;
  const k = (len - by) / len;
  return { x: from.x + (tip.x - from.x) * k, y: from.y + (tip.y - from.y) * k };
}

export function cross(path: PathBuilder, p: Point, r = CROSS): void {
  path.move(p.x - r, p.y - r).line(p.x + r, p.y + r).move(p.x - r, p.y + r).line(p.x + r, p.y - r);
}

export function drawMessages(frame: Frame, parent: Element): MessageCounts {
  const delivered = new PathBuilder();
  const duplicate = new PathBuilder();
  const heads = new PathBuilder();
  const stubs = new PathBuilder();
  const crosses = new PathBuilder();
  const visible = arrowsInView(frame);
  const lanes = frame.prepared.names.length;
  // More arrows than pixel columns: heads would be a smear, and half the drawing. Lines only.
  const withHeads = visible.length <= (frame.layout.plotX1 - frame.layout.plotX0) * HEADS_PER_PX;
  for (const a of visible) {
    const s = arrowShape(frame, a);
    const path = a.message.outcome === 'duplicate' ? duplicate : delivered;
    // Same lanes, same pixel columns: the same arrow on screen (numeric key: exact below 2⁵³ with < 1024 nodes).
    const key = lanes < 1024 ? pixelKey(s.from.x, s.to.x) * 1_048_576 + a.message.from * 1024 + a.message.to : undefined;
    if (!path.add(key)) continue;
    if (withHeads) heads.add();
    path.move(s.from.x, s.from.y);
    const before = s.control ?? s.from;
    const tip = shorten(s.to, before, MARK_R + 0.5);
    if (s.control) path.quad(s.control.x, s.control.y, tip.x, tip.y);
    else path.line(tip.x, tip.y);
    if (withHeads) head(heads, tip, before);
  }
  let dropsInWindow = 0;
  for (const d of dropsInView(frame)) {
    if (d.time >= frame.window.start && d.time <= frame.window.end) dropsInWindow++;
    const { from, at } = dropShape(frame, d);
    const key = `${Math.round(from.x)},${Math.round(from.y)},${Math.round(at.x)},${Math.round(at.y)}`;
    crosses.add(key);
    if (!stubs.add(key)) continue;
    stubs.move(from.x, from.y).line(at.x, at.y);
    cross(crosses, at);
  }
  delivered.emit(parent, 'arrow arrow-delivered');
  duplicate.emit(parent, 'arrow arrow-duplicate');
  stubs.emit(parent, 'arrow arrow-dropped');
  heads.emit(parent, 'arrow-head');
  crosses.emit(parent, 'drop-mark');
  return { arrows: delivered.total + duplicate.total, drops: dropsInWindow, visible };
}

/**
 * Where an arrow's label goes: in the first gap between lanes it crosses
 * (never on a lane line, whatever lanes it spans), or above a loop.
 * `row` identifies the gap, for thinning repeats.
 */
function labelSpot(frame: Frame, a: Arrow): { x: number; y: number; row: number } {
  const s = arrowShape(frame, a);
  if (s.control) return { x: s.control.x, y: s.control.y + 4, row: -1 - a.message.from };
  const { from, to } = a.message;
  const dir = Math.sign(to - from);
  const gapY = s.from.y + (dir * frame.layout.laneH) / 2;
  const u = (gapY - s.from.y) / (s.to.y - s.from.y);
  return { x: s.from.x + u * (s.to.x - s.from.x), y: gapY + 4, row: Math.min(from, from + dir) };
}

/** Arrow labels, earliest first, skipping any that would overlap or merely repeat their neighbour. */
export function drawMessageLabels(frame: Frame, arrows: readonly Arrow[], parent: Element, placer: LabelPlacer): void {
  const { layout, fonts } = frame;
  const repeats = new Repeats(LABEL_REPEAT_GAP);
  const within = plotBounds(frame);
  const gate = new RowGate();
  for (const a of arrows) {
    if (placer.full) return;
    if (a.message.outcome === 'duplicate' || !a.message.label) continue;
    const spot = labelSpot(frame, a);
    if (spot.x < layout.plotX0 || spot.x > layout.plotX1 || gate.blocked(spot.row, spot.x)) continue;
    const text = clip(a.message.label, 24);
    if (!repeats.allows(spot.row, text, spot.x)) continue;
    const placed = placeText(placer, parent, text, spot.x, spot.y, fonts.label, 'message-label halo', { padX: 6, within });
    if (!placed) continue;
    repeats.note(spot.row, text, spot.x);
    gate.placed(spot.row, placed);
  }
}
