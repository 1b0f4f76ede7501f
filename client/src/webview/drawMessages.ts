/**
 * Message arrows: one path per kind (delivered, duplicate copy, dropped
 * stub) plus one for all arrowheads and one for all ✕ marks, so thousands
 * of messages cost a handful of DOM nodes. Labels sit at the middle of the
 * arrow when there is room.
 */
import { clip } from './format';
import { arrowShape, arrowsInView, dropShape, dropsInView, MARK_R, type Frame, type Point } from './frame';
import { placeText, type LabelPlacer } from './labels';
import type { Arrow } from './model';
import { PathBuilder } from './svg';

const HEAD_LEN = 7;
const HEAD_HALF = 3.2;
const CROSS = 4.5;

export interface MessageCounts {
  readonly arrows: number;
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
  for (const a of visible) {
    const s = arrowShape(frame, a);
    const path = a.message.outcome === 'duplicate' ? duplicate : delivered;
    path.count++;
    path.move(s.from.x, s.from.y);
    const before = s.control ?? s.from;
    const tip = shorten(s.to, before, MARK_R + 0.5);
    if (s.control) path.quad(s.control.x, s.control.y, tip.x, tip.y);
    else path.line(tip.x, tip.y);
    head(heads, tip, before);
    heads.count++;
  }
  const drops = dropsInView(frame);
  for (const d of drops) {
    const { from, at } = dropShape(frame, d);
    stubs.move(from.x, from.y).line(at.x, at.y);
    stubs.count++;
    cross(crosses, at);
    crosses.count++;
  }
  delivered.emit(parent, 'arrow arrow-delivered');
  duplicate.emit(parent, 'arrow arrow-duplicate');
  stubs.emit(parent, 'arrow arrow-dropped');
  heads.emit(parent, 'arrow-head');
  crosses.emit(parent, 'drop-mark');
  return { arrows: delivered.count + duplicate.count, drops: crosses.count, visible };
}

/** Labels at the middle of arrows, earliest first, skipping any that would overlap. */
export function drawMessageLabels(frame: Frame, arrows: readonly Arrow[], parent: Element, placer: LabelPlacer): void {
  const { layout, fonts } = frame;
  for (const a of arrows) {
    if (a.message.outcome === 'duplicate' || !a.message.label) continue;
    const s = arrowShape(frame, a);
    const mx = s.control ? s.control.x : (s.from.x + s.to.x) / 2;
    const my = s.control ? s.control.y + 4 : (s.from.y + s.to.y) / 2 + 4;
    if (mx < layout.plotX0 || mx > layout.plotX1) continue;
    // Only where the arrow is long enough to carry it.
    if (Math.hypot(s.to.x - s.from.x, s.to.y - s.from.y) < 24) continue;
    placeText(placer, parent, clip(a.message.label, 24), mx, my, fonts.label, 'message-label halo');
  }
}
