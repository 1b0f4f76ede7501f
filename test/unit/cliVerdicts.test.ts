import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runFailure, SeedRunner, modelFor, SIMULATION_FAILED } from '../../server/src/core/explore/runner';
import { shrink } from '../../server/src/core/explore/shrink';
import { Simulation } from '../../server/src/core/sim/engine';
import { summarize, verdict, verdictHeadline } from '../../server/src/core/sim/result';
import type { Model } from '../../server/src/core/model';
import { repoPath } from './support/scenario';

/**
 * Verdicts are never wrong or misleading: a failed expectation and a run-time
 * error are failures in exploration too (and shrinking keeps them), and an
 * expectation the run did not reach is "not decided" (exit 3), never a pass.
 */
const ROOT = repoPath();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-verdicts-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function dsync(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function file(name: string, text: string): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, text);
  return p;
}

/** One message; B receives 1, so the end-of-run expectation fails; the timed one at 500ms holds. */
const EXPECTS = [
  'scenario e { seed 1  run for 1s }',
  'nodes A, B, C',
  'at 10ms A -> B "x"',
  'at 20ms C -> A "y"',
  'expect B.received == 5',
  'expect A.sent == 1 at 500ms',
  '',
].join('\n');

describe('exploration counts failed expectations and run-time errors', () => {
  test('dsync explore: a failed expect is a failure (exit 1), shrunk to a scenario that still fails it', () => {
    const f = file('expects.dsync', EXPECTS);
    assert.equal(dsync('run', f, '--seed', '1', '-q').status, 1);
    const out = path.join(scratch, 'expects-shrunk.dsync');
    const r = dsync('explore', f, '--runs', '5', '--workers', '1', '--out', out, '-q');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^✗ B\.received == 5 fails with seed 1: expected B\.received == 5, but 1 vs 5 at t=1s$/m);
    // The shrunk scenario keeps the failing expectation (and drops what does not matter) and fails it when run.
    const shrunk = fs.readFileSync(out, 'utf8');
    assert.match(shrunk, /^expect B\.received == 5$/m);
    assert.doesNotMatch(shrunk, /C -> A/);
    const replay = dsync('run', out, '-q');
    assert.equal(replay.status, 1);
    assert.match(replay.stdout, /DS202 expected B\.received == 5/);
  });

  test('dsync explore --json: the failure names its code and the expectation', () => {
    const r = dsync('explore', file('expects2.dsync', EXPECTS), '--runs', '3', '--workers', '1', '--json', '--no-shrink');
    assert.equal(r.status, 1);
    const doc = JSON.parse(r.stdout) as { failure: { code: string; invariant: string; seed: number } };
    assert.deepEqual([doc.failure.code, doc.failure.invariant, doc.failure.seed], ['DS202', 'B.received == 5', 1]);
  });

  test('a simulation that throws is a DS204 failure of the run, not a crash of the explorer', () => {
    const text = 'scenario t { seed 1  run for 1s }\nnodes n1..n3 run raft\ninvariant election_safety\n';
    const model = modelFor(text);
    assert.ok(typeof model !== 'string', String(model));
    const instance = model.protocols[0]!;
    const broken: Model = {
      ...model,
      protocols: [{ ...instance, definition: { ...instance.definition, createNode: () => { throw new Error('boom'); } } }],
    };
    const record = new SeedRunner(broken, 7).run(0);
    assert.deepEqual([record.failure?.code, record.failure?.invariant, record.seed], ['DS204', SIMULATION_FAILED, 7]);
    assert.match(record.failure!.message, /^the simulation failed at t=0ns: boom$/);
    // Shrinking asks for the same failure by name.
    const start = (): Simulation => new Simulation(broken, { seed: 7, record: false });
    assert.equal(runFailure(start, (n) => n === SIMULATION_FAILED).failure?.code, 'DS204');
    assert.equal(runFailure(start, (n) => n === 'election_safety').failure, undefined);
  });

  test('shrinking a failed expectation keeps that expectation', () => {
    const result = shrink(EXPECTS, 1, 'B.received == 5');
    assert.equal(result.violation.code, 'DS202');
    assert.match(result.text, /^expect B\.received == 5$/m);
  });
});

describe('an expectation the run did not reach is not decided, never a pass', () => {
  test('run --until: end-of-run and later expectations show ?, "not decided", exit 3', () => {
    const r = dsync('run', file('until.dsync', EXPECTS), '--until', '100ms', '-q');
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n').slice(1), [
      "note: stopped at t=100ms (--until), before the scenario's end at 1s",
      '? B.received == 5 (not evaluated: the run stopped at t=100ms, before its end)',
      '? A.sent == 1 at 500ms (not evaluated: the run stopped at t=100ms, before t=500ms)',
      'not decided: 2 expectations were not evaluated; nothing failed up to t=100ms',
    ]);
    assert.doesNotMatch(r.stdout, /hold|DS202/);
  });

  test('run --until past a timed expectation evaluates it; the end-of-run one stays undecided', () => {
    const r = dsync('run', file('until2.dsync', EXPECTS.replace('== 1 at 500ms', '== 2 at 500ms')), '--until', '600ms', '-q');
    // The timed expectation failed: a violation wins over an undecided one.
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^\? B\.received == 5 \(not evaluated/m);
    assert.match(r.stdout, /DS202 expected A\.sent == 2 at 500ms, but 1 vs 2 at t=500ms$/m);
  });

  test('run --until with --json: stopReason "until", passed null, exit 3', () => {
    const r = dsync('run', file('until3.dsync', EXPECTS), '--until', '100ms', '--json');
    assert.equal(r.status, 3);
    const doc = JSON.parse(r.stdout) as { stopReason: string; endTime: number; violations: unknown[]; expectations: { passed: boolean | null }[] };
    assert.deepEqual([doc.stopReason, doc.endTime, doc.violations, doc.expectations.map((e) => e.passed)], ['until', 100_000_000, [], [null, null]]);
  });

  test('--max-events 3: the warning names the flag, and the run is not decided (exit 3)', () => {
    const r = dsync('run', file('budget.dsync', EXPECTS), '--max-events', '1', '-q');
    assert.equal(r.status, 3);
    assert.match(r.stdout, /^warning: DS203 stopped after 1 events at t=10ms, the event budget set by --max-events 1; raise --max-events$/m);
    assert.match(r.stdout, /^not decided: 2 expectations were not evaluated/m);
    assert.doesNotMatch(r.stdout, /hold/);
  });

  test("the scenario's max_events: the warning names the header", () => {
    const r = dsync('run', file('budget2.dsync', EXPECTS.replace('run for 1s', 'run for 1s  max_events 1')), '-q');
    assert.equal(r.status, 3);
    assert.match(r.stdout, /set by 'max_events 1' in the scenario header; raise it/);
  });

  test('a run to the end with every check holding still exits 0', () => {
    const r = dsync('run', file('ok.dsync', EXPECTS.replace('== 5', '== 1')), '-q');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^all invariants and expectations hold$/m);
  });

  test('the core verdict and its headline', () => {
    const model = modelFor(EXPECTS);
    assert.ok(typeof model !== 'string');
    const at = (until?: number) => verdict(summarize(new Simulation(model, until === undefined ? {} : { until }).run()));
    assert.deepEqual([at(100e6).kind, verdictHeadline(at(100e6))], ['undecided', '2 checks not evaluated']);
    assert.deepEqual([at().kind, verdictHeadline(at())], ['failed', '1 violation']);
    const fixed = modelFor(EXPECTS.replace('== 5', '== 1'));
    assert.ok(typeof fixed !== 'string');
    assert.equal(verdictHeadline(verdict(summarize(new Simulation(fixed).run()))), '2 checks hold');
  });
});
