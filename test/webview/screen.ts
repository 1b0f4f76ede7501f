/**
 * Reading the timeline webview as a person sees it (headless Chromium
 * tests): where a time and a lane are on screen, and the tooltip's text.
 */
import * as assert from 'node:assert/strict';
import type { Page } from './page';

const UNITS: Record<string, number> = { s: 1e9, ms: 1e6, µs: 1e3, ns: 1 };

/**
 * Where true time t and lane n are on screen, read off the drawn axis (tick
 * lines and their labels) and lane lines: what a person sees, no internals.
 */
export async function screenMap(page: Page): Promise<{ x(t: number): number; y(node: number): number; timeAt(x: number): number }> {
  const g = await page.evaluate(() => {
    const svg = document.querySelector('svg.diagram')!;
    const r = svg.getBoundingClientRect();
    return {
      left: r.left,
      top: r.top,
      ticks: Array.from(svg.querySelectorAll('.layer-axis .axis-tick')).map((l) => Number(l.getAttribute('x1'))),
      labels: Array.from(svg.querySelectorAll('.layer-axis .axis-label')).map((t) => t.textContent ?? ''),
      lanes: Array.from(svg.querySelectorAll('.layer-lanes .lane-line')).map((l) => Number(l.getAttribute('y1'))),
    };
  });
  const value = (label: string): number => {
    if (label === '0') return 0;
    const m = /^(-?[\d.]+)(s|ms|µs|ns)$/.exec(label);
    assert.ok(m, `axis label ${label}`);
    return Number(m[1]) * UNITS[m[2]!]!;
  };
  assert.ok(g.ticks.length >= 2 && g.ticks.length === g.labels.length, 'the axis has labelled ticks');
  const [t0, t1] = [value(g.labels[0]!), value(g.labels[g.labels.length - 1]!)];
  const [x0, x1] = [g.ticks[0]!, g.ticks[g.ticks.length - 1]!];
  const k = (x1 - x0) / (t1 - t0);
  return {
    x: (t) => g.left + x0 + (t - t0) * k,
    y: (n) => g.top + g.lanes[n]!,
    timeAt: (x) => t0 + (x - g.left - x0) / k,
  };
}

export const tooltipText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.querySelector('.tooltip') as HTMLElement;
    return el.hidden ? '' : (el.textContent ?? '');
  });
