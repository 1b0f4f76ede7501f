/**
 * DOM building without markup strings: every element comes from
 * createElement(NS) and every piece of user-written text goes through
 * textContent, so a node called `<img onerror=…>` is shown, never parsed.
 */
export const SVG_NS = 'http://www.w3.org/2000/svg';

type Attrs = Readonly<Record<string, string | number | undefined>>;

function apply(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, typeof v === 'number' ? fmt(v) : v);
}

/** Coordinates with two decimals at most: smaller path strings, same picture. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, parent?: Element): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  parent?.appendChild(el);
  return el;
}

export function svgText(text: string, attrs: Attrs, parent?: Element): SVGTextElement {
  const el = svg('text', attrs, parent);
  el.textContent = text;
  return el;
}

export function html<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, parent?: Element, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs);
  if (text !== undefined) el.textContent = text;
  parent?.appendChild(el);
  return el;
}

/** One `<path>` holding many shapes of one kind: cheap to draw thousands. */
export class PathBuilder {
  private readonly parts: string[] = [];
  count = 0;

  move(x: number, y: number): this {
    this.parts.push(`M${fmt(x)} ${fmt(y)}`);
    return this;
  }
  line(x: number, y: number): this {
    this.parts.push(`L${fmt(x)} ${fmt(y)}`);
    return this;
  }
  quad(cx: number, cy: number, x: number, y: number): this {
    this.parts.push(`Q${fmt(cx)} ${fmt(cy)} ${fmt(x)} ${fmt(y)}`);
    return this;
  }
  close(): this {
    this.parts.push('Z');
    return this;
  }
  circle(x: number, y: number, r: number): this {
    this.parts.push(`M${fmt(x - r)} ${fmt(y)}a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(2 * r)} 0a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(-2 * r)} 0`);
    return this;
  }
  get empty(): boolean {
    return this.parts.length === 0;
  }
  /** A `<path>` with class `cls` and `data-count` = shapes added (none if empty). */
  emit(parent: Element, cls: string): SVGPathElement | undefined {
    if (this.parts.length === 0) return undefined;
    return svg('path', { class: cls, d: this.parts.join(''), 'data-count': this.count }, parent);
  }
}

const measureCanvas = (): CanvasRenderingContext2D | null => {
  const c = document.createElement('canvas');
  return c.getContext('2d');
};
let ctx2d: CanvasRenderingContext2D | null | undefined;
const widthCache = new Map<string, number>();

/** Text width in px for the given CSS font (canvas measurement, cached). */
export function textWidth(text: string, font: string): number {
  const key = `${font}\u0000${text}`;
  let w = widthCache.get(key);
  if (w !== undefined) return w;
  if (ctx2d === undefined) ctx2d = measureCanvas();
  if (ctx2d) {
    ctx2d.font = font;
    w = ctx2d.measureText(text).width;
  } else {
    w = text.length * 0.6 * (parseFloat(font) || 12);
  }
  if (widthCache.size > 20000) widthCache.clear();
  widthCache.set(key, w);
  return w;
}
