import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runText } from './support/scenario';
import { finalProps, ms, notes, sample, traceOf, violation } from './support/coordination';

const scenario = (faults: string, links = ''): string => `scenario thpc { seed 1  run for 2s }
nodes C, P1, P2, P3 run three_phase_commit { coordinator C; timeout 200ms; transactions 1 every 300ms }
network { latency 10ms }
${links}
faults { ${faults} }
invariant atomicity
invariant no_blocking within 500ms`;

const decisions = (r: ReturnType<typeof runText>): string[] => notes(r, 'decision').map((e) => `${e.name} ${e.data!['decision']} ${e.time / 1e6}`);

describe('three_phase_commit', () => {
  test('commits through can-commit, pre-commit and commit at the hand-computed times', () => {
    const r = runText(scenario(''));
    // can_commit 300, votes 310, C pre-commits 320, participants 330, acks back 340.
    assert.deepEqual(notes(r, 'phase', 'precommit').map((e) => `${e.name} ${e.time / 1e6}`), ['C 320', 'P1 330', 'P2 330', 'P3 330']);
    assert.deepEqual(decisions(r), ['C commit 340', 'P1 commit 350', 'P2 commit 350', 'P3 commit 350']);
    assert.deepEqual(r.violations, []);
  });

  test('does not block when the coordinator crashes before pre-commit: all abort by termination', () => {
    const r = runText(scenario('at 315ms crash C\nat 1.5s restart C'));
    // Votes at 310ms, timeout at 510ms, termination answers by 520ms, conclusion at 710ms.
    assert.deepEqual(decisions(r), ['P1 abort 710', 'P2 abort 710', 'P3 abort 710', 'C abort 1520']);
    assert.equal(violation(r, 'no_blocking within 500ms'), undefined);
    assert.equal(violation(r, 'atomicity'), undefined);
    assert.match(notes(r, 'recovered')[0]!.detail!, /recovered from the log undecided/);
  });

  test('does not block when the coordinator crashes after pre-commit: participants commit', () => {
    // Pre-commit reached everybody at 330ms; C crashes before the acks (340ms) arrive.
    const r = runText(scenario('at 335ms crash C\nat 1.5s restart C'));
    assert.deepEqual(decisions(r), ['P1 commit 730', 'P2 commit 730', 'P3 commit 730', 'C commit 1520']);
    assert.deepEqual(r.violations, []);
  });

  test('a partition after a partial pre-commit breaks atomicity, caught at the contradicting decision', () => {
    const r = runText(sample('3pc_partition_inconsistency.dsync'));
    assert.deepEqual(decisions(r), ['C commit 540', 'P1 commit 550', 'P2 abort 730', 'P3 abort 730']);
    const v = violation(r, 'atomicity');
    assert.ok(v);
    assert.equal(v.time, ms(730));
    assert.equal(r.events[v.seq]!.data!['decision'], 'abort');
    assert.equal(v.message, 'atomicity broken for txn 1: P2 aborted at t=730ms but C had committed at t=540ms');
    assert.equal(v.causes[0]!.message, 'partition {C, P1} | {P2, P3} at 355ms');
    assert.equal(violation(r, 'no_blocking within 500ms'), undefined);
    assert.equal(finalProps(r, 'P1')['decision'], 'commit');
    assert.equal(finalProps(r, 'P3')['decision'], 'abort');
  });

  test('the same partition after every participant pre-committed is harmless', () => {
    // Pre-commit reaches all at 330ms; the split at 335ms leaves P2, P3 pre-committed, so their termination commits.
    const r = runText(scenario('at 335ms partition {C, P1} | {P2, P3}'));
    assert.ok(decisions(r).every((d) => d.includes('commit')));
    assert.equal(violation(r, 'atomicity'), undefined);
  });

  test('deterministic per seed', () => {
    const text = sample('3pc_partition_inconsistency.dsync');
    assert.equal(traceOf(text, 9), traceOf(text, 9));
  });
});
