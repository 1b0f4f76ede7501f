/**
 * The timeline webview in headless Chromium, under the same HTML shell and
 * CSP as in VS Code, with a fake acquireVsCodeApi (see page.ts). Runs when
 * Chromium and playwright-core are installed (scripts/setup-code-server.sh):
 * skipped with a message otherwise, and failed when CI is set.
 * Needs dist/webview.js (scripts/test.mjs builds it first).
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FromWebview } from '../../client/src/webviewMessages';
import type { TimelinePayload } from '../../server/src/core/sim/timeline';
import { browserMissing, launchBrowser, openTimelinePage, type Browser, type Page, type TimelinePage } from './page';
import { screenMap, tooltipText } from './screen';
import { ROOT, timelineOfFile, timelineOfText } from './timelines';

const missing = browserMissing() ?? (fs.existsSync(path.join(ROOT, 'dist', 'webview.js')) ? undefined : 'no dist/webview.js (run npm run build)');
if (missing && process.env.CI) {
  test('timeline webview in Chromium', () => assert.fail(`cannot run the browser tests in CI: ${missing}`));
}

const MS = 1_000_000;

/** A small scenario; every position below is computed from this text. */
const DEMO = `scenario webview_demo {
  seed 7
  run for 200ms
}

nodes A, B, C

network { latency 10ms }

clock A { offset +3ms  drift +50ppm }

at 10ms  A -> B "hello"
at 12ms  B -> A "hi"
on B receive "hello" { send B -> C "fwd" }
at 30ms  C local "commit"

faults {
  at 100ms clock C jump +40ms
}

invariant max_skew < 10ms
`;

/** 1-based line and column of `needle` in DEMO. */
function positionOf(needle: string): { line: number; column: number } {
  const lines = DEMO.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

/** Sum of data-count over the drawn paths of a class (the shapes they stand for). */
const pathCount = (page: Page, selector: string): Promise<number> =>
  page.evaluate((sel) => Array.from(document.querySelectorAll(sel)).reduce((n, p) => n + Number(p.getAttribute('data-count')), 0), selector);

describe('timeline webview in Chromium', { skip: missing ? `browser tests skipped: ${missing}` : false }, () => {
  let browser: Browser;
  const started = Date.now();
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    console.log(`# browser tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  const open = async (options: Parameters<typeof openTimelinePage>[1] = {}): Promise<TimelinePage> => openTimelinePage(browser, options);

  test('draws one lane per node, an arrow per delivered or duplicate copy and a ✕ per dropped message', async () => {
    const t = timelineOfFile('test/fixtures/webview/lossy_cluster.dsync');
    const outcomes = (o: string): number => t.messages.filter((m) => m.outcome === o).length;
    assert.ok(outcomes('dropped') > 0 && outcomes('duplicate') > 0, 'the fixture drops and duplicates');
    const view = await open();
    const rendered = await view.show(t);
    assert.equal(rendered.lanes, t.nodes.length);
    assert.equal(rendered.arrows, outcomes('delivered') + outcomes('duplicate'));
    assert.equal(rendered.events, t.events.filter((e) => e.node >= 0).length);
    const page = view.page;
    assert.equal(await page.evaluate(() => document.querySelectorAll('.layer-lanes .lane-line').length), t.nodes.length);
    assert.deepEqual(await page.evaluate(() => Array.from(document.querySelectorAll('.layer-names .name')).map((n) => n.textContent)), t.nodes.map((n) => n.name));
    assert.equal(await pathCount(page, '.layer-arrows path.arrow-delivered'), outcomes('delivered'));
    assert.equal(await pathCount(page, '.layer-arrows path.arrow-duplicate'), outcomes('duplicate'));
    assert.equal(await pathCount(page, '.layer-arrows path.drop-mark'), outcomes('dropped'));
    // Each ✕ is two strokes: count what is actually in the path data too.
    const strokes = await page.evaluate(() => Array.from(document.querySelectorAll('.layer-arrows path.drop-mark')).reduce((n, p) => n + (p.getAttribute('d')!.match(/M/g) ?? []).length, 0));
    assert.equal(strokes, 2 * outcomes('dropped'));
    // Crashes hatched, partitions shaded, one violation line.
    assert.equal(await page.evaluate(() => document.querySelectorAll('.layer-crashes .crash-area').length), t.crashes.length);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.layer-partitions .partition-area').length), t.partitions.length);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.layer-violations .violation-line').length), t.violations.length);
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('a written property: a ring on the event where it failed; a crossing between events gets a line labelled with its instant', async () => {
    const t = timelineOfFile('samples/props_clock_crossing.dsync');
    // few_ticks fails at B's fifth receive (an event), skew_ok at exactly t=1s between events (seq -1).
    assert.deepEqual(t.violations.map((v) => [v.invariant.split(':')[0], v.seq >= 0, v.time]), [['few_ticks', true, 354_930_014], ['skew_ok', false, 1_000_000_000]]);
    const view = await open();
    const rendered = await view.show(t);
    assert.deepEqual([rendered.violationLines, rendered.violationRings], [2, 1]);
    const page = view.page;
    const rings = await page.evaluate(() => Array.from(document.querySelectorAll('.layer-rings .violation-ring')).map((r) => Number(r.getAttribute('data-seq'))));
    assert.deepEqual(rings, [t.violations[0]!.seq]);
    const between = await page.evaluate(() => Array.from(document.querySelectorAll('.layer-violations .violation-line.between-events')).map((l) => Number(l.getAttribute('data-time'))));
    assert.deepEqual(between, [1_000_000_000]);
    const labels = await page.evaluate(() => Array.from(document.querySelectorAll('.violation-label')).map((l) => l.textContent));
    // Written properties by name in the banner; the crossing with its instant.
    assert.deepEqual(labels, ['✗ few_ticks', '✗ skew_ok at 1s']);
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('user-written names and labels are shown as text, never parsed as HTML', async () => {
    const base = timelineOfText(DEMO.replace('"hello"', '"</script><script>alert(2)</script>"').replace('receive "hello"', 'receive "</script><script>alert(2)</script>"'));
    const evilNode = '<img src=x onerror=alert(1)>';
    const evilLabel = '"</script><script>alert(2)</script>"';
    const timeline: TimelinePayload = {
      ...base,
      scenario: '<b id="bold">scenario</b>',
      nodes: base.nodes.map((n, i) => (i === 0 ? { ...n, name: evilNode } : n)),
      messages: base.messages.map((m) => (m.from === 0 && m.to === 1 ? { ...m, label: evilLabel } : m)),
    };
    const view = await open({ width: 1400 });
    await view.show(timeline);
    const page = view.page;
    const dom = await page.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      bold: document.getElementById('bold') !== null,
      scripts: document.querySelectorAll('script').length,
      names: Array.from(document.querySelectorAll('.layer-names .name')).map((n) => n.textContent),
      labels: Array.from(document.querySelectorAll('.message-label')).map((n) => n.textContent),
      title: document.querySelector('.title')!.textContent,
    }));
    assert.equal(dom.imgs, 0, 'no <img> element was created');
    assert.equal(dom.bold, false, 'no <b> element was created');
    assert.equal(dom.scripts, 3, 'only the harness scripts and the webview script');
    assert.ok(dom.names[0]!.startsWith('<img src=x'), `node name shown literally: ${dom.names[0]}`);
    assert.ok(dom.labels.some((l) => l!.startsWith('"</script><script>')), `label shown literally: ${dom.labels.join(' | ')}`);
    assert.equal(dom.title, '<b id="bold">scenario</b>');
    // The full label in the arrow's tooltip.
    const map = await screenMap(page);
    const m = timeline.messages.find((x) => x.label === evilLabel)!;
    await page.mouse.move((map.x(m.sendTime) + map.x(m.endTime)) / 2, (map.y(m.from) + map.y(m.to)) / 2);
    assert.ok((await tooltipText(page)).includes(evilLabel), await tooltipText(page));
    // And in the exported SVG, escaped.
    await page.evaluate(() => (document.querySelector('button[data-action="export-svg"]') as HTMLButtonElement).click());
    const svg = (await view.posted()).find((p): p is Extract<FromWebview, { type: 'exportSvg' }> => p.type === 'exportSvg')!.svg;
    // The name column clips long names, so look for the start of it.
    assert.ok(svg.includes('&lt;img src=x'), 'the node name, escaped');
    assert.ok(svg.includes('"&lt;/script&gt;&lt;script&gt;'), 'the label, escaped');
    assert.ok(!svg.includes('<img') && !svg.includes('<script'));
    assert.deepEqual(view.dialogs, [], 'no alert or other dialog opened');
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('the page carries the CSP; an inline script without the nonce does not run', async () => {
    const view = await open({ unsafeInlineProbe: true });
    await view.show(timelineOfText(DEMO));
    const csp = await view.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.match(csp, /style-src https:\/\/\S+ 'nonce-[A-Za-z0-9+/=]+'/);
    assert.ok(view.html.includes('window.__inlineRan = true'), 'the probe is on the page');
    assert.equal(await view.page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan), undefined);
    // The webview's own styles still apply (loaded from the allowed source, not inline).
    assert.equal(await view.page.evaluate(() => getComputedStyle(document.querySelector('.lane-line')!).strokeWidth), '1px');
    await view.close();
  });

  test('hovering an event shows its clocks; clicking it reveals its source line', async () => {
    const timeline = timelineOfText(DEMO);
    const view = await open();
    await view.show(timeline);
    // Zoom in on the early events (around 20ms) so they stand apart.
    const recv = timeline.events.find((e) => e.kind === 'receive' && e.label === 'hi')!;
    const map0 = await screenMap(view.page);
    for (let i = 0; i < 4; i++) {
      const n = await view.renders();
      await view.page.mouse.move(map0.x(20 * MS), map0.y(1));
      await view.page.mouse.wheel(0, -400);
      await view.nextRender(n);
    }
    const map = await screenMap(view.page);
    await view.page.mouse.move(map.x(recv.time), map.y(recv.node));
    const text = await tooltipText(view.page);
    assert.match(text, /receive "hi" ← B/);
    // B sent "hi" with [A:0 B:1 C:0]; A's receive merges and ticks its own entry.
    assert.ok(text.includes('[A:2 B:1 C:0]'), text);
    assert.ok(text.includes('Lamport2'), text);
    // Sent at 12ms, 10ms latency: received at true 22ms, when A's clock (+3ms, +50ppm) reads 22ms·(1 + 50·10⁻⁶) + 3ms.
    assert.ok(text.includes('true time22ms'), text);
    assert.ok(text.includes('local clock25.0011ms'), text);
    const before = (await view.posted()).length;
    await view.page.mouse.click(map.x(recv.time), map.y(recv.node));
    const reveal = (await view.posted()).slice(before).find((p) => p.type === 'reveal');
    // A receive belongs to the statement that sent it: `at 12ms  B -> A "hi"`, at its sender.
    assert.deepEqual(reveal, { type: 'reveal', ...positionOf('B -> A "hi"') });
    await view.close();
  });

  test('the wheel zooms around the pointer; +, − and 0 zoom and fit', async () => {
    const timeline = timelineOfText(DEMO);
    const view = await open();
    await view.show(timeline);
    const page = view.page;
    const full = await screenMap(page);
    const px = full.x(150 * MS);
    const y = full.y(1);
    const span = (m: Awaited<ReturnType<typeof screenMap>>): number => m.timeAt(px + 500) - m.timeAt(px);
    let renders = await view.renders();
    await page.mouse.move(px, y);
    await page.mouse.wheel(0, -300);
    await view.nextRender(renders);
    const zoomed = await screenMap(page);
    assert.ok(span(zoomed) < span(full) / 1.5, `zoomed in: ${span(zoomed)} < ${span(full)}`);
    // The instant under the pointer stays under it (within a pixel).
    assert.ok(Math.abs(zoomed.timeAt(px) - 150 * MS) < span(full) / 500, `${zoomed.timeAt(px)} vs 150ms`);
    assert.match(await page.evaluate(() => document.querySelector('.window-text')!.textContent ?? ''), /–/);
    renders = await view.renders();
    await page.keyboard.press('0');
    await view.nextRender(renders);
    assert.ok(Math.abs(span(await screenMap(page)) - span(full)) < 1, 'fit shows the whole run again');
    renders = await view.renders();
    await page.evaluate(() => (document.querySelector('button[data-action="zoom-in"]') as HTMLButtonElement).click());
    await view.nextRender(renders);
    assert.ok(span(await screenMap(page)) < span(full) / 1.5, 'the + button zooms in');
    await view.close();
  });

  test('restores from getState: same window and toggles, without a new timeline', async () => {
    const timeline = timelineOfText(DEMO);
    const view = await open({ state: { uri: 'file:///demo.dsync', timeline, zoom: { start: 5 * MS, end: 45 * MS }, showLocal: true } });
    await view.nextRender(0);
    const page = view.page;
    assert.equal(await page.evaluate(() => document.querySelector('.window-text')!.textContent), '5ms – 45ms');
    assert.equal(await page.evaluate(() => (document.querySelector('input[data-action="local-clocks"]') as HTMLInputElement).checked), true);
    // A's clock is 3ms ahead: its send of "hello" (at 10ms on its clock) shows the reading 10ms.
    const readings = await page.evaluate(() => Array.from(document.querySelectorAll('.local-reading')).map((t) => t.textContent));
    assert.ok(readings.includes('10ms'), readings.join(' '));
    assert.ok(await page.evaluate(() => document.querySelectorAll('.local-tick').length > 0), 'per-lane local scale');
    await view.close();
  });

  test('keeps its state with setState; exports and messages from the extension', async () => {
    const timeline = timelineOfText(DEMO);
    const view = await open();
    await view.show(timeline, 'file:///w/demo.dsync');
    const page = view.page;
    await page.waitForFunction(() => (window as unknown as { __state?: { uri: string } }).__state?.uri === 'file:///w/demo.dsync');
    await view.send({ type: 'status', text: 'simulating…' });
    await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'simulating…');
    await view.send({ type: 'requestSvg' });
    await page.evaluate(() => (document.querySelector('button[data-action="export-json"]') as HTMLButtonElement).click());
    const posted = await view.posted();
    const svg = posted.find((p): p is Extract<FromWebview, { type: 'exportSvg' }> => p.type === 'exportSvg')!.svg;
    assert.ok(svg.startsWith('<?xml'));
    assert.match(svg, /<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(!svg.includes('var(--'), 'colours are resolved');
    assert.match(svg, /fill="rgb\(31, 31, 31\)"/, 'the dark background is written into the file');
    assert.ok(posted.some((p) => p.type === 'exportJson'));
    // The violations list: clicking one reveals the invariant's line.
    const before = posted.length;
    await page.evaluate(() => (document.querySelector('.violations button') as HTMLButtonElement).click());
    const reveal = (await view.posted()).slice(before).find((p) => p.type === 'reveal');
    assert.deepEqual(reveal, { type: 'reveal', ...positionOf('invariant max_skew') });
    await view.close();
  });

  test('colours follow the theme; no offset chart when every clock is perfect', async () => {
    const skewed = timelineOfText(DEMO);
    const perfect = timelineOfText(DEMO.replace('clock A { offset +3ms  drift +50ppm }', '').replace('at 100ms clock C jump +40ms', 'at 100ms crash C'));
    const dark = await open({ theme: 'dark' });
    await dark.show(skewed);
    const light = await open({ theme: 'light' });
    await light.show(perfect);
    const bg = (v: TimelinePage): Promise<string> => v.page.evaluate(() => getComputedStyle(document.querySelector('svg .background')!).fill);
    assert.equal(await bg(dark), 'rgb(31, 31, 31)');
    assert.equal(await bg(light), 'rgb(255, 255, 255)');
    assert.equal(await dark.page.evaluate(() => document.querySelectorAll('.chart-frame').length), 1);
    assert.equal(await light.page.evaluate(() => document.querySelectorAll('.chart-frame').length), 0);
    await dark.close();
    await light.close();
  });
});
