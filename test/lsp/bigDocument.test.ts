import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { generateScenario } from '../../bench/support/scenarios';
import { SettlingLsp } from '../fuzz/lspDriver';
import { ServerProcess } from './serverProcess';

/**
 * A big document is parsed, checked and simulated in a worker thread of its
 * own: requests on other documents keep being answered meanwhile, its own
 * features are answered by the worker, and its results are the same as the
 * main thread's.
 */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const demo = fs.readFileSync(path.join(root, 'samples', 'causal_demo.dsync'), 'utf8');
const SMALL = 'file:///big/causal_demo.dsync';
const BIG = 'file:///big/big.dsync';
const SETTINGS = { seed: null, simulation: { maxEvents: 200_000, maxMilliseconds: 60_000, maxTraceMegabytes: 256 } };
/** A correctness bound, not a benchmark: analysing the big document takes seconds, a hover on the small one must not wait for it. */
const HOVER_BOUND_MS = 1000;

const big = generateScenario(1_200_000);
const hoverOnC = { textDocument: { uri: SMALL }, position: { line: demo.split('\n').findIndex((l) => l.startsWith('clock C')), character: 6 } };

describe('language server: a big document is analysed off the main thread', () => {
  // The server in its own process: a blocked server could not hold up this test's clock.
  const lsp = new ServerProcess(SETTINGS);
  before(async () => {
    await lsp.initialize();
    lsp.open(SMALL, demo);
    await lsp.settle(SMALL, 1);
  });
  after(() => lsp.dispose());

  test(`hovers on another document are answered within ${HOVER_BOUND_MS} ms while a 1.2 MB document is analysed`, async () => {
    let settled = false;
    lsp.open(BIG, big);
    const final = lsp.settle(BIG, 1, 120_000).finally(() => (settled = true));
    const waits: number[] = [];
    while (!settled) {
      const start = performance.now();
      const hover = await lsp.request<Hover | null>('textDocument/hover', hoverOnC);
      waits.push(performance.now() - start);
      assert.match((hover?.contents as { value: string }).value, /\*\*node C\*\*/);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const diagnostics = await final;
    assert.ok(waits.length >= 5, `only ${waits.length} hovers while the big document was analysed`);
    assert.ok(Math.max(...waits) < HOVER_BOUND_MS, `hover waits: ${waits.map((w) => w.toFixed(0)).join(', ')} ms`);
    // The generated scenario breaks causal_delivery and stops at its max_events.
    assert.deepEqual(diagnostics.map((d) => d.code), ['DS201', 'DS203']);
  });

  test(`a short file with 1,000 nodes is analysed off the main thread too: hovers elsewhere stay under ${HOVER_BOUND_MS} ms`, async () => {
    const WIDE = 'file:///big/wide.dsync';
    // One line declares 1,000 nodes: setting up and summarising its run are long single steps (no slice can split them).
    const wide = 'scenario wide { seed 1  run for 30ms }\nnodes n1..n1000\nevery 10ms n1 -> * "ping"\ninvariant max_skew < 1ms\n';
    let settled = false;
    lsp.open(WIDE, wide);
    const final = lsp.settle(WIDE, 1, 120_000).finally(() => (settled = true));
    const waits: number[] = [];
    while (!settled) {
      const start = performance.now();
      await lsp.request<Hover | null>('textDocument/hover', hoverOnC);
      waits.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.deepEqual((await final).map((d) => d.code), []);
    assert.ok(Math.max(...waits) < HOVER_BOUND_MS, `hover waits: ${waits.map((w) => w.toFixed(0)).join(', ')} ms`);
    // Its own features come from its worker.
    const hover = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri: WIDE }, position: { line: 1, character: 7 } });
    assert.match((hover?.contents as { value: string }).value, /\*\*node n1\*\*/);
    lsp.close(WIDE);
  });

  test("the big document's own features are answered by its worker", async () => {
    const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: BIG } });
    assert.equal(symbols[0]?.name, 'parse_bench');
    const nodesLine = big.split('\n').findIndex((l) => l.startsWith('nodes '));
    const hover = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri: BIG }, position: { line: nodesLine, character: 7 } });
    assert.match((hover?.contents as { value: string }).value, /\*\*node n1\*\*/);
    const items = await lsp.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: BIG }, position: { line: nodesLine + 1, character: 0 } });
    assert.ok(items.some((i) => i.label === 'scenario' || i.label === 'at'), JSON.stringify(items.slice(0, 5)));
    // A refusal crosses the thread boundary as the same JSON-RPC error.
    await assert.rejects(lsp.client.sendRequest('textDocument/rename', { textDocument: { uri: BIG }, position: { line: nodesLine, character: 7 }, newName: 'm1' }), /declared by a numbered range/);
  });

  test('a paste plus keystrokes is analysed once, at the newest version, with the same result as a fresh open on the main thread', async () => {
    const pasted = big.replace('invariant max_skew < 50ms', 'invariant max_skew < 1ms');
    lsp.change(BIG, 2, [{ text: pasted }]);
    lsp.change(BIG, 3, [{ text: `${pasted}/` }]);
    lsp.change(BIG, 4, [{ text: `${pasted}//` }]);
    lsp.change(BIG, 5, [{ text: `${pasted}// done` }]);
    const burst = await lsp.settle(BIG, 5, 120_000);
    assert.deepEqual([...new Set(lsp.allPublished().filter((p) => p.uri === BIG).map((p) => p.version))], [1, 5]);
    const mainThread = new SettlingLsp(SETTINGS, { analysisWorker: undefined });
    try {
      await mainThread.initialize();
      mainThread.open(BIG, `${pasted}// done`);
      assert.deepEqual(burst, await mainThread.settle(BIG, 1, 120_000));
      assert.deepEqual(burst.map((d) => d.code), ['DS201', 'DS201', 'DS203']);
      assert.equal(lsp.exitCode, undefined, 'the server is still running');
    } finally {
      mainThread.dispose();
    }
  });
});
