import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoPath, runText } from './support/scenario';

/**
 * Invariants that can only judge the whole run (no_message_lost without a
 * deadline passed, converges, linearizable, a written eventually, and the
 * coordination ones: no_lost_increments, no_lost_updates, snapshot_conserves,
 * replicas_converge, no_blocking) are "not
 * decided" (DS206, `?`, exit 3) on a run that stopped early (`--until` before
 * the scenario's end, an event budget), never judged on the prefix; what is
 * already certain on the prefix (a non-linearizable history, clocks apart
 * after T) still fails.
 */
const ROOT = repoPath();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-early-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function dsync(...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout };
}
function file(name: string, text: string): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, text);
  return p;
}
const verdictLines = (out: string): string[] => out.split('\n').filter((l) => /^[✓✗?] /.test(l));

// A drifts 100ppm from B: 1ms apart at exactly t=10s.
const DRIFTING = 'scenario c { seed 1  run for 20s }\nnodes A, B\nclock A { drift +100ppm }\ninvariant converges within 1s < 1ms\n';

describe('end-of-run invariants on a run that stopped early: not decided', () => {
  test('no_message_lost: messages still waiting at --until are not "never consumed" (was ✗, exit 1)', () => {
    const r = dsync('run', 'samples/queue_consumer_crash.dsync', '--until', '300ms');
    assert.equal(r.status, 3, r.stdout);
    assert.deepEqual(verdictLines(r.stdout).slice(0, 2), ['? no_message_lost (not decided)', '? no_message_lost within 1s (not decided)']);
    assert.match(r.stdout, /DS206 not decided: the run stopped at t=300ms \(until\), before the scenario's end at t=2s, and 5 message\(s\) were not consumed yet/);
    assert.match(r.stdout, /^not decided: 3 expectations were not evaluated, 2 invariants were not decided; nothing failed up to t=300ms$/m);
    // The whole run decides it.
    assert.equal(dsync('run', 'samples/queue_consumer_crash.dsync', '-q').status, 0);
  });

  test('no_message_lost at an event budget (--max-events): not decided, exit 3', () => {
    const r = dsync('run', 'samples/queue_consumer_crash.dsync', '--max-events', '100');
    assert.equal(r.status, 3, r.stdout);
    assert.match(r.stdout, /DS206 not decided: the run stopped at t=[\d.]+m?s when its event budget ran out, and \d+ message\(s\) were not consumed yet/);
  });

  test('linearizable(kv): a linearizable prefix is not a pass (was ✓, exit 0); the whole run still fails', () => {
    const r = dsync('run', 'samples/lease_read_clock_jump.dsync', '--until', '700ms');
    assert.equal(r.status, 3, r.stdout);
    assert.deepEqual(verdictLines(r.stdout), ['✓ election_safety', '? linearizable(kv) (not decided)']);
    assert.match(r.stdout, /the \d+ operations so far are linearizable, but linearizable judges the whole history/);
    const whole = dsync('run', 'samples/lease_read_clock_jump.dsync', '-q');
    assert.equal(whole.status, 1);
    assert.match(whole.stdout, /DS201 not linearizable/);
    // A prefix that already has no linearization fails: no continuation repairs it.
    const late = dsync('run', 'samples/lease_read_clock_jump.dsync', '--until', '1.5s', '-q');
    assert.equal(late.status, 1, late.stdout);
  });

  test('converges: together so far at --until is not decided (was ✓, exit 0); apart after T fails', () => {
    const f = file('drift.dsync', DRIFTING);
    const early = dsync('run', f, '--until', '5s');
    assert.equal(early.status, 3, early.stdout);
    assert.deepEqual(verdictLines(early.stdout), ['? converges within 1s < 1ms (not decided)']);
    const past = dsync('run', f, '--until', '15s', '-q');
    assert.equal(past.status, 1, past.stdout);
    assert.match(past.stdout, /DS201 diverged again at t=10s/);
  });

  test('converges in the core: a complete run judges, an early stop is DS206', () => {
    assert.deepEqual(runText(DRIFTING.replace('20s', '5s')).violations.map((v) => v.code), []);
    assert.deepEqual(runText(DRIFTING, { until: 5_000_000_000 }).violations.map((v) => v.code), ['DS206']);
  });

  test('a written eventually whose deadline is past the stop is not decided; one whose deadline passed fails', () => {
    const f = file('ev.dsync', 'scenario e { seed 1  run for 1s }\nnodes A, B\nat 300ms A -> B "x"\ninvariant got: eventually within 200ms B.received >= 1\n');
    const early = dsync('run', f, '--until', '100ms', '-q');
    assert.equal(early.status, 3, early.stdout);
    const late = dsync('run', f, '--until', '250ms', '-q');
    assert.equal(late.status, 1, late.stdout);
    assert.match(late.stdout, /did not hold by t=200ms/);
  });
});

/** The verdict line of one invariant in `dsync run` output, `undefined` when it is missing. */
const verdictOf = (out: string, invariant: string): string | undefined => verdictLines(out).find((l) => l.slice(2).startsWith(invariant));

// Writes once at 0ms and 200ms from A and B with A cut off from B and C: the replicas disagree at the check, 200ms after the last update (t=400ms).
const PARTITIONED_STORE = 'scenario p { seed 1  run for 1.2s }\nnodes A, B, C run version_vector_store { writers A, B; writes 1; every 200ms; stagger 0ms; gossip 40ms }\nnetwork { latency 5ms..15ms }\nfaults { at 0ms partition {A} | {B, C} }\ninvariant replicas_converge within 200ms\n';

describe('coordination invariants on a run that stopped early: not decided unless already certain', () => {
  test('no_lost_increments: replicas behind at --until / an event budget are not decided (was ✗, exit 1); the whole run fails', () => {
    for (const stop of [['--until', '600ms'], ['--max-events', '150']]) {
      const r = dsync('run', 'samples/crdt_vs_naive_counter.dsync', ...stop);
      assert.equal(r.status, 3, r.stdout);
      assert.equal(verdictOf(r.stdout, 'no_lost_increments'), '? no_lost_increments (not decided)');
      assert.match(r.stdout, /DS206 not decided: the run stopped at t=[\d.]+m?s[^\n]*, and \w+ holds \d+ of \d+ acknowledged increment\(s\) so far/);
    }
    const whole = dsync('run', 'samples/crdt_vs_naive_counter.dsync', '-q');
    assert.equal(whole.status, 1);
    assert.match(whole.stdout, /DS201 S ends with 11 but 20 increment\(s\) were acknowledged: 9 lost/);
  });

  test('no_lost_updates: writes no replica holds at --until / an event budget are not decided (was ✗, exit 1); the whole run fails', () => {
    for (const stop of [['--until', '600ms'], ['--max-events', '150']]) {
      const r = dsync('run', 'samples/lww_clock_skew.dsync', ...stop);
      assert.equal(r.status, 3, r.stdout);
      assert.equal(verdictOf(r.stdout, 'no_lost_updates'), '? no_lost_updates (not decided)');
      assert.match(r.stdout, /DS206 not decided: [^\n]*writes are held by no replica so far \(B1/);
    }
    const whole = dsync('run', 'samples/lww_clock_skew.dsync', '-q');
    assert.equal(whole.status, 1);
    assert.match(whole.stdout, /DS201 update B1 by B \(t=300ms\) was lost/);
  });

  test('snapshot_conserves: a snapshot still in progress at the stop is not decided (was ✗ "never completed"); a completed one that does not conserve still fails', () => {
    for (const stop of [['--until', '210ms'], ['--max-events', '150']]) {
      const r = dsync('run', 'samples/snapshot_money_transfer.dsync', ...stop);
      assert.equal(r.status, 3, r.stdout);
      assert.equal(verdictOf(r.stdout, 'snapshot_conserves'), '? snapshot_conserves(300) (not decided)');
      assert.match(r.stdout, /DS206 not decided: [^\n]*snapshot 1 \(started t=200ms\) is not complete yet \(no state from A, C\)/);
    }
    assert.equal(dsync('run', 'samples/snapshot_money_transfer.dsync', '-q').status, 0);
    const certain = dsync('run', 'samples/snapshot_without_fifo.dsync', '--until', '300ms', '-q');
    assert.equal(certain.status, 1, certain.stdout);
    assert.match(certain.stdout, /DS201 snapshot 1 totals 302, not 300/);
  });

  test('replicas_converge: a stop before lastUpdate + T is not decided (was ✓, exit 0); a disagreement at a check the run reached fails', () => {
    const f = file('partitioned.dsync', PARTITIONED_STORE);
    for (const stop of [['--until', '350ms'], ['--max-events', '5']]) {
      const r = dsync('run', f, ...stop);
      assert.equal(r.status, 3, r.stdout);
      assert.deepEqual(verdictLines(r.stdout), ['? replicas_converge within 200ms (not decided)']);
      assert.match(r.stdout, /the replicas are checked 200ms after the last update, at t=(200|400)ms, which the run did not reach/);
    }
    for (const stop of [['--until', '450ms'], []]) {
      const r = dsync('run', f, ...stop, '-q');
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stdout, /DS201 replicas still disagree at t=400ms, 200ms after the last update \(t=200ms\)/);
    }
    // A stop exactly at the check instant by --until has every event of that instant: judged, not undecided.
    assert.equal(dsync('run', f, '--until', '400ms', '-q').status, 1);
  });

  test('replicas_converge in the core: an early stop is DS206, the complete run of the same prefix judges', () => {
    const early = runText(PARTITIONED_STORE, { until: 350_000_000 }).violations.map((v) => v.code);
    assert.deepEqual(early, ['DS206']);
    assert.deepEqual(runText(PARTITIONED_STORE.replace('1.2s', '350ms')).violations.map((v) => v.code), []);
  });

  test('no_blocking: a node uncertain for less than T at the stop is not decided (was ✓, exit 0); one blocked past T fails', () => {
    for (const stop of [['--until', '600ms'], ['--max-events', '20']]) {
      const r = dsync('run', 'samples/2pc_coordinator_crash.dsync', ...stop);
      assert.equal(r.status, 3, r.stdout);
      assert.equal(verdictOf(r.stdout, 'no_blocking'), '? no_blocking within 500ms (not decided)');
      assert.match(r.stdout, /DS206 not decided: [^\n]*P1 has been uncertain on txn 1 since t=410ms/);
    }
    for (const stop of [['--until', '1s'], ['--max-events', '40'], []]) {
      const r = dsync('run', 'samples/2pc_coordinator_crash.dsync', ...stop, '-q');
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stdout, /DS201 P1 blocked on txn 1: uncertain since t=410ms/);
    }
  });
});
