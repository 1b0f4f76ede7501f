/**
 * The legend row on top of the diagram: only what this run contains, so a
 * run without drops does not explain ✕.
 */
import { drawShape, markFor, MARKS } from './drawEvents';
import { cross } from './drawMessages';
import { label } from './i18n';
import type { Fonts } from './layout';
import type { Prepared } from './model';
import { PathBuilder, svg, svgText, textWidth } from './svg';

const ROW_H = 20;
const SWATCH_W = 24;

type Swatch = (g: Element, x: number, y: number) => void;

function pathSwatch(cls: string, build: (p: PathBuilder, x: number, y: number) => void): Swatch {
  return (g, x, y) => {
    const p = new PathBuilder();
    p.add();
    build(p, x, y);
    p.emit(g, cls);
  };
}

function items(prepared: Prepared): { text: string; swatch: Swatch }[] {
  const out: { text: string; swatch: Swatch }[] = [];
  const outcomes = new Set(prepared.payload.messages.map((m) => m.outcome));
  if (outcomes.has('delivered')) {
    out.push({ text: label('message'), swatch: (g, x, y) => {
      pathSwatch('arrow arrow-delivered', (p) => p.move(x, y + 4).line(x + 16, y - 3))(g, x, y);
      pathSwatch('arrow-head', (p) => p.move(x + 20, y - 5).line(x + 13, y - 5).line(x + 17, y + 1).close())(g, x, y);
    } });
  }
  if (outcomes.has('duplicate')) out.push({ text: label('duplicate copy'), swatch: pathSwatch('arrow arrow-duplicate', (p, x, y) => p.move(x, y + 4).line(x + 20, y - 4)) });
  if (outcomes.has('dropped')) {
    out.push({ text: label('dropped'), swatch: (g, x, y) => {
      pathSwatch('arrow arrow-dropped', (p) => p.move(x, y + 4).line(x + 12, y - 1))(g, x, y);
      pathSwatch('drop-mark', (p) => cross(p, { x: x + 15, y: y - 2 }, 4))(g, x, y);
    } });
  }
  const seen = new Set<string>();
  // In the table's order (messages, local, timer, note, clock, crash …), unknown kinds last.
  const kinds = [...Object.keys(MARKS).filter((k) => prepared.kinds.has(k)), ...[...prepared.kinds].filter((k) => !(k in MARKS))];
  for (const kind of kinds) {
    const mark = markFor(kind);
    if (kind === 'drop' || seen.has(mark.legend)) continue;
    seen.add(mark.legend);
    out.push({ text: mark.legend, swatch: pathSwatch(`mark ${mark.cls}`, (p, x, y) => drawShape(p, mark.shape, { x: x + 10, y })) });
  }
  if (prepared.payload.crashes.length) out.push({ text: label('node down'), swatch: (g, x, y) => void svg('rect', { class: 'crash-area', x, y: y - 6, width: 20, height: 12 }, g) });
  if (prepared.payload.partitions.length) out.push({ text: label('partition'), swatch: (g, x, y) => void svg('rect', { class: 'partition-area partition-swatch', x, y: y - 6, width: 20, height: 12 }, g) });
  if (prepared.payload.violations.length) out.push({ text: label('violation'), swatch: (g, x, y) => void svg('line', { class: 'violation-line', x1: x + 10, x2: x + 10, y1: y - 7, y2: y + 7 }, g) });
  if (prepared.cuts.length) out.push({ text: label('snapshot cut'), swatch: pathSwatch('cut-line', (p, x, y) => p.move(x + 4, y - 7).line(x + 10, y).line(x + 16, y + 7)) });
  for (const [role, hue] of prepared.roleHues) {
    out.push({ text: role, swatch: (g, x, y) => void svg('rect', { class: `role-band fill-${hue}`, x, y: y - 5, width: 20, height: 10, rx: 2 }, g) });
  }
  return out;
}

/** Lays the legend out in rows from (x0, top) up to `right`; returns its height. */
export function drawLegend(prepared: Prepared, parent: Element, x0: number, top: number, right: number, fonts: Fonts): number {
  let x = x0;
  let row = 0;
  for (const item of items(prepared)) {
    const w = SWATCH_W + textWidth(item.text, fonts.label.css) + 18;
    if (x + w > right && x > x0) {
      x = x0;
      row++;
    }
    const y = top + row * ROW_H + ROW_H / 2;
    const g = svg('g', { class: 'legend-item' }, parent);
    item.swatch(g, x, y);
    svgText(item.text, { class: 'legend-text', x: x + SWATCH_W, y: y + 4 }, g);
    x += w;
  }
  return x === x0 && row === 0 ? 0 : (row + 1) * ROW_H;
}
