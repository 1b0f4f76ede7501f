import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { StateSet } from '../../server/src/core/explore/stateSet';
import { Rng } from '../../server/src/core/sim/rng';

/** The coverage set of 53-bit state hashes agrees with a plain Set<number>, through growth. */
describe('StateSet', () => {
  test('adds each hash once and counts them, like a Set, over 100,000 random 53-bit hashes', () => {
    const rng = new Rng(5, 'state-set-test');
    const ours = new StateSet();
    const reference = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      // A quarter are small values that repeat often; a quarter have their low 32 bits (where probing starts) all zero.
      const fresh = rng.nextUint32() * 0x200000 + (rng.nextUint32() & 0x1fffff);
      const h = i % 4 === 0 ? fresh % 1024 : i % 4 === 1 ? (fresh % 0x200000) * 0x100000000 : fresh;
      assert.equal(ours.add(h), !reference.has(h), `hash ${h}`);
      reference.add(h);
      assert.equal(ours.add(h), false);
    }
    assert.equal(ours.size, reference.size);
  });

  test('takes the extremes: 0 and 2^53 − 1', () => {
    const s = new StateSet();
    assert.equal(s.add(0), true);
    assert.equal(s.add(Number.MAX_SAFE_INTEGER), true);
    assert.equal(s.add(0), false);
    assert.equal(s.add(Number.MAX_SAFE_INTEGER), false);
    assert.equal(s.size, 2);
  });
});
