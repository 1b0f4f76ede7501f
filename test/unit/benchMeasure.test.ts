import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meets, percentile, rates, stats } from '../../bench/support/measure';

describe('benchmark statistics (bench/support/measure.ts)', () => {
  it('takes the median of repeated runs, not the best one, and keeps the spread', () => {
    const s = stats([30, 10, 20, 50, 40]);
    assert.deepEqual({ ...s }, { median: 30, min: 10, max: 50, q1: 20, q3: 40, count: 5 });
    assert.equal(stats([4, 1, 3, 2]).median, 2.5);
    assert.throws(() => stats([]));
  });

  it('turns run times into rates: the slowest run is the lowest rate', () => {
    const r = rates(100, stats([100, 200, 400]));
    assert.equal(r.median, 500);
    assert.equal(r.min, 250);
    assert.equal(r.max, 1000);
  });

  it('judges rates as at least the target and latencies as at most it', () => {
    assert.equal(meets(2, 2), true);
    assert.equal(meets(1.9, 2), false);
    assert.equal(meets(100, 100, false), true);
    assert.equal(meets(101, 100, false), false);
  });

  it('takes percentiles by nearest rank', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 10);
    assert.equal(percentile(xs, 95), 19);
    assert.equal(percentile(xs, 100), 20);
  });
});
