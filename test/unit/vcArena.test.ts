import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { VcArena } from '../../server/src/core/sim/vcArena';

describe('VcArena', () => {
  // 5 nodes: copies of their own; 40 nodes: views into shared chunks (several chunks for 3,000 copies).
  for (const width of [1, 5, 16, 17, 40]) {
    test(`copies of a ${width}-entry clock keep the values they were made with`, () => {
      const arena = new VcArena(width);
      const live = new Int32Array(width);
      const copies: Int32Array[] = [];
      for (let k = 0; k < 3000; k++) {
        live[k % width]! += k;
        copies.push(arena.copy(live));
      }
      live.fill(-7);
      const expected = new Int32Array(width);
      copies.forEach((copy, k) => {
        expected[k % width]! += k;
        assert.equal(copy.length, width);
        assert.deepEqual(Array.from(copy), Array.from(expected), `copy ${k}`);
      });
    });
  }
});
