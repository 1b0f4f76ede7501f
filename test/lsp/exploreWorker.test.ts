import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, type Hover } from 'vscode-languageserver-protocol';
import { ExploreRequest, type ExploreResult } from '../../server/src/shared/requests';
import { ServerProcess } from './serverProcess';

/**
 * An exploration started from the editor runs in a worker thread: while it
 * runs whole simulations of a 1,000-node scenario (each takes seconds), the
 * server keeps answering hovers on other documents, and cancelling still
 * ends it promptly.
 */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const demo = fs.readFileSync(path.join(root, 'samples', 'causal_demo.dsync'), 'utf8');
const SMALL = 'file:///explore/causal_demo.dsync';
const WIDE = 'file:///explore/wide.dsync';
const wide = 'scenario wide { seed 1 run for 400ms }\nnodes n1..n1000\nevery 5ms n1 -> * "x"\ninvariant causal_delivery\n';
/** A correctness bound, not a benchmark: one run of the wide scenario takes longer. */
const HOVER_BOUND_MS = 1000;
const hoverOnC = { textDocument: { uri: SMALL }, position: { line: demo.split('\n').findIndex((l) => l.startsWith('clock C')), character: 6 } };

describe('language server: exploration in a worker', () => {
  const lsp = new ServerProcess({ seed: null, simulation: { maxEvents: 200_000, maxMilliseconds: 2_000, maxTraceMegabytes: 256 } });
  before(async () => {
    await lsp.initialize();
    lsp.open(SMALL, demo);
    lsp.open(WIDE, wide);
    await lsp.settle(SMALL, 1);
    await lsp.settle(WIDE, 1);
  });
  after(() => lsp.dispose());

  test(`hovers on another document are answered within ${HOVER_BOUND_MS} ms while 1,000-node runs are explored`, async () => {
    let finished = false;
    const exploring = (lsp.request(ExploreRequest.method, { uri: WIDE, runs: 2 }, 120_000) as Promise<ExploreResult>).finally(() => (finished = true));
    const waits: number[] = [];
    while (!finished) {
      const start = performance.now();
      const hover = await lsp.request<Hover | null>('textDocument/hover', hoverOnC);
      waits.push(performance.now() - start);
      assert.match((hover?.contents as { value: string }).value, /\*\*node C\*\*/);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const result = await exploring;
    assert.ok(result.ok && result.runs === 2 && !result.cancelled, JSON.stringify(result));
    assert.ok(waits.length >= 3, `only ${waits.length} hovers during the exploration`);
    assert.ok(Math.max(...waits) < HOVER_BOUND_MS, `hover waits: ${waits.map((w) => w.toFixed(0)).join(', ')} ms`);
  });

  test('cancelling ends the exploration within a second, even in the middle of a long run', async () => {
    const source = new CancellationTokenSource();
    const exploring = lsp.request(ExploreRequest.method, { uri: WIDE, runs: 1000 }, 60_000, source.token) as Promise<ExploreResult>;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelledAt = performance.now();
    source.cancel();
    const result = await exploring.then((r) => r, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    assert.ok(performance.now() - cancelledAt < 1500, `answered ${(performance.now() - cancelledAt).toFixed(0)} ms after the cancellation`);
    if (result instanceof Error) assert.match(result.message, /cancel/i);
    else assert.ok(result.ok && result.cancelled && result.runs < 1000, JSON.stringify(result));
    assert.equal(lsp.exitCode, undefined, 'the server is still running');
  });
});
