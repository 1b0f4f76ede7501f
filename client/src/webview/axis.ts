/**
 * The true-time axis on top of the lanes, and the faint grid lines that run
 * from it through the lanes and the offset chart.
 */
import { LOG_STEP } from '../../../server/src/core/logs/timeline';
import { x, type Frame } from './frame';
import { label } from './i18n';
import type { LabelPlacer } from './labels';
import { tickFormatter } from './format';
import { svg, svgText, textWidth } from './svg';

/** Pixels between ticks the axis aims for. */
const TICK_SPACING = 96;

/** Draws the axis and the grid; returns the tick step (ns) for the local scales. */
export function drawAxis(frame: Frame, axis: Element, grid: Element, placer: LabelPlacer): number {
  const { layout, window, fonts } = frame;
  const scale = layout.time;
  const { step, values } = scale.ticks((layout.plotX1 - layout.plotX0) / TICK_SPACING);
  // A log has no true time: its times are causal steps (logs/timeline.ts), labelled as such.
  const log = frame.prepared.payload.log !== undefined;
  const format = log ? (v: number): string => String(Math.round(v / LOG_STEP)) : tickFormatter(step, Math.max(Math.abs(window.start), Math.abs(window.end)));
  const gridBottom = layout.chart ? layout.chart.plotBottom : layout.lanesBottom;
  svg('line', { class: 'axis-line', x1: layout.plotX0, x2: layout.plotX1, y1: layout.axisY, y2: layout.axisY }, axis);
  svgText(log ? label('causal step') : label('true time'), { class: 'axis-title', x: layout.plotX0 - 10, y: layout.axisY - 8, 'text-anchor': 'end' }, axis);
  for (const v of values) {
    const tx = x(frame, v);
    svg('line', { class: 'axis-tick', x1: tx, x2: tx, y1: layout.axisY - 4, y2: layout.axisY }, axis);
    svg('line', { class: 'grid', x1: tx, x2: tx, y1: layout.axisY, y2: gridBottom }, grid);
    const text = format(v);
    const w = textWidth(text, fonts.label.css);
    // Keep the first and last labels inside the plot.
    const cx = Math.min(Math.max(tx, layout.plotX0 + w / 2), layout.plotX1 + 6 - w / 2);
    placer.block({ x: cx - w / 2, y: layout.axisY - 20, w, h: 14 });
    svgText(text, { class: 'axis-label', x: cx, y: layout.axisY - 8, 'text-anchor': 'middle' }, axis);
  }
  return step;
}
