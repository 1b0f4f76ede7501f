import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { berkeleyAverage } from '../../server/src/core/protocols/berkeley';
import { cristianEstimate } from '../../server/src/core/protocols/cristian';
import type { RunResult } from '../../server/src/core/sim/result';
import { MS, SECOND, US } from '../../server/src/core/units';
import { checkText, eventsOf, nameOf, runText } from './support/scenario';

const finalOf = (result: RunResult, node: string) => result.final.find((n) => n.name === node)!;
const notesOf = (result: RunResult, node: string) => eventsOf(result, 'note').filter((e) => nameOf(result, e.node) === node);
const stepsOf = (result: RunResult, node: string) =>
  eventsOf(result, 'clock-adjust')
    .filter((e) => nameOf(result, e.node) === node && e.data?.['step'] !== undefined)
    .map((e) => e.data!['step']);

describe("Cristian's algorithm", () => {
  test('the estimate: the server reading plus half the round trip', () => {
    // Asked at 100, answered 1000, back at 300: the server reads 1000 + 100 = 1100 now; the client 300.
    assert.deepEqual(cristianEstimate(100, 1000, 300), { offset: -800, roundTrip: 200 });
  });

  test('a symmetric link sets the client exactly; the estimate and round trip are noted', () => {
    // A is 20ms ahead, 4ms each way: asks at A 20ms, S answers 4ms, back at A 28ms: 28 − (4 + 4) = +20ms.
    const r = runText(`scenario cristian_sym { seed 1  run for 2500ms }
nodes S, A
network { latency 4ms }
clock A { offset +20ms }
sync cristian { server S; clients A; interval 1s }
expect A.offset == 0ms at end
expect A.sync_state == "synced" at end`);
    const first = notesOf(r, 'A').find((e) => e.data?.['estimatedOffset'] !== undefined)!;
    assert.equal(first.data!['estimatedOffset'], 20 * MS);
    assert.equal(first.data!['delay'], 8 * MS);
    assert.deepEqual(stepsOf(r, 'A'), [-20 * MS]);
    assert.ok(r.expectations.every((e) => e.outcome?.passed));
  });

  test('an asymmetric link leaves half the asymmetry', () => {
    const r = runText(`scenario cristian_asym { seed 1  run for 2500ms }
nodes S, A
link A -> S { latency 1ms }
link S -> A { latency 9ms }
sync cristian { server S; clients A; interval 1s }`);
    assert.equal(finalOf(r, 'A').offset, -4 * MS); // the reply took 9ms, not the assumed 5ms
  });
});

describe('Berkeley algorithm', () => {
  const reading = (node: string, diff: number) => ({ node, diff, roundTrip: 0 });

  test('the average of every clock, or of the largest group within the tolerance', () => {
    const readings = [reading('M', 0), reading('A', 30), reading('B', -15), reading('C', 5), reading('D', 400)];
    assert.equal(berkeleyAverage(readings, undefined).average, 84); // (0 + 30 − 15 + 5 + 400) / 5
    const tolerant = berkeleyAverage(readings, 50);
    assert.equal(tolerant.average, 5); // (0 + 30 − 15 + 5) / 4
    assert.deepEqual(tolerant.used.map((r) => r.node).sort(), ['A', 'B', 'C', 'M']);
  });

  test('every clock ends at the average; each adjustment is relative', () => {
    // M 0, A +30ms, B −15ms: the average is +5ms, so M +5ms, A −25ms, B +20ms.
    const r = runText(`scenario berkeley { seed 1  run for 1500ms }
nodes M, A, B
network { latency 5ms }
clock A { offset +30ms }
clock B { offset -15ms }
sync berkeley { master M; interval 1s }`);
    for (const n of ['M', 'A', 'B']) assert.equal(finalOf(r, n).offset, 5 * MS, n);
    assert.deepEqual(stepsOf(r, 'M'), [5 * MS]);
    assert.deepEqual(stepsOf(r, 'A'), [-25 * MS]);
    assert.deepEqual(stepsOf(r, 'B'), [20 * MS]);
    const average = notesOf(r, 'M').find((e) => e.data?.['average'] !== undefined)!;
    assert.equal(average.detail, 'average +5ms of M +0ns, A +30ms, B -15ms');
    // Every reply is in at 10ms: the master does not wait for the end of the round.
    assert.equal(average.time, 10 * MS);
  });

  test('adjust slew: clocks are slowed down or sped up, never set back', () => {
    const r = runText(`scenario berkeley_slew { seed 1  run for 4s }
nodes M, A, B
network { latency 5ms }
clock A { offset +300us }
clock B { offset -300us }
sync berkeley { master M; interval 1s; adjust slew }
invariant monotonic_clocks
expect A.offset < 1us at end`);
    assert.equal(r.violations.length, 0, r.violations.map((v) => v.message).join('\n'));
    assert.deepEqual(stepsOf(r, 'A'), []);
    assert.ok(r.expectations.every((e) => e.outcome?.passed), JSON.stringify(r.expectations.map((e) => e.outcome?.left)));
  });

  test('the master cannot be one of its slaves', () => {
    const d = checkText(`scenario t { seed 1  run for 1s }\nnodes M, A\nsync berkeley { master M; slaves M, A }`).diagnostics;
    assert.match(`${d[0]!.code} ${d[0]!.message}`, /^DS141 M is the master/);
  });
});

describe('reference clock', () => {
  test('follows true time: drift is cancelled and the offset stays about the jitter', () => {
    // Each measurement is off by up to ±2µs; once the frequency is locked the clock follows within twice that.
    const r = runText(`scenario gps { seed 1  run for 30s }
nodes G
clock G { drift +40ppm }
sync reference { nodes G; jitter 2us }
invariant max_offset within 8s < 4us`);
    assert.equal(r.violations.length, 0, r.violations.map((v) => v.message).join('\n'));
    // Every estimate is the true offset off by at most the jitter.
    for (const e of notesOf(r, 'G').filter((x) => x.data?.['estimatedOffset'] !== undefined)) {
      assert.ok(Math.abs((e.data!['estimatedOffset'] as number) - (e.local - e.time)) <= 2 * US);
    }
    // The frequency correction cancels the +40ppm up to the noise it picks up: each update adds half
    // of a rate measured from two estimates ±2µs off over 1s, so about ±2ppm (a 40ppm clock left alone is 40 off).
    const rate = finalOf(r, 'G').driftPpm;
    assert.ok(Math.abs(rate) < 3, `rate ${rate}ppm`);
  });

  test('an outage puts it in holdover: it keeps its frequency correction and locks again after', () => {
    const r = runText(`scenario gps_outage { seed 1  run for 30s }
nodes G
clock G { drift +40ppm }
sync reference { nodes G; outage 10s..20s }
invariant max_offset within 5s < 20us`);
    assert.equal(r.violations.length, 0, r.violations.map((v) => v.message).join('\n'));
    const states = notesOf(r, 'G').filter((e) => e.data?.['syncState'] !== undefined);
    assert.deepEqual(states.map((e) => e.data!['syncState']), ['acquiring', 'locked', 'holdover', 'locked']);
    // Noticed at the first measurement (one per second by G's clock) inside and after the outage.
    const [, , lost, back] = states.map((e) => e.time);
    assert.ok(lost! >= 10 * SECOND && lost! < 11 * SECOND, `lost at ${lost}`);
    assert.ok(back! >= 20 * SECOND && back! < 21 * SECOND, `back at ${back}`);
    // During the outage no measurement, no correction: the clock only runs on what was set before.
    assert.deepEqual(eventsOf(r, 'clock-adjust').filter((e) => e.time > lost! && e.time < back!), []);
  });

  test('without the reference the same clock drifts away', () => {
    const r = runText(`scenario no_gps { seed 1  run for 30s }
nodes G
clock G { drift +40ppm }
invariant max_offset within 5s < 20us`);
    assert.equal(r.violations.length, 1);
    assert.equal(r.violations[0]!.time, 5 * SECOND); // already 200µs off by then
  });
});
