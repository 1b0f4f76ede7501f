/**
 * Things that span lanes: partitions (shaded across the diagram, groups in
 * the banner row), violations (red line at the instant, invariant named in
 * the banner) and Chandy–Lamport cuts (a dashed line through the events
 * that recorded a snapshot).
 */
import { clip, formatTime } from './format';
import { eventPoint, plotBounds, x, type Frame } from './frame';
import { label } from './i18n';
import { fitText, placeText, type LabelPlacer } from './labels';
import { PathBuilder, svg, textWidth } from './svg';

export function drawPartitions(frame: Frame, bands: Element, labels: Element, placer: LabelPlacer): void {
  const { layout, prepared, window, fonts } = frame;
  for (const p of prepared.payload.partitions) {
    if (p.to < window.start || p.from > window.end) continue;
    const x0 = Math.max(x(frame, p.from), layout.plotX0 - 2);
    const x1 = Math.min(x(frame, p.to), layout.plotX1 + 2);
    const width = Math.max(1, x1 - x0);
    svg('rect', { class: 'partition-area', x: x0, y: layout.bannerY, width, height: layout.lanesBottom - layout.bannerY }, bands);
    svg('line', { class: 'partition-edge', x1: x0, x2: x0, y1: layout.bannerY, y2: layout.lanesBottom }, bands);
    svg('line', { class: 'partition-edge', x1: x0 + width, x2: x0 + width, y1: layout.bannerY, y2: layout.lanesBottom }, bands);
    const text = label('partition {0}', p.groups);
    const fitted = fitText(text, width - 8, fonts.smallBold);
    if (fitted.length < 9) continue;
    // On top at the band's start, middle or end (a violation label may hold a spot), else at its foot.
    const w = textWidth(fitted, fonts.smallBold.css);
    const top = layout.bannerY + 13;
    const spots = [[x0 + 4, top], [x0 + (width - w) / 2, top], [x0 + width - w - 4, top], [x0 + 4, layout.lanesBottom - 5]] as const;
    for (const [left, y] of spots) {
      if (placeText(placer, labels, fitted, left, y, fonts.smallBold, 'partition-label halo', { anchor: 'start' })) break;
    }
  }
}

/**
 * A red line at each violation's instant, the invariant named in the banner
 * (`?` for one not decided). A violation with no event of its own (a
 * written property crossing its bound between events, seq -1) has nothing to
 * ring, so its label carries the exact instant. Returns how many lines it drew.
 */
export function drawViolationLines(frame: Frame, lines: Element, labels: Element, placer: LabelPlacer): number {
  const { layout, prepared, window, fonts } = frame;
  const bottom = layout.chart ? layout.chart.plotBottom : layout.lanesBottom;
  let drawn = 0;
  for (const v of prepared.payload.violations) {
    if (v.time < window.start || v.time > window.end) continue;
    const vx = x(frame, v.time);
    const undecided = v.code === 'DS206';
    const between = !prepared.bySeq.has(v.seq);
    svg('line', { class: `violation-line${undecided ? ' undecided' : ''}${between ? ' between-events' : ''}`, x1: vx, x2: vx, y1: layout.bannerY, y2: bottom, 'data-seq': v.seq, 'data-time': v.time }, lines);
    drawn++;
    // Right of the line, or left of it when it would run past the plot's edge.
    // A written property by its name (`skew_ok: always …` → `skew_ok`): the banner row is shared by all violations.
    const name = /^[A-Za-z_][A-Za-z0-9_]*(?=: )/.exec(v.invariant)?.[0] ?? v.invariant;
    const mark = undecided ? '?' : '✗';
    const banner = between ? label('{0} {1} at {2}', mark, clip(name, 40), formatTime(v.time)) : `${mark} ${clip(name, 40)}`;
    const within = plotBounds(frame);
    const right = vx + 4 + textWidth(banner, fonts.labelBold.css) <= within.x1;
    placeText(placer, labels, banner, right ? vx + 4 : vx - 4, layout.bannerY + 13, fonts.labelBold, 'violation-label', { anchor: right ? 'start' : 'end', within });
  }
  return drawn;
}

/** Red rings round the events at which invariants failed; returns how many it drew. */
export function drawViolationRings(frame: Frame, parent: Element): number {
  const { prepared, window } = frame;
  let drawn = 0;
  for (const seq of prepared.violationSeqs) {
    const e = prepared.bySeq.get(seq);
    if (!e || e.node < 0 || e.time < window.start || e.time > window.end) continue;
    const p = eventPoint(frame, e);
    svg('circle', { class: 'violation-ring', cx: p.x, cy: p.y, r: 8, 'data-seq': seq }, parent);
    drawn++;
  }
  return drawn;
}

export function drawCuts(frame: Frame, parent: Element, labels: Element, placer: LabelPlacer): void {
  const { layout, prepared, window, fonts } = frame;
  for (const cut of prepared.cuts) {
    const times = cut.events.map((e) => e.time);
    if (Math.max(...times) < window.start || Math.min(...times) > window.end) continue;
    const path = new PathBuilder();
    path.add();
    const reach = layout.laneH * 0.42;
    cut.events.forEach((e, i) => {
      const p = eventPoint(frame, e);
      if (i === 0) path.move(p.x, p.y - reach).line(p.x, p.y);
      else path.line(p.x, p.y);
      if (i === cut.events.length - 1) path.line(p.x, p.y + reach);
    });
    path.emit(parent, 'cut-line');
    for (const e of cut.events) {
      const p = eventPoint(frame, e);
      svg('circle', { class: 'cut-point', cx: p.x, cy: p.y, r: 5 }, parent);
    }
    const first = eventPoint(frame, cut.events[0]!);
    placeText(placer, labels, label('snapshot {0}', clip(cut.id, 12)), first.x + 4, first.y - reach + 2, fonts.smallBold, 'cut-label', { anchor: 'start', within: plotBounds(frame) });
  }
}
