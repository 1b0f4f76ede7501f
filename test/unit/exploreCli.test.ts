import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { explore, type ExploreRequest } from '../../server/src/shared/exploreDriver';
import { repoPath } from './support/scenario';

/**
 * Exploration as the CLI and the language server run it: the driver in this
 * thread and in worker_threads (dist/exploreWorker.js, built before the
 * tests), and `dsync explore` end to end with its replay.
 */
const ROOT = repoPath();
const SAMPLE = path.join('samples', 'explore_raft_forget_vote.dsync');
const TEXT = fs.readFileSync(repoPath(SAMPLE), 'utf8');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-explore-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function dsync(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const request = (workers: number, baseSeed: number): ExploreRequest => ({ text: TEXT, baseSeed, runs: 60, workers, workerScript: repoPath('dist', 'exploreWorker.js') });

describe('exploration driver', () => {
  test('the same base seed gives the same report, with one worker or two', async () => {
    const one = await explore(request(1, 1));
    const two = await explore(request(2, 1));
    assert.ok(one.summary.failure, 'the buggy sample fails within 60 seeds');
    assert.deepEqual(two.summary, one.summary);
    const twoAgain = await explore(request(2, 1));
    assert.deepEqual(twoAgain.summary, two.summary);
  });

  test('runs dealt to three workers and this thread add up to the same summary as one thread alone', async () => {
    // No failure: every index of the budget runs somewhere, and each exactly once.
    const fixed = { ...request(1, 7), text: TEXT.replace('; bugs forget_vote', ''), runs: 150 };
    const one = await explore(fixed);
    const three = await explore({ ...fixed, workers: 3 });
    assert.equal(one.summary.runs, 150);
    assert.equal(one.summary.failure, undefined);
    assert.deepEqual(three.summary, one.summary);
  });

  test('a time budget stops the workers and reports the runs that finished', async () => {
    const fixed = { ...request(2, 1), text: TEXT.replace('; bugs forget_vote', ''), runs: Infinity, timeMs: 400 };
    const outcome = await explore(fixed);
    assert.ok(outcome.summary.runs > 0);
    assert.ok(outcome.elapsedMs >= 400 && outcome.elapsedMs < 5000, `${outcome.elapsedMs}ms`);
  });

  test('another base seed explores other seeds', async () => {
    const a = await explore({ ...request(1, 1), runs: 5 });
    const b = await explore({ ...request(1, 1000), runs: 5 });
    assert.equal(a.summary.runs, a.summary.failure ? a.summary.failure.index + 1 : 5);
    assert.notEqual(a.summary.events, b.summary.events);
  });

  test('a cancelled exploration stops early and says so', async () => {
    const outcome = await explore({ ...request(1, 1), text: TEXT.replace('; bugs forget_vote', ''), runs: 100_000, isCancelled: () => true });
    assert.equal(outcome.cancelled, true);
    assert.ok(outcome.summary.runs < 100_000);
  });
});

describe('dsync explore', () => {
  test('--json reports the failing seed, which `dsync run --seed` replays, and a shrunk scenario that fails the same way', () => {
    const out = path.join(scratch, 'shrunk.dsync');
    const r = dsync('explore', SAMPLE, '--runs', '60', '--workers', '1', '--json', '--shrink-attempts', '20', '--out', out);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as {
      runs: number;
      coverage: { distinctStates: number; counters: Record<string, number> };
      failure: { seed: number; invariant: string; message: string; replay: string; trace: unknown; shrunk: { text: string; attempts: number; runs: number; seed: number; faults: { before: number; after: number }; trace: unknown } };
    };
    assert.ok(report.coverage.distinctStates > 0);
    assert.equal(report.failure.replay, `dsync run ${SAMPLE} --seed ${report.failure.seed}`);
    const replay = dsync('run', SAMPLE, '--seed', String(report.failure.seed), '--json');
    assert.equal(replay.status, 1);
    const trace = JSON.parse(replay.stdout) as { violations: { invariant: string; message: string }[] };
    assert.equal(trace.violations[0]?.invariant, report.failure.invariant);
    assert.equal(trace.violations[0]?.message, report.failure.message);
    // Byte for byte: the same seed gives the same trace again, and it is the trace the report carries.
    assert.equal(dsync('run', SAMPLE, '--seed', String(report.failure.seed), '--json').stdout, replay.stdout);
    assert.deepEqual(report.failure.trace, JSON.parse(replay.stdout));
    assert.equal(fs.readFileSync(out, 'utf8'), report.failure.shrunk.text);
    const { attempts, runs, seed, faults } = report.failure.shrunk;
    assert.ok(attempts <= 20 && runs >= attempts && faults.after <= faults.before, JSON.stringify(report.failure.shrunk));
    assert.match(report.failure.shrunk.text, new RegExp(`\\bseed ${seed}\\b`), 'the header has the seed it reports');
    const shrunk = dsync('run', out, '--json');
    assert.equal(shrunk.status, 1);
    assert.deepEqual(report.failure.shrunk.trace, JSON.parse(shrunk.stdout));
    assert.ok((JSON.parse(shrunk.stdout) as typeof trace).violations.some((v) => v.invariant === report.failure.invariant));
  });

  test('the text report shows the failing run: its trace up to the violation and the verdicts with their causes', () => {
    const plainRun = dsync('explore', SAMPLE, '--runs', '60', '--workers', '1', '--no-shrink');
    assert.equal(plainRun.status, 1, plainRun.stderr);
    const seed = /fails with seed (\d+)/.exec(plainRun.stdout)?.[1];
    assert.ok(seed, plainRun.stdout.slice(0, 400));
    assert.match(plainRun.stdout, new RegExp(`trace of seed ${seed}:`));
    assert.match(plainRun.stdout, /◀ violation/);
    assert.match(plainRun.stdout, new RegExp(`seed ${seed}, ran to t=1s`));
    assert.match(plainRun.stdout, /samples\/explore_raft_forget_vote\.dsync:\d+:1: DS201 two leaders in term \d+/);
    assert.match(plainRun.stdout, /caused by .*bugs forget_vote/);
    const shrunk = dsync('explore', SAMPLE, '--runs', '60', '--workers', '1', '--quiet', '--shrink-attempts', '20');
    assert.doesNotMatch(shrunk.stdout, /trace of/, '--quiet leaves the trace out');
    assert.match(shrunk.stdout, /shrunk\.dsync:\d+:1: DS201 two leaders in term \d+/);
  });

  test('a scenario that holds explores the whole budget and exits 0', () => {
    const fixed = path.join(scratch, 'fixed.dsync');
    fs.writeFileSync(fixed, TEXT.replace('; bugs forget_vote', ''));
    const r = dsync('explore', fixed, '--runs', '20', '--workers', '2', '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { runs: number; failure: unknown };
    assert.equal(report.runs, 20);
    assert.equal(report.failure, null);
  });

  test('usage errors exit 2', () => {
    assert.equal(dsync('explore', SAMPLE, '--runs', '0').status, 2);
    assert.equal(dsync('explore', SAMPLE, '--time', 'soon').status, 2);
  });
});
