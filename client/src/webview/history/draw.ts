/**
 * The history diagram (Porcupine's visualisation): per partition (key) a
 * heading and one row per client, one bar per operation from its invocation
 * to its response on a shared axis of event order. Unknown outcomes run
 * open-ended to the right edge; the operations of the smallest failing
 * prefix are marked; the longest linearizable order, when shown, numbers its
 * operations up to the current step. Built with DOM calls (svg.ts); user
 * text only via textContent.
 */
import type { HistoryViewOp, HistoryViewPartition, HistoryViewPayload } from '../../../../server/src/core/history/view';
import type { HistoryRenderCounts } from '../../historyMessages';
import { LinearScale, type TimeWindow } from '../scale';
import { svg, svgText, textWidth } from '../svg';
import { count, label } from '../i18n';

/** View units per rank: the shared zoom (zoom.ts) works in whole units and never narrows below 50. */
export const RANK_UNIT = 100;

/** The client-name column: at most this wide, and at most a quarter of a narrow panel. */
const NAME_W = 150;
const RIGHT_PAD = 24;
const AXIS_Y = 30;
const TOP = 44;
const HEADING_H = 26;
const ROW_H = 24;
const BAR_H = 16;
const GAP = 14;
const MIN_BAR_W = 4;
const LABEL_FONT = '11px monospace';
const SUMMARY_FONT = '12px sans-serif';
const TITLE_FONT = '700 13px sans-serif';

/** The longest order on show: which partition and how many of its operations are placed. */
export interface Stepping {
  readonly partition: number;
  readonly step: number;
}

/** A drawn bar, for hover and click. */
export interface BarRef {
  readonly partition: number;
  readonly op: number;
}

export interface Drawn {
  readonly counts: HistoryRenderCounts;
  /** Time (view units) under a pixel x, or undefined outside the plot. */
  timeAt(px: number): number | undefined;
  readonly unitsPerPx: number;
}

/** The view's full window: every rank, half a rank of margin either side. */
export function fullWindow(view: HistoryViewPayload): TimeWindow {
  return { start: -0.5 * RANK_UNIT, end: (Math.max(1, view.endRank) - 0.5) * RANK_UNIT };
}

export function partitionTitle(p: HistoryViewPartition): string {
  return p.key === null ? label('the register') : label('key {0}', JSON.stringify(p.key));
}

function partitionSummary(p: HistoryViewPartition): string {
  const n = `${count(p.ops.length, '1 operation', '{0} operations')}, ${count(p.clients.length, '1 client', '{0} clients')}`;
  if (p.failure) {
    const end = p.ops[p.failure.prefixEnd]!.returnLine ?? p.ops[p.failure.prefixEnd]!.line;
    const prefix = p.failure.minimal
      ? label('smallest failing prefix: {0} of {1} operations, up to line {2}', p.failure.prefixOperations, p.ops.length, end)
      : label('smallest failing prefix found: {0} of {1} operations, up to line {2}', p.failure.prefixOperations, p.ops.length, end);
    return `${label('NOT linearizable')} · ${prefix} · ${label('{0} involved', p.failure.involved.length)}`;
  }
  if (p.undecidedSteps !== undefined) return `${label('not decided after {0} search steps', p.undecidedSteps.toLocaleString('en-US'))} · ${n}`;
  return `${label('linearizable')} · ${n}`;
}

/** Draws the whole view into `root` (emptied first) at `width` pixels for the visible `window`. */
export function drawHistory(root: SVGSVGElement, view: HistoryViewPayload, window: TimeWindow, width: number, stepping: Stepping | undefined): Drawn {
  root.replaceChildren();
  const nameW = Math.min(NAME_W, Math.max(72, Math.round(width / 4)));
  const plotX0 = nameW;
  const plotX1 = Math.max(plotX0 + 80, width - RIGHT_PAD);
  const scale = new LinearScale(window.start, window.end, plotX0, plotX1);
  const height = TOP + view.partitions.reduce((h, p) => h + HEADING_H + p.clients.length * ROW_H + GAP, 0);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg('rect', { class: 'background', x: 0, y: 0, width, height }, root);

  const grid = svg('g', { class: 'layer-grid' }, root);
  const axis = svg('g', { class: 'layer-axis' }, root);
  drawAxis(axis, grid, scale, plotX0, plotX1, height);

  const clip = svg('clipPath', { id: 'plot-clip' }, svg('defs', {}, root));
  svg('rect', { x: plotX0, y: 0, width: plotX1 - plotX0 + RIGHT_PAD, height }, clip);
  const bars = svg('g', { class: 'layer-bars', 'clip-path': 'url(#plot-clip)' }, root);
  const names = svg('g', { class: 'layer-names' }, root);

  const counts = { partitions: view.partitions.length, rows: 0, bars: 0, open: 0, markedLines: [] as number[], stepped: 0 };
  let y = TOP;
  view.partitions.forEach((p, pi) => {
    const heading = svg('g', { class: `partition-heading partition-${p.verdict.replace(/ /g, '-')}` }, names);
    const title = partitionTitle(p);
    svgText(title, { class: 'partition-title', x: 8, y: y + 17 }, heading);
    // After the title, which may be wider than the name column in a narrow panel.
    const summaryX = Math.max(plotX0, 8 + textWidth(title, TITLE_FONT) + 12);
    svgText(clip1(partitionSummary(p), width - summaryX - 8, SUMMARY_FONT), { class: 'partition-summary', x: summaryX, y: y + 17 }, heading);
    y += HEADING_H;
    p.clients.forEach((client, row) => {
      const ry = y + row * ROW_H;
      svg('rect', { class: row % 2 === 0 ? 'row-band' : 'row-band row-band-odd', x: 0, y: ry, width, height: ROW_H }, grid);
      svgText(clip1(label('process {0}', client), nameW - 16), { class: 'client-name', x: 8, y: ry + ROW_H / 2 + 4 }, names);
    });
    counts.rows += p.clients.length;
    const involved = new Set(p.failure?.involved ?? []);
    const order = stepping?.partition === pi && p.failure ? p.failure.longestOrder.slice(0, stepping.step) : [];
    const placed = new Map(order.map((op, i) => [op, i + 1]));
    const current = order[order.length - 1];
    counts.stepped += order.length;
    const cut = p.failure ? p.ops[p.failure.prefixEnd]!.ret : undefined;
    p.ops.forEach((op, oi) => {
      const classes = ['op'];
      if (op.ret === null) classes.push('op-open');
      if (involved.has(oi)) classes.push('op-involved');
      if (p.failure?.prefixEnd === oi) classes.push('op-prefix-end');
      if (cut !== undefined && cut !== null && op.call > cut) classes.push('op-after-prefix');
      if (placed.has(oi)) classes.push('op-placed');
      if (current === oi) classes.push('op-current');
      drawBar(bars, op, scale, plotX1, y + op.row * ROW_H, classes.join(' '), pi, oi, placed.get(oi));
      counts.bars++;
      if (op.ret === null) counts.open++;
      if (involved.has(oi)) counts.markedLines.push(op.line);
    });
    y += p.clients.length * ROW_H + GAP;
  });
  const k = scale.k;
  return {
    counts,
    timeAt: (px) => (px >= plotX0 && px <= plotX1 ? scale.invert(px) : undefined),
    unitsPerPx: k ? 1 / k : 0,
  };
}

function drawBar(parent: SVGGElement, op: HistoryViewOp, scale: LinearScale, plotX1: number, rowY: number, classes: string, partition: number, index: number, placed: number | undefined): void {
  const x0 = scale.at(op.call * RANK_UNIT);
  // An unknown outcome never returned: the bar runs past the right edge (its end clipped off: open-ended).
  const x1 = op.ret === null ? Math.max(plotX1 + RIGHT_PAD + 10, x0 + MIN_BAR_W) : Math.max(scale.at(op.ret * RANK_UNIT), x0 + MIN_BAR_W);
  const by = rowY + (ROW_H - BAR_H) / 2;
  const g = svg('g', { class: classes, 'data-partition': partition, 'data-op': index, 'data-line': op.line }, parent);
  svg('rect', { class: 'op-bar', x: x0, y: by, width: x1 - x0, height: BAR_H, rx: 3 }, g);
  const visible0 = Math.max(x0, scale.r0);
  const visible1 = Math.min(x1, plotX1);
  const label = placed !== undefined ? `${placed}. ${op.text}` : op.text;
  const room = visible1 - visible0 - 8;
  if (room > 14) svgText(clip1(label, room), { class: 'op-label', x: visible0 + 4, y: by + BAR_H - 4 }, g);
  else if (placed !== undefined) svgText(String(placed), { class: 'op-label op-order', x: x0, y: by - 2 }, g);
}

/** Tick marks every 1, 2 or 5 × 10ⁿ ranks, labelled with the rank. */
function drawAxis(axis: SVGGElement, grid: SVGGElement, scale: LinearScale, plotX0: number, plotX1: number, height: number): void {
  svg('line', { class: 'axis-line', x1: plotX0, x2: plotX1, y1: AXIS_Y, y2: AXIS_Y }, axis);
  svgText(label('event order'), { class: 'axis-title', x: plotX0 - 10, y: AXIS_Y - 8, 'text-anchor': 'end' }, axis);
  const ranks = new LinearScale(scale.d0 / RANK_UNIT, scale.d1 / RANK_UNIT, scale.r0, scale.r1);
  const { values } = ranks.ticks((plotX1 - plotX0) / 80);
  for (const v of values) {
    if (v < 0) continue;
    const tx = ranks.at(v);
    svg('line', { class: 'axis-tick', x1: tx, x2: tx, y1: AXIS_Y - 4, y2: AXIS_Y }, axis);
    svg('line', { class: 'grid', x1: tx, x2: tx, y1: AXIS_Y, y2: height }, grid);
    svgText(String(v), { class: 'axis-label', x: tx, y: AXIS_Y - 8, 'text-anchor': 'middle' }, axis);
  }
}

/** The text cut with … to fit `px` pixels. */
function clip1(text: string, px: number, font = LABEL_FONT): string {
  if (textWidth(text, font) <= px) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (textWidth(`${text.slice(0, mid)}…`, font) <= px) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${text.slice(0, lo)}…`;
}
