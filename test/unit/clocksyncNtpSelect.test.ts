import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { intersection, selectAndCombine, type Candidate } from '../../server/src/core/protocols/ntpSelect';
import { MS } from '../../server/src/core/units';
import { checkText, eventsOf, nameOf, runText } from './support/scenario';

const c = (name: string, offset: number, distance: number, stratum = 1, jitter = 0): Candidate => ({ name, offset, distance, stratum, jitter });

/** RFC 5905 section 11.2: selection (intersection), clustering, combining. Numbers by hand in the comments. */
describe('NTP system process: selection, clustering, combining', () => {
  test('intersection of a majority: three overlapping intervals give their common part', () => {
    // [−1, 3], [0, 4], [1, 5] (ms): all three meet in [1, 3].
    assert.deepEqual(intersection([c('a', 1 * MS, 2 * MS), c('b', 2 * MS, 2 * MS), c('c', 3 * MS, 2 * MS)]), { low: 1 * MS, high: 3 * MS });
  });

  test('one falseticker among three: the intersection of the other two, which holds only their midpoints', () => {
    // [−5, 5] and [−4, 6] meet in [−4, 5]; [495, 505] meets neither: one falseticker allowed (2·1 < 3).
    const candidates = [c('S1', 0, 5 * MS), c('S2', 1 * MS, 5 * MS), c('S3', 500 * MS, 5 * MS)];
    assert.deepEqual(intersection(candidates), { low: -4 * MS, high: 5 * MS });
    const s = selectAndCombine(candidates, undefined);
    assert.equal(s.kind, 'selected');
    if (s.kind !== 'selected') return;
    assert.deepEqual(s.falsetickers.map((x) => x.name), ['S3']);
    assert.deepEqual(s.survivors.map((x) => x.name).sort(), ['S1', 'S2']);
    // Equal distances: the combined offset is the plain mean, 0.5ms.
    assert.equal(Math.round(s.offset), 0.5 * MS);
  });

  test('two servers whose intervals do not overlap: no majority (2·1 < 2 is false), nothing selected', () => {
    assert.equal(intersection([c('S1', 0, 5 * MS), c('S2', 300 * MS, 5 * MS)]), undefined);
    assert.equal(selectAndCombine([c('S1', 0, 5 * MS), c('S2', 300 * MS, 5 * MS)], 'S1').kind, 'no-majority');
    // Overlapping ones agree: [−5, 5] and [4, 14] meet in [4, 5]; both midpoints lie outside it, so … one
    // falseticker would have to be allowed, which 2 servers cannot: no majority either.
    assert.equal(selectAndCombine([c('S1', 0, 5 * MS), c('S2', 9 * MS, 5 * MS)], undefined).kind, 'no-majority');
    // [−5, 5] and [−2, 8] meet in [−2, 5], which holds both midpoints: selected.
    assert.equal(selectAndCombine([c('S1', 0, 5 * MS), c('S2', 3 * MS, 5 * MS)], undefined).kind, 'selected');
  });

  test('combining weights each survivor by 1/root distance', () => {
    // θ 0 with λ 5ms and θ 3ms with λ 10ms: (0/5 + 3/10) / (1/5 + 1/10) = 0.3 / 0.3 = 1ms.
    const s = selectAndCombine([c('S1', 0, 5 * MS), c('S2', 3 * MS, 10 * MS)], undefined);
    assert.equal(s.kind === 'selected' && Math.round(s.offset), 1 * MS);
  });

  test('clustering drops the survivor with the largest selection jitter down to 3, and prefers the lower stratum', () => {
    // Offsets 0, 1, 2, 9ms, all truechimers (λ 20ms). Selection jitter of the 9ms one: √((81 + 64 + 49) / 3) ≈ 8.04ms,
    // the largest, and above every peer jitter (0): dropped. Three remain.
    const s = selectAndCombine([c('A', 0, 20 * MS), c('B', 1 * MS, 20 * MS), c('C', 2 * MS, 20 * MS), c('D', 9 * MS, 20 * MS, 2)], undefined);
    assert.equal(s.kind, 'selected');
    if (s.kind !== 'selected') return;
    assert.deepEqual(s.outliers.map((x) => x.name), ['D']);
    assert.equal(s.survivors.length, 3);
    assert.equal(Math.round(s.offset), 1 * MS);
    // The current system peer is kept while it survives at the best stratum (no clock hopping).
    const kept = selectAndCombine([c('A', 0, 5 * MS), c('B', 1 * MS, 6 * MS)], 'B');
    assert.equal(kept.kind === 'selected' && kept.systemPeer.name, 'B');
  });
});

describe('ntp with several servers (RFC 5905)', () => {
  const notes = (r: ReturnType<typeof runText>, node: string) => eventsOf(r, 'note').filter((e) => nameOf(r, e.node) === node);

  test('one falseticker among three servers is outvoted: A follows S1 and S2, never S3', () => {
    const r = runText(`scenario ft { seed 1  run for 10s }
nodes S1, S2, S3, A
network { latency 2ms..3ms }
clock S3 { offset +500ms }
clock A { offset +3ms }
sync ntp { servers S1, S2, S3; clients A; poll 1s }
expect A.falsetickers == {S3} at end
expect A.sync_state == "synced" at end
expect A.server != "S3" at end
expect A.offset_estimate < 1ms at end
expect A.offset_estimate > -1ms at end`);
    assert.ok(r.expectations.every((e) => e.outcome?.passed), JSON.stringify(r.expectations.map((e) => [e.text, e.outcome?.left])));
    // A's clock is only slewed, never stepped towards S3's +500ms.
    const adjusts = eventsOf(r, 'clock-adjust').filter((e) => nameOf(r, e.node) === 'A');
    assert.ok(adjusts.length > 0 && adjusts.every((e) => e.data!['step'] === undefined));
    assert.ok(notes(r, 'A').some((e) => e.detail?.startsWith('falseticker S3')));
    assert.ok(Math.abs(r.final.find((n) => n.name === 'A')!.offset) < 1 * MS);
  });

  test('falsetickers is a set<node>: membership and size work, and comparing it with a string is a type error', () => {
    const scenario = (expect: string) => `scenario ft { seed 1  run for 3s }
nodes S1, S2, S3, A
network { latency 2ms..3ms }
clock S3 { offset +500ms }
sync ntp { servers S1, S2, S3; clients A; poll 1s }
${expect}`;
    const r = runText(scenario('expect S3 in A.falsetickers at end\nexpect not (S1 in A.falsetickers) at end\nexpect size(A.falsetickers) == 1 at end\nexpect A.falsetickers != {} at end'));
    assert.deepEqual(r.expectations.map((e) => e.outcome?.passed), [true, true, true, true]);
    const codes = checkText(scenario('expect A.falsetickers == "S3" at end')).diagnostics.map((d) => d.code);
    assert.deepEqual(codes, ['DS133']);
  });

  test('two servers that disagree: no majority, reported, and A follows neither (no alternating steps)', () => {
    const r = runText(`scenario two { seed 1  run for 10s }
nodes S1, S2, A
network { latency 2ms..3ms }
clock S2 { offset +300ms }
sync ntp { servers S1, S2; clients A; poll 1s }
expect A.sync_state == "no majority" at end
expect A.stratum == 16 at end`);
    assert.ok(r.expectations.every((e) => e.outcome?.passed), JSON.stringify(r.expectations.map((e) => [e.text, e.outcome?.left])));
    assert.deepEqual(eventsOf(r, 'clock-adjust').filter((e) => nameOf(r, e.node) === 'A'), []);
    const state = notes(r, 'A').find((e) => e.data?.['syncState'] === 'no majority')!;
    assert.match(state.detail!, /^no majority: .*S1 [-+][\d.]+[mun]?s ± [\d.]+ms, S2 \+300\.\d+ms ± [\d.]+ms\); following none$/);
  });

  test('offset_estimate is the system offset, not the last sample of some server', () => {
    // S3 is farther away, so its sample (A − S3 ≈ −500ms) arrives last in every round; the property stays near 0.
    const r = runText(`scenario ft { seed 2  run for 5s }
nodes S1, S2, S3, A
network { latency 1ms..4ms }
link A <-> S3 { latency 10ms }
clock S3 { offset +500ms }
sync ntp { servers S1, S2, S3; clients A; poll 1s }
expect A.offset_estimate > -1ms at end`);
    const lastSample = notes(r, 'A').filter((e) => typeof e.data?.['estimatedOffset'] === 'number').at(-1)!;
    assert.equal(lastSample.data!['peer'], 'S3'); // the last sample of the run is S3's …
    assert.equal(r.expectations[0]!.outcome?.passed, true, JSON.stringify(r.expectations[0]!.outcome)); // … and not what A reports
  });

  test('a step resets the associations: an answer to a request sent before it is discarded (it had a negative delay)', () => {
    // S2 stops answering A (link down) until 8.5s, so from the poll at 8s it is unreachable and a round does not wait
    // for it. At 9s A's clock jumps +300ms: the poll fires at once (local 9.3s) to S1 (2ms away) and S2 (100ms away).
    // S1's answer gives θ ≈ −300ms: A steps −300ms at ≈9.004s. S2's answer, at ≈9.2s, carries t1 = 9.3s from before the
    // step and t4 ≈ 9.2s after it: δ = t4 − t1 − (t3 − t2) ≈ −100ms. It must fail the origin check.
    const r = runText(`scenario stale { seed 1  run for 9900ms }
nodes S1, S2, A
network { latency 2ms }
link A <-> S2 { latency 100ms }
sync ntp { servers S1, S2; clients A; poll 1s }
faults {
  at 0ms drop A <-> S2 for 8.5s
  at 9s clock A jump +300ms
}`);
    const samples = notes(r, 'A').filter((e) => typeof e.data?.['delay'] === 'number' && e.data?.['estimatedOffset'] !== undefined);
    assert.ok(samples.every((e) => (e.data!['delay'] as number) >= 0), JSON.stringify(samples.map((e) => [e.time, e.data])));
    const steps = eventsOf(r, 'clock-adjust').filter((e) => nameOf(r, e.node) === 'A' && e.data?.['step'] !== undefined);
    assert.equal(steps.length, 1);
    assert.ok(Math.abs((steps[0]!.data!['step'] as number) + 300 * MS) < 1 * MS);
    assert.ok(Math.abs(r.final.find((n) => n.name === 'A')!.offset) < 1 * MS);
  });
});
