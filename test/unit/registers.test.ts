import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runText } from './support/scenario';
import { finalProps, ms, notes, sample, traceOf, violation } from './support/coordination';

// A and B write in turns (A1 200ms, B1 300ms, A2 400ms, …) or together (stagger 0ms);
// gossip every 40ms to everyone, latency ≤ 15ms: a write reaches everybody within 55ms.
const store = (protocol: string, options = '', clock = ''): string => `scenario reg { seed 1  run for 1.2s }
nodes A, B, C run ${protocol} { writers A, B; writes 3; every 200ms; gossip 40ms; ${options} }
network { latency 5ms..15ms }
${clock}
invariant no_lost_updates
invariant replicas_converge within 200ms`;

const values = (r: ReturnType<typeof runText>): string[] => ['A', 'B', 'C'].map((n) => String(finalProps(r, n)['value']));

describe('lww_register', () => {
  test('with synchronised clocks and writes in turn nothing is lost and the last write wins', () => {
    const r = runText(store('lww_register'));
    assert.deepEqual(values(r), ['B3', 'B3', 'B3']);
    assert.deepEqual(r.violations, []);
  });

  test("a writer whose clock is behind loses the writes it makes after seeing the other's", () => {
    // B's clock reads 150ms less: B1 is stamped 150ms < A1's 200ms, B2 350 < 400, B3 550 < 600.
    const r = runText(store('lww_register', '', 'clock B { offset -150ms }'));
    assert.deepEqual(values(r), ['A3', 'A3', 'A3']);
    const v = violation(r, 'no_lost_updates');
    assert.ok(v);
    assert.equal(v.time, ms(300));
    assert.equal(v.message, 'update B1 by B (t=300ms) was lost at t=300ms: it never took effect: the replica already held a value with a later clock stamp; 3 of 6 writes lost (B1, B2, B3)');
    assert.deepEqual(v.causes.map((c) => c.message), ['clock B offset -150ms', 'lww_register on A, B, C']);
    assert.equal(notes(r, 'wrote', 'B1')[0]!.data!['at'], ms(150));
    assert.equal(violation(r, 'replicas_converge within 200ms'), undefined, 'they agree — on the wrong value');
  });

  test('concurrent writes lose one even without skew: equal stamps go to the larger name', () => {
    // A1/B1, A2/B2, A3/B3 are written at the same instants with the same stamps; B's wins each time.
    // A1 and A2 are superseded by A's own next writes (causally later); A3 is simply gone.
    const r = runText(store('lww_register', 'stagger 0ms'));
    assert.deepEqual(values(r), ['B3', 'B3', 'B3']);
    const v = violation(r, 'no_lost_updates');
    assert.ok(v);
    assert.match(v.message, /^update A3 by A \(t=600ms\) was lost at t=[\d.]+ms: the last replica holding it switched to B3, which does not follow it; 1 of 6 writes lost \(A3\)$/);
    // Lost when A, the last holder, merged B3.
    const switched = notes(r, 'replica', 'B3').filter((e) => e.name === 'A');
    assert.equal(v.time, switched[0]!.time);
  });
});

describe('version_vector_store', () => {
  test('keeps concurrent writes as siblings, loses nothing, whatever the clocks say', () => {
    const r = runText(store('version_vector_store', 'stagger 0ms', 'clock B { offset -150ms }'));
    assert.deepEqual(values(r), ['A3|B3', 'A3|B3', 'A3|B3']);
    assert.equal(finalProps(r, 'C')['siblings'], 2);
    assert.deepEqual(r.violations, []);
  });

  test('writes in turn supersede each other: one value at the end', () => {
    const r = runText(store('version_vector_store', '', 'clock B { offset -150ms }'));
    assert.deepEqual(values(r), ['B3', 'B3', 'B3']);
    assert.deepEqual(r.violations, []);
  });

  test('replicas that stay apart are caught by replicas_converge', () => {
    const r = runText(`${store('version_vector_store')}\nfaults { at 250ms partition {A} | {B, C} }`);
    const v = violation(r, 'replicas_converge within 200ms');
    assert.ok(v);
    // The last write (B3) is at 700ms.
    assert.equal(v.time, ms(900));
    assert.match(v.message, /A=A3, B=B3, C=B3$/);
    assert.equal(violation(r, 'no_lost_updates'), undefined);
  });
});

describe('register samples', () => {
  test('lww_clock_skew loses B1–B3; version_vectors keeps both last writes', () => {
    assert.match(violation(runText(sample('lww_clock_skew.dsync')), 'no_lost_updates')!.message, /3 of 6 writes lost \(B1, B2, B3\)/);
    const vv = runText(sample('version_vectors.dsync'));
    assert.deepEqual(vv.violations, []);
    assert.ok(vv.expectations.every((e) => e.outcome?.passed));
  });

  test('deterministic per seed, and the seed changes the run', () => {
    const text = sample('lww_clock_skew.dsync');
    assert.equal(traceOf(text, 21), traceOf(text, 21));
    assert.notEqual(traceOf(text, 21), traceOf(text, 22));
  });
});
