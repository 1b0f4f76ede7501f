import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { EXPLORE_RUNS, ExploreRequest, type ExploreResult } from '../../server/src/shared/requests';
import { LspHarness } from './lspClient';

/** The code lens over a written `protocol` declaration, over JSON-RPC. */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const sample = fs.readFileSync(path.join(root, 'samples', 'protocols', 'leader_election.dsync'), 'utf8');
/** The sample, short and small: a thousand schedules of it take a few seconds. */
const small = sample.replace('run for 3s', 'run for 400ms').replace('nodes n1..n5', 'nodes n1..n3').replace('clock n2 { drift +200ppm }', '');
const USED_URI = 'file:///work/lens_used.dsync';
const UNUSED_URI = 'file:///work/lens_unused.dsync';
/** The same protocol declared, but the nodes run a built-in protocol. */
const unused = small.replace('nodes n1..n3 run leader_election { timeout 150ms..300ms }', 'nodes n1..n3 run raft').replace(/^invariant one_leader.*$/m, '').replace('expect n1.term >= 1', '');

const protocolLine = (text: string): number => text.split('\n').findIndex((l) => l.startsWith('protocol '));
const lensesOn = async (lsp: LspHarness, uri: string, line: number): Promise<CodeLens[]> =>
  ((await lsp.client.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[]).filter((l) => l.range.start.line === line);

describe('language server: the code lens over a written protocol', () => {
  const lsp = new LspHarness();
  before(async () => {
    await lsp.initialize();
    lsp.open(USED_URI, small);
    lsp.open(UNUSED_URI, unused);
  });
  after(() => lsp.dispose());

  test('a protocol the scenario runs: "Explore 1,000 schedules", which explores that scenario 1,000 times', async () => {
    await lsp.diagnostics(USED_URI, 1);
    const lenses = await lensesOn(lsp, USED_URI, protocolLine(small));
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    const command = lenses[0]!.command!;
    assert.equal(command.title, 'Explore 1,000 schedules');
    assert.equal(command.command, 'dsync.explore');
    assert.deepEqual(command.arguments, [USED_URI, EXPLORE_RUNS]);
    assert.equal(EXPLORE_RUNS, 1000);
    // What the client's dsync.explore sends for these arguments.
    const result = (await lsp.client.sendRequest(ExploreRequest, { uri: command.arguments![0] as string, runs: command.arguments![1] as number })) as ExploreResult;
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.failure, undefined, JSON.stringify(result.failure));
    assert.equal(result.runs, 1000);
    assert.ok(result.events > 1000, JSON.stringify(result));
  });

  test('a protocol no node runs: the lens says so and explores nothing', async () => {
    const diags = await lsp.diagnostics(UNUSED_URI, 1);
    assert.ok(!diags.diagnostics.some((d) => d.severity === 1), JSON.stringify(diags.diagnostics));
    const lenses = await lensesOn(lsp, UNUSED_URI, protocolLine(unused));
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    assert.equal(lenses[0]!.command!.command, '');
    assert.match(lenses[0]!.command!.title, /^Not used: no nodes run leader_election in this file/);
    // The scenario header keeps its own explore lens.
    const all = (await lsp.client.sendRequest('textDocument/codeLens', { textDocument: { uri: UNUSED_URI } })) as CodeLens[];
    assert.equal(all.filter((l) => l.command?.command === 'dsync.explore').length, 1);
  });

  test('no protocol lens while the file has errors', async () => {
    const uri = 'file:///work/lens_errors.dsync';
    lsp.open(uri, small.replace('term = term + 1', 'term = term + "x"'));
    const diags = await lsp.diagnostics(uri, 1);
    assert.ok(diags.diagnostics.some((d) => d.severity === 1));
    assert.deepEqual(await lensesOn(lsp, uri, protocolLine(small)), []);
  });
});
