import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { cloneData } from '../../server/src/core/sim/nodeState';

/**
 * Stable storage keeps what a JSON round trip of the value would give (what
 * a disk holds); cloneData copies plain data by hand for speed and must
 * agree with the round trip on everything, including JSON's odd corners.
 */
const roundTrip = (v: unknown): unknown => (v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v)));

describe('stable storage copies', () => {
  test('agree with a JSON round trip on random plain data', () => {
    const leaf = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(-0), fc.constant(NaN), fc.constant(Infinity));
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 5 }),
    })).value;
    fc.assert(fc.property(fc.oneof(fc.array(data), fc.dictionary(fc.string(), data)), (v) => {
      assert.deepStrictEqual(cloneData(v), roundTrip(v));
    }), { seed: 20261201, numRuns: 2000 });
  });

  test('agree on values that are not plain data: a Map, a Date, toJSON, a class instance', () => {
    class Point { constructor(readonly x: number, readonly y: number) {} }
    const odd = { m: new Map([[1, 2]]), d: new Date(0), j: { toJSON: () => 'j' }, p: new Point(1, 2), f: () => 1, list: [new Date(5), undefined, () => 0] };
    assert.deepStrictEqual(cloneData(odd), roundTrip(odd));
    assert.deepStrictEqual(cloneData([new Point(3, 4)]), [{ x: 3, y: 4 }]);
    const proto = JSON.parse('{"__proto__": {"x": 1}, "y": [1]}') as object;
    assert.deepStrictEqual(cloneData(proto), roundTrip(proto));
    assert.equal(Object.getPrototypeOf(cloneData(proto)), Object.prototype);
  });

  test('are copies: changing the original afterwards changes nothing stored', () => {
    const entry = { term: 2, command: { opId: 'c1.1', keys: ['k'] } };
    const stored = cloneData(entry) as typeof entry;
    entry.command.keys.push('x');
    entry.term = 9;
    assert.deepStrictEqual(stored, { term: 2, command: { opId: 'c1.1', keys: ['k'] } });
  });

  test('a bigint fails as it does in JSON', () => {
    assert.throws(() => cloneData({ n: 1n }), TypeError);
  });
});
