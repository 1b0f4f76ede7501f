/**
 * The lanes themselves: alternating backgrounds, the lane lines, node names
 * in the left column, role bands, crash hatching and the per-lane local
 * clock scale.
 */
import { localTicks } from './clockCurve';
import { clip, tickFormatter } from './format';
import { plotBounds, x, type Frame } from './frame';
import { fitText, placeText, type LabelPlacer } from './labels';
import { clockSpec, laneY, PAD } from './layout';
import { NODE_HUES } from './model';
import { svg, svgText } from './svg';

/**
 * A node's colour in the offset chart and on its lane's swatch. Past the
 * palette's five hues the cycle repeats dashed (chart) and hollow (swatch),
 * so n1 and n6 stay apart.
 */
export function nodeStyle(node: number): { readonly hue: string; readonly alt: boolean } {
  return { hue: NODE_HUES[node % NODE_HUES.length]!, alt: Math.floor(node / NODE_HUES.length) % 2 === 1 };
}

/** CSS classes for a node's offset line (and its key sample). */
export function offsetLineClass(node: number): string {
  const { hue, alt } = nodeStyle(node);
  return `offset-line stroke-${hue}${alt ? ' dashed' : ''}`;
}

export function drawLaneBackgrounds(frame: Frame, back: Element, lines: Element): void {
  const { layout, prepared } = frame;
  prepared.names.forEach((_, i) => {
    const top = layout.lanesTop + i * layout.laneH;
    if (i % 2 === 1) svg('rect', { class: 'lane-band', x: 0, y: top, width: layout.width, height: layout.laneH }, back);
    svg('line', { class: 'lane-line', x1: layout.plotX0, x2: layout.plotX1, y1: laneY(layout, i), y2: laneY(layout, i) }, lines);
  });
}

/** Node names (clipped to the column) with the node's colour and its declared clock. */
export function drawNames(frame: Frame, parent: Element): void {
  const { layout, prepared, fonts } = frame;
  svg('rect', { class: 'names-bg', x: 0, y: layout.lanesTop, width: layout.plotX0 - 6, height: layout.lanesBottom - layout.lanesTop }, parent);
  const room = layout.plotX0 - PAD - 30;
  prepared.payload.nodes.forEach((n, i) => {
    const y = laneY(layout, i);
    const { hue, alt } = nodeStyle(i);
    svg('rect', { class: alt ? `swatch swatch-hollow stroke-${hue}` : `swatch fill-${hue}`, x: PAD, y: y - 9, width: 4, height: 18, rx: 2 }, parent);
    const name = fitText(n.name, room, fonts.name) || clip(n.name, 1);
    const spec = clockSpec(n);
    svgText(name, { class: 'name', x: PAD + 12, y: spec ? y - 1 : y + 4.5 }, parent);
    if (spec) svgText(spec, { class: 'clock-spec', x: PAD + 12, y: y + 12 }, parent);
  });
}

export function drawRoles(frame: Frame, bands: Element, labels: Element, placer: LabelPlacer): void {
  const { layout, prepared, window, fonts } = frame;
  for (const r of prepared.payload.roles) {
    if (r.to < window.start || r.from > window.end) continue;
    const hue = prepared.roleHues.get(r.role) ?? 'blue';
    const x0 = Math.max(x(frame, r.from), layout.plotX0 - 2);
    const x1 = Math.min(x(frame, r.to), layout.plotX1 + 2);
    if (x1 - x0 < 0.5) continue;
    const y = laneY(layout, r.node);
    svg('rect', { class: `role-band fill-${hue}`, x: x0, y: y - 5, width: x1 - x0, height: 10, rx: 2 }, bands);
    if (x1 - x0 > 30) placeText(placer, labels, clip(r.role, 16), Math.max(x0, layout.plotX0) + 3, y + 17, fonts.smallBold, `role-label text-${hue}`, { anchor: 'start', within: plotBounds(frame) });
  }
}

export function drawCrashes(frame: Frame, parent: Element): void {
  const { layout, prepared, window } = frame;
  for (const c of prepared.payload.crashes) {
    if (c.to < window.start || c.from > window.end) continue;
    const x0 = Math.max(x(frame, c.from), layout.plotX0 - 2);
    const x1 = Math.min(x(frame, c.to), layout.plotX1 + 2);
    const y = laneY(layout, c.node);
    const h = Math.min(26, layout.laneH * 0.5);
    svg('rect', { class: 'crash-area', x: x0, y: y - h / 2, width: Math.max(1, x1 - x0), height: h }, parent);
  }
}

/**
 * Each lane's own clock as a ruler under its line: ticks where the node's
 * clock reads a multiple of the axis step. Drift shifts them against the
 * grid; a jump bunches or skips them.
 */
export function drawLocalScales(frame: Frame, step: number, ticks: Element, labels: Element, placer: LabelPlacer): void {
  const { layout, prepared, window, fonts } = frame;
  const format = tickFormatter(step, Math.max(Math.abs(window.start), Math.abs(window.end)));
  prepared.clocks.forEach((curve, node) => {
    const y = laneY(layout, node) + layout.laneH / 2 - 3;
    for (const tick of localTicks(curve, window.start, window.end, step)) {
      const tx = x(frame, tick.t);
      svg('line', { class: 'local-tick', x1: tx, x2: tx, y1: y - 4, y2: y }, ticks);
      placeText(placer, labels, format(tick.local), tx, y - 6, fonts.small, 'local-tick-label', { padX: 4, within: plotBounds(frame) });
    }
  });
}
