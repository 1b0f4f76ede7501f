/**
 * Event marks on the lanes, one path per kind of mark, and their captions
 * and local clock readings (thinned when crowded).
 */
import type { TimelineEvent } from '../../../server/src/core/sim/timeline';
import { eventCaption } from './describe';
import { clip, formatTimeShort } from './format';
import { eventPoint, laneEventsInView, MARK_R, plotBounds, type Frame, type Point } from './frame';
import { cross } from './drawMessages';
import { label } from './i18n';
import { placeText, Repeats, RowGate, type LabelPlacer } from './labels';
import { PathBuilder, pixelKey } from './svg';

/** Identical captions on a lane closer than this (px) are drawn once. */
const REPEAT_GAP = 160;

type Shape = 'dot' | 'square' | 'ring' | 'diamond' | 'triangle' | 'bar' | 'box' | 'cross';

/** How each kind is drawn: a shape and the CSS class of its path. */
export const MARKS: Readonly<Record<string, { readonly shape: Shape; readonly cls: string; readonly legend: string }>> = {
  send: { shape: 'dot', cls: 'mark-message', legend: label('send / receive') },
  receive: { shape: 'dot', cls: 'mark-message', legend: label('send / receive') },
  duplicate: { shape: 'dot', cls: 'mark-message', legend: label('send / receive') },
  local: { shape: 'square', cls: 'mark-local', legend: label('local event') },
  timer: { shape: 'ring', cls: 'mark-timer', legend: label('timer') },
  note: { shape: 'diamond', cls: 'mark-note', legend: label('protocol note') },
  'clock-jump': { shape: 'triangle', cls: 'mark-clock', legend: label('clock jump / adjust') },
  'clock-drift': { shape: 'triangle', cls: 'mark-clock', legend: label('clock jump / adjust') },
  'clock-adjust': { shape: 'triangle', cls: 'mark-clock', legend: label('clock jump / adjust') },
  crash: { shape: 'bar', cls: 'mark-crash', legend: label('crash') },
  restart: { shape: 'bar', cls: 'mark-restart', legend: label('restart') },
  skip: { shape: 'ring', cls: 'mark-skip', legend: label('skipped (node down)') },
  'link-down': { shape: 'box', cls: 'mark-link', legend: label('link fault') },
  'link-up': { shape: 'box', cls: 'mark-link', legend: label('link fault') },
  'link-delay': { shape: 'box', cls: 'mark-link', legend: label('link fault') },
  drop: { shape: 'cross', cls: 'drop-mark', legend: label('dropped') },
};
const OTHER = { shape: 'dot' as Shape, cls: 'mark-other', legend: label('other') };

export function markFor(kind: string): { readonly shape: Shape; readonly cls: string; readonly legend: string } {
  return MARKS[kind] ?? OTHER;
}

export function drawShape(path: PathBuilder, shape: Shape, p: Point, r = MARK_R): void {
  switch (shape) {
    case 'dot':
    case 'ring':
      path.circle(p.x, p.y, shape === 'ring' ? r + 0.5 : r);
      break;
    case 'square':
    case 'box':
      path.move(p.x - r, p.y - r).line(p.x + r, p.y - r).line(p.x + r, p.y + r).line(p.x - r, p.y + r).close();
      break;
    case 'diamond':
      path.move(p.x, p.y - r - 1.5).line(p.x + r + 1, p.y).line(p.x, p.y + r + 1.5).line(p.x - r - 1, p.y).close();
      break;
    case 'triangle':
      path.move(p.x, p.y - r - 2).line(p.x + r + 1.5, p.y + r).line(p.x - r - 1.5, p.y + r).close();
      break;
    case 'bar':
      path.move(p.x - 1.5, p.y - 9).line(p.x + 1.5, p.y - 9).line(p.x + 1.5, p.y + 9).line(p.x - 1.5, p.y + 9).close();
      break;
    case 'cross':
      cross(path, p);
      break;
  }
}

/** Draws every lane's marks; returns the events drawn per lane (for labels). */
export function drawMarks(frame: Frame, parent: Element): { count: number; visible: TimelineEvent[][] } {
  const paths = new Map<string, PathBuilder>();
  const visible: TimelineEvent[][] = [];
  let count = 0;
  frame.prepared.names.forEach((_, node) => {
    const events = laneEventsInView(frame, node) as TimelineEvent[];
    visible.push(events);
    for (const e of events) {
      const mark = markFor(e.kind);
      let path = paths.get(mark.cls);
      if (!path) paths.set(mark.cls, (path = new PathBuilder()));
      const p = eventPoint(frame, e);
      if (path.add(pixelKey(p.x, p.y))) drawShape(path, mark.shape, p);
      if (e.time >= frame.window.start && e.time <= frame.window.end) count++;
    }
  });
  // Drawn in a fixed order so the same kinds always stack the same way.
  for (const cls of [...paths.keys()].sort()) paths.get(cls)!.emit(parent, `mark ${cls}`);
  return { count, visible };
}

export function drawEventCaptions(frame: Frame, visible: readonly (readonly TimelineEvent[])[], parent: Element, placer: LabelPlacer): void {
  const { fonts } = frame;
  const repeats = new Repeats(REPEAT_GAP);
  const gate = new RowGate();
  const within = plotBounds(frame);
  visible.forEach((events, lane) => {
    for (const e of events) {
      if (placer.full) return;
      const caption = eventCaption(e);
      if (caption === undefined) continue;
      const p = eventPoint(frame, e);
      if (gate.blocked(lane, p.x)) continue;
      const text = clip(caption, 28);
      if (!repeats.allows(lane, text, p.x)) continue;
      // Roomy: captions running into each other read as one long sentence.
      const placed = placeText(placer, parent, text, p.x, p.y - 9, fonts.label, `event-label ${markFor(e.kind).cls}-text halo`, { within, padX: 9 });
      if (!placed) continue;
      repeats.note(lane, text, p.x);
      gate.placed(lane, placed);
    }
  });
}

/** Each event's local clock reading under its mark (the "local clocks" toggle). */
export function drawLocalReadings(frame: Frame, visible: readonly (readonly TimelineEvent[])[], parent: Element, placer: LabelPlacer): void {
  const { fonts } = frame;
  const gate = new RowGate();
  const within = plotBounds(frame);
  visible.forEach((events, lane) => {
    for (const e of events) {
      if (placer.full) return;
      const p = eventPoint(frame, e);
      if (gate.blocked(lane, p.x)) continue;
      const placed = placeText(placer, parent, formatTimeShort(e.local), p.x, p.y + 15, fonts.mono, 'local-reading halo', { padX: 3, within });
      if (placed) gate.placed(lane, placed);
    }
  });
}
