import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runText } from './support/scenario';
import { finalProps, ms, notes, sample, traceOf, violation } from './support/coordination';

const header = (length = '1s'): string => `scenario counters { seed 1  run for ${length} }\nnetwork { latency 5ms }\n`;

describe('naive_counter', () => {
  test('two clients reading the same value lose an increment: caught at the second acknowledgement', () => {
    // X and Y both read at 20ms (S answers 0 at 25ms), both write 1 at 35ms (S at 40ms), both are acked at 45ms.
    const r = runText(`${header()}nodes S, X, Y run naive_counter { server S; increments 1 every 20ms; work 5ms }
      invariant no_lost_increments`);
    assert.deepEqual(notes(r, 'replica').map((e) => `${e.name} ${e.data!['replica']} ${e.time / 1e6}`), ['S 0 0', 'S 1 40', 'S 1 40']);
    assert.deepEqual(notes(r, 'increment').map((e) => `${e.name} ${e.time / 1e6}`), ['X 45', 'Y 45']);
    const v = violation(r, 'no_lost_increments');
    assert.ok(v);
    assert.equal(v.time, ms(45));
    assert.match(v.message, /^S ends with 1 but 2 increment\(s\) were acknowledged: 1 lost/);
    assert.ok(v.causes.some((c) => c.message.startsWith('work 5ms')));
  });

  test('one client alone loses nothing', () => {
    const r = runText(`${header()}nodes S, X run naive_counter { server S; increments 5 every 20ms }
      invariant no_lost_increments`);
    assert.equal(finalProps(r, 'S')['value'], 5);
    assert.equal(finalProps(r, 'X')['ops'], 5);
    assert.deepEqual(r.violations, []);
  });
});

describe('g_counter and pn_counter', () => {
  test('G-counter replicas converge to the number of increments', () => {
    const r = runText(`${header()}nodes A, B, C run g_counter { increments 5 every 20ms; gossip 50ms; fanout 2 }
      invariant no_lost_increments
      invariant replicas_converge within 100ms`);
    for (const n of ['A', 'B', 'C']) assert.equal(finalProps(r, n)['value'], 15);
    assert.deepEqual(r.violations, []);
  });

  test('PN-counter counts decrements: 3 nodes × (3 − 2) = 3', () => {
    const r = runText(`${header()}nodes D, E, F run pn_counter { increments 3; decrements 2; every 20ms; gossip 50ms; fanout 2 }
      invariant no_lost_increments
      invariant replicas_converge within 100ms`);
    assert.equal(notes(r, 'increment', -1).length, 6);
    for (const n of ['D', 'E', 'F']) assert.equal(finalProps(r, n)['value'], 3);
    assert.deepEqual(r.violations, []);
  });

  test('a partition that never heals keeps replicas apart: replicas_converge caught T after the last update', () => {
    // Increments at 20..100ms; the split at 100ms stops A's gossip. A knows B's and C's first two
    // increments (gossip at 50ms): 5 + 2 + 2 = 9. B and C know A's first two and each other's five: 12.
    const r = runText(`${header()}nodes A, B, C run g_counter { increments 5 every 20ms; gossip 50ms; fanout 2 }
      faults { at 100ms partition {A} | {B, C} }
      invariant replicas_converge within 200ms`);
    const v = violation(r, 'replicas_converge within 200ms');
    assert.ok(v);
    assert.equal(v.time, ms(300));
    assert.equal(v.message, 'replicas still disagree at t=300ms, 200ms after the last update (t=100ms): A=9, B=12, C=12');
    assert.equal(v.causes[0]!.message, 'partition {A} | {B, C} at 100ms');
  });

  test('after a heal gossip brings them together: silent', () => {
    const r = runText(`${header()}nodes A, B, C run g_counter { increments 5 every 20ms; gossip 50ms; fanout 2 }
      faults { at 100ms partition {A} | {B, C} for 100ms }
      invariant replicas_converge within 200ms
      invariant no_lost_increments`);
    assert.deepEqual(r.violations, []);
    assert.equal(finalProps(r, 'A')['value'], 15);
  });

  test('a crashed replica keeps its counts on disk', () => {
    const r = runText(`${header()}nodes A, B, C run g_counter { increments 5 every 20ms; gossip 50ms; fanout 2 }
      faults { at 70ms crash A
               at 300ms restart A }
      invariant no_lost_increments`);
    // A did 3 increments before the crash; the two due while it was down are skipped: 5 + 5 + 3.
    for (const n of ['A', 'B', 'C']) assert.equal(finalProps(r, n)['value'], 13);
    assert.deepEqual(r.violations, []);
  });
});

describe('the counter sample', () => {
  test('CRDTs converge exactly while the naive counter loses increments', () => {
    const r = runText(sample('crdt_vs_naive_counter.dsync'));
    const v = violation(r, 'no_lost_increments');
    assert.ok(v);
    const acked = notes(r, 'increment').filter((e) => e.name === 'X' || e.name === 'Y').length;
    const final = Number(finalProps(r, 'S')['value']);
    assert.equal(acked, 20);
    assert.ok(final < acked);
    assert.match(v.message, new RegExp(`^S ends with ${final} but ${acked} increment\\(s\\) were acknowledged: ${acked - final} lost`));
    assert.equal(violation(r, 'replicas_converge within 300ms'), undefined);
  });

  test('deterministic per seed, and the seed changes the run', () => {
    const text = sample('crdt_vs_naive_counter.dsync');
    assert.equal(traceOf(text, 11), traceOf(text, 11));
    assert.notEqual(traceOf(text, 11), traceOf(text, 12));
  });
});
