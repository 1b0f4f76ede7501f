import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LocalClock } from '../../server/src/core/sim/clock';
import { missedPeriods } from '../../server/src/core/sim/engine';
import { MS, SECOND } from '../../server/src/core/units';
import { eventsOf, runText } from './support/scenario';

const clock = (offset = 0, driftPpm = 0, resolution = 0): LocalClock => new LocalClock({ offset, driftPpm, resolution });

/** Local clocks: every expected number below is worked out by hand in its comment. */
describe('LocalClock arithmetic', () => {
  test('offset only: the reading is true time plus the offset', () => {
    const c = clock(3 * MS);
    assert.equal(c.read(0), 3_000_000);
    assert.equal(c.read(SECOND), 1_003_000_000);
    assert.equal(c.offset(5 * SECOND), 3_000_000);
  });

  test('drift: +50ppm gains 50µs per second, -120ppm loses 120µs', () => {
    const fast = clock(0, 50);
    assert.equal(fast.read(SECOND), 1_000_050_000); // 1e9 · (1 + 50e-6)
    assert.equal(fast.read(2 * SECOND), 2_000_100_000);
    assert.equal(fast.offset(2 * SECOND), 100_000);
    assert.equal(clock(0, -120).read(2 * SECOND), 1_999_760_000); // 2e9 − 2e9 · 120e-6
    assert.equal(clock(0, 1000).read(SECOND), 1_001_000_000); // exact, not 1_000_999_999
  });

  test('offset and drift together', () => {
    // −2ms + 4s + 4s · 250e-6 = 4s − 2ms + 1ms
    assert.equal(clock(-2 * MS, 250).read(4 * SECOND), 3_999_000_000);
  });

  test('readings are whole nanoseconds, rounded down', () => {
    const c = clock(0, 1);
    assert.equal(c.read(999_999), 999_999); // 999_999.999999
    assert.equal(c.read(1_000_000), 1_000_001); // 1_000_001 exactly
    assert.equal(c.exact(999_999), 999_999.999999);
  });

  test('resolution: readings floor to the tick, also below zero', () => {
    const c = clock(400_000, 0, MS);
    assert.equal(c.read(0), 0); // 0.4ms → 0
    assert.equal(c.read(2_700_000), 3 * MS); // 3.1ms → 3ms
    assert.equal(clock(-2_500_000, 0, MS).read(0), -3 * MS); // −2.5ms floors to −3ms
    assert.equal(clock(0, 1, 1000).read(1_500_000_000), 1_500_001_000); // 1_500_001_500 → 1µs ticks
  });

  test('jump: forwards and backwards, the drift continues from the new reading', () => {
    const c = clock(0, 100);
    c.jump(SECOND, 5 * MS); // at 1s: 1_000_100_000 + 5ms
    assert.equal(c.read(SECOND), 1_005_100_000);
    assert.equal(c.read(2 * SECOND), 2_005_200_000); // + 1s · 1.0001
    c.jump(3 * SECOND, -10 * MS); // at 3s: 3_005_300_000 − 10ms
    assert.equal(c.read(3 * SECOND), 2_995_300_000);
    assert.equal(c.offset(3 * SECOND), -4_700_000);
    assert.equal(c.generation, 2);
  });

  test('fractional steps accumulate exactly', () => {
    const c = clock();
    c.jump(0, 0.5);
    assert.equal(c.read(0), 0);
    c.jump(0, 0.5);
    assert.equal(c.read(0), 1);
  });

  test('setDrift: a new rate from now on; the past piece stays', () => {
    const c = clock();
    c.setDrift(SECOND, 1000);
    assert.equal(c.read(SECOND), SECOND);
    assert.equal(c.read(3 * SECOND), 3_002_000_000); // 1s + 2s · 1.001
    assert.deepEqual([c.driftPpm, c.totalRatePpm], [1000, 1000]);
  });

  test('setSlew adds to the drift; setDrift keeps the slew', () => {
    const c = clock(0, 50);
    c.setSlew(2 * SECOND, -50); // at 2s the reading is 2_000_100_000; the rate is now exactly 1
    assert.equal(c.read(5 * SECOND), 5_000_100_000);
    assert.deepEqual([c.driftPpm, c.totalRatePpm], [50, 0]);
    c.setDrift(5 * SECOND, 0); // rate now 0 − 50 = −50ppm
    assert.equal(c.totalRatePpm, -50);
    assert.equal(c.read(7 * SECOND), 7_000_000_000); // 5_000_100_000 + 2s − 100µs
  });

  test('trueTimeAt: the first whole true nanosecond at which the clock reaches a reading', () => {
    assert.equal(clock(0, 1000).trueTimeAt(0, 1_001_000_000), SECOND); // 1.001s / 1.001
    assert.equal(clock(0, 1000).trueTimeAt(0, 1_001_000_001), SECOND + 1); // t · 1.001 ≥ …001 ⇒ t ≥ 1e9 + 0.999
    assert.equal(clock(0, 100_000).trueTimeAt(0, 100 * MS), 90_909_091); // ⌈1e8 / 1.1⌉
    assert.equal(clock(0, -100_000).trueTimeAt(0, 90 * MS), 100 * MS); // 9e7 / 0.9
    assert.equal(clock(3 * MS).trueTimeAt(0, 10 * MS), 7 * MS);
    assert.equal(clock(20 * MS).trueTimeAt(0, 10 * MS), 0); // already past: now
    assert.equal(clock().trueTimeAt(5 * MS, 2 * MS), 5 * MS);
    const jumped = clock();
    jumped.jump(100 * MS, 30 * MS); // reads 130ms at 100ms
    assert.equal(jumped.trueTimeAt(100 * MS, 200 * MS), 170 * MS);
  });
});

describe('timers fire by the local clock', () => {
  const header = 'scenario timers { seed 1  run for 400ms }\nnodes A, B\nnetwork { latency 10ms }\n';
  const sendTimes = (text: string): number[][] => eventsOf(runText(header + text), 'send').map((e) => [e.time, e.local]);

  test('a +100000ppm clock reaches `at 100ms` earlier in true time', () => {
    // 100ms / 1.1 = 90.909090…ms → the first whole ns is 90_909_091; the clock then reads ⌊100_000_000.1⌋.
    assert.deepEqual(sendTimes('clock A { drift +100000ppm }\nat 100ms A -> B "x"'), [[90_909_091, 100 * MS]]);
    assert.deepEqual(sendTimes('clock A { drift -100000ppm }\nat 90ms A -> B "x"'), [[100 * MS, 90 * MS]]);
  });

  test('an offset moves `at` by the offset; a time already past fires at the start', () => {
    assert.deepEqual(sendTimes('clock A { offset +3ms }\nat 10ms A -> B "x"'), [[7 * MS, 10 * MS]]);
    assert.deepEqual(sendTimes('clock A { offset +20ms }\nat 10ms A -> B "x"'), [[0, 20 * MS]]);
  });

  test('a forward jump brings a pending `every` firing earlier', () => {
    // Local 100ms fires at 100ms. At 150ms the clock jumps to 180ms, so local 200/300/400ms come at 170/270/370ms.
    assert.deepEqual(sendTimes('every 100ms A -> B "p"\nfaults { at 150ms clock A jump +30ms }'), [
      [100 * MS, 100 * MS], [170 * MS, 200 * MS], [270 * MS, 300 * MS], [370 * MS, 400 * MS],
    ]);
  });

  test('a backward jump delays it', () => {
    // At 150ms the clock drops to 120ms: local 200ms comes at 230ms, 300ms at 330ms; 400ms would be at 430ms, after the end.
    assert.deepEqual(sendTimes('every 100ms A -> B "p"\nfaults { at 150ms clock A jump -30ms }'), [[100 * MS, 100 * MS], [230 * MS, 200 * MS], [330 * MS, 300 * MS]]);
  });

  test('a drift change re-plans pending timers at the new rate', () => {
    // From 150ms the clock runs at 1.1: local 200ms after 50/1.1 = 45.4545…ms → 195_454_546;
    // local 300ms after 150/1.1 = 136.3636…ms → 286_363_637; local 400ms after 250/1.1 = 227.2727…ms → 377_272_728.
    assert.deepEqual(sendTimes('every 100ms A -> B "p"\nfaults { at 150ms clock A drift +100000ppm }'), [
      [100 * MS, 100 * MS], [195_454_546, 200 * MS], [286_363_637, 300 * MS], [377_272_728, 400 * MS],
    ]);
  });

  test('a clock that starts ahead of an `every` fires it once, then on the period grid (no catch-up burst)', () => {
    // A reads 1s at true 0: local 10ms … 1s are all due. Like a POSIX interval timer it fires once for them
    // (99 periods skipped) and continues at local 1.01s, 1.02s, … = true 10ms, 20ms, … 100ms: 11 sends, not 110.
    const r = runText(`${header}clock A { offset +1s }\nevery 10ms A -> B "p"`.replace('run for 400ms', 'run for 100ms'));
    const sends = eventsOf(r, 'send');
    assert.equal(sends.length, 11);
    assert.deepEqual(sends.slice(0, 3).map((e) => [e.time, e.local]), [[0, SECOND], [10 * MS, SECOND + 10 * MS], [20 * MS, SECOND + 20 * MS]]);
    const skips = eventsOf(r, 'skip');
    assert.deepEqual(skips.map((e) => [e.time, e.data?.['missed']]), [[0, 99]]);
    assert.match(skips[0]!.detail!, /^99 more periods of every 10ms already passed on A's clock: fired once, not 100 times$/);
  });

  test('a jump forward past many periods fires the pending `every` once, then keeps its grid', () => {
    // At 150.5ms A's clock jumps from 150.5ms to 60.1505s. The firing due at local 200ms is overdue: it fires at
    // once, and 599 more periods (300ms … 60.1s) are passed; the next is local 60.2s = true 200ms, then 300, 400ms.
    const r = runText(`${header}every 100ms A -> B "p"\nfaults { at 150.5ms clock A jump +1min }`);
    assert.deepEqual(eventsOf(r, 'send').map((e) => e.time), [100 * MS, 150_500_000, 200 * MS, 300 * MS, 400 * MS]);
    assert.deepEqual(eventsOf(r, 'skip').map((e) => e.data?.['missed']), [599]);
  });

  test('the periods skipped stop at `until`, and so does the timer', () => {
    // Local 100ms … 300ms are due at the start (A reads 20s): one send, 2 periods skipped (200ms, 300ms), none after.
    const r = runText(`${header}clock A { offset +20s }\nevery 100ms A -> B "p" until 300ms`);
    assert.equal(eventsOf(r, 'send').length, 1);
    assert.deepEqual(eventsOf(r, 'skip').map((e) => e.data?.['missed']), [2]);
  });

  test('missedPeriods counts the expirations a reading has passed, up to the stop', () => {
    assert.equal(missedPeriods(100, 10, undefined, 100), 0); // on time
    assert.equal(missedPeriods(100, 10, undefined, 109.999), 0); // late, but before the next one is due
    assert.equal(missedPeriods(100, 10, undefined, 110), 1); // the next one is due at this very reading
    assert.equal(missedPeriods(100, 10, undefined, 1000), 90);
    assert.equal(missedPeriods(100, 10, 150, 1000), 5); // 110, 120, …, 150
    assert.equal(missedPeriods(100, 10, 105, 1000), 0);
  });

  test('`after` in a rule waits on the local clock of the rule’s node', () => {
    // B receives at 20ms true, when its clock reads 22ms; `after 11ms` waits until it reads 33ms: 20 + 11/1.1 = 30ms.
    const r = runText(`${header}clock B { drift +100000ppm }\nat 10ms A -> B "x"\non B receive "x" { after 11ms send A "late" }`);
    assert.deepEqual(eventsOf(r, 'send').map((e) => [e.label, e.time, e.local]), [['x', 10 * MS, 10 * MS], ['late', 30 * MS, 33 * MS]]);
  });

  test('every … from … until counts by the local clock too', () => {
    // At +100000ppm, local 50, 150, 250ms come at true 50/1.1, 150/1.1, 250/1.1 ms, rounded up; 350ms is past `until`.
    const times = sendTimes('clock A { drift +100000ppm }\nevery 100ms A -> B "p" from 50ms until 300ms').map(([t]) => t);
    assert.deepEqual(times, [45_454_546, 136_363_637, 227_272_728]);
  });

  test('events show the node’s local reading, floored to its resolution', () => {
    const r = runText(`${header}clock B { offset +1234567ns  resolution 1ms }\nat 10ms A -> B "x"`);
    const recv = eventsOf(r, 'receive')[0]!;
    assert.deepEqual([recv.time, recv.local], [20 * MS, 21 * MS]); // 21.234567ms → 21ms
  });

  test('expect reads clock and offset at the end of the run', () => {
    const r = runText(`${header}clock A { offset -1ms  drift +250ppm }\nfaults { at 200ms clock A jump +2ms }
      expect A.offset == 1.1ms
      expect A.clock == 401.1ms`);
    // At 400ms: offset −1ms + 400ms · 250e-6 (= 0.1ms) + 2ms = 1.1ms; clock 400ms + 1.1ms.
    assert.deepEqual(r.expectations.map((e) => [e.outcome?.passed, e.outcome?.left]), [[true, 1_100_000], [true, 401_100_000]]);
  });
});
