/**
 * Thinning labels when the diagram is crowded: a label is drawn only if its
 * box overlaps no label placed before it. Callers place the most important
 * labels first. Boxes are bucketed in a coarse grid so a frame with
 * thousands of candidates stays cheap.
 */
import { clip } from './format';
import type { FontSpec } from './layout';
import { svgText, textWidth } from './svg';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const CELL = 64;

export class LabelPlacer {
  private readonly grid = new Map<number, Box[]>();
  placed = 0;

  constructor(private readonly maxLabels = 600) {}

  /** No more labels this frame: callers can stop offering them. */
  get full(): boolean {
    return this.placed >= this.maxLabels;
  }

  /** Reserves a box without a label (node names, the axis). */
  block(box: Box): void {
    this.insert(box);
  }

  /** True (and the box is reserved) when it is free. */
  tryPlace(box: Box): boolean {
    if (this.placed >= this.maxLabels) return false;
    if (this.collides(box)) return false;
    this.insert(box);
    this.placed++;
    return true;
  }

  private cells(box: Box, visit: (key: number) => boolean | void): boolean {
    const x0 = Math.floor(box.x / CELL);
    const x1 = Math.floor((box.x + box.w) / CELL);
    const y0 = Math.floor(box.y / CELL);
    const y1 = Math.floor((box.y + box.h) / CELL);
    for (let gx = x0; gx <= x1; gx++) for (let gy = y0; gy <= y1; gy++) if (visit(gx * 100003 + gy)) return true;
    return false;
  }

  private collides(box: Box): boolean {
    return this.cells(box, (key) => {
      const list = this.grid.get(key);
      return list?.some((b) => b.x < box.x + box.w && box.x < b.x + b.w && b.y < box.y + box.h && box.y < b.y + b.h) ?? false;
    });
  }

  private insert(box: Box): void {
    this.cells(box, (key) => {
      const list = this.grid.get(key);
      if (list) list.push(box);
      else this.grid.set(key, [box]);
    });
  }
}


/**
 * `text`, cut with … to the longest prefix that keeps it at most `maxWidth`
 * px wide ('' when not even one letter fits). The cut point is found by
 * binary search (a longer prefix is never narrower), so a name of n letters
 * costs O(log n) measurements, not n.
 */
export function fitText(text: string, maxWidth: number, font: FontSpec): string {
  if (textWidth(text, font.css) <= maxWidth) return text;
  const fits = (keep: number): boolean => textWidth(clip(text, keep + 1), font.css) <= maxWidth;
  if (text.length < 2 || !fits(1)) return '';
  // Invariant: `low` letters fit, `high` letters do not (text.length never fits, it was measured above).
  let low = 1;
  let high = text.length;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return clip(text, low + 1);
}

export type Anchor = 'start' | 'middle' | 'end';

export interface PlaceOptions {
  readonly anchor?: Anchor;
  /** Free space kept round the text, px: more for labels that should stay sparse. */
  readonly padX?: number;
  readonly padY?: number;
  /** Shift the label sideways to stay inside [x0, x1] (the plot), rather than be cut off. */
  readonly within?: { readonly x0: number; readonly x1: number };
}

export interface PlacedText {
  readonly el: SVGTextElement;
  readonly left: number;
  readonly width: number;
}

/**
 * Draws `text` with its baseline at (x, y) if there is room; returns where
 * it went, or undefined when the spot was taken.
 */
export function placeText(placer: LabelPlacer, parent: Element, text: string, x: number, y: number, font: FontSpec, cls: string, options: PlaceOptions = {}): PlacedText | undefined {
  const anchor = options.anchor ?? 'middle';
  const padX = options.padX ?? 2;
  const padY = options.padY ?? 1;
  const w = font.monospace ? text.length * textWidth('0', font.css) : textWidth(text, font.css);
  let left = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
  if (options.within) {
    if (w > options.within.x1 - options.within.x0) return undefined;
    left = Math.min(Math.max(left, options.within.x0), options.within.x1 - w);
  }
  const box = { x: left - padX, y: y - font.size * 0.8 - padY, w: w + 2 * padX, h: font.size + 2 * padY };
  if (!placer.tryPlace(box)) return undefined;
  return { el: svgText(text, { x: left, y, class: cls, 'text-anchor': 'start' }, parent), left, width: w };
}

/**
 * A cheap test before measuring a label: its anchor point lies inside the
 * last label placed on the same row, so it cannot fit. Thousands of
 * candidates in a crowded row are turned away without text measurement.
 */
export class RowGate {
  private readonly last = new Map<number, { left: number; right: number }>();

  blocked(row: number, x: number): boolean {
    const box = this.last.get(row);
    return box !== undefined && x >= box.left && x <= box.right;
  }

  placed(row: number, label: PlacedText): void {
    this.last.set(row, { left: label.left, right: label.left + label.width });
  }
}

/**
 * Keeps one of a run of identical labels on a row ("heartbeat heartbeat
 * heartbeat …" says no more than one does): a repeat is allowed only `gap`
 * px after the last one drawn on that row.
 */
export class Repeats {
  private readonly last = new Map<string, number>();

  constructor(private readonly gap: number) {}

  allows(row: number, text: string, x: number): boolean {
    const prev = this.last.get(`${row}\u0000${text}`);
    return prev === undefined || Math.abs(x - prev) >= this.gap;
  }

  note(row: number, text: string, x: number): void {
    this.last.set(`${row}\u0000${text}`, x);
  }
}
