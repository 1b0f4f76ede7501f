import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TimelinePayload } from '../../server/src/core/sim/timeline';
import { browserMissing, launchBrowser, openTimelinePage, type Browser } from '../webview/page';
import { timelineOfText } from '../webview/timelines';

/**
 * Complements test/webview/render.test.ts (node names, message labels,
 * the scenario title, CSP): invariant names and violation messages, shown
 * in the violations list, on the diagram and in the tooltip, are text too.
 * Runs in the same headless Chromium harness; skipped locally where it is missing, failed in CI.
 */
const missing = browserMissing();
// In CI the browser is installed first (scripts/test.mjs), so a missing one is a failure, never a skip.
if (missing && process.env['CI']) throw new Error(`browser tests cannot run in CI: ${missing}`);

const SCENARIO = `scenario escaping { seed 7 run for 200ms }
nodes A, B, C
network { latency 10ms }
at 10ms A -> B "hello"
faults { at 100ms clock C jump +40ms }
invariant max_skew < 10ms
`;

describe('webview: invariant names and violation messages are shown as text', { skip: missing ? `browser tests skipped: ${missing}` : false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('HTML and script in an invariant name and a violation message create no elements and run nothing', async () => {
    const base = timelineOfText(SCENARIO);
    assert.equal(base.violations.length, 1, 'max_skew is violated by the jump');
    const evilName = '<img src=x onerror=alert(1)>';
    const evilMessage = '</script><script>alert(2)</script><b id="bold">x</b>';
    const timeline: TimelinePayload = { ...base, violations: base.violations.map((v) => ({ ...v, invariant: evilName, message: evilMessage })) };
    const view = await openTimelinePage(browser, { width: 1400 });
    await view.show(timeline);
    const dom = await view.page.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      bold: document.getElementById('bold') !== null,
      scripts: document.querySelectorAll('script').length,
      text: document.body.textContent ?? '',
      title: document.querySelector('button.violation')?.getAttribute('title') ?? '',
    }));
    assert.equal(dom.imgs, 0, 'no <img> element was created');
    assert.equal(dom.bold, false, 'no <b> element was created');
    assert.equal(dom.scripts, 3, 'only the harness scripts and the webview script');
    assert.ok(dom.text.includes('<img src=x'), 'the invariant name is shown literally');
    assert.ok(dom.title.startsWith(evilMessage), `the message is kept literally in the list's tooltip: ${dom.title}`);
    assert.deepEqual(view.dialogs, [], 'no alert or other dialog opened');
    assert.deepEqual(view.errors, []);
    await view.close();
  });
});
