import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readEdn } from '../../server/src/core/history/edn';
import { readJson } from '../../server/src/core/history/json';
import { HistoryError, showDatum } from '../../server/src/core/history/located';
import { detectFormat, readHistory } from '../../server/src/core/history/read';
import { describeOp } from '../../server/src/core/history/operations';

/** The history readers on their own: what they accept, and where they say bad input is. */
function errorAt(run: () => unknown): [number, number, string] {
  try {
    run();
  } catch (e) {
    if (e instanceof HistoryError) return [e.line, e.column, e.message];
    throw e;
  }
  assert.fail('no error');
}

describe('EDN reader', () => {
  test('the subset histories use, with positions', () => {
    const forms = readEdn('; a comment\n{:a [1 -2 3N], :b #{"x\\n" nil}, :c (true false), :d 1.5, :e #_ :skipped sym/bol}\n#inst "2020"');
    assert.equal(forms.length, 2);
    assert.equal(showDatum(forms[0]!), '{:a [1 -2 3], :b #{"x\\n" nil}, :c (true false), :d 1.5, :e sym/bol}');
    assert.deepEqual([forms[0]!.line, forms[0]!.column, forms[1]!.line], [2, 1, 3]);
    assert.equal(showDatum(forms[1]!), '#inst "2020"');
  });

  test('integers keep their digits past 2^53', () => {
    const [d] = readEdn('123456789012345678901234567890');
    assert.equal(d!.kind === 'int' && d!.text, '123456789012345678901234567890');
  });

  const BAD: [string, number, number, RegExp][] = [
    ['{:a 1', 1, 1, /map opened here is never closed/],
    ['[1 2\n 3}', 2, 3, /unexpected '\}'|never closed/],
    ['{:a}', 1, 2, /needs a value for every key/],
    ['"abc', 1, 1, /string opened here is never closed/],
    ['"\\q"', 1, 3, /unknown escape/],
    ['\\a', 1, 1, /character literals/],
    ['  01', 1, 3, /leading zeros/],
    ['#?(:clj 1)', 1, 1, /not EDN/],
    ['1.2.3', 1, 1, /not a number/],
  ];
  for (const [text, line, column, message] of BAD) {
    test(`refuses ${JSON.stringify(text)} at ${line}:${column}`, () => {
      const [l, c, m] = errorAt(() => readEdn(text));
      assert.deepEqual([l, c], [line, column], m);
      assert.match(m, message);
    });
  }
});

describe('JSON reader', () => {
  test('values and positions', () => {
    const d = readJson('{\n  "a": [1, 2.5, "x", null, true],\n  "b": {}\n}');
    assert.equal(showDatum(d), '{"a" [1 2.5 "x" nil true], "b" {}}');
  });
  for (const [text, line, column] of [['{"a": }', 1, 7], ['[1, 2', 1, 1], ['{"a": 1} x', 1, 10], ['{"a": "\u0001"}', 1, 9]] as const) {
    test(`refuses ${JSON.stringify(text)} at ${line}:${column}`, () => {
      assert.deepEqual(errorAt(() => readJson(text)).slice(0, 2), [line, column]);
    });
  }
});

describe('history formats', () => {
  test('detection from the content', () => {
    assert.equal(detectFormat('{"scenario": "x", "events": []}'), 'dsync-json');
    assert.equal(detectFormat('INFO  jepsen.util - 0\t:invoke\t:read\tnil\n'), 'porcupine');
    assert.equal(detectFormat('0 :invoke :read nil\n'), 'porcupine');
    assert.equal(detectFormat('{:process 0, :type :invoke, :f :get, :key "x", :value nil}'), 'jepsen-edn');
    assert.equal(detectFormat('[{:type :invoke}]'), 'jepsen-edn');
  });

  test('Jepsen log lines: trailing fields ignored, other lines skipped, :nemesis skipped', () => {
    const text = 'INFO  jepsen.core - Running\nINFO  jepsen.util - 6 \t:invoke :write \t38 \t:hint 0\nINFO  jepsen.util - :nemesis\t:info\t:start\tnil\nINFO  jepsen.util - 6 \t:ok :write \t38 \t:hint 2\n';
    const h = readHistory(text);
    assert.equal(h.format, 'porcupine');
    assert.deepEqual(h.ops.map((op) => [describeOp(op), op.callAt.line, op.returnAt?.line]), [['write 38', 2, 4]]);
  });

  test('Jepsen records (#jepsen.history.Op{…}) read as maps', () => {
    const h = readHistory('[#jepsen.history.Op{:index 0, :type :invoke, :process 0, :f :write, :value 1}\n #jepsen.history.Op{:index 1, :type :ok, :process 0, :f :write, :value 1}]');
    assert.deepEqual(h.ops.map(describeOp), ['write 1']);
  });

  test('an operation still outstanding at the end may have happened', () => {
    const h = readHistory('{:type :invoke, :f :write, :value 1, :process 0}\n{:type :invoke, :f :read, :process 1}\n');
    assert.deepEqual(h.ops.map((op) => [describeOp(op), op.ret]), [['write 1 (outcome unknown)', Infinity]]);
  });
});
