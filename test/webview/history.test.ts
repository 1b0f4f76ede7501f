/**
 * The history webview (Porcupine's visualisation of a checked history) in
 * headless Chromium, under the same HTML shell and CSP as in VS Code (see
 * page.ts): bars per client and operation, the failing prefix marked, the
 * unknown outcome open-ended, the header's verdict and budget, hover, click
 * and stepping through the longest linearizable order. Saves screenshots in
 * test-artifacts/webview/history*.png.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyWebviewState, type FromHistoryWebview, type ToHistoryWebview } from '../../client/src/historyMessages';
import { historyView, type HistoryViewPayload } from '../../server/src/core/history/view';
import { browserMissing, launchBrowser, openTimelinePage, type Browser, type TimelinePage } from './page';
import { ROOT } from './timelines';

const ASSETS = { js: path.join(ROOT, 'dist', 'historyView.js'), css: path.join(ROOT, 'dist', 'historyView.css') };
const missing = browserMissing() ?? (fs.existsSync(ASSETS.js) ? undefined : 'no dist/historyView.js (run npm run build)');
if (missing && process.env.CI) {
  test('history webview in Chromium', () => assert.fail(`cannot run the browser tests in CI: ${missing}`));
}

const STALE = fs.readFileSync(path.join(ROOT, 'test/fixtures/histories/view-stale-read.edn'), 'utf8');
const OUT = path.join(ROOT, 'test-artifacts', 'webview');

type Rendered = Extract<FromHistoryWebview, { type: 'rendered' }>;

async function show(view: TimelinePage, message: ToHistoryWebview): Promise<Rendered> {
  const before = await view.renders();
  await view.send(message as never);
  return (await view.nextRender(before)) as unknown as Rendered;
}

/** The message the panel sends for `view`, checked from the file `uri` with the format and model it names. */
function historyMessage(uri: string, view: HistoryViewPayload): ToHistoryWebview {
  return { type: 'history', source: { uri, format: view.format, model: view.model }, view };
}

/** Screen box of the bar of the operation invoked on `line`. */
async function barBox(view: TimelinePage, line: number): Promise<{ x: number; y: number; w: number; h: number; classes: string }> {
  return view.page.evaluate((l) => {
    const g = document.querySelector(`[data-op][data-line="${l}"]`)!;
    const r = g.querySelector('rect')!.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height, classes: g.getAttribute('class') ?? '' };
  }, line);
}

describe('history webview in Chromium', { skip: missing ? `browser tests skipped: ${missing}` : false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
    fs.mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });

  test('a bad history: rows per client, the failing prefix marked, the unknown outcome open-ended, the verdict in the header', async () => {
    const payload = historyView(STALE, { model: 'register', file: 'histories/view-stale-read.edn' });
    const view = await openTimelinePage(browser, { width: 1200, height: 520, assets: ASSETS });
    const counts = await show(view, historyMessage('file:///w/view-stale-read.edn', payload));
    assert.equal(counts.partitions, 2);
    assert.equal(counts.rows, 3 + 2);
    assert.equal(counts.bars, 6);
    assert.equal(counts.open, 1);
    assert.deepEqual([...counts.markedLines].sort((a, b) => a - b), [5, 7, 8, 11]);
    const page = view.page;
    const header = await page.evaluate(() => ({
      title: document.querySelector('.toolbar .title')?.textContent,
      meta: document.querySelector('.toolbar .meta')?.textContent,
      verdict: document.querySelector('.verdict')?.textContent,
      names: Array.from(document.querySelectorAll('.client-name')).map((t) => t.textContent),
      headings: Array.from(document.querySelectorAll('.partition-title')).map((t) => t.textContent),
      involved: Array.from(document.querySelectorAll('.op-involved')).map((g) => Number(g.getAttribute('data-line'))),
    }));
    assert.equal(header.title, 'histories/view-stale-read.edn');
    assert.equal(header.meta, 'model register · format jepsen-edn · 6 operations · 2 keys');
    assert.equal(header.verdict, '✗ NOT linearizable: 1 of 2 keys fail');
    assert.deepEqual(header.names, ['process 0', 'process 1', 'process 2', 'process 0', 'process 3']);
    assert.deepEqual(header.headings, ['key "x"', 'key "y"']);
    assert.deepEqual(header.involved.sort((a, b) => a - b), [5, 7, 8, 11]);
    // Bars span invocation → response on one axis: process 0's write (ranks 0–1) ends before process 2's read (3–4) starts.
    const write1 = await barBox(view, 5);
    const read2 = await barBox(view, 8);
    const open = await barBox(view, 7);
    const svgRight = await page.evaluate(() => document.querySelector('svg.history-diagram')!.getBoundingClientRect().right);
    assert.ok(write1.x + write1.w < read2.x, 'the write returns before the read is invoked');
    assert.match(open.classes, /op-open/);
    assert.ok(open.x + open.w >= svgRight - 1, `the unknown outcome runs to the right edge (${open.x + open.w} of ${svgRight})`);
    assert.match((await barBox(view, 11)).classes, /op-prefix-end/);
    assert.doesNotMatch((await barBox(view, 13)).classes, /op-involved/);
    await page.screenshot({ path: path.join(OUT, 'history.png') });

    // Hover: the operation, its result and its lines; click: reveal its line.
    await page.mouse.move(read2.x + read2.w / 2, read2.y + read2.h / 2);
    const tip = await page.evaluate(() => (document.querySelector('.tooltip') as HTMLElement).textContent ?? '');
    assert.match(tip, /read "x" → 2/);
    assert.match(tip, /result2/);
    assert.match(tip, /lines 8–9/);
    assert.match(tip, /involved in the smallest failing prefix/);
    await page.mouse.click(read2.x + read2.w / 2, read2.y + read2.h / 2);
    const posted = (await view.posted()) as unknown as FromHistoryWebview[];
    assert.deepEqual(posted.filter((m) => m.type === 'reveal').pop(), { type: 'reveal', line: 8, column: 1 });
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('a narrow panel: the diagram fits its width, every bar inside it', async () => {
    const view = await openTimelinePage(browser, { width: 380, height: 520, assets: ASSETS });
    await show(view, historyMessage('file:///w/x.edn', historyView(STALE, { model: 'register', file: 'x.edn' })));
    const fit = await view.page.evaluate(() => {
      const svg = document.querySelector('svg.history-diagram')!.getBoundingClientRect();
      const closed = Array.from(document.querySelectorAll('.op:not(.op-open) rect')).map((r) => r.getBoundingClientRect());
      return { svgRight: svg.right, page: document.documentElement.clientWidth, barsRight: Math.max(...closed.map((r) => r.right)), barsLeft: Math.min(...closed.map((r) => r.left)) };
    });
    assert.ok(fit.svgRight <= fit.page + 0.5, `the diagram (${fit.svgRight}px) is wider than the page (${fit.page}px)`);
    assert.ok(fit.barsRight <= fit.svgRight, `a bar ends at ${fit.barsRight}px, past the diagram's ${fit.svgRight}px`);
    assert.ok(fit.barsLeft >= 72, 'the bars start right of the client names');
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('the longest linearizable order, on demand, one step at a time', async () => {
    const payload = historyView(STALE, { model: 'register', file: 'view-stale-read.edn' });
    const view = await openTimelinePage(browser, { width: 1200, height: 520, assets: ASSETS });
    const first = await show(view, historyMessage('file:///w/x.edn', payload));
    assert.equal(first.stepped, 0, 'hidden until asked for');
    const page = view.page;
    const click = async (action: string): Promise<Rendered> => {
      // Let a redraw already asked for (the resize observer's first call after `show`) happen
      // first, so that the render awaited below is the one this click causes.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const n = await view.renders();
      await page.evaluate((a) => (document.querySelector(`[data-action="${a}"]`) as HTMLButtonElement).click(), action);
      return (await view.nextRender(n)) as unknown as Rendered;
    };
    const state = () => page.evaluate(() => ({
      text: document.querySelector('.order-text')?.textContent,
      placed: Array.from(document.querySelectorAll('.op-placed')).map((g) => Number(g.getAttribute('data-line'))),
      current: Array.from(document.querySelectorAll('.op-current')).map((g) => Number(g.getAttribute('data-line'))),
      next: (document.querySelector('[data-action="order-next"]') as HTMLButtonElement).disabled,
    }));
    assert.equal((await click('order-toggle')).stepped, 1);
    assert.deepEqual(await state(), { text: '1 of 3 placed', placed: [5], current: [5], next: false });
    assert.equal((await click('order-next')).stepped, 2);
    assert.equal((await click('order-next')).stepped, 3);
    const end = await state();
    assert.deepEqual(end, { text: '3 of 3 placed, then nothing fits', placed: [5, 7, 8], current: [8], next: true });
    await page.screenshot({ path: path.join(OUT, 'history.order.png') });
    assert.equal((await click('order-prev')).stepped, 2);
    assert.equal((await click('order-toggle')).stepped, 0);
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test("in Chinese: the labels the extension passes (its zh-cn bundle) replace the English ones, user text stays as it is", async () => {
    const zh = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const view = await openTimelinePage(browser, { width: 1200, height: 520, assets: ASSETS, labels: zh });
    await show(view, historyMessage('file:///w/x.edn', historyView(STALE, { model: 'register', file: 'x.edn' })));
    const drawn = await view.page.evaluate(() => ({
      verdict: document.querySelector('.verdict')?.textContent,
      meta: document.querySelector('.toolbar .meta')?.textContent,
      toggle: document.querySelector('[data-action="order-toggle"]')?.textContent,
      names: Array.from(document.querySelectorAll('.client-name')).map((t) => t.textContent),
      bar: document.querySelector('[data-line="5"] .op-label')?.textContent,
    }));
    assert.equal(drawn.verdict, '✗ 不可线性化：2 个键中有 1 个失败');
    assert.equal(drawn.meta, '模型 register · 格式 jepsen-edn · 6 个操作 · 2 个键');
    assert.equal(drawn.toggle, '最长顺序');
    assert.equal(drawn.names[0], '进程 0');
    assert.match(drawn.bar ?? '', /^write "x" ←/, 'the operations are the input, not translated');
    await view.page.screenshot({ path: path.join(OUT, 'history.zh-cn.png') });
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('a linearizable history and an undecided one say so in the header', async () => {
    const view = await openTimelinePage(browser, { width: 1000, height: 400, assets: ASSETS });
    const fine = historyView(STALE.replace(':key "x", :value 1}\n\n', '').replace(/(:ok, :f :read, :key "x", :value )1/, '$12'), { model: 'register', file: 'fine.edn' });
    assert.equal(fine.verdict, 'linearizable');
    await show(view, historyMessage('file:///w/fine.edn', fine));
    assert.equal(await view.page.evaluate(() => document.querySelector('.verdict')?.textContent), '✓ linearizable');
    assert.equal(await view.page.evaluate(() => getComputedStyle(document.querySelector('.order')!).display), 'none', 'no order to step through');
    const stuck = historyView(STALE.replace(/(:ok, :f :read, :key "x", :value )1/, '$12'), { model: 'register', file: 'stuck.edn', maxSteps: 1 });
    assert.equal(stuck.verdict, 'undecided');
    await show(view, historyMessage('file:///w/stuck.edn', stuck));
    assert.match((await view.page.evaluate(() => document.querySelector('.verdict')?.textContent)) ?? '', /^\? not decided: .* within 1 search steps/);
    assert.deepEqual(view.errors, []);
    await view.close();
  });

  test('a window reload: the page saves what was checked, and the check run again from it draws the same history in a fresh page', async () => {
    const payload = historyView(STALE, { model: 'register', file: 'view-stale-read.edn', maxSteps: 5000 });
    const source = { uri: 'file:///w/view-stale-read.edn', format: payload.format, model: payload.model, maxSteps: 5000 } as const;
    const before = await openTimelinePage(browser, { width: 1200, height: 520, assets: ASSETS });
    const drawn = await show(before, { type: 'history', source, view: payload });
    const header = (page: TimelinePage['page']) => page.evaluate(() => [document.querySelector('.toolbar .title')?.textContent, document.querySelector('.toolbar .meta')?.textContent, document.querySelector('.verdict')?.textContent]);
    const headerBefore = await header(before.page);
    // What VS Code keeps for the panel and hands to its serializer after the reload (JSON, as it stores it).
    const saved: unknown = JSON.parse(JSON.stringify(await before.page.evaluate(() => (window as unknown as { __state: unknown }).__state)));
    await before.close();
    assert.deepEqual(saved, { source }, 'the state names the file, format, model and budget; not the drawing');
    const restored = historyWebviewState(saved);
    assert.deepEqual(restored, { source });
    // The serializer checks the same file again with what the state names (historyRestore.ts), and the fresh page draws it.
    const again = historyView(STALE, { model: restored!.source.model, format: restored!.source.format, maxSteps: restored!.source.maxSteps!, file: 'view-stale-read.edn' });
    const after = await openTimelinePage(browser, { width: 1200, height: 520, assets: ASSETS });
    await after.send({ type: 'notice', source: restored!.source, text: 'Checking view-stale-read.edn again (register, jepsen-edn)…' } as never);
    await after.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'noticeShown'));
    assert.deepEqual(await show(after, { type: 'history', source: restored!.source, view: again }), drawn);
    assert.deepEqual(await header(after.page), headerBefore);
    assert.deepEqual(
      await after.page.evaluate(() => [(document.querySelector('.empty') as HTMLElement).hidden, getComputedStyle(document.querySelector('.toolbar .controls')!).display]),
      [true, 'flex'],
      'the notice gives way to the history and its controls',
    );
    assert.deepEqual(after.errors, []);
    await after.close();
  });

  test('a notice in place of the history (the file gone after a reload): the text, no drawing, the state kept for the next reload', async () => {
    const view = await openTimelinePage(browser, { width: 900, height: 400, assets: ASSETS });
    await show(view, historyMessage('file:///w/gone.edn', historyView(STALE, { model: 'register', file: 'gone.edn' })));
    const source = { uri: 'file:///w/gone%20now.edn', format: 'jepsen-edn', model: 'register' } as const;
    const text = 'gone now.edn no longer exists, so its history cannot be checked again. Run “DSync: Check History…” on a history file.';
    await view.send({ type: 'notice', source, text } as never);
    await view.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'noticeShown'));
    const shown = await view.page.evaluate(() => ({
      empty: (document.querySelector('.empty') as HTMLElement).hidden ? null : document.querySelector('.empty')?.textContent,
      diagram: (document.querySelector('.diagram-host') as HTMLElement).hidden,
      verdict: (document.querySelector('.verdict') as HTMLElement).hidden,
      controls: getComputedStyle(document.querySelector('.toolbar .controls')!).display,
      title: document.querySelector('.toolbar .title')?.textContent,
      meta: document.querySelector('.toolbar .meta')?.textContent,
      state: (window as unknown as { __state: unknown }).__state,
    }));
    assert.deepEqual(shown, { empty: text, diagram: true, verdict: true, controls: 'none', title: 'gone now.edn', meta: '', state: { source } });
    const posted = (await view.posted()) as unknown as FromHistoryWebview[];
    assert.deepEqual(posted.filter((m) => m.type === 'noticeShown'), [{ type: 'noticeShown', text }]);
    await view.page.screenshot({ path: path.join(OUT, 'history-notice.png') });
    // A resize while the notice stands draws nothing (the old history is dropped, not redrawn).
    const renders = await view.renders();
    await view.page.setViewportSize({ width: 700, height: 400 });
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    assert.equal(await view.renders(), renders);
    assert.deepEqual(view.errors, []);
    await view.close();
  });
});
