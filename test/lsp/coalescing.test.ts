import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { StatusNotification, type StatusParams } from '../../server/src/shared/requests';
import { ANALYSIS_WORKER, EXPLORE_WORKER, LspHarness } from './lspClient';

/**
 * A burst of versions is analysed once, at its newest version: the server
 * debounces changes and drops the versions a newer one replaced, instead of
 * parsing, checking and publishing each of them in turn.
 */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const demo = fs.readFileSync(path.join(root, 'samples', 'causal_demo.dsync'), 'utf8');
const broken = demo.replace('C local "commit"', 'C lokal "commit"');

describe('language server: coalescing versions', () => {
  const lsp = new LspHarness();
  // The server takes one message per turn of its event loop: under load, a burst's 40 turns can outlast the
  // real pause (DEBOUNCE_MS), and an older version would be analysed. This server's pauses end when the test
  // says, once the whole burst has arrived: what is tested is that each version replaces the one waiting.
  const heldPauses: { done: () => void; cancelled: boolean }[] = [];
  const held = new LspHarness(undefined, {
    analysisWorker: ANALYSIS_WORKER,
    exploreWorker: EXPLORE_WORKER,
    pauseTimer: (done) => {
      const pause = { done, cancelled: false };
      heldPauses.push(pause);
      return { cancel: () => void (pause.cancelled = true) };
    },
  });
  const statuses: StatusParams[] = [];
  before(async () => {
    await lsp.initialize();
    await held.initialize();
    for (const server of [lsp, held]) server.client.onNotification(StatusNotification, (p) => void statuses.push(p));
  });
  after(() => {
    lsp.dispose();
    held.dispose();
  });

  test('40 versions sent at once: only the newest is analysed and published', async () => {
    assert.notEqual(broken, demo);
    const uri = 'file:///coalesce/burst.dsync';
    heldPauses.length = 0;
    held.open(uri, demo, 1);
    // Every other version is broken: each would publish its DS102 at once if analysed.
    for (let v = 2; v <= 40; v++) held.change(uri, v, v % 2 === 0 ? broken : demo);
    // Messages are handled in order: once this is answered, all 40 versions have arrived.
    await held.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: 'file:///coalesce/not-open.dsync' } });
    assert.deepEqual(held.allPublished().filter((p) => p.uri === uri), [], 'nothing analysed before the pause ends');
    // Each version cancelled the pause of the one before it: one is left.
    const waiting = heldPauses.filter((p) => !p.cancelled);
    assert.equal(waiting.length, 1);
    waiting[0]!.done();
    const last = await held.diagnostics(uri, 40);
    assert.deepEqual(last.diagnostics.map((d) => d.code), ['DS102']);
    const published = new Set(held.allPublished().filter((p) => p.uri === uri).map((p) => p.version));
    assert.deepEqual([...published], [40]);
    // The status follows the diagnostics: a round trip makes sure it has arrived.
    await held.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual([...new Set(statuses.filter((s) => s.uri === uri).map((s) => s.version))], [40]);
  });

  test('a request during the pause is answered from the newest version, which is then published as is', async () => {
    const uri = 'file:///coalesce/request.dsync';
    lsp.open(uri, broken, 1);
    lsp.change(uri, 2, demo);
    const symbols = (await lsp.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string }[];
    assert.ok(symbols.some((s) => s.name === 'causal_demo'), JSON.stringify(symbols));
    const final = await lsp.diagnostics(uri, 2, (p) => p.diagnostics.some((d) => d.code === 'DS201'));
    assert.deepEqual(final.diagnostics.map((d) => d.code), ['DS201']);
    assert.ok(!lsp.allPublished().some((p) => p.uri === uri && p.version === 1));
  });
});
