import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { HistoryError } from '../../server/src/core/history/located';
import { historyView } from '../../server/src/core/history/view';
import { guessModel } from '../../server/src/core/history/guessModel';

/**
 * The history webview's data (core/history/view.ts): dsync lin's verdict
 * laid out per key, one row per client, bars on a shared axis of event
 * ranks, the failing prefix's operations marked by their input lines.
 */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const STALE = fs.readFileSync(path.join(root, 'test/fixtures/histories/view-stale-read.edn'), 'utf8');

describe('history view payload', () => {
  const view = historyView(STALE, { model: 'register', file: 'view-stale-read.edn' });

  test('the verdict, format and one partition per key, the failing key first', () => {
    assert.equal(view.verdict, 'not linearizable');
    assert.equal(view.format, 'jepsen-edn');
    assert.equal(view.operations, 6);
    assert.deepEqual(view.partitions.map((p) => [p.key, p.verdict]), [['x', 'not linearizable'], ['y', 'linearizable']]);
    assert.deepEqual(view.partitions.map((p) => p.clients), [['0', '1', '2'], ['0', '3']]);
  });

  test('bars on ranks of the whole history: shared by both keys, the unknown outcome open-ended', () => {
    const x = view.partitions[0]!;
    // Events in file order: x's calls and returns take ranks 0..6 (the :info return has none), y's 7..10.
    assert.deepEqual(x.ops.map((o) => [o.text, o.row, o.call, o.ret, o.line, o.returnLine]), [
      ['write "x" ← 1', 0, 0, 1, 5, 6],
      ['write "x" ← 2 (outcome unknown)', 1, 2, null, 7, 10],
      ['read "x" → 2', 2, 3, 4, 8, 9],
      ['read "x" → 1', 2, 5, 6, 11, 12],
    ]);
    assert.deepEqual(view.partitions[1]!.ops.map((o) => [o.call, o.ret]), [[7, 8], [9, 10]]);
    assert.equal(view.endRank, 11);
    assert.deepEqual(x.ops.map((o) => o.result), ['ok', 'unknown', '2', '1']);
  });

  test('the failure: prefix end, the operations involved and the longest order, as indices into the ops', () => {
    const f = view.partitions[0]!.failure!;
    assert.equal(view.partitions[0]!.ops[f.prefixEnd]!.line, 11);
    assert.equal(f.prefixOperations, 4);
    assert.equal(f.minimal, true);
    assert.deepEqual(f.involved, [0, 1, 2, 3]);
    assert.deepEqual(f.longestOrder, [0, 1, 2]);
    assert.equal(view.partitions[1]!.failure, undefined);
  });

  test('a budget too small to decide: undecided keys carry their steps', () => {
    const tight = historyView(STALE.replace(':value 1}\n{:process 2, :type :ok, :f :read, :key "x", :value 1}', ':value 1}\n{:process 2, :type :ok, :f :read, :key "x", :value 2}'), { model: 'register', file: 'f', maxSteps: 1 });
    const undecided = tight.partitions.filter((p) => p.verdict === 'undecided');
    assert.ok(undecided.length >= 1, JSON.stringify(tight.partitions.map((p) => p.verdict)));
    assert.ok(undecided.every((p) => typeof p.undecidedSteps === 'number' && p.undecidedSteps >= 1));
    assert.equal(tight.verdict, 'undecided');
  });

  test('bad input throws HistoryError with the place', () => {
    assert.throws(() => historyView('{:process 0, :type :ok, :f :write, :value 1}\n', { model: 'register', file: 'f' }), (e: unknown) => e instanceof HistoryError && e.line === 1);
    assert.throws(() => historyView(STALE, { model: 'kv', file: 'f' }) && historyView('{:process 0, :type :invoke, :f :cas, :value [1 2]}', { model: 'register', file: 'f' }), HistoryError);
  });
});

describe('the command guesses the model from the operation names', () => {
  test('cas, append, keyed put/get, else register', () => {
    assert.equal(guessModel('INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]'), 'cas-register');
    assert.equal(guessModel('{:type :invoke, :f :cas, :value [1 2], :process 0}'), 'cas-register');
    assert.equal(guessModel('{:process 1, :type :invoke, :f :append, :key "x", :value "b"}'), 'append-kv');
    assert.equal(guessModel('{:process 0, :type :invoke, :f :put, :key "x", :value 1}'), 'kv');
    assert.equal(guessModel('{"events":[{"kind":"note","data":{"op":"put","key":"k"}}]}'), 'kv');
    assert.equal(guessModel(STALE), 'register');
  });
});
