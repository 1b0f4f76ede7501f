import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RunResult } from '../../server/src/core/sim/result';
import { checkText, runText } from './support/scenario';
import { finalProps, notes, sample, traceOf, violation } from './support/coordination';

const failed = (r: RunResult): string[] => r.violations.map((v) => v.invariant).sort();
const withoutBugs = (text: string): string => text.replace(/;?[ \t]*\bbugs [a-z_, ]+?(?=[;}\n])/g, '');
const members = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('paxos (single decree)', () => {
  test('one proposer: prepare, promise, accept, accepted at the hand-computed times', () => {
    // Latency 10ms. n1 prepares at 10ms and promises itself at once; n2, n3
    // promise at 20ms, heard at 30ms: a majority (2 of 3), so n1 accepts 5
    // itself and sends Accept (30ms). n2 and n3 accept at 40ms and tell every
    // learner; n2 and n3 each count their own and n1's acceptance (sent at
    // 30ms, heard at 40ms): they learn at 40ms. n1 hears the others at 50ms.
    const r = runText(`scenario p { seed 1  run for 200ms }
nodes n1, n2, n3 run paxos { proposers n1; values n1 = 5 }
network { latency 10ms }
invariant agreement
invariant validity`);
    assert.deepEqual(notes(r, 'paxos', 'accept').map((e) => `${e.name} ${e.time / 1e6}`), ['n1 30', 'n2 40', 'n3 40']);
    assert.deepEqual(notes(r, 'paxos', 'learn').map((e) => `${e.name} ${e.data!['value']} ${e.time / 1e6}`), ['n2 5 40', 'n3 5 40', 'n1 5 50']);
    assert.deepEqual(notes(r, 'role').map((e) => `${e.name} ${e.data!['role']} ${e.time / 1e6}`), ['n1 candidate 10', 'n1 leader 30', 'n1 decided 50']);
    for (const n of ['n1', 'n2', 'n3']) assert.equal(finalProps(r, n)['chosen'], 5);
    assert.equal(finalProps(r, 'n2')['promised'], '1.n1');
    assert.deepEqual(finalProps(r, 'n2')['accepted'], { ballot: '1.n1', value: 5 });
    assert.deepEqual(failed(r), []);
  });

  test('duelling proposers preempt each other, then agree on the value accepted first', () => {
    const r = runText(sample('paxos_duelling_proposers.dsync'));
    assert.deepEqual(failed(r), []);
    assert.ok(r.expectations.every((e) => e.outcome?.passed));
    const ballots = new Set(notes(r, 'role', 'candidate').map((e) => e.data!['ballot']));
    assert.ok(ballots.size >= 6, `only ${ballots.size} ballots`);
    assert.ok(notes(r, 'role', 'follower').length >= 5);
    // Later leaders adopt the value already accepted instead of their own.
    assert.ok(notes(r, 'role', 'leader').some((e) => e.name === 'n2' && /adopts 10/.test(e.detail ?? '')));
    for (const n of members) assert.equal(finalProps(r, n)['chosen'], 10);
  });

  test('safety does not depend on the seed', () => {
    const text = sample('paxos_duelling_proposers.dsync');
    for (let seed = 1; seed <= 12; seed++) {
      const r = runText(text, { seed });
      assert.deepEqual(failed(r), [], `seed ${seed}`);
      const chosen = new Set(members.map((n) => finalProps(r, n)['chosen']));
      assert.equal(chosen.size, 1, `seed ${seed}: ${[...chosen]}`);
    }
    assert.equal(traceOf(text, 3), traceOf(text, 3));
  });

  test('ignore_promises: two values chosen, caught by agreement', () => {
    const text = sample('paxos_ignore_promises.dsync');
    const r = runText(text);
    assert.deepEqual(failed(r), ['agreement']);
    assert.match(violation(r, 'agreement')!.message, /^two values chosen: 20 \(ballot 1\.n2, accepted by n2, n3, n4 at t=[\d.]+ms\), then 10 \(ballot 2\.n1, accepted by n1, n5, n3/);
    assert.ok(notes(r, 'paxos', 'accept').some((e) => /despite its promise/.test(e.detail ?? '')));
    assert.deepEqual(failed(runText(withoutBugs(text))), []);
  });

  test('forget_promises: a restarted acceptor helps choose a second value', () => {
    const text = sample('paxos_forget_promises.dsync');
    const r = runText(text);
    assert.deepEqual(failed(r), ['agreement']);
    const v = violation(r, 'agreement')!;
    assert.match(v.message, /^two values chosen: 10 \(ballot 1\.n1, accepted by n1, n2, n3 at t=40ms\), then 50/);
    assert.ok(v.causes.some((c) => c.message === 'bugs forget_promises'));
    const fixed = runText(withoutBugs(text));
    assert.deepEqual(failed(fixed), []);
    for (const n of members) assert.equal(finalProps(fixed, n)['chosen'], 10);
  });

  test('uninitialized_value: a value nobody proposed is chosen, caught by validity only', () => {
    const text = sample('paxos_uninitialized_value.dsync');
    const r = runText(text);
    assert.deepEqual(failed(r), ['validity']);
    assert.equal(violation(r, 'validity')!.message, 'the acceptors chose 0, which nobody proposed (proposed: 10, 20)');
    assert.deepEqual(failed(runText(withoutBugs(text))), []);
  });

  test('proposers and values must name members', () => {
    const codes = (opts: string) => checkText(`scenario p { seed 1  run for 1s }\nnodes n1..n3 run paxos { ${opts} }\nnodes x`).diagnostics.map((d) => d.code);
    assert.deepEqual(codes('proposers n1, n2; values n1 = 1'), []);
    assert.deepEqual(codes('proposers n1, x'), ['DS141']);
    assert.deepEqual(codes('values x = 3'), ['DS141']);
  });
});

describe('multipaxos', () => {
  test('a new leader re-proposes what was accepted and fills the gap with a no-op', () => {
    const r = runText(sample('multipaxos_leader_change.dsync'));
    assert.deepEqual(failed(r), []);
    assert.ok(r.expectations.every((e) => e.outcome?.passed));
    const proposals = notes(r, 'paxos', 'input').map((e) => `${e.name} ${e.data!['slot']} ${e.data!['value']}`);
    assert.deepEqual(proposals.slice(0, 4), ['n1 1 c1.1 put a=1', 'n1 2 c2.1 put b=2', 'n1 3 c3.1 put c=3', 'n5 2 no-op']);
    // Every live node learns the same first three slots: the gap became a no-op, put c kept its slot.
    for (const n of ['n2', 'n3', 'n4', 'n5']) {
      const learned = notes(r, 'paxos', 'learn').filter((e) => e.name === n).map((e) => `${e.data!['slot']}:${e.data!['value']}`);
      assert.deepEqual(learned.slice(0, 3).sort(), ['1:c1.1 put a=1', '2:no-op', '3:c3.1 put c=3']);
    }
    // put b was retried by the client and got a later slot; it returned.
    assert.ok(notes(r, 'phase', 'return').some((e) => e.data!['opId'] === 'c2.1'));
    assert.deepEqual(finalProps(r, 'n2')['kv'], { a: '1', b: '2', c: '3' });
  });

  test('leader changes under crashes and partitions stay safe for every seed', () => {
    const text = `scenario mp { seed 1  run for 2s }
nodes n1..n5 run multipaxos
network { latency 5ms..20ms  loss 1% }
client c1 { every 70ms put k = counter; every 50ms get k }
client c2 { every 90ms put k = counter; every 60ms get k }
faults { at 400ms crash n1; at 700ms crash n2; at 900ms restart n1; at 1.1s partition {n3, n4} | {n1, n2, n5, c1, c2}; at 1.2s restart n2; at 1.5s heal }
invariant agreement
invariant validity
invariant state_machine_safety
invariant linearizable(kv)`;
    for (let seed = 1; seed <= 5; seed++) {
      const r = runText(text, { seed });
      assert.deepEqual(failed(r), [], `seed ${seed}`);
      assert.ok(notes(r, 'phase', 'return').length > 20, `seed ${seed}: clients are served`);
    }
  });

  test('hover shows role, ballot, chosen prefix and log', () => {
    const r = runText(sample('multipaxos_leader_change.dsync'));
    const p = finalProps(r, 'n5');
    assert.equal(p['role'], 'leader');
    assert.equal(p['ballot'], '2.n5');
    const log = p['log'] as readonly { slot: number; command: string }[];
    assert.equal(p['commit_index'], log[log.length - 1]!.slot);
    assert.deepEqual(log.map((e) => e.slot), Array.from({ length: log.length }, (_, i) => i + 1));
  });
});
