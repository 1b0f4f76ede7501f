import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkLinearizable } from '../../server/src/core/linearizability/checker';
import { explainKvViolation } from '../../server/src/core/linearizability/explain';
import { kvModel, type KvOperation, type KvValue } from '../../server/src/core/linearizability/history';

/**
 * The linearizable(kv) explanation names operations that contradict the
 * read (issue 12 item 4): before, it named the latest put that returned
 * before the get, whatever its value, even the very put the get read.
 * Times below are in ms.
 */
let nextId = 0;
const MS = 1e6;
function put(client: string, value: KvValue, call: number, ret: number): KvOperation {
  return { id: nextId++, client, input: { op: 'put', key: 'x', value }, output: undefined, call: call * MS, ret: ret * MS };
}
function get(client: string, result: KvValue | undefined, call: number, ret: number): KvOperation {
  return { id: nextId++, client, input: { op: 'get', key: 'x' }, output: result, call: call * MS, ret: ret * MS };
}

function explain(ops: KvOperation[]) {
  const r = checkLinearizable(kvModel, ops);
  assert.equal(r.kind, 'violation');
  if (r.kind !== 'violation') throw new Error('unreachable');
  return { culprit: r.culprit, ...explainKvViolation(r.partition, r.culprit, r.prefix) };
}

describe('linearizable(kv): the explanation names a contradiction', () => {
  test('a stale read seen through another get: names that get and the put it read, not the put of the value read', () => {
    // c2's put of 2 runs 15..100ms; c3 reads 2 at 20..30ms, so the put of 2 took effect by 30ms; c1's put
    // of 1 had returned at 10ms, before the put of 2 began. c4 then reads 1 at 40..50ms: stale.
    const p1 = put('c1', 1, 0, 10);
    const p2 = put('c2', 2, 15, 100);
    const g1 = get('c3', 2, 20, 30);
    const g2 = get('c4', 1, 40, 50);
    const e = explain([p1, p2, g1, g2]);
    assert.equal(e.culprit, g2);
    // The old explanation took the latest put that returned before the get: p1, which wrote the 1 it read.
    const latestReturned = [p1, p2].filter((p) => p.ret < g2.call).sort((a, b) => b.ret - a.ret)[0];
    assert.equal(latestReturned, p1);
    assert.equal(e.why, "c3's get x → 2 [20ms..30ms] returned before this get began, and every put of 1 (c1's put x = 1 [0ns..10ms]) had returned before the put of 2 (c2's put x = 2 [15ms..100ms]) began");
    assert.deepEqual(e.conflicting, [g1, p2, p1]);
  });

  test('a stale read after an overwrite that returned', () => {
    const p1 = put('c1', 1, 0, 10);
    const p2 = put('c2', 2, 20, 30);
    const g = get('c3', 1, 40, 50);
    const e = explain([p1, p2, g]);
    assert.equal(e.why, "c2's put x = 2 [20ms..30ms] returned before this get began, and every put of 1 (c1's put x = 1 [0ns..10ms]) had returned before it began");
    assert.deepEqual(e.conflicting, [p2, p1]);
  });

  test('a read of nothing after a put returned', () => {
    const p = put('c1', 1, 0, 10);
    const e = explain([p, get('c2', undefined, 20, 30)]);
    assert.equal(e.why, "c1's put x = 1 [0ns..10ms] returned before this get began, so x was no longer empty");
    assert.deepEqual(e.conflicting, [p]);
  });

  test('a value nobody wrote, and a value written only later', () => {
    assert.equal(explain([put('c1', 1, 0, 10), get('c2', 7, 20, 30)]).why, 'no put ever wrote 7 to x');
    const late = put('c1', 1, 20, 30);
    const e = explain([get('c2', 1, 0, 10), late]);
    assert.equal(e.why, "the only put of 1 began after this get returned (c1's put x = 1 [20ms..30ms])");
    assert.deepEqual(e.conflicting, [late]);
  });

  test('without a real-time contradiction: the last write of the failing order, which wrote another value', () => {
    // Both puts run 0..100ms; reads see 1, then 2, then 1 again: no order has two writes of 1.
    const p1 = put('c1', 1, 0, 100);
    const p2 = put('c2', 2, 0, 100);
    const e = explain([p1, p2, get('c3', 1, 10, 20), get('c3', 2, 30, 40), get('c3', 1, 50, 60)]);
    assert.equal(e.culprit.output, 1);
    assert.equal(e.why, "no order of the operations lets it read 1: the longest one found ends its writes with c2's put x = 2 [0ns..100ms]");
    assert.deepEqual(e.conflicting, [p2]);
  });
});
