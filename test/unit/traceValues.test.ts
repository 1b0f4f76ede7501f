import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { Column } from '../../server/src/core/sim/column';
import { TextTemplates } from '../../server/src/core/sim/traceText';
import { TraceValues } from '../../server/src/core/sim/traceValues';

/** Texts heavy in the cases the template split must get right: digit runs of every length, leading zeros, signs, dots. */
const textArb = fc.array(fc.oneof(
  fc.constantFrom('term=', ' prev=', '/t', ' commit=', '.', '-', '0', '00', '007', ' ', 'é', '\u0000', '→', ''),
  fc.integer({ min: 0, max: 2_000_000_000 }).map(String),
  fc.bigInt({ min: 0n, max: 10n ** 15n }).map(String),
  fc.string({ maxLength: 4 }),
), { maxLength: 8 }).map((parts) => parts.join(''));

describe('text templates', () => {
  test('every text comes back exactly, and equals() agrees with ===', () => {
    const texts = new TextTemplates();
    fc.assert(fc.property(textArb, textArb, (a, b) => {
      const id = texts.intern(a);
      const args = Array.from(texts.lastArgs().subarray(0, texts.arity(id)));
      assert.equal(texts.text(id, (i) => args[i]!), a);
      assert.equal(texts.equals(id, (i) => args[i]!, a), true);
      assert.equal(texts.equals(id, (i) => args[i]!, b), a === b);
    }), { numRuns: 3000 });
  });

  test('texts that differ only in their numbers share one template', () => {
    const texts = new TextTemplates();
    const a = texts.intern('term=62 prev=654/t62 heartbeat commit=654');
    const b = texts.intern(`term=${7} prev=${1}/t${3} heartbeat commit=${123456789}`);
    assert.equal(a, b);
    assert.deepEqual(Array.from(texts.lastArgs().subarray(0, texts.arity(b))), [7, 1, 3, 123456789]);
    // Leading zeros and runs past 9 digits are not numbers: they stay in the template.
    assert.notEqual(texts.intern('id 007'), texts.intern('id 7'));
    assert.notEqual(texts.intern('t 1234567890'), texts.intern('t 1'));
    assert.equal(texts.intern('id 007'), texts.intern('id 007'));
  });
});

/** Values of the shapes protocols report: nested arrays and records, long lists, every kind of number. */
const valueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, undefined, 0, -0, NaN, Infinity, -Infinity, 2 ** 28, -(2 ** 28), 2 ** 28 - 1, -(2 ** 28) - 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53 + 2),
    fc.integer(),
    fc.double(),
    textArb,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.constantFrom(1, 'c1.5 put k=5', { term: 1, command: 'no-op' }), { minLength: 30, maxLength: 100 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('__proto__', '0', '12', 'term', 'role')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('trace values', () => {
  test('every value comes back equal, with its keys in order, written among others', () => {
    const values = new TraceValues();
    const words = Column.int32();
    const written: { value: unknown; at: number }[] = [];
    let at = 0;
    fc.assert(fc.property(valueArb, (value) => {
      const start = at;
      at = values.write(value, words, at);
      assert.equal(values.skip(words, start), at);
      written.push({ value, at: start });
      const back = values.read(words, start);
      assert.deepStrictEqual(back, value);
      if (value !== null && typeof value === 'object') assert.deepEqual(Object.keys(back as object), Object.keys(value));
    }), { numRuns: 2000 });
    // Writing later values did not disturb earlier ones (interned parts are shared, never rewritten).
    for (const w of written) assert.deepStrictEqual(values.read(words, w.at), w.value);
  });

  test('equal values made apart share their storage; a long list that grows shares its chunks', () => {
    const values = new TraceValues();
    const words = Column.int32();
    const log = Array.from({ length: 320 }, (_, i) => ({ term: 1 + (i >> 5), command: `c1.${i} put k=${i}` }));
    let at = values.write(log, words, 0);
    const afterFirst = values.bytes;
    at = values.write(log.map((e) => ({ ...e })), words, at); // equal, not the same objects
    assert.equal(values.bytes, afterFirst, 'an equal value adds nothing to the tables');
    at = values.write([...log, { term: 11, command: 'c1.320 put k=320' }], words, at);
    // One new chunk (a single entry) and the list of chunk ids: far less than the first list.
    assert.ok(values.bytes - afterFirst < (afterFirst - 0) / 4, `${values.bytes - afterFirst} more bytes after ${afterFirst}`);
    assert.equal(at, 3, 'each list is one word where it is written');
    const raw = new Map([[1, 2]]);
    const rawAt = values.write(raw, words, at);
    assert.equal(values.read(words, at), raw, 'a value outside PropertyValue comes back as the very object');
    assert.equal(rawAt, at + 1);
  });

  test('isText compares a stored text without building it', () => {
    const values = new TraceValues();
    const words = Column.int32();
    values.write('term=3 granted', words, 0);
    assert.equal(values.isText(words, 0, 'term=3 granted'), true);
    assert.equal(values.isText(words, 0, 'term=4 granted'), false);
    assert.equal(values.isText(words, 0, 'term=3 granted!'), false);
    values.write(3, words, 10);
    assert.equal(values.isText(words, 10, '3'), false);
  });
});
