import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText, runText } from './support/scenario';
import { finalProps, ms, notes, sample, traceOf, violation } from './support/coordination';

// Latency is a fixed 10ms everywhere, so every time below follows from the
// protocol: prepare at k·every, votes 10ms later, the decision at the
// coordinator 20ms later, at the participants 30ms later.
const scenario = (options: string, faults = '', extra = '', length = '2s'): string => `scenario tpc { seed 1  run for ${length} }
nodes C, P1, P2 run two_phase_commit { coordinator C; timeout 200ms; ${options} }
network { latency 10ms }
faults { ${faults} }
invariant atomicity
invariant no_blocking within 500ms
${extra}`;

describe('two_phase_commit', () => {
  test('commits every transaction when all vote yes, at the hand-computed times', () => {
    const r = runText(scenario('transactions 3 every 300ms'));
    const decisions = notes(r, 'decision').map((e) => `${e.name} ${e.data!['txn']} ${e.data!['decision']} ${e.time / 1e6}`);
    assert.deepEqual(decisions, [
      'C 1 commit 320', 'P1 1 commit 330', 'P2 1 commit 330',
      'C 2 commit 620', 'P1 2 commit 630', 'P2 2 commit 630',
      'C 3 commit 920', 'P1 3 commit 930', 'P2 3 commit 930',
    ]);
    for (const n of ['C', 'P1', 'P2']) assert.equal(finalProps(r, n)['committed'], 3);
    assert.deepEqual(r.violations, []);
  });

  test('one no vote aborts the transaction everywhere', () => {
    const r = runText(scenario('transactions 1 every 300ms; vote_no P2'));
    const decisions = notes(r, 'decision').map((e) => `${e.name} ${e.data!['decision']} ${e.time / 1e6}`);
    // P2 aborts when it votes (310ms); C hears P1's yes then P2's no at 320ms; P1 learns at 330ms.
    assert.deepEqual(decisions, ['P2 abort 310', 'C abort 320', 'P1 abort 330']);
    assert.equal(finalProps(r, 'P1')['state'], 'aborted');
    assert.deepEqual(r.violations, []);
  });

  test('a coordinator crash after prepare blocks the participants: no_blocking caught at the exact instant', () => {
    const r = runText(scenario('transactions 1 every 300ms', 'at 315ms crash C\nat 1.2s restart C'));
    const v = violation(r, 'no_blocking within 500ms');
    assert.ok(v);
    // P1 voted yes at 310ms; 500ms later it still has no decision.
    assert.equal(v.time, ms(810));
    assert.ok(r.events[v.seq]!.time <= ms(810) && r.events[v.seq + 1]!.time > ms(810));
    assert.match(v.message, /^P1 blocked on txn 1: uncertain since t=310ms/);
    assert.deepEqual(v.causes.map((c) => c.message), ['crash C at 315ms', 'coordinator C: only it can decide', 'two_phase_commit on C, P1, P2']);
    assert.equal(v.causes[0]!.range.startLine, 4);
    // Recovery from the log: presumed abort at restart, delivered 10ms later.
    assert.deepEqual(notes(r, 'recovered').map((e) => `${e.name} ${e.time / 1e6} ${e.data!['recovered']}`), ['C 1200 undecided']);
    assert.deepEqual(notes(r, 'decision').map((e) => `${e.name} ${e.data!['decision']} ${e.time / 1e6}`), ['C abort 1200', 'P1 abort 1210', 'P2 abort 1210']);
    assert.equal(notes(r, 'blocked').length, 2);
    assert.equal(violation(r, 'atomicity'), undefined);
  });

  test('no_blocking is silent when the blocking is shorter than the bound', () => {
    // Blocked from 310ms to 1210ms: 900ms.
    const text = scenario('transactions 1 every 300ms', 'at 315ms crash C\nat 1.2s restart C').replace('within 500ms', 'within 900ms');
    assert.equal(violation(runText(text), 'no_blocking within 900ms'), undefined);
  });

  test('a participant recovers its yes vote from its log and commits when the coordinator resends', () => {
    const r = runText(scenario('transactions 1 every 300ms', 'at 312ms crash P1\nat 600ms restart P1'));
    // C commits at 320ms; its commit to P1 is lost (down); resends at 520ms (lost) and 720ms.
    assert.deepEqual(notes(r, 'recovered').map((e) => `${e.name} ${e.time / 1e6} ${e.data!['vote']}`), ['P1 600 yes']);
    assert.deepEqual(notes(r, 'decision').map((e) => `${e.name} ${e.data!['decision']} ${e.time / 1e6}`), ['C commit 320', 'P2 commit 330', 'P1 commit 730']);
    assert.deepEqual(r.violations, []);
  });

  test('bugs abort_on_timeout: a participant whose commit is lost aborts alone, and atomicity catches it', () => {
    // C commits txn 1 at 320ms; its commit to P2 is dropped. P2 voted yes at 310ms.
    const faults = 'at 315ms drop C -> P2 for 100ms';
    const buggy = runText(scenario('transactions 1 every 300ms; bugs abort_on_timeout', faults));
    assert.deepEqual(notes(buggy, 'decision').map((e) => `${e.name} ${e.data!['decision']} ${e.time / 1e6}`), ['C commit 320', 'P1 commit 330', 'P2 abort 510']);
    const v = violation(buggy, 'atomicity');
    assert.ok(v);
    assert.match(v.message, /^atomicity broken for txn 1: P2 aborted at t=510ms but C had committed at t=320ms/);
    assert.deepEqual(v.causes.map((c) => c.message), ['drop C -> P2 at 315ms', 'bugs abort_on_timeout', 'two_phase_commit on C, P1, P2']);
    // Without the switch P2 asks C and P1 at 510ms and has their answers at 530ms.
    const correct = runText(scenario('transactions 1 every 300ms', faults));
    assert.deepEqual(notes(correct, 'decision').map((e) => `${e.name} ${e.data!['decision']} ${e.time / 1e6}`), ['C commit 320', 'P1 commit 330', 'P2 commit 530']);
    assert.equal(violation(correct, 'atomicity'), undefined);
  });

  test('transactions due while the coordinator is down are skipped, later ones run', () => {
    const r = runText(sample('2pc_coordinator_crash.dsync'));
    assert.deepEqual([...new Set(notes(r, 'phase', 'prepare').map((e) => e.data!['txn']))], [1, 4]);
    assert.equal(finalProps(r, 'P2')['committed'], 1);
    assert.equal(finalProps(r, 'P2')['aborted'], 1);
  });

  test('the coordinator must be bound to the protocol and vote_no names participants', () => {
    const d = checkText(`scenario x { seed 1  run for 1s }\nnodes A, B\nnodes P1, P2 run two_phase_commit { coordinator A; vote_no B }`).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['DS141', 'DS141']);
    assert.match(d[0]!.message, /coordinator 'A' does not run two_phase_commit/);
  });

  test('deterministic per seed', () => {
    const text = sample('2pc_coordinator_crash.dsync');
    assert.equal(traceOf(text, 3), traceOf(text, 3));
  });
});
