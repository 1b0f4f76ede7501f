import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText, runText } from './support/scenario';
import { finalProps, ms, notes, sample, traceOf, violation } from './support/coordination';

// Fixed latency 5ms, think 10ms, so by hand: A and B both ask at 10ms (A's
// request first), L grants A token 1 at 15ms (lease to 115ms by L's clock),
// A holds from 20ms; B hears `busy` and asks again every 30ms (40, 70, 100ms
// are refused while A's lease runs).
const locks = (options: string, faults = ''): string => `scenario locks { seed 1  run for 1s }
nodes L, S, A, B run lock_service { server L; storage S; lease 100ms; think 10ms; ${options} }
network { latency 5ms }
faults { ${faults} }
invariant mutual_exclusion
invariant fenced_writes`;

const lockEvents = (r: ReturnType<typeof runText>): string[] => notes(r, 'lock').map((e) => `${e.name} ${e.data!['lock']} ${e.data!['token']} ${e.time / 1e6}`);
const writes = (r: ReturnType<typeof runText>): string[] => notes(r, 'write').map((e) => `${e.data!['client']} ${e.data!['write']} ${e.data!['token']} ${e.time / 1e6}`);

describe('lock_service', () => {
  test('without faults the holders take turns and storage sees tokens in order', () => {
    // A writes at 40ms (S 45ms), releases at 50ms; B's retry at 70ms gets token 2 at 80ms.
    const r = runText(locks('work 20ms; rounds 1'));
    assert.deepEqual(lockEvents(r), ['A acquired 1 20', 'A released 1 50', 'B acquired 2 80', 'B released 2 110']);
    assert.deepEqual(writes(r), ['A accepted 1 45', 'B accepted 2 105']);
    assert.deepEqual(r.violations, []);
  });

  test('a paused holder overlaps the next one (mutual_exclusion) and, without fencing, overwrites it (fenced_writes)', () => {
    // A pauses at 40ms for 300ms. L expires A's lease at 115ms; B's retry at 130ms gets token 2 at 140ms,
    // writes at 165ms. A wakes at 340ms and writes token 1 at 345ms.
    const r = runText(locks('work 20ms; rounds 1; pause A; pause_for 300ms; fencing false'));
    assert.deepEqual(lockEvents(r), ['A acquired 1 20', 'B acquired 2 140', 'B released 2 170', 'A expired 1 350']);
    assert.deepEqual(writes(r), ['B accepted 2 165', 'A accepted 1 345']);
    const me = violation(r, 'mutual_exclusion');
    assert.ok(me);
    assert.equal(me.time, ms(140));
    assert.equal(me.message, 'B acquired the lock (token 2) at t=140ms while A still believed it held it (token 1, since t=20ms)');
    assert.deepEqual(me.causes.map((c) => c.message.split(':')[0]), ['pause A', 'pause_for 300ms', 'lease 100ms', 'lock_service on L, S, A, B']);
    const fw = violation(r, 'fenced_writes');
    assert.ok(fw);
    assert.equal(fw.time, ms(345));
    assert.match(fw.message, /^S accepted a write from A with stale token 1 at t=345ms, after accepting token 2 from B at t=165ms/);
    assert.equal(fw.causes[0]!.message, 'fencing false: storage does not check tokens');
    assert.equal(finalProps(r, 'S')['value'], 'A#1');
  });

  test('fencing rejects the stale write: fenced_writes holds, the newer data survives', () => {
    const r = runText(locks('work 20ms; rounds 1; pause A; pause_for 300ms'));
    assert.deepEqual(writes(r), ['B accepted 2 165', 'A rejected 1 345']);
    assert.equal(violation(r, 'fenced_writes'), undefined);
    assert.ok(violation(r, 'mutual_exclusion'), 'fencing protects the data, not the beliefs');
    assert.equal(finalProps(r, 'S')['value'], 'B#1');
    assert.equal(finalProps(r, 'S')['rejected'], 1);
  });

  test('a clock jump on the lock server ends a lease early: two holders at once', () => {
    // L's clock jumps +100ms at 25ms: A's lease (to 115ms by L's clock) is over at once.
    // B's retry at 40ms gets token 2 at 50ms, while A holds until its release at 60ms.
    const r = runText(locks('work 30ms; rounds 1', 'at 25ms clock L jump +100ms'));
    const v = violation(r, 'mutual_exclusion');
    assert.ok(v);
    assert.equal(v.time, ms(50));
    assert.ok(v.causes.some((c) => c.message === 'clock L jump +100ms at 25ms' && c.range.startLine === 4));
    // Tokens still reach storage in order, so fencing has nothing to reject.
    assert.deepEqual(writes(r), ['A accepted 1 55', 'B accepted 2 85']);
    assert.equal(violation(r, 'fenced_writes'), undefined);
  });

  test('a restarted lock server keeps issuing larger tokens and waits out old leases', () => {
    const r = runText(locks('work 20ms; rounds 2', 'at 60ms crash L\nat 70ms restart L'));
    const tokens = notes(r, 'lock', 'acquired').map((e) => Number(e.data!['token']));
    assert.deepEqual(tokens, [...tokens].sort((a, b) => a - b));
    assert.equal(new Set(tokens).size, tokens.length);
    assert.ok(notes(r, 'lock', 'acquired').filter((e) => e.time > ms(70)).every((e) => e.time >= ms(170)), 'nothing granted within a lease of the restart');
    assert.deepEqual(r.violations, []);
  });

  test('samples: without fencing both invariants fail, with fencing the stale write is rejected', () => {
    const without = runText(sample('lock_without_fencing.dsync'));
    assert.ok(violation(without, 'mutual_exclusion'));
    assert.ok(violation(without, 'fenced_writes'));
    const withFencing = runText(sample('lock_with_fencing.dsync'));
    assert.deepEqual(withFencing.violations, []);
    assert.ok(withFencing.expectations.every((e) => e.outcome?.passed));
  });

  test('server and storage must be distinct bound nodes, with a client besides', () => {
    const check = (binding: string) => checkText(`scenario x { seed 1  run for 1s }\nnodes X\n${binding}`).diagnostics.map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(check('nodes L, S run lock_service { server L; storage L }'), ['DS141 the lock server and the storage must be different nodes']);
    assert.deepEqual(check('nodes L, S run lock_service { server L; storage S }'), ['DS141 lock_service needs at least one client besides the server and the storage']);
    assert.deepEqual(check('nodes L, S, A run lock_service { server L; storage X }'), ["DS141 storage 'X' does not run lock_service; add it to the nodes it is bound to"]);
  });

  test('deterministic per seed, and the seed changes the run', () => {
    const text = sample('lock_without_fencing.dsync');
    assert.equal(traceOf(text, 2), traceOf(text, 2));
    assert.notEqual(traceOf(text, 2), traceOf(text, 3));
  });
});
