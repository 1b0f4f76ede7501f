import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LocalClock } from '../../server/src/core/sim/clock';
import { MAX_WRITTEN_NS, SIMULATED_TIME_LIMIT_NS } from '../../server/src/core/check/bounds';
import { checkText } from './support/scenario';

/** Every simulated time stays below 2^53 ns (about 104.2 days), where float64 still holds every integer nanosecond. */
describe('simulated times stay below 2^53 ns', () => {
  const codes = (text: string): [string, number, string][] => checkText(text).diagnostics.map((d) => [d.code, d.range.startLine, d.message]);

  test('the limit for written times, 100 days, is below 2^53 ns', () => {
    assert.equal(MAX_WRITTEN_NS, 8_640_000_000_000_000);
    assert.ok(MAX_WRITTEN_NS < SIMULATED_TIME_LIMIT_NS && SIMULATED_TIME_LIMIT_NS === 9_007_199_254_740_992);
  });

  test("'run for' past 100 days is DS129 (105 days used to run, with inexact times past 2^53 ns)", () => {
    // 151200min = 105 days > 2^53 ns: `every 1ns` there fired a million times at one instant.
    assert.deepEqual(codes('scenario s { seed 1  run for 151200min }\nnodes A, B\nevery 1ns A local "x" from 1s'), [
      ['DS129', 1, "'run for' is limited to 100 days (144000min) of simulated time"],
    ]);
    assert.equal(checkText('scenario s { seed 1  run for 144000min }\nnodes A, B').model?.duration, MAX_WRITTEN_NS);
  });

  test('a written time past 100 days anywhere is DS129 where it is written', () => {
    const text = 'scenario s { seed 1  run for 1s }\nnodes A, B\nclock A { offset +144001min }\nfaults { at 1ms clock B jump -200000min }';
    assert.deepEqual(codes(text).map(([code, line, message]) => [code, line, message]), [
      ['DS129', 3, '+144001min is too long: times are limited to 100 days (144000min)'],
      ['DS129', 4, '-200000min is too long: times are limited to 100 days (144000min)'],
    ]);
  });

  test('each time within its limit, but a clock that could read past 2^53 ns in the run: DS129 on `run for`, naming the clock', () => {
    // 100 days of run + an offset of 5 days = 105 days > 104.2 days.
    const offset = codes('scenario s { seed 1  run for 144000min }\nnodes A, B\nclock B { offset -7200min }');
    assert.equal(offset.length, 1);
    assert.deepEqual(offset[0]!.slice(0, 2), ['DS129', 1]);
    assert.match(offset[0]![2], /^B's clock could reach 105\.0 days in this run .*below 2\^53 ns \(about 104 days\)/);
    // 100 days at +50000ppm read 105 days; at −50000ppm the clock stays behind true time: fine.
    assert.match(codes('scenario s { seed 1  run for 144000min }\nnodes A, B\nclock A { drift +50000ppm }')[0]![2], /^A's clock could reach 105\.0 days/);
    assert.deepEqual(codes('scenario s { seed 1  run for 144000min }\nnodes A, B\nclock A { drift -50000ppm }'), []);
    // Drift changed by a fault, and jumps that add up (each is allowed alone): 90 days + 2 × 8 days = 106 days.
    // 98 days at +60000ppm (from a fault) read 103.88 days: fine; at +70000ppm 104.86 days: too far.
    assert.deepEqual(codes('scenario s { seed 1  run for 141120min }\nnodes A, B\nfaults { at 1s clock A drift +60000ppm }'), []);
    assert.match(codes('scenario s { seed 1  run for 141120min }\nnodes A, B\nfaults { at 1s clock A drift +70000ppm }')[0]![2], /^A's clock could reach 104\.9 days/);
    const jumps = codes('scenario s { seed 1  run for 129600min }\nnodes A, B\nfaults {\n at 1s clock A jump +11520min\n at 2s clock A jump -11520min\n}');
    assert.match(jumps[0]![2], /^A's clock could reach 106\.0 days/);
  });

  test('LocalClock readings are exact integers up to 100 days at any whole-ppm drift (BigInt reference)', () => {
    const MICRO = 1_000_000n;
    const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: MAX_WRITTEN_NS }),
        (ppm, offset, t) => {
          // offset + t + ⌊t · ppm / 10⁶⌋, in exact integers; the checker keeps readings below 2^53 ns.
          const expected = BigInt(offset) + BigInt(t) + floorDiv(BigInt(t) * BigInt(ppm), MICRO);
          fc.pre(expected < BigInt(SIMULATED_TIME_LIMIT_NS));
          const clock = new LocalClock({ offset, driftPpm: ppm, resolution: 0 });
          assert.equal(BigInt(clock.read(t)), expected);
          // …and a timer for that reading fires at the first true instant that reaches it.
          const at = clock.trueTimeAt(0, clock.read(t));
          assert.ok(at <= t && BigInt(clock.read(at)) === expected && (at === 0 || clock.read(at - 1) < clock.read(t)));
        },
      ),
      { seed: 53, numRuns: 2000 },
    );
  });

  test('a hand-worked reading past the old exact range: 100 days − 1ns at +99999ppm', () => {
    // t = 8_639_999_999_999_999; t · 99999 / 10⁶ = 863_991_359_999_999.900001 → ⌊⌋ = 863_991_359_999_999.
    const clock = new LocalClock({ offset: 0, driftPpm: 99_999, resolution: 0 });
    assert.equal(clock.read(MAX_WRITTEN_NS - 1), 8_639_999_999_999_999 + 863_991_359_999_999);
  });
});
