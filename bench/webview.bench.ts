/**
 * The timeline webview with a full-size payload (20,000 events, the most a
 * timeline carries) in headless Chromium: time to the first drawn frame,
 * and from a zoom or pan input to its drawn frame, at the whole run and
 * zoomed in. Target: every input answered within 50 ms (20 frames/s while
 * wheeling). Needs Chromium and playwright-core (scripts/setup-code-server.sh);
 * skipped without them.
 */
import { TIMELINE_MAX_EVENTS } from '../server/src/core/sim/timeline';
import { browserMissing, launchBrowser, openTimelinePage, type Page } from '../test/webview/page';
import { timelineOfText } from '../test/webview/timelines';
import { verdict } from './support/measure';
import { tokenRing } from './support/scenarios';

const TARGET_MS = 50;

/** Lossy, duplicating traffic among 8 nodes, cut at the payload limit. */
function busyScenario(): string {
  const ring = tokenRing(8, TIMELINE_MAX_EVENTS + 5000);
  return ring.replace('network { latency 1ms..3ms }', 'network { latency 1ms..9ms  duplicate 2% }');
}

/**
 * From an input to its frame: `total` ms until the webview posted `rendered`
 * and the browser painted the next frame, `js` ms of it in the webview's own
 * drawing code (its `dsync:render` measure).
 */
async function inputToFrame(page: Page, input: 'zoom-in' | 'zoom-out' | 'pan' | 'fit' | 'local'): Promise<{ total: number; js: number }> {
  return page.evaluate(async (what) => {
    const w = window as unknown as { __posted: { type: string }[] };
    const count = (): number => w.__posted.filter((m) => m.type === 'rendered').length;
    const before = count();
    const start = performance.now();
    const svg = document.querySelector('svg.diagram')!;
    const r = svg.getBoundingClientRect();
    const at = { clientX: r.left + r.width * 0.6, clientY: r.top + 120, bubbles: true, cancelable: true };
    if (what === 'zoom-in' || what === 'zoom-out') svg.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: what === 'zoom-in' ? -400 : 400 }));
    else if (what === 'pan') window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    else if (what === 'fit') window.dispatchEvent(new KeyboardEvent('keydown', { key: '0', bubbles: true }));
    else (document.querySelector('input[data-action="local-clocks"]') as HTMLInputElement).click();
    await new Promise<void>((resolve) => {
      const poll = (): void => (count() > before ? resolve() : void requestAnimationFrame(poll));
      poll();
    });
    // One more frame: the one that shows what was drawn.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const js = performance.getEntriesByName('dsync:render').pop()?.duration ?? NaN;
    return { total: performance.now() - start, js };
  }, input);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function line(label: string, t: { total: number; js: number }): string {
  return `  ${label.padEnd(42)} ${t.total.toFixed(1).padStart(7)} ms  (drawing code ${t.js.toFixed(1).padStart(5)} ms)  (target ≤ ${TARGET_MS} ms on the median: ${verdict(`webview ${label}`, t.total, TARGET_MS, false)})`;
}

async function main(): Promise<void> {
  const missing = browserMissing();
  if (missing) {
    console.log(`webview: skipped, ${missing}`);
    return;
  }
  const timeline = timelineOfText(busyScenario(), 'webview bench scenario');
  console.log(`webview: ${timeline.events.length.toLocaleString('en-US')} events, ${timeline.messages.length.toLocaleString('en-US')} messages, ${timeline.nodes.length} lanes; median of 9 inputs each`);
  const browser = await launchBrowser();
  try {
    const view = await openTimelinePage(browser, { width: 1400, height: 900 });
    const first = await view.show(timeline);
    const [prep, draw] = await view.page.evaluate(() => ['dsync:prepare', 'dsync:render'].map((n) => performance.getEntriesByName(n).pop()?.duration ?? NaN));
    console.log(`  first frame: prepare ${prep!.toFixed(1)} ms + drawing code ${draw!.toFixed(1)} ms (${first.events} events, ${first.arrows} arrows)`);
    const sample = async (what: Parameters<typeof inputToFrame>[1], n = 9): Promise<{ total: number; js: number }> => {
      const times: { total: number; js: number }[] = [];
      for (let i = 0; i < n; i++) {
        times.push(await inputToFrame(view.page, what));
        // Let the debounced setState (the whole payload, serialized) happen between inputs, not inside one.
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      return { total: median(times.map((t) => t.total)), js: median(times.map((t) => t.js)) };
    };
    // Whole run: wheel out at the fit (re-draws everything), toggle local clocks both ways.
    console.log(line('whole run: wheel (all 20k events in view)', await sample('zoom-out')));
    console.log(line('whole run: local clocks on/off', await sample('local', 10)));
    // Zoomed in a few steps, then pan and wheel there.
    for (let i = 0; i < 6; i++) await inputToFrame(view.page, 'zoom-in');
    console.log(line('zoomed in: pan (arrow key)', await sample('pan')));
    const zin = await sample('zoom-in', 5);
    const zout = await sample('zoom-out', 5);
    console.log(line('zoomed in: wheel in/out', { total: (zin.total + zout.total) / 2, js: (zin.js + zout.js) / 2 }));
    console.log(line('fit again', await sample('fit', 3)));
    if (view.errors.length) throw new Error(`page errors: ${view.errors.join('; ')}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
