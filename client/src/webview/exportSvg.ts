/**
 * "Export SVG": the diagram as drawn, as a file that stands alone — every
 * colour and font resolved from the theme's CSS variables and written onto
 * the elements, so it looks the same outside VS Code.
 */
import { SVG_NS } from './svg';

const SHAPES = new Set(['path', 'line', 'rect', 'circle', 'text', 'polyline', 'polygon', 'ellipse']);
const PAINT = ['fill', 'stroke'] as const;
const PLAIN = ['stroke-width', 'stroke-dasharray', 'stroke-linejoin', 'stroke-linecap', 'opacity', 'paint-order'] as const;
const TEXT = ['font-family', 'font-size', 'font-weight'] as const;

/** `rgba(r, g, b, a)` → [`rgb(r, g, b)`, a]; anything else unchanged with alpha 1. */
function splitAlpha(color: string): [string, number] {
  const m = /^rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)$/.exec(color);
  return m ? [`rgb(${m[1]}, ${m[2]}, ${m[3]})`, Number(m[4])] : [color, 1];
}

function inline(source: Element, target: Element): void {
  const tag = source.localName;
  if (SHAPES.has(tag)) {
    const cs = getComputedStyle(source);
    for (const prop of PAINT) {
      const raw = cs.getPropertyValue(prop).trim();
      const [color, alpha] = splitAlpha(raw.replace(/^url\("?(#[^")]+)"?\)$/, 'url($1)'));
      target.setAttribute(prop, color);
      const opacity = Number(cs.getPropertyValue(`${prop}-opacity`) || '1') * alpha;
      if (opacity !== 1) target.setAttribute(`${prop}-opacity`, String(Math.round(opacity * 1000) / 1000));
    }
    for (const prop of PLAIN) {
      const v = cs.getPropertyValue(prop).trim();
      if (v && v !== 'none' && v !== 'normal' && !(prop === 'opacity' && v === '1')) target.setAttribute(prop, v);
    }
    if (tag === 'text') for (const prop of TEXT) target.setAttribute(prop, cs.getPropertyValue(prop).trim());
  }
  for (let i = 0; i < source.children.length; i++) inline(source.children[i]!, target.children[i]!);
}

export function standaloneSvg(root: SVGSVGElement, title: string): string {
  const copy = root.cloneNode(true) as SVGSVGElement;
  inline(root, copy);
  copy.setAttribute('xmlns', SVG_NS);
  copy.removeAttribute('tabindex');
  copy.removeAttribute('class');
  copy.querySelector('.layer-hover')?.replaceChildren();
  const t = document.createElementNS(SVG_NS, 'title');
  t.textContent = title;
  copy.insertBefore(t, copy.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}
