/**
 * Very long node names in the timeline webview (headless Chromium, as in
 * render.test.ts): fitting a name into the name column costs O(log n) text
 * measurements, so a 20,000-letter name is cut with … at once, on the first
 * render and on every zoom, instead of taking seconds per render.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TimelinePayload } from '../../server/src/core/sim/timeline';
import { browserMissing, launchBrowser, openTimelinePage, type Browser } from './page';
import { ROOT, timelineOfText } from './timelines';

const missing = browserMissing() ?? (fs.existsSync(path.join(ROOT, 'dist', 'webview.js')) ? undefined : 'no dist/webview.js (run npm run build)');
if (missing && process.env.CI) {
  test('long node names in the timeline webview', () => assert.fail(`cannot run the browser tests in CI: ${missing}`));
}

const LETTERS = 20_000;
/** A correctness bound with a wide margin: a render of this small timeline takes milliseconds; fitting letter by letter took 17 s. */
const RENDER_BOUND_MS = 3000;

describe('long node names in the timeline webview', { skip: missing ? `browser tests skipped: ${missing}` : false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test(`a ${LETTERS.toLocaleString('en-US')}-letter node name is cut to the name column on every render`, async () => {
    const base = timelineOfText('scenario long_names { seed 1 run for 100ms }\nnodes A, B\nnetwork { latency 5ms }\nat 10ms A -> B "hello"\n');
    const longName = 'x'.repeat(LETTERS - 1) + 'y';
    const timeline: TimelinePayload = { ...base, nodes: base.nodes.map((n, i) => (i === 0 ? { ...n, name: longName } : n)) };
    const view = await openTimelinePage(browser, { width: 1200 });
    let start = performance.now();
    const rendered = await view.show(timeline);
    const first = performance.now() - start;
    assert.equal(rendered.lanes, 2);
    const drawn = await view.page.evaluate(() => {
      const name = document.querySelector('.layer-names .name') as SVGTextElement;
      const column = document.querySelector('.names-bg')!;
      return { text: name.textContent ?? '', width: name.getComputedTextLength(), column: Number(column.getAttribute('width')) };
    });
    assert.match(drawn.text, /^x+…$/, 'the start of the name, cut with …');
    assert.ok(drawn.text.length > 3 && drawn.text.length < 200, `${drawn.text.length} letters drawn`);
    assert.ok(drawn.width <= drawn.column, `name ${drawn.width}px in a ${drawn.column}px column`);
    // A zoom renders again and fits the name again.
    const before = await view.renders();
    start = performance.now();
    await view.page.keyboard.press('+');
    await view.nextRender(before);
    const zoomed = performance.now() - start;
    assert.ok(first < RENDER_BOUND_MS && zoomed < RENDER_BOUND_MS, `renders took ${first.toFixed(0)} ms and ${zoomed.toFixed(0)} ms`);
    assert.deepEqual(view.errors, []);
    await view.close();
  });
});
