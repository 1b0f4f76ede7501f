import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, type CodeLens } from 'vscode-languageserver-protocol';
import { check } from '../../server/src/core/check/checker';
import { Simulation } from '../../server/src/core/sim/engine';
import { parse } from '../../server/src/core/syntax/parse';
import { ExploreProgressNotification, ExploreRequest, type ExploreProgressParams, type ExploreResult } from '../../server/src/shared/requests';
import { LspHarness } from './lspClient';

/** `dsync/explore` over JSON-RPC: progress, the shrunk counterexample, cancellation, and the code lens. */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const buggy = fs.readFileSync(path.join(root, 'samples', 'explore_raft_forget_vote.dsync'), 'utf8');
const BUGGY_URI = 'file:///work/explore_buggy.dsync';
const FIXED_URI = 'file:///work/explore_fixed.dsync';

describe('language server: exploration', () => {
  const lsp = new LspHarness();
  const progress: ExploreProgressParams[] = [];
  before(async () => {
    await lsp.initialize();
    lsp.client.onNotification(ExploreProgressNotification, (p) => void progress.push(p));
    lsp.open(BUGGY_URI, buggy);
    lsp.open(FIXED_URI, buggy.replace('; bugs forget_vote', ''));
  });
  after(() => lsp.dispose());

  test('the scenario header has an "Explore 1,000 schedules" code lens', async () => {
    await lsp.diagnostics(BUGGY_URI, 1);
    const lenses = (await lsp.client.sendRequest('textDocument/codeLens', { textDocument: { uri: BUGGY_URI } })) as CodeLens[];
    const explore = lenses.find((l) => l.command?.command === 'dsync.explore');
    assert.equal(explore?.command?.title, 'Explore 1,000 schedules');
    assert.deepEqual(explore?.command?.arguments, [BUGGY_URI]);
  });

  test('finds a failure, reports progress, and returns a shrunk scenario that fails the same invariant', async () => {
    const result = (await lsp.client.sendRequest(ExploreRequest, { uri: BUGGY_URI, runs: 100, shrinkAttempts: 20 })) as ExploreResult;
    assert.ok(result.ok);
    assert.ok(result.failure?.shrunk, JSON.stringify(result));
    // Base seed 1 (the scenario's): run i has seed 1 + i, and the count stops at the failing run.
    assert.equal(result.runs, result.failure.seed);
    assert.ok(progress.some((p) => p.uri === BUGGY_URI && p.phase === 'explore'));
    const model = check(parse(result.failure.shrunk), result.failure.shrunk).model;
    assert.ok(model, 'the shrunk scenario checks');
    assert.ok(new Simulation(model).run().violations.some((v) => v.invariant === result.failure!.invariant));
    // What shrinking took, for the client's message: 20 candidates at most, each one or more simulations.
    const counts = result.failure.shrinking;
    assert.ok(counts && counts.attempts <= 20 && counts.runs >= counts.attempts, JSON.stringify(counts));
    assert.equal(model.faults.length, counts.faultsAfter);
    assert.ok(counts.faultsAfter < counts.faultsBefore, JSON.stringify(counts));
  });

  test('cancelling stops an exploration early', async () => {
    const source = new CancellationTokenSource();
    const pending = lsp.client.sendRequest(ExploreRequest, { uri: FIXED_URI, runs: 1_000_000 }, source.token) as Promise<ExploreResult>;
    setTimeout(() => source.cancel(), 200);
    const result = await pending.then((r) => r, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    // Either the server's answer marked cancelled, or the client-side cancellation error.
    if (result instanceof Error) assert.match(result.message, /cancel/i);
    else assert.ok(result.ok && result.cancelled && result.runs < 1_000_000, JSON.stringify(result));
  });
});
