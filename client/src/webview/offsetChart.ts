/**
 * Under the lanes: every node's clock offset from true time (local − true)
 * over the run, sharing the diagram's time axis, with dots where a protocol
 * estimated an offset (NTP/PTP notes carrying `estimatedOffset`). Not drawn
 * when every clock reads true time throughout.
 */
import { nodeStyle, offsetLineClass } from './drawLanes';
import { clip, formatTimeShort } from './format';
import { x, type Frame, type Point } from './frame';
import { label } from './i18n';
import { PAD } from './layout';
import type { Prepared } from './model';
import { LinearScale, lowerBound } from './scale';
import { PathBuilder, svg, svgText, textWidth } from './svg';

const ranges = new WeakMap<Prepared, [number, number]>();

/** The value range over the whole run (not the window), so panning keeps the y axis still. Once per payload. */
function valueRange(prepared: Prepared): [number, number] {
  const known = ranges.get(prepared);
  if (known) return known;
  let lo = 0;
  let hi = 0;
  for (const c of prepared.clocks) for (const p of c.points) [lo, hi] = [Math.min(lo, p.offset), Math.max(hi, p.offset)];
  for (const e of prepared.estimates) [lo, hi] = [Math.min(lo, e.value), Math.max(hi, e.value)];
  if (hi - lo < 1) [lo, hi] = [lo - 1e6, hi + 1e6];
  const pad = (hi - lo) * 0.08;
  const range: [number, number] = [lo - pad, hi + pad];
  ranges.set(prepared, range);
  return range;
}

export function offsetScale(frame: Frame): LinearScale | undefined {
  const chart = frame.layout.chart;
  if (!chart) return undefined;
  const [lo, hi] = valueRange(frame.prepared);
  return new LinearScale(lo, hi, chart.plotBottom, chart.plotTop);
}

export function drawOffsetChart(frame: Frame, frameLayer: Element, plotLayer: Element): void {
  const { layout, prepared, window } = frame;
  const chart = layout.chart;
  const y = offsetScale(frame);
  if (!chart || !y) return;
  svgText(label('clock offset'), { class: 'chart-title', x: PAD, y: chart.top + 18 }, frameLayer);
  svgText(label('local − true'), { class: 'clock-spec', x: PAD, y: chart.top + 31 }, frameLayer);
  drawChartKey(frame, frameLayer, chart.top + 14, PAD + textWidth(label('clock offset'), frame.fonts.title.css) + 24);
  svg('rect', { class: 'chart-frame', x: layout.plotX0, y: chart.plotTop, width: layout.plotX1 - layout.plotX0, height: chart.plotBottom - chart.plotTop }, frameLayer);
  const { values } = y.ticks(5);
  for (const v of values) {
    const ty = y.at(v);
    svg('line', { class: v === 0 ? 'chart-zero' : 'chart-grid', x1: layout.plotX0, x2: layout.plotX1, y1: ty, y2: ty }, frameLayer);
    svgText(v === 0 ? '0' : formatTimeShort(v, true), { class: 'chart-label', x: layout.plotX0 - 6, y: ty + 3.5, 'text-anchor': 'end' }, frameLayer);
  }
  prepared.clocks.forEach((curve, node) => {
    const pts = curve.points;
    // One point either side of the window so lines run to the edges.
    const i0 = Math.max(0, lowerBound(pts, window.start, (p) => p.t) - 1);
    const i1 = Math.min(pts.length, lowerBound(pts, window.end, (p) => p.t) + 1);
    const path = new PathBuilder();
    path.add();
    for (let i = i0; i < i1; i++) {
      const p = pts[i]!;
      if (i === i0) path.move(x(frame, p.t), y.at(p.offset));
      else path.line(x(frame, p.t), y.at(p.offset));
    }
    path.emit(plotLayer, offsetLineClass(node))?.setAttribute('data-node', String(node));
  });
  const dots = new Map<number, PathBuilder>();
  for (const est of prepared.estimates) {
    if (est.time < window.start || est.time > window.end) continue;
    let path = dots.get(est.node);
    if (!path) dots.set(est.node, (path = new PathBuilder()));
    if (path.add()) path.circle(x(frame, est.time), y.at(est.value), 2.6);
  }
  for (const [node, path] of dots) path.emit(plotLayer, `offset-estimate stroke-${nodeStyle(node).hue}`);
}

/** The estimate dot nearest to p within `radius` px, for the tooltip. */
export function estimateAt(frame: Frame, p: Point, radius: number): Prepared['estimates'][number] | undefined {
  const y = offsetScale(frame);
  if (!y) return undefined;
  let best: Prepared['estimates'][number] | undefined;
  let bestD = radius;
  for (const est of frame.prepared.estimates) {
    if (est.time < frame.window.start || est.time > frame.window.end) continue;
    const d = Math.hypot(x(frame, est.time) - p.x, y.at(est.value) - p.y);
    if (d <= bestD) [best, bestD] = [est, d];
  }
  return best;
}

/** Which line is which, on the title row (the lane swatches use the same colours). */
function drawChartKey(frame: Frame, parent: Element, y: number, after: number): void {
  const { layout, prepared, fonts } = frame;
  let kx = Math.max(layout.plotX0, after);
  const entries = prepared.names.map((n, i) => ({ text: clip(n, 20), cls: offsetLineClass(i), dot: false }));
  if (prepared.estimates.length) entries.push({ text: label('protocol’s estimate'), cls: 'offset-estimate stroke-muted', dot: true });
  for (const { text, ...entry } of entries) {
    const w = 22 + textWidth(text, fonts.label.css) + 14;
    if (kx + w > layout.plotX1) break;
    const path = new PathBuilder();
    path.add();
    if (entry.dot) path.circle(kx + 8, y, 2.6);
    else path.move(kx, y).line(kx + 16, y);
    path.emit(parent, entry.cls);
    svgText(text, { class: 'legend-text', x: kx + 22, y: y + 4 }, parent);
    kx += w;
  }
}
