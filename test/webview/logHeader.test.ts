/**
 * The timeline's header for a log (dsync log, Open Log in Timeline) in
 * headless Chromium, as render.test.ts runs it: a log has no seed and no
 * true time, so the header names it a log with its line count and causal
 * depth, the window and the axis read in causal steps, and the local-clocks
 * toggle (which would show the causal steps again) is hidden. A simulated run keeps
 * its seed and time.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkLog } from '../../server/src/core/logs/check';
import { readLog } from '../../server/src/core/logs/read';
import { logTimeline, textLines } from '../../server/src/core/logs/timeline';
import { browserMissing, launchBrowser, openTimelinePage, type Browser, type Page } from './page';
import { ROOT, timelineOfText } from './timelines';

const missing = browserMissing() ?? (fs.existsSync(path.join(ROOT, 'dist', 'webview.js')) ? undefined : 'no dist/webview.js (run npm run build)');
if (missing && process.env.CI) {
  test('the timeline header of a log', () => assert.fail(`cannot run the browser tests in CI: ${missing}`));
}

const REGEX = '(?<host>\\w+) "(?<event>.*)" (?<clock>\\{.*\\})';
const LOG = [
  'client1 "message 1 sent" {"client1":1}',
  'server "message 1 received" {"client1":1, "server":1}',
  'server "ack" {"client1":1, "server":2}',
  'client1 "receive ack" {"client1":2, "server":2}',
  '',
].join('\n');

const header = (page: Page) =>
  page.evaluate(() => ({
    title: document.querySelector('.toolbar .title')?.textContent ?? '',
    meta: document.querySelector('.toolbar .meta')?.textContent ?? '',
    window: document.querySelector('.toolbar .window-text')?.textContent ?? '',
    localHidden: getComputedStyle(document.querySelector('[data-action="local-clocks"]')!.parentElement!).display === 'none',
    axisTitle: document.querySelector('.layer-axis .axis-title')?.textContent ?? '',
    axisLabels: Array.from(document.querySelectorAll('.layer-axis .axis-label')).map((t) => t.textContent ?? ''),
  }));

describe('the timeline header of a log', { skip: missing ? `browser tests skipped: ${missing}` : false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a log shows its file, line count and causal depth, never a seed; a run afterwards gets its seed back', async () => {
    assert.equal(textLines(LOG), 4);
    assert.equal(textLines('a\nb'), 2);
    assert.equal(textLines(''), 0);
    const log = readLog(LOG, REGEX);
    const timeline = logTimeline(log, checkLog(log), 'logs/acks.log', textLines(LOG));
    const view = await openTimelinePage(browser, { width: 1200 });
    await view.show(timeline, 'file:///work/logs/acks.log');
    const h = await header(view.page);
    assert.equal(h.title, 'logs/acks.log');
    // client1 → server → ack → client1: four events one after another, two messages.
    assert.equal(h.meta, 'log · 4 lines · 4 causal steps · 4 events · 2 messages');
    assert.doesNotMatch(h.meta, /seed/);
    assert.equal(h.window, 'whole log');
    assert.equal(h.localHidden, true, 'the local-clocks toggle is not shown');
    // The axis counts causal steps, not milliseconds of a true time the log does not have.
    assert.equal(h.axisTitle, 'causal step');
    assert.ok(h.axisLabels.length >= 2 && h.axisLabels.every((l) => /^\d+$/.test(l)), h.axisLabels.join(' '));
    await view.page.keyboard.press('+');
    await view.page.waitForFunction(() => document.querySelector('.toolbar .window-text')?.textContent !== 'whole log');
    assert.match((await header(view.page)).window, /^steps \d+ – \d+$/);

    const run = timelineOfText('scenario after_log { seed 9 run for 100ms }\nnodes A, B\nnetwork { latency 5ms }\nat 10ms A -> B "hello"\n');
    await view.show(run);
    const r = await header(view.page);
    assert.match(r.meta, /^seed 9 · /);
    assert.equal(r.localHidden, false);
    assert.equal((await header(view.page)).axisTitle, 'true time');
    assert.match(r.window, /^whole run · /);
    assert.deepEqual(view.errors, []);
    await view.close();
  });
});
