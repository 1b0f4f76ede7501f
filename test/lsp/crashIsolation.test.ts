import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import type { InvariantDefinition } from '../../server/src/core/invariants/invariant';
import { INVARIANTS } from '../../server/src/core/invariants/registry';
import { SettlingLsp } from '../fuzz/lspDriver';

/**
 * One document's analysis crashing must not take the others down. The crash
 * is real: an invariant registered through the public registry (in this test
 * process only; the server runs in-process) whose monitor throws, as a buggy
 * invariant would. The crashing document gets DS204; another open document
 * keeps its exact diagnostics and hovers, before and after.
 */
const exploding: InvariantDefinition = {
  name: 'test_explodes',
  summary: 'test only: throws on the third event',
  example: 'invariant test_explodes',
  form: {},
  create: () => {
    let seen = 0;
    return {
      onEvent: () => {
        if (++seen === 3) throw new Error('test_explodes: monitor failed on purpose');
        return undefined;
      },
    };
  },
};
const explodingAtCreate: InvariantDefinition = { ...exploding, name: 'test_explodes_at_start', create: () => { throw new RangeError('cannot start'); } };

const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const demo = fs.readFileSync(path.join(root, 'samples', 'causal_demo.dsync'), 'utf8');
const GOOD = 'file:///crash/causal_demo.dsync';
const BAD = 'file:///crash/bad.dsync';
const badText = (invariant: string): string => `scenario bad { seed 1 run for 1s }\nnodes A, B\nat 1ms A -> B "x"\nat 2ms B -> A "y"\ninvariant ${invariant}\n`;

describe('crash isolation in the language server', () => {
  const registry = INVARIANTS as InvariantDefinition[];
  const lsp = new SettlingLsp({ seed: null, simulation: { maxEvents: 200_000, maxMilliseconds: 60_000, maxTraceMegabytes: 256 } });
  before(async () => {
    registry.push(exploding, explodingAtCreate);
    await lsp.initialize();
  });
  after(() => {
    registry.splice(registry.indexOf(exploding), 2);
    lsp.dispose();
  });

  async function goodStillServed(version: number): Promise<void> {
    const diagnostics = await lsp.settle(GOOD, version);
    // causal_demo's own result: max_skew is violated at 1.7s and nothing else (see server.test.ts).
    assert.deepEqual(diagnostics.map((d) => d.code), ['DS201']);
    const line = demo.split('\n').findIndex((l) => l.startsWith('clock C'));
    const hover = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri: GOOD }, position: { line, character: 6 } });
    assert.match((hover?.contents as { value: string }).value, /\*\*node C\*\*/);
  }

  test('a monitor throwing mid-run gives DS204 on its document only', async () => {
    lsp.open(GOOD, demo);
    await goodStillServed(1);
    lsp.open(BAD, badText('test_explodes'));
    const bad = await lsp.settle(BAD, 1);
    assert.deepEqual(bad.map((d) => d.code), ['DS204']);
    assert.match(bad[0]!.message, /^DSync failed while analysing this file: test_explodes: monitor failed on purpose\. Other files are unaffected/);
    // The crashed document still answers requests (with what the static stages know).
    const symbols = await lsp.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: BAD } });
    assert.ok(symbols.length > 0);
    await lsp.request('textDocument/hover', { textDocument: { uri: BAD }, position: { line: 4, character: 12 } });
    // Editing the good document afterwards is analysed as before.
    void lsp.harness.client.sendNotification('textDocument/didChange', { textDocument: { uri: GOOD, version: 2 }, contentChanges: [{ text: `${demo}\n` }] });
    await goodStillServed(2);
  });

  test('a monitor throwing when the run starts gives DS204 too, and fixing the file clears it', async () => {
    lsp.open('file:///crash/start.dsync', badText('test_explodes_at_start'));
    const bad = await lsp.settle('file:///crash/start.dsync', 1);
    assert.deepEqual(bad.map((d) => [d.code, d.message.includes('cannot start')]), [['DS204', true]]);
    void lsp.harness.client.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///crash/start.dsync', version: 2 }, contentChanges: [{ text: badText('causal_delivery') }] });
    assert.deepEqual(await lsp.settle('file:///crash/start.dsync', 2), []);
    await goodStillServed(2);
  });
});
