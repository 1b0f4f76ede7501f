import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { MAX_FILE_BYTES } from '../../server/src/core/syntax/parse';
import { SettlingLsp } from '../fuzz/lspDriver';

/**
 * Every budget of an editor simulation ends in a clear DS203 warning naming
 * the figure and the setting to raise, never in a frozen server: events
 * (dsync.simulation.maxEvents and the scenario's max_events), trace memory
 * (dsync.simulation.maxTraceMegabytes), computing time
 * (dsync.simulation.maxMilliseconds); and files over the size cap get DS172.
 */

/**
 * A and B answer each other forever. Event count, hand-computed: the `at`
 * message is one send event; each delivery is a receive plus the reply's
 * send, two events. The budget is checked between deliveries, so a run
 * with budget N stops at the first odd count ≥ N.
 */
function pingPong(header = 'seed 1 run for 10000s', extraNodes = ''): string {
  return [
    `scenario ping_pong { ${header} }`,
    `nodes A, B${extraNodes}`,
    'network { latency 1ms }',
    'at 1ms A -> B "ping"',
    'on B receive "ping" { reply "pong" }',
    'on A receive "pong" { reply "ping" }',
    '',
  ].join('\n');
}

async function withSettings(simulation: Record<string, number>, work: (lsp: SettlingLsp) => Promise<void>): Promise<void> {
  const lsp = new SettlingLsp({ seed: null, simulation: { maxEvents: 200_000, maxMilliseconds: 60_000, maxTraceMegabytes: 256, ...simulation } });
  await lsp.initialize();
  try {
    await work(lsp);
    assert.deepEqual(lsp.errors, []);
  } finally {
    lsp.dispose();
  }
}

function budgetWarning(diagnostics: { code?: string | number; message: string; severity?: number }[]): string {
  const found = diagnostics.filter((d) => d.code === 'DS203');
  assert.equal(found.length, 1, JSON.stringify(diagnostics));
  assert.equal(found[0]!.severity, 2, 'DS203 is a warning');
  return found[0]!.message;
}

describe('editor simulation budgets', () => {
  const open: SettlingLsp[] = [];
  after(() => open.forEach((l) => l.dispose()));

  test('an endless ping-pong stops at dsync.simulation.maxEvents with the figure and the setting', async () => {
    await withSettings({ maxEvents: 1000 }, async (lsp) => {
      lsp.open('file:///b/events.dsync', pingPong());
      const message = budgetWarning(await lsp.settle('file:///b/events.dsync', 1));
      // 1 + 2k ≥ 1000 first at k = 500: 1,001 events; the 500th delivery is at 1ms + 500·1ms.
      assert.match(message, /^simulation stopped after 1,001 events, at t=501ms of 10000s; raise dsync\.simulation\.maxEvents$/);
    });
  });

  test("the scenario's own max_events is named when it is the smaller budget", async () => {
    await withSettings({ maxEvents: 100_000 }, async (lsp) => {
      lsp.open('file:///b/scenario.dsync', pingPong('seed 1 run for 10000s max_events 300'));
      const message = budgetWarning(await lsp.settle('file:///b/scenario.dsync', 1));
      assert.match(message, /stopped after 301 events.*the scenario's max_events is 300; raise max_events$/);
    });
  });

  test('the trace memory budget bounds the events by the node count and names dsync.simulation.maxTraceMegabytes', async () => {
    // 100 nodes: the event budget is 1 MiB / (24 + 100) = 8,456 events (traceMemory.ts). The trace's own
    // count (traceStore.ts) stays below 1 MiB that long: after k deliveries it holds 1 + 2k events of a
    // header word and a record of a dozen bytes or less, 1 + k messages of 8 bytes and 1 + k vector clocks
    // of 100 one- or two-byte entries (every receive changes the peer's entry), about 130 bytes a delivery.
    // So the event budget stops the run, at its first step past it: 8,457 events, the 4,228th delivery at
    // 1ms + 4,228·1ms.
    const others = Array.from({ length: 98 }, (_, i) => `, n${i + 1}`).join('');
    await withSettings({ maxTraceMegabytes: 1 }, async (lsp) => {
      lsp.open('file:///b/memory.dsync', pingPong('seed 1 run for 10000s', others));
      const message = budgetWarning(await lsp.settle('file:///b/memory.dsync', 1));
      assert.match(message, /^simulation stopped after 8,457 events, at t=4\.229s of 10000s: the trace reached its memory budget of 1 MB \(about 0\.1 KB per event with 100 nodes\); raise dsync\.simulation\.maxTraceMegabytes$/);
    });
  });

  test('dsync.simulation.maxMilliseconds stops a long run with the time in the message, and the server keeps answering meanwhile', async () => {
    await withSettings({ maxEvents: 100_000_000, maxMilliseconds: 300 }, async (lsp) => {
      const uri = 'file:///b/time.dsync';
      lsp.open(uri, pingPong('seed 1 run for 1000000s'));
      // Answered while the simulation computes (it yields between slices), before it settles.
      const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.ok(symbols.some((s) => s.name.includes('ping_pong')), JSON.stringify(symbols.map((s) => s.name)));
      assert.equal(lsp.isSettled(uri, 1), false, 'symbols must be answered before the run ends');
      const message = budgetWarning(await lsp.settle(uri, 1));
      assert.match(message, /^simulation stopped after 300ms of computing, at t=[\d.]+m?s of 1000000s; raise dsync\.simulation\.maxMilliseconds or shorten the run$/);
    });
  });

  test('changing the settings re-analyses open documents with the new budget', async () => {
    await withSettings({ maxEvents: 1000 }, async (lsp) => {
      const uri = 'file:///b/settings.dsync';
      lsp.open(uri, pingPong());
      assert.match(budgetWarning(await lsp.settle(uri, 1)), /after 1,001 events/);
      lsp.changeSettings({ seed: null, simulation: { maxEvents: 2000, maxMilliseconds: 60_000, maxTraceMegabytes: 256 } });
      // 1 + 2k ≥ 2000 first at k = 1000.
      assert.match(budgetWarning(await lsp.settle(uri, 1)), /after 2,001 events, at t=1\.001s/);
    });
  });

  test('a file over the size cap gets DS172 in the editor too, and the server keeps serving', async () => {
    await withSettings({}, async (lsp) => {
      const uri = 'file:///b/huge.dsync';
      const huge = `scenario huge { seed 1 run for 1s }\nnodes A, B\n// ${'x'.repeat(MAX_FILE_BYTES)}\n`;
      lsp.open(uri, huge);
      const diagnostics = await lsp.settle(uri, 1);
      assert.deepEqual(diagnostics.map((d) => d.code), ['DS172']);
      assert.match(diagnostics[0]!.message, /the limit is 8,388,608 \(8 MiB\)/);
      lsp.open('file:///b/small.dsync', pingPong('seed 1 run for 10ms'));
      assert.deepEqual(await lsp.settle('file:///b/small.dsync', 1), []);
    });
  });
});
