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

/**
 * Coordinates to a tenth of a pixel: shorter path strings, same picture.
 * (Dividing the rounded integer by 10 gives the double nearest k/10, which
 * prints as k/10; far cheaper than toFixed, which matters at 20,000 marks.)
 */
export function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
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

/** A number naming a pixel position (x, y ≥ −1000 and < 2¹⁵): cheaper set keys than strings. */
export function pixelKey(x: number, y: number): number {
  return (Math.round(x) + 1000) * 65536 + (Math.round(y) + 1000);
}

/** Shapes per `<path>`: see PathBuilder. */
const CHUNK = 150;

/**
 * Many shapes of one kind as a few `<path>` elements: cheap to build and
 * draw by the thousand. Shapes are cut into paths of CHUNK shapes each;
 * callers add them in time order, so each path covers a narrow strip and
 * the rasterizer, which works tile by tile, skips the paths that miss a
 * tile (one path for 10,000 arrows made every tile walk all of them).
 */
export class PathBuilder {
  private readonly chunks: { d: string[]; items: number }[] = [];
  private shapes = CHUNK;
  private readonly drawn = new Set<number | string>();
  /** Items offered (drawn or covered by an identical one). */
  total = 0;

  private get parts(): string[] {
    return this.chunks[this.chunks.length - 1]!.d;
  }

  /**
   * Counts one item and says whether to draw it: not when an item with the
   * same `key` (its rounded pixel position) was drawn already, since it
   * would add nothing to the picture, only to the path.
   */
  add(key?: number | string): boolean {
    if (key !== undefined && this.drawn.has(key)) {
      this.total++;
      this.chunks[this.chunks.length - 1]!.items++;
      return false;
    }
    if (key !== undefined) this.drawn.add(key);
    if (this.shapes >= CHUNK) {
      this.chunks.push({ d: [], items: 0 });
      this.shapes = 0;
    }
    this.shapes++;
    this.total++;
    this.chunks[this.chunks.length - 1]!.items++;
    return true;
  }

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

  /**
   * The `<path>` elements, class `cls`, each with `data-count` = the items
   * it stands for (they sum to `total`). Returns the first, if any.
   */
  emit(parent: Element, cls: string): SVGPathElement | undefined {
    let first: SVGPathElement | undefined;
    for (const c of this.chunks) {
      if (c.d.length === 0) continue;
      const el = svg('path', { class: cls, d: c.d.join(''), 'data-count': c.items }, parent);
      first ??= el;
    }
    return first;
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
