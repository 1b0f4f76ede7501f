import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LocalClock } from '../../server/src/core/sim/clock';
import { firstGapAtLeast } from '../../server/src/core/invariants/readingGap';
import { SECOND, US } from '../../server/src/core/units';
import { runText } from './support/scenario';

/**
 * The clock invariants and N.offset judge the readings the nodes see (whole
 * nanoseconds, floored to the clock's resolution), not the unrounded clock.
 * Every expected instant is worked out by hand in its comment.
 */
const run = (body: string, length = '50ms') => runText(`scenario readings { seed 1  run for ${length} }\nnodes A, B\n${body}`);
const firstViolation = (body: string, length?: string) => run(body, length).violations[0];

describe('clock invariants read what the nodes read', () => {
  test('resolution: A reads 0 while B reads 900us, so max_skew(A, B) < 500us fails at 500us', () => {
    // A reads ⌊t / 1ms⌋ · 1ms, B reads t: B − A = t mod 1ms, which first reaches 500us at t = 500us.
    const v = firstViolation('clock A { resolution 1ms }\ninvariant max_skew(A, B) < 500us')!;
    assert.equal(v.time, 500 * US);
    assert.match(v.message, /^max_skew 500us >= 500us at t=500us \(B \+0ns, A -500us from true time\)/);
    // B − A stays below 1ms (at most 999_999ns): never 1ms apart.
    assert.equal(firstViolation('clock A { resolution 1ms }\ninvariant max_skew < 1ms'), undefined);
  });

  test('resolution with an offset: the reading ahead is the tick above', () => {
    // A reads ⌊(t + 0.7ms) / 1ms⌋ · 1ms: 1ms from t = 0.3ms, when B reads 0.3ms → A − B = 0.7ms at 300us.
    assert.equal(firstViolation('clock A { offset +700us  resolution 1ms }\ninvariant max_skew < 700us')!.time, 300 * US);
    // A − B is at most 0.7ms (just as A ticks) and B − A at most 0.3ms: < 701us holds.
    assert.equal(firstViolation('clock A { offset +700us  resolution 1ms }\ninvariant max_skew < 701us'), undefined);
  });

  test('+1000ppm at nanosecond scale: "<= 1ms" fails when the readings differ by 1ms + 1ns, at 1.000001s', () => {
    // A reads ⌊1.001 t⌋, so A − B = ⌊0.001 t⌋ ≥ 1_000_001 from t = 1_000_001_000 (not at 1s + 1ns, where the
    // unrounded clocks differ by 1ms + 0.001ns but the readings by exactly 1ms).
    assert.equal(firstViolation('clock A { drift +1000ppm }\ninvariant max_skew <= 1ms', '2s')!.time, 1_000_001_000);
    // "< 1ms" fails at exactly 1s (⌊0.001 · 10⁹⌋ = 1ms).
    assert.equal(firstViolation('clock A { drift +1000ppm }\ninvariant max_skew < 1ms', '2s')!.time, SECOND);
  });

  test('−1000ppm: a reading floored down is behind by ⌈0.001 t⌉, so "<= 1ms" fails at 1s + 1ns', () => {
    // B − A = t − ⌊0.999 t⌋ = ⌈0.001 t⌉ ≥ 1_000_001 once 0.001 t > 10⁶, at t = 10⁹ + 1.
    assert.equal(firstViolation('clock A { drift -1000ppm }\ninvariant max_skew <= 1ms', '2s')!.time, SECOND + 1);
  });

  test('after a jump the readings, not the jumped clock, decide: the violation waits for the next tick', () => {
    // At 100.3ms A (resolution 1ms) jumps +1.5ms: it reads ⌊101.8ms⌋ = 101ms, 0.7ms ahead of B. Its next tick,
    // 102ms, comes at true 100.5ms, when B reads 100.5ms: 1.5ms apart. (Unrounded, it was 1.5ms at the jump.)
    const v = firstViolation('clock A { resolution 1ms }\nfaults { at 100.3ms clock A jump +1.5ms }\ninvariant max_skew < 1ms', '200ms')!;
    assert.equal(v.time, 100_500_000);
    assert.match(v.message, /^max_skew 1\.5ms >= 1ms at t=100\.5ms \(A \+1\.5ms, B \+0ns from true time\); caused by: clock A jump \+1\.5ms/);
  });

  test('a crashed node does not count; after its restart its readings do', () => {
    // Before the crash B − A = t mod 1ms < 100us; A is down from 100us to 20ms; then B − A reaches 500us at 20.5ms.
    const v = firstViolation('clock A { resolution 1ms }\nfaults {\n  at 100us crash A\n  at 20ms restart A\n}\ninvariant max_skew < 500us')!;
    assert.equal(v.time, 20_500_000);
  });

  test('max_offset and converges read the rounded clock too', () => {
    // A reads 0 until 1ms: 500us behind true time at 500us.
    const off = firstViolation('clock A { resolution 1ms }\ninvariant max_offset < 500us')!;
    assert.equal(off.time, 500 * US);
    assert.match(off.message, /A is 500us behind true time/);
    // At 10ms A and B read 10ms (converged); B − A reaches 500us again at 10.5ms.
    const conv = firstViolation('clock A { resolution 1ms }\ninvariant converges within 10ms < 500us')!;
    assert.equal(conv.time, 10_500_000);
    assert.match(conv.message, /^diverged again at t=10\.5ms: skew 500us >= 500us/);
  });

  test('N.offset is the reading minus true time', () => {
    // At 900us A reads 0 (resolution 1ms): −900us, where the unrounded clock said 0.
    const r = run('clock A { resolution 1ms }\nexpect A.offset == -900us at 900us\nexpect B.offset == 0ns at 900us');
    assert.deepEqual(r.expectations.map((e) => e.outcome?.passed), [true, true]);
    // −1000ppm at 1ms + 1ns: A reads ⌊999_000.999⌋ = 999_000, so its offset is −1001ns (unrounded: −1000.001ns).
    const d = run('clock A { drift -1000ppm }\nexpect A.offset == -1001ns at 1000001ns');
    assert.equal(d.expectations[0]!.outcome?.passed, true);
  });
});

describe('firstGapAtLeast: the exact solver against a scan of every nanosecond', () => {
  const clockArb = fc.record({
    offset: fc.integer({ min: -3000, max: 3000 }),
    driftPpm: fc.oneof(fc.constant(0), fc.integer({ min: -100_000, max: 100_000 }), fc.constantFrom(-1000, 1000, 1, -1)),
    resolution: fc.constantFrom(0, 1, 2, 3, 7, 10, 100, 250, 1000),
  });
  test('same first instant as brute force over random small clocks, jumps included', () => {
    fc.assert(
      fc.property(clockArb, clockArb, fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: -50, max: 1500 }), fc.integer({ min: -2000, max: 2000 }),
        (ca, cb, from, length, k, jump) => {
          const a = new LocalClock(ca);
          const b = new LocalClock(cb);
          // A jump before the searched span starts a later piece (the solver works on whatever piece it is given).
          if (jump !== 0) a.jump(from, jump);
          const to = from + length;
          let expected: number | undefined;
          for (let t = from; t <= to; t++) {
            if (a.read(t) - b.read(t) >= k) {
              expected = t;
              break;
            }
          }
          assert.equal(firstGapAtLeast(a, b, from, to, k), expected);
        }),
      { seed: 12, numRuns: 3000 },
    );
  });

  test('parallel clocks with resolutions: searched over one period of their pattern, found far into the piece', () => {
    // A reads ⌊(t + 999)/1000⌋·1000 (offset +999ns, ticks of 1us), B reads ⌊t/7⌋·7: A − B peaks at 999 + 6 = 1005
    // only where t ≡ 1 (mod 1000) and t mod 7 = 6, the first such t is 1_001 + 1000·j with (1001 + 1000j) mod 7 = 6.
    const a = new LocalClock({ offset: 999, driftPpm: 0, resolution: 1000 });
    const b = new LocalClock({ offset: 0, driftPpm: 0, resolution: 7 });
    let expected = -1;
    for (let t = 0; expected < 0; t++) if (a.read(t) - b.read(t) >= 1005) expected = t;
    assert.equal(firstGapAtLeast(a, b, 0, 10 * SECOND, 1005), expected);
    assert.equal(firstGapAtLeast(a, b, 0, 10 * SECOND, 1006), undefined);
  });
});

describe('max_skew in a run against a scan of every nanosecond', () => {
  type Fault = { time: number; node: number; kind: 'jump' | 'drift' | 'crash' | 'restart'; amount: number };
  const names = ['A', 'B', 'C'];
  const clockArb = fc.record({
    offset: fc.integer({ min: -800, max: 800 }),
    driftPpm: fc.oneof(fc.constant(0), fc.integer({ min: -100_000, max: 100_000 })),
    resolution: fc.constantFrom(0, 3, 10, 100, 1000),
  });
  const faultArb = fc.record({
    time: fc.integer({ min: 1, max: 19_999 }),
    node: fc.integer({ min: 0, max: 2 }),
    kind: fc.constantFrom('jump' as const, 'drift' as const, 'crash' as const),
    amount: fc.integer({ min: -3000, max: 3000 }),
  });

  /** The first instant the live readings are `k` apart: before and after the faults of each instant, as the engine orders them. */
  function bruteForce(clocks: { offset: number; driftPpm: number; resolution: number }[], faults: Fault[], end: number, k: number): number | undefined {
    const live = clocks.map((c) => ({ clock: new LocalClock(c), alive: true }));
    const exceeds = (t: number): boolean => {
      const readings = live.filter((n) => n.alive).map((n) => n.clock.read(t));
      return readings.length > 1 && Math.max(...readings) - Math.min(...readings) >= k;
    };
    for (let t = 0; t <= end; t++) {
      if (exceeds(t)) return t;
      const now = faults.filter((f) => f.time === t);
      if (now.length === 0) continue;
      for (const f of now) {
        const n = live[f.node]!;
        if (f.kind === 'jump') n.clock.jump(t, f.amount);
        else if (f.kind === 'drift') n.clock.setDrift(t, f.amount * 30);
        else n.alive = f.kind === 'restart';
      }
      if (exceeds(t)) return t;
    }
    return undefined;
  }

  test('random small clocks with jumps, drift changes and a crash: the same first violation instant', () => {
    fc.assert(
      fc.property(fc.array(clockArb, { minLength: 3, maxLength: 3 }), fc.uniqueArray(faultArb, { maxLength: 3, selector: (f) => f.time }), fc.integer({ min: 1, max: 4000 }), fc.boolean(), (clocks, written, bound, strict) => {
        // A crash comes with its restart 2µs later (when that is still in the run and at a free instant).
        const faults: Fault[] = [...written];
        for (const f of written) {
          if (f.kind === 'crash' && f.time + 2000 < 20_000 && !faults.some((g) => g.time === f.time + 2000)) faults.push({ ...f, kind: 'restart', time: f.time + 2000 });
        }
        const lines = faults.map((f) => {
          const node = names[f.node]!;
          if (f.kind === 'jump') return `at ${f.time}ns clock ${node} jump ${f.amount >= 0 ? '+' : ''}${f.amount}ns`;
          if (f.kind === 'drift') return `at ${f.time}ns clock ${node} drift ${f.amount >= 0 ? '+' : ''}${f.amount * 30}ppm`;
          return `at ${f.time}ns ${f.kind} ${node}`;
        });
        const clockLines = clocks.map((c, i) => `clock ${names[i]} { offset ${c.offset >= 0 ? '+' : ''}${c.offset}ns  drift ${c.driftPpm >= 0 ? '+' : ''}${c.driftPpm}ppm${c.resolution ? `  resolution ${c.resolution}ns` : ''} }`);
        const text = `scenario p { seed 1  run for 20us }\nnodes A, B, C\n${clockLines.join('\n')}\n${lines.length ? `faults {\n${lines.join('\n')}\n}\n` : ''}invariant max_skew ${strict ? '<' : '<='} ${bound}ns\n`;
        const violation = runText(text).violations[0];
        const expected = bruteForce(clocks, faults, 20_000, strict ? bound : bound + 1);
        assert.equal(violation?.time, expected, text);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
