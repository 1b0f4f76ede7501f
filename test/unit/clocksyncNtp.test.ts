import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ClockFilter, ntpDelay, ntpOffset } from '../../server/src/core/protocols/ntpFilter';
import type { RunResult } from '../../server/src/core/sim/result';
import type { TraceEvent } from '../../server/src/core/sim/trace';
import { MS, SECOND, US } from '../../server/src/core/units';
import { checkText, eventsOf, nameOf, runText } from './support/scenario';

/** The estimate notes of one node, in order (see SyncReport.estimate). */
function estimates(result: RunResult, node: string): TraceEvent[] {
  return eventsOf(result, 'note').filter((e) => nameOf(result, e.node) === node && typeof e.data?.['estimatedOffset'] === 'number');
}

function finalOf(result: RunResult, node: string) {
  return result.final.find((n) => n.name === node)!;
}

describe('NTP on-wire arithmetic (RFC 5905)', () => {
  test('θ and δ of a hand-made exchange', () => {
    // The server is 6ms ahead of the client; each leg takes 1ms; the server takes 1ms to answer.
    // t1 = 10ms (client) = 16ms server time; t2 = 17ms; t3 = 18ms; back at server 19ms = client 13ms.
    const ts = { t1: 10 * MS, t2: 17 * MS, t3: 18 * MS, t4: 13 * MS };
    assert.equal(ntpOffset(ts), 6 * MS); // ((17 − 10) + (18 − 13)) / 2
    assert.equal(ntpDelay(ts), 2 * MS); // (13 − 10) − (18 − 17)
  });

  test('an asymmetric exchange is off by half the asymmetry', () => {
    // Same clocks (server 6ms ahead), request 5ms, response 1ms, no processing:
    // t1 = 10 (server 16), t2 = 21, t3 = 21, back at server 22 = client 16.
    const ts = { t1: 10 * MS, t2: 21 * MS, t3: 21 * MS, t4: 16 * MS };
    assert.equal(ntpOffset(ts), 8 * MS); // 6ms + (5ms − 1ms) / 2
    assert.equal(ntpDelay(ts), 6 * MS);
  });

  test('the clock filter keeps the last 8 samples and picks the least delay, newest on a tie', () => {
    const f = new ClockFilter(8);
    const sample = (at: number, delay: number) => ({ offset: at, delay, at, phase: 0 });
    f.add(sample(1, 5));
    f.add(sample(2, 3));
    f.add(sample(3, 3));
    assert.equal(f.best(3)!.at, 3);
    for (let at = 4; at <= 10; at++) f.add(sample(at, 9));
    // Samples 1 and 2 have been shifted out; 3 (delay 3) is the 8th newest.
    assert.equal(f.length, 8);
    assert.equal(f.best(10)!.at, 3);
    f.add(sample(11, 9));
    assert.equal(f.best(11)!.at, 11); // only delay 9 left: the newest
    f.clear();
    assert.equal(f.best(11), undefined);
  });

  test('age counts against a sample: PHI = 15µs per second of dispersion', () => {
    const f = new ClockFilter(8);
    f.add({ offset: 0, delay: 10 * MS + 20 * US, at: 0, phase: 0 });
    f.add({ offset: 0, delay: 10 * MS + 50 * US, at: SECOND, phase: 0 });
    // At 1s: the old one is 10µs shorter in δ/2 but 15µs older: the new one wins.
    assert.equal(f.best(SECOND)!.at, SECOND);
    f.add({ offset: 0, delay: 12 * MS, at: 2 * SECOND, phase: 0 });
    // 2ms more delay is 1ms of distance: it takes 66.7s of age to make up.
    assert.equal(f.best(2 * SECOND)!.at, SECOND);
  });
});

describe('ntp protocol', () => {
  test('the first exchange measures θ and δ exactly from the nodes’ own clocks', () => {
    // A is 5ms behind S; 3ms each way; S answers 1ms after receiving.
    // t1 = −5ms (A at true 0), t2 = 3ms, t3 = 4ms (S), t4 = A at true 7ms = 2ms.
    // θ = ((3 − (−5)) + (4 − 2)) / 2 = 5ms; δ = (2 − (−5)) − (4 − 3) = 6ms.
    const r = runText(`scenario ntp_exact { seed 1  run for 500ms }
nodes S, A
network { latency 3ms }
clock A { offset -5ms }
sync ntp { servers S; clients A; poll 1s; processing 1ms; step_threshold 1ms }
expect A.offset == 0ms at end
expect A.sync_state == "synced" at end
expect A.stratum == 2 at end
expect A.server == "S" at end
expect A.offset_estimate == -5ms at end
expect A.delay == 6ms at end`);
    const [first] = estimates(r, 'A');
    assert.equal(first!.time, 7 * MS);
    assert.equal(first!.data!['theta'], 5 * MS);
    assert.equal(first!.data!['estimatedOffset'], -5 * MS); // A's clock minus S's
    assert.equal(first!.data!['delay'], 6 * MS);
    assert.equal(first!.detail, 'offset -5ms delay 6ms from S');
    // 5ms is over the step threshold: one step of exactly +5ms, after which A reads true time.
    const steps = eventsOf(r, 'clock-adjust').filter((e) => e.data?.['step'] !== undefined);
    assert.deepEqual(steps.map((e) => [nameOf(r, e.node), e.data!['step'], e.time]), [['A', 5 * MS, 7 * MS]]);
    assert.ok(r.expectations.every((e) => e.outcome?.passed), JSON.stringify(r.expectations.map((e) => [e.text, e.outcome])));
  });

  for (const [request, response] of [[30, 2], [2, 30], [10, 6], [16, 16]] as const) {
    const error = ((request - response) / 2) * MS;
    test(`asymmetric route ${request}ms out, ${response}ms back: the client settles ${error / MS}ms off`, () => {
      const r = runText(`scenario ntp_asym { seed 1  run for 5s }
nodes S, A
link A -> S { latency ${request}ms }
link S -> A { latency ${response}ms }
sync ntp { servers S; clients A; poll 1s; step_threshold 1ms }`);
      assert.equal(finalOf(r, 'A').offset, error);
      // From inside, the error cannot be seen: after the first correction every estimate is 0.
      const later = estimates(r, 'A').slice(1);
      assert.ok(later.length >= 3);
      for (const e of later) assert.equal(e.data!['estimatedOffset'], 0);
    });
  }

  test('slews small offsets (no step, the clock never goes back) and steps large ones', () => {
    const r = runText(`scenario ntp_slew { seed 1  run for 20s }
nodes S, A, B
network { latency 2ms }
clock A { offset +3ms }
clock B { offset +300ms }
sync ntp { servers S; clients A, B; poll 1s }
invariant monotonic_clocks(A)
expect A.offset < 50us at end`);
    const adjusts = (node: string) => eventsOf(r, 'clock-adjust').filter((e) => nameOf(r, e.node) === node);
    assert.ok(adjusts('A').length > 0);
    assert.ok(adjusts('A').every((e) => e.data!['step'] === undefined), 'A is only slewed');
    // At most 500ppm: 3ms take at least 6s.
    assert.ok(adjusts('A').every((e) => Math.abs(e.data!['ratePpm'] as number) <= 500));
    assert.equal(r.violations.length, 0, r.violations.map((v) => v.message).join('\n'));
    assert.deepEqual(adjusts('B').filter((e) => e.data!['step'] !== undefined).map((e) => e.data!['step']), [-300 * MS]);
    assert.ok(r.expectations.every((e) => e.outcome?.passed));
  });

  test('converges under drift: the frequency correction cancels the drift, then the skew bound holds', () => {
    // A gains 100µs per second. Symmetric fixed latency, so every estimate is exact.
    const r = runText(`scenario ntp_drift { seed 1  run for 60s }
nodes S, A
network { latency 5ms }
clock A { offset +2ms drift +100ppm }
sync ntp { servers S; clients A; poll 1s }
invariant converges within 30s < 10us`);
    assert.equal(r.violations.length, 0, r.violations.map((v) => v.message).join('\n'));
    // The clock's total rate (drift + slew) ends close to 0: the slew holds about −100ppm.
    assert.ok(Math.abs(finalOf(r, 'A').driftPpm) < 1, `rate ${finalOf(r, 'A').driftPpm}ppm`);
  });

  test('drift without synchronisation would break the same bound', () => {
    const r = runText(`scenario no_ntp { seed 1  run for 60s }
nodes S, A
clock A { offset +2ms drift +100ppm }
invariant converges within 30s < 10us`);
    assert.equal(r.violations.length, 1);
  });

  test('stratum hierarchy: S1 → S2 → A; a server serves only once synchronised', () => {
    const r = runText(`scenario ntp_strata { seed 1  run for 6s }
nodes S1, S2, A
network { latency 2ms }
clock S2 { offset +40ms }
clock A { offset -30ms }
sync ntp { servers S1; stratum S2 = 2; clients A; poll 1s; step_threshold 1ms }
expect S2.stratum == 2 at end
expect A.stratum == 3 at end
expect A.server == "S2" at end
expect A.offset == 0ms at end`);
    assert.ok(r.expectations.every((e) => e.outcome?.passed), JSON.stringify(r.expectations.map((e) => [e.text, e.outcome?.left])));
    // A's first answer came from S2 before S2 had synchronised: stratum 16, ignored.
    const ignored = eventsOf(r, 'note').find((e) => nameOf(r, e.node) === 'A' && e.detail?.includes('stratum 16'));
    assert.ok(ignored, 'A ignored the unsynchronised S2');
    const aSynced = eventsOf(r, 'note').find((e) => nameOf(r, e.node) === 'A' && e.data?.['syncState'] === 'synced')!;
    const s2Synced = eventsOf(r, 'note').find((e) => nameOf(r, e.node) === 'S2' && e.data?.['syncState'] === 'synced')!;
    assert.ok(s2Synced.time < aSynced.time);
    assert.equal(aSynced.data!['stratum'], 3);
  });

  test('when the server is lost the client goes unsynced after 8 unanswered polls, and stratum 16 ripples down', () => {
    const r = runText(`scenario ntp_lost { seed 1  run for 20s }
nodes S1, S2, A
network { latency 2ms }
sync ntp { servers S1; stratum S2 = 2; clients A; poll 1s }
faults { at 3.5s crash S1 }
expect S2.sync_state == "unsynced" at end
expect S2.stratum == 16 at end
expect A.sync_state == "unsynced" at end
expect A.stratum == 16 at end`);
    assert.ok(r.expectations.every((e) => e.outcome?.passed), JSON.stringify(r.expectations.map((e) => [e.text, e.outcome?.left])));
    // Polls at 0..3s were answered; those at 4s..11s were not: S1 is unreachable from the poll at 11s.
    const unreachable = eventsOf(r, 'note').find((e) => nameOf(r, e.node) === 'S2' && e.detail?.includes('unreachable'))!;
    assert.equal(unreachable.time, 11 * SECOND);
  });

  test('duplicated responses are recognised by their origin timestamp and used once', () => {
    const r = runText(`scenario ntp_dup { seed 1  run for 4500ms }
nodes S, A
network { latency 2ms  duplicate 100% }
sync ntp { servers S; clients A; poll 1s }`);
    assert.ok(r.stats.messagesDuplicated > 0);
    assert.equal(estimates(r, 'A').length, 5); // polls at 0, 1, 2, 3, 4s
  });

  test('runs are deterministic per seed, and jitter makes seeds differ', () => {
    const text = `scenario ntp_seeds { seed 4  run for 10s }
nodes S, A
network { latency 1ms..3ms }
clock A { drift +50ppm }
sync ntp { servers S; clients A; poll 1s }`;
    const offsets = (seed: number) => estimates(runText(text, { seed }), 'A').map((e) => e.data!['estimatedOffset']);
    assert.deepEqual(offsets(4), offsets(4));
    assert.notDeepEqual(offsets(4), offsets(5));
  });
});

describe('ntp options', () => {
  const codes = (options: string) =>
    checkText(`scenario t { seed 1  run for 1s }\nnodes S1, S2, S3, A\nsync ntp { ${options} }`).diagnostics.map((d) => `${d.code} ${d.message}`);

  test('a well-formed hierarchy checks, clients default to every other node', () => {
    assert.deepEqual(codes('servers S1; stratum S2 = 2, S3 = 3; poll 2s; step_threshold 128ms; max_slew 500ppm; filter 4'), []);
  });

  test('a node in two roles, a stratum below 2 or a gap in the tiers is an error', () => {
    assert.match(codes('servers S1; clients S1, A')[0]!, /^DS141 S1 is both a server and a client/);
    assert.match(codes('servers S1; stratum S2 = 1')[0]!, /^DS141 stratum S2 = 1: tiers are numbered 2 to 15/);
    assert.match(codes('servers S1; stratum S3 = 3')[0]!, /^DS141 stratum 3 has no stratum 2 tier above it/);
    assert.match(codes('servers S1; stratum S1 = 2')[0]!, /^DS141 S1 is both a stratum 1 server and stratum 2/);
  });

  test('servers are required, and options are typed', () => {
    assert.match(codes('poll 1s')[0]!, /^DS127 .*needs option 'servers'/);
    assert.match(codes('servers S1; poll 1')[0]!, /^DS120/);
    assert.match(codes('servers S1; filter 9')[0]!, /^DS129/);
    assert.match(codes('servers S1; polling 1s')[0]!, /^DS126/);
  });

  test('the timestamps resolution of a clock shows in the estimates', () => {
    // A's clock ticks in 1ms steps: t1 and t4 are floored, so δ is a whole number of ms.
    const r = runText(`scenario ntp_res { seed 1  run for 100ms }
nodes S, A
network { latency 1300us }
clock A { resolution 1ms }
sync ntp { servers S; clients A; poll 1s }`);
    const [first] = estimates(r, 'A');
    // t1 = 0, t2 = t3 = 1.3ms, t4 = floor(2.6ms) = 2ms: δ = 2ms, θ = (1.3 + (1.3 − 2)) / 2 = 0.3ms.
    assert.equal(first!.data!['delay'], 2 * MS);
    assert.equal(first!.data!['theta'], 300 * US);
  });
});
