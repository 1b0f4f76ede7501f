/**
 * The SVG itself: a fixed stack of layers redrawn for each frame (time
 * window, width, toggles), and a hover layer redrawn as the pointer moves.
 */
import { drawAxis } from './axis';
import { drawEventCaptions, drawLocalReadings, drawMarks } from './drawEvents';
import { drawCrashes, drawLaneBackgrounds, drawLocalScales, drawNames, drawRoles } from './drawLanes';
import { drawMessageLabels, drawMessages } from './drawMessages';
import { drawCuts, drawPartitions, drawViolationLines, drawViolationRings } from './drawOverlays';
import type { Frame } from './frame';
import type { Hit } from './hitTest';
import { LabelPlacer } from './labels';
import { computeLayout, PAD, type Fonts } from './layout';
import { drawLegend } from './legend';
import type { Prepared } from './model';
import { drawOffsetChart } from './offsetChart';
import type { TimeWindow } from './scale';
import { label } from './i18n';
import { svg } from './svg';

export interface RenderCounts {
  readonly lanes: number;
  readonly arrows: number;
  readonly events: number;
  readonly drops: number;
  /** Violation lines drawn (one per violation in the window) and rings round the events that violated. */
  readonly violationLines: number;
  readonly violationRings: number;
}

const LAYERS = [
  'back', 'legend', 'partitions', 'grid', 'roles', 'crashes', 'lanes', 'localTicks', 'violations',
  'arrows', 'cuts', 'marks', 'rings', 'labels', 'axis', 'names', 'chartFrame', 'chartPlot', 'hover',
] as const;
type LayerName = (typeof LAYERS)[number];
/** Layers that show only inside the plot area. */
const CLIPPED: ReadonlySet<LayerName> = new Set(['partitions', 'grid', 'roles', 'crashes', 'localTicks', 'cuts', 'violations', 'arrows', 'marks', 'rings', 'labels', 'chartPlot', 'hover']);

export const CLIP_ID = 'dsync-plot-clip';
export const HATCH_ID = 'dsync-crash-hatch';

export class Diagram {
  readonly root: SVGSVGElement;
  private readonly layers: Record<LayerName, SVGGElement>;
  private readonly clipRect: SVGRectElement;
  private readonly background: SVGRectElement;
  frame: Frame | undefined;

  constructor(parent: HTMLElement) {
    this.root = svg('svg', { class: 'diagram', role: 'img', 'aria-label': label('space-time diagram'), tabindex: 0 }, parent);
    const defs = svg('defs', {}, this.root);
    const pattern = svg('pattern', { id: HATCH_ID, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, defs);
    svg('rect', { class: 'hatch-bg', width: 6, height: 6 }, pattern);
    svg('line', { class: 'hatch-line', x1: 0, y1: 0, x2: 0, y2: 6 }, pattern);
    const clip = svg('clipPath', { id: CLIP_ID }, defs);
    this.clipRect = svg('rect', {}, clip);
    this.background = svg('rect', { class: 'background', x: 0, y: 0 }, this.root);
    const layers = {} as Record<LayerName, SVGGElement>;
    for (const name of LAYERS) layers[name] = svg('g', { class: `layer-${name}`, 'clip-path': CLIPPED.has(name) ? `url(#${CLIP_ID})` : undefined }, this.root);
    this.layers = layers;
  }

  render(prepared: Prepared, window: TimeWindow, width: number, showLocal: boolean, fonts: Fonts): RenderCounts {
    const L = this.layers;
    for (const name of LAYERS) L[name].replaceChildren();
    const legendHeight = drawLegend(prepared, L.legend, PAD, PAD, width - PAD, fonts);
    const layout = computeLayout(prepared, width, legendHeight, window, fonts);
    const frame: Frame = { prepared, layout, window, showLocal, fonts };
    this.frame = frame;
    for (const [k, v] of [['width', width], ['height', layout.height]] as const) {
      this.root.setAttribute(k, String(v));
      this.background.setAttribute(k, String(v));
    }
    this.root.setAttribute('viewBox', `0 0 ${width} ${layout.height}`);
    this.clipRect.setAttribute('x', String(layout.plotX0));
    this.clipRect.setAttribute('y', '0');
    this.clipRect.setAttribute('width', String(layout.plotX1 - layout.plotX0 + 1));
    this.clipRect.setAttribute('height', String(layout.height));

    const placer = new LabelPlacer();
    drawLaneBackgrounds(frame, L.back, L.lanes);
    const step = drawAxis(frame, L.axis, L.grid, placer);
    // Banner labels: violations before partitions when both want the same spot.
    const violationLines = drawViolationLines(frame, L.violations, L.labels, placer);
    drawPartitions(frame, L.partitions, L.labels, placer);
    drawRoles(frame, L.roles, L.labels, placer);
    drawCrashes(frame, L.crashes);
    drawCuts(frame, L.cuts, L.labels, placer);
    const messages = drawMessages(frame, L.arrows);
    const marks = drawMarks(frame, L.marks);
    const violationRings = drawViolationRings(frame, L.rings);
    // Labels, most telling first: what happened on a lane, then message names, then clock readings.
    drawEventCaptions(frame, marks.visible, L.labels, placer);
    drawMessageLabels(frame, messages.visible, L.labels, placer);
    if (showLocal) {
      drawLocalReadings(frame, marks.visible, L.labels, placer);
      drawLocalScales(frame, step, L.localTicks, L.labels, placer);
    }
    drawNames(frame, L.names);
    drawOffsetChart(frame, L.chartFrame, L.chartPlot);
    return { lanes: prepared.names.length, arrows: messages.arrows, events: marks.count + messages.drops, drops: messages.drops, violationLines, violationRings };
  }

  /** Emphasises what the pointer is on (or clears it). */
  highlight(hit: Hit | undefined): void {
    const layer = this.layers.hover;
    layer.replaceChildren();
    if (!hit) return;
    switch (hit.kind) {
      case 'event':
        svg('circle', { class: 'hover-ring', cx: hit.at.x, cy: hit.at.y, r: 7 }, layer);
        return;
      case 'message':
      case 'drop':
        svg('line', { class: 'hover-line', x1: hit.from.x, y1: hit.from.y, x2: hit.to.x, y2: hit.to.y }, layer);
        return;
      default:
        return;
    }
  }
}
