/**
 * A node's whole protocol state at a timeline event (headless Chromium, as
 * render.test.ts): the tooltip of an event lists every `stable`/`var` of the
 * written protocol there, not only what the event changed, and a click
 * opens the side panel with the same state, which stays until closed.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { browserMissing, launchBrowser, openTimelinePage, type Browser, type Page } from './page';
import { screenMap } from './screen';
import { ROOT, timelineOfText } from './timelines';

const missing = browserMissing() ?? (fs.existsSync(path.join(ROOT, 'dist', 'webview.js')) ? undefined : 'no dist/webview.js (run npm run build)');
if (missing && process.env.CI) {
  test('node state at a timeline event', () => assert.fail(`cannot run the browser tests in CI: ${missing}`));
}

/**
 * Each node sets `label` and broadcasts at 10ms; the Bump arrives 20ms later
 * and only increments `bumps`: the receive's diff is `bumps` alone, its state
 * is `bumps` 1 and `label` "sent" (set by the timer), and `since` is
 * never changed after the node's first event.
 */
const TEXT = `scenario state_at_event { seed 1; run for 100ms }

protocol counter {
  message Bump { }
  var bumps: int = 0
  stable label: string = "start"
  var since: int = 7
  on start { timer go after 10ms }
  on timer go { label = "sent"; broadcast Bump { } }
  on Bump(m) from p { bumps = bumps + since - 6 }
}

nodes A, B run counter
network { latency 20ms }
`;

/** The [key, value] rows of a table inside `selector`. */
const rowsOf = (page: Page, selector: string): Promise<string[][]> =>
  page.evaluate((sel) => Array.from(document.querySelectorAll(`${sel} tr`)).map((tr) => Array.from(tr.children).map((c) => c.textContent ?? '')), selector);

describe('node state at a timeline event', { skip: missing ? `browser tests skipped: ${missing}` : false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('hovering an event lists the node’s whole state there; clicking it opens the side panel with it', async () => {
    const timeline = timelineOfText(TEXT);
    const recv = timeline.events.find((e) => e.kind === 'receive' && e.node === 1)!;
    assert.deepEqual(recv.state, { bumps: '1' }, 'the receive changed bumps only');
    const view = await openTimelinePage(browser);
    await view.show(timeline);
    const page = view.page;
    const map = await screenMap(page);
    await page.mouse.move(map.x(recv.time), map.y(recv.node));
    const tooltip = await rowsOf(page, '.tooltip');
    const stateRows = (rows: string[][]): string[][] => rows.filter(([k]) => /^(bumps|label|since)( ←)?$/.test(k!));
    const expected = [['bumps ←', '1'], ['label', 'sent'], ['since', '7']];
    assert.deepEqual(stateRows(tooltip), expected, JSON.stringify(tooltip));
    assert.equal(await page.evaluate(() => (document.querySelector('.state-panel') as HTMLElement).hidden), true, 'no panel before a click');

    await page.mouse.click(map.x(recv.time), map.y(recv.node));
    const panel = await page.evaluate(() => {
      const el = document.querySelector('.state-panel') as HTMLElement;
      return { hidden: el.hidden, title: el.querySelector('.state-panel-title')?.textContent ?? '' };
    });
    assert.equal(panel.hidden, false);
    assert.equal(panel.title, `B after #${recv.seq}: receive "Bump" ← A`);
    assert.deepEqual(await rowsOf(page, '.state-panel'), expected);
    // The panel stays while the pointer moves on, and shows an earlier event's state after a click there.
    const timer = timeline.events.find((e) => e.kind === 'timer' && e.node === 1)!;
    await page.mouse.move(map.x(timer.time), map.y(timer.node) + 200);
    assert.deepEqual(await rowsOf(page, '.state-panel'), expected);
    await page.mouse.click(map.x(timer.time), map.y(timer.node));
    assert.equal(await page.evaluate(() => document.querySelector('.state-panel-title')?.textContent), `B after #${timer.seq}: timer "go"`);
    const before = await rowsOf(page, '.state-panel');
    // The node's first event carries its whole state, all of it new; the timer's own assignment
    // (label = "sent") lands on the send it emits next, so here label is still "start".
    assert.deepEqual(before, [['bumps ←', '0'], ['label ←', 'start'], ['since ←', '7']], JSON.stringify(before));
    const hidden = (): Promise<boolean> => page.evaluate(() => (document.querySelector('.state-panel') as HTMLElement).hidden);
    await page.evaluate(() => (document.querySelector('.state-panel [data-action="close-state"]') as HTMLButtonElement).click());
    assert.equal(await hidden(), true, 'closed by its button');
    await page.mouse.click(map.x(recv.time), map.y(recv.node));
    assert.equal(await hidden(), false);
    await page.keyboard.press('Escape');
    assert.equal(await hidden(), true, 'closed by Escape');
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('in Chinese: legend, axis, captions, hover card and side panel take the labels the extension passes; names and state stay as written', async () => {
    const zh = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const timeline = timelineOfText(TEXT.replace('network { latency 20ms }', 'network { latency 20ms }\nfaults {\n  at 50ms partition {A} | {B}\n  at 60ms heal\n}'));
    const recv = timeline.events.find((e) => e.kind === 'receive' && e.node === 1)!;
    const view = await openTimelinePage(browser, { width: 1100, height: 460, labels: zh });
    await view.show(timeline);
    const page = view.page;
    const drawn = await page.evaluate(() => ({
      legend: Array.from(document.querySelectorAll('.legend-text')).map((t) => t.textContent),
      axis: document.querySelector('.axis-title')?.textContent,
      partition: document.querySelector('.partition-label')?.textContent ?? '',
      meta: document.querySelector('.toolbar .meta')?.textContent ?? '',
      names: Array.from(document.querySelectorAll('.layer-names .name')).map((t) => t.textContent),
    }));
    assert.ok(drawn.legend.includes('发送 / 接收') && drawn.legend.includes('分区'), JSON.stringify(drawn.legend));
    assert.equal(drawn.axis, '真实时间');
    assert.match(drawn.partition, /^分区 /);
    assert.match(drawn.meta, /^种子 1 · .* · \d+ 个事件 · \d+ 条消息$/);
    assert.deepEqual(drawn.names, ['A', 'B']);
    const map = await screenMap(page);
    await page.mouse.move(map.x(recv.time), map.y(recv.node));
    const tooltip = await rowsOf(page, '.tooltip');
    assert.deepEqual(tooltip.slice(0, 2).map(([k]) => k), ['节点', '真实时间'], JSON.stringify(tooltip));
    assert.deepEqual(tooltip.filter(([k]) => /^(bumps|label|since)( ←)?$/.test(k!)), [['bumps ←', '1'], ['label', 'sent'], ['since', '7']]);
    assert.equal(await page.evaluate(() => document.querySelector('.tooltip-hint')?.textContent), '点击以在源文件中显示');
    await page.mouse.click(map.x(recv.time), map.y(recv.node));
    const panel = await page.evaluate(() => ({
      title: document.querySelector('.state-panel-title')?.textContent,
      time: document.querySelector('.state-panel-time')?.textContent ?? '',
      close: document.querySelector('.state-panel-close')?.getAttribute('title'),
    }));
    assert.equal(panel.title, `B 在 #${recv.seq} 之后：接收 "Bump" ← A`);
    assert.match(panel.time, /^真实时间 \S+，本地时钟 \S+$/);
    assert.equal(panel.close, '关闭');
    assert.deepEqual(view.errors, []);
    await view.close();
  });
});
