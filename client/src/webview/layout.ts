/**
 * Where everything goes, in SVG pixels: the legend on top, the time axis, a
 * banner row (partition, violation and cut labels), one lane per node, and
 * the offset chart underneath sharing the time axis.
 */
import type { Prepared } from './model';
import { LinearScale, type TimeWindow } from './scale';
import { formatTimeShort } from './format';
import { textWidth } from './svg';

export const FONT_FAMILY_FALLBACK = 'system-ui, -apple-system, "Segoe UI", sans-serif';

/** A font as canvas measures it (`css`) and its size in px. Sizes match webview.css. */
export interface FontSpec {
  readonly css: string;
  readonly size: number;
  /** Every character as wide as '0': width is length × that (no measuring per string). */
  readonly monospace?: boolean;
}

export interface Fonts {
  readonly title: FontSpec;
  readonly name: FontSpec;
  readonly label: FontSpec;
  readonly labelBold: FontSpec;
  readonly small: FontSpec;
  readonly smallBold: FontSpec;
  readonly mono: FontSpec;
}

export function makeFonts(family: string, monoFamily: string): Fonts {
  return {
    title: { css: `600 12px ${family}`, size: 12 },
    name: { css: `600 13px ${family}`, size: 13 },
    label: { css: `11px ${family}`, size: 11 },
    labelBold: { css: `600 11px ${family}`, size: 11 },
    small: { css: `10px ${family}`, size: 10 },
    smallBold: { css: `600 10px ${family}`, size: 10 },
    mono: { css: `10px ${monoFamily}`, size: 10, monospace: true },
  };
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly legendTop: number;
  readonly axisY: number;
  readonly bannerY: number;
  readonly lanesTop: number;
  readonly laneH: number;
  readonly lanesBottom: number;
  readonly plotX0: number;
  readonly plotX1: number;
  readonly chart: { readonly top: number; readonly plotTop: number; readonly plotBottom: number } | undefined;
  readonly time: LinearScale;
}

export const PAD = 12;
const PLOT_INSET = 8;
const AXIS_H = 26;
const BANNER_H = 20;
const CHART_TITLE_H = 30;
const CHART_H = 150;
const CHART_AXIS_H = 22;

export function laneY(layout: Layout, node: number): number {
  return layout.lanesTop + node * layout.laneH + layout.laneH / 2;
}

/** A readable lane height: roomy for a few nodes, tighter for many. */
function laneHeightFor(nodes: number): number {
  if (nodes <= 8) return 68;
  return Math.max(34, Math.floor(560 / nodes));
}

/** The declared clock under a node's name: `+3ms · +50ppm` ('' for a perfect clock). */
export function clockSpec(node: { readonly offset: number; readonly driftPpm: number }): string {
  const parts: string[] = [];
  if (node.offset !== 0) parts.push(formatTimeShort(node.offset, true));
  if (node.driftPpm !== 0) parts.push(`${node.driftPpm > 0 ? '+' : ''}${node.driftPpm}ppm`);
  return parts.join(' · ');
}

/** Wide enough for the longest name (up to a limit; longer ones are clipped) and clock spec. */
export function nameColumnWidth(prepared: Prepared, fonts: Fonts): number {
  let w = 0;
  for (const n of prepared.payload.nodes) w = Math.max(w, textWidth(n.name, fonts.name.css), textWidth(clockSpec(n), fonts.small.css));
  return Math.round(Math.min(220, Math.max(84, w + 46)));
}

export function computeLayout(prepared: Prepared, width: number, legendHeight: number, window: TimeWindow, fonts: Fonts): Layout {
  const legendTop = PAD;
  const axisY = legendTop + legendHeight + AXIS_H;
  const bannerY = axisY + 2;
  const lanesTop = bannerY + BANNER_H;
  const laneH = laneHeightFor(prepared.names.length);
  const lanesBottom = lanesTop + laneH * prepared.names.length;
  const plotX0 = nameColumnWidth(prepared, fonts);
  const plotX1 = Math.max(plotX0 + 50, width - PAD - 8);
  let chart: Layout['chart'];
  let height = lanesBottom + PAD + 8;
  if (prepared.hasOffsets) {
    const top = lanesBottom + 14;
    chart = { top, plotTop: top + CHART_TITLE_H, plotBottom: top + CHART_TITLE_H + CHART_H };
    height = chart.plotBottom + CHART_AXIS_H + PAD;
  }
  return {
    width,
    height,
    legendTop,
    axisY,
    bannerY,
    lanesTop,
    laneH,
    lanesBottom,
    plotX0,
    plotX1,
    chart,
    // Inset so marks at the window's edges are drawn whole.
    time: new LinearScale(window.start, window.end, plotX0 + PLOT_INSET, plotX1 - PLOT_INSET),
  };
}
