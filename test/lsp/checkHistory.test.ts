import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import { CheckHistoryRequest, type CheckHistoryResult } from '../../server/src/shared/requests';
import { ServerProcess } from './serverProcess';

/**
 * dsync/checkHistory, the request behind "DSync: Check History…": the
 * bundled server checks the history in a worker thread, answers bad input
 * with its place, keeps answering other requests during a long search, and
 * stops at once when cancelled.
 */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const STALE = fs.readFileSync(path.join(root, 'test/fixtures/histories/view-stale-read.edn'), 'utf8');
const demo = fs.readFileSync(path.join(root, 'samples', 'causal_demo.dsync'), 'utf8');
const DEMO_URI = 'file:///hist/causal_demo.dsync';

/**
 * 22 writes of 0..21, all concurrent with three reads one after another
 * that return 1, 2, then 1 again: the second 1 needs a second write of 1,
 * which does not exist. No shortcut sees it (the one write of 1 could come
 * after the read of 2, as far as real time goes), so the search must try
 * the subsets of the other writes (hundreds of millions of steps). A read
 * of a value nobody writes no longer makes a hard history: the lookahead
 * (linearizability/lookahead.ts) rules it out at once.
 */
function hardHistory(writes: number): string {
  const lines: string[] = [];
  for (let i = 0; i < writes; i++) lines.push(`{:process ${i}, :type :invoke, :f :write, :value ${i}}`);
  for (const v of [1, 2, 1]) lines.push('{:process 99, :type :invoke, :f :read, :value nil}', `{:process 99, :type :ok, :f :read, :value ${v}}`);
  for (let i = 0; i < writes; i++) lines.push(`{:process ${i}, :type :ok, :f :write, :value ${i}}`);
  return lines.join('\n');
}

/** Correctness bounds with wide margins, not benchmarks. */
const SYMBOLS_BOUND_MS = 1000;
const CANCEL_BOUND_MS = 1500;

describe('language server: dsync/checkHistory', () => {
  const lsp = new ServerProcess({ seed: null, simulation: { maxEvents: 200_000, maxMilliseconds: 2_000, maxTraceMegabytes: 256 } });
  before(async () => {
    await lsp.initialize();
    lsp.open(DEMO_URI, demo);
    await lsp.settle(DEMO_URI, 1);
  });
  after(() => lsp.dispose());

  const check = (params: object, token?: CancellationTokenSource['token']): Promise<CheckHistoryResult> =>
    lsp.request(CheckHistoryRequest.method, { uri: 'file:///hist/h.edn', file: 'h.edn', ...params }, 60_000, token) as Promise<CheckHistoryResult>;

  test('a bad history: the verdict and the marked operations by line', async () => {
    const r = await check({ text: STALE, model: 'register' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.view.verdict, 'not linearizable');
    assert.equal(r.view.file, 'h.edn');
    const x = r.view.partitions[0]!;
    assert.deepEqual(x.failure!.involved.map((i) => x.ops[i]!.line), [5, 7, 8, 11]);
  });

  test('bad input is answered with its place; a bad model or format is refused', async () => {
    const bad = await check({ text: '{:process 0, :type :ok, :f :write, :value 1}\n', model: 'register' });
    assert.deepEqual(bad.ok ? bad : { ...bad, message: bad.message.slice(0, 12) }, { ok: false, message: 'a completion', line: 1, column: 1 });
    const cas = await check({ text: '{:process 0, :type :invoke, :f :cas, :value [1 2]}\n', model: 'register' });
    assert.ok(!cas.ok && cas.line === 1 && /use --model cas-register/.test(cas.message), JSON.stringify(cas));
    const model = await check({ text: STALE, model: 'queue' });
    assert.ok(!model.ok && model.line === 0 && /model is one of register/.test(model.message), JSON.stringify(model));
    const format = await check({ text: STALE, model: 'register', format: 'csv' });
    assert.ok(!format.ok && /format is one of/.test(format.message), JSON.stringify(format));
  });

  test(`other requests are answered within ${SYMBOLS_BOUND_MS} ms during a long search, and cancelling ends it`, async () => {
    const source = new CancellationTokenSource();
    let finished = false;
    const checking = check({ text: hardHistory(22), model: 'register', maxSteps: 500_000_000 }, source.token).finally(() => (finished = true));
    const waits: number[] = [];
    for (let i = 0; i < 4 && !finished; i++) {
      const start = performance.now();
      const symbols = await lsp.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: DEMO_URI } });
      waits.push(performance.now() - start);
      assert.ok(Array.isArray(symbols) && symbols.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(finished, false, 'the search was still running (make the history harder if this fails)');
    assert.ok(Math.max(...waits) < SYMBOLS_BOUND_MS, `waits: ${waits.map((w) => w.toFixed(0)).join(', ')} ms`);
    const cancelledAt = performance.now();
    source.cancel();
    const result = await checking.then((r) => r, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    assert.ok(performance.now() - cancelledAt < CANCEL_BOUND_MS, `answered ${(performance.now() - cancelledAt).toFixed(0)} ms after the cancellation`);
    if (result instanceof Error) assert.match(result.message, /cancel/i);
    else assert.deepEqual(result, { ok: false, message: 'cancelled', line: 0, column: 0 });
  });
});
