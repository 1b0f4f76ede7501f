import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkHistory } from '../../server/src/core/history/analyze';
import type { ModelName } from '../../server/src/core/history/models';
import { NIL, UNKNOWN, type HistoryOp, type OpInput, type OpKind, type OpOutput, type Value } from '../../server/src/core/history/operations';

/**
 * dsync lin's checker against a brute-force oracle on random small
 * histories of every model: the oracle tries every order of the operations
 * that respects real time, and lets operations of unknown outcome be left
 * out, replaying each through a plain sequential specification written
 * here from the model's definition (docs/histories.md), not from models.ts.
 * On a violation it also checks the explanation: the smallest failing
 * prefix fails and the one before it does not, and the operations involved
 * fail on their own.
 */
type Spec = Map<string, string>;

function emptyAs(model: ModelName): string {
  return model === 'kv' || model === 'append-kv' ? 's:' : 'nil';
}

/** The sequential specification: the next state, or undefined when the operation cannot return what it did. */
function apply(model: ModelName, state: Spec, op: HistoryOp): Spec | undefined {
  const key = op.input.key ?? '';
  const norm = (v: Value | undefined): string => (v === undefined || v.key === 'nil' ? emptyAs(model) : model === 'kv' && v.key === 's:' ? 's:' : v.key);
  const current = state.get(key) ?? emptyAs(model);
  const next = new Map(state);
  switch (op.input.kind) {
    case 'read':
      return !op.output.known || norm(op.output.value) === current ? state : undefined;
    case 'write':
      next.set(key, norm(op.input.value));
      return next;
    case 'append':
      next.set(key, current + op.input.value!.string);
      return next;
    case 'cas': {
      const matches = norm(op.input.expected) === current;
      if (op.output.known && op.output.casSucceeded !== matches) return undefined;
      if (matches) next.set(key, norm(op.input.value));
      return next;
    }
  }
}

/**
 * Every order of the operations that respects real time, replayed through
 * `apply`; operations of unknown outcome may be left out. A memo of
 * (operations used, state) already found to fail keeps histories of 10 to
 * 14 mostly concurrent operations cheap: the orders it tries are the same.
 */
function oracle(model: ModelName, ops: readonly HistoryOp[]): boolean {
  const failed = new Set<string>();
  const used = ops.map(() => false);
  const search = (state: Spec): boolean => {
    if (ops.every((o, i) => used[i] || !o.output.known)) return true; // the unknown rest never took effect
    const key = `${used.map((u) => (u ? 1 : 0)).join('')}|${[...state].sort().join(',')}`;
    if (failed.has(key)) return false;
    for (let i = 0; i < ops.length; i++) {
      if (used[i]) continue;
      const op = ops[i]!;
      if (ops.some((o, j) => !used[j] && j !== i && o.ret < op.call)) continue;
      const next = apply(model, state, op);
      if (!next) continue;
      used[i] = true;
      const found = search(next);
      used[i] = false;
      if (found) return true;
    }
    failed.add(key);
    return false;
  };
  return search(new Map());
}

/** The history as it stood just after `cut`, written out again from the definition of a prefix. */
function prefix(ops: readonly HistoryOp[], cut: number): HistoryOp[] {
  return ops.filter((o) => o.call <= cut).flatMap((o) => (o.ret <= cut ? [o] : o.input.kind === 'read' ? [] : [{ ...o, ret: Infinity, output: UNKNOWN }]));
}

const int = (n: number): Value => ({ key: `i:${n}`, text: String(n) });
const str = (s: string): Value => ({ key: `s:${s}`, text: JSON.stringify(s), string: s });

const KINDS: Record<ModelName, OpKind[]> = { register: ['read', 'write'], 'cas-register': ['read', 'write', 'cas'], kv: ['read', 'write'], 'append-kv': ['read', 'write', 'append'] };

/**
 * `keys`: the keys drawn from; `maxLength`: operations at most; `unknownIn10`: of ten writes, how many never return;
 * `minLength`: operations at least; `latestCall`, `longest`: calls are drawn in [0, latestCall], durations in [0, longest].
 */
interface Shape {
  readonly keys: readonly string[];
  readonly maxLength: number;
  readonly unknownIn10: number;
  readonly minLength?: number;
  readonly latestCall?: number;
  readonly longest?: number;
}

function arbitraryHistory(model: ModelName, shape: Shape = { keys: ['x', 'y'], maxLength: 7, unknownIn10: 3 }): fc.Arbitrary<HistoryOp[]> {
  const value = model === 'append-kv' ? fc.constantFrom(str('a'), str('b'), str('')) : fc.constantFrom(int(1), int(2), NIL, ...(model === 'kv' ? [str('')] : []));
  const readValue = model === 'append-kv' ? fc.constantFrom(str(''), str('a'), str('b'), str('ab'), str('ba'), str('aa'), NIL) : value;
  const op = fc.record({
    kind: fc.constantFrom(...KINDS[model]),
    key: fc.constantFrom(...shape.keys),
    value,
    expected: value,
    read: readValue,
    casOk: fc.boolean(),
    call: fc.integer({ min: 0, max: shape.latestCall ?? 30 }),
    length: fc.integer({ min: 0, max: shape.longest ?? 20 }),
    unknown: fc.integer({ min: 0, max: 9 }),
  });
  return fc.array(op, { minLength: shape.minLength ?? 1, maxLength: shape.maxLength }).map((raw) =>
    raw.map((r, id) => {
      const unknown = r.unknown < shape.unknownIn10 && r.kind !== 'read'; // often, so that twins (equal operations that never returned) come up
      const input: OpInput = { kind: r.kind, key: r.key, ...(r.kind !== 'read' ? { value: r.value } : {}), ...(r.kind === 'cas' ? { expected: r.expected } : {}) };
      const output: OpOutput = unknown ? UNKNOWN : { known: true, ...(r.kind === 'read' ? { value: r.read } : {}), ...(r.kind === 'cas' ? { casSucceeded: r.casOk } : {}) };
      // Distinct instants: calls at even times, returns at odd ones, as positions in a file are.
      return { id, client: `p${id}`, input, output, call: 2 * r.call, ret: unknown ? Infinity : 2 * (r.call + r.length) + 1, callAt: { line: id + 1, column: 1 }, returnAt: undefined };
    }),
  );
}

describe('dsync lin: the checker agrees with brute force on random small histories', () => {
  for (const model of ['register', 'cas-register', 'kv', 'append-kv'] as const) {
    test(model, () => {
      let violations = 0;
      let runs = 0;
      fc.assert(
        fc.property(arbitraryHistory(model), (ops) => {
          runs++;
          const v = checkHistory(ops, model);
          const expected = oracle(model, ops);
          assert.equal(v.verdict, expected ? 'linearizable' : 'not linearizable');
          if (expected) return;
          violations++;
          for (const f of v.failures) {
            const key = ops.filter((o) => o.input.key === f.key);
            assert.equal(oracle(model, key), false, 'a failing key fails on its own');
            const end = f.prefixEnd.ret;
            assert.equal(oracle(model, prefix(key, end)), false, 'the smallest failing prefix fails');
            const earlier = key.map((o) => o.ret).filter((t) => t < end);
            if (earlier.length > 0) assert.equal(oracle(model, prefix(key, Math.max(...earlier))), true, 'the prefix one return shorter is linearizable');
            const involved = new Set(f.involved.map((o) => o.id));
            assert.equal(oracle(model, prefix(key, end).filter((o) => involved.has(o.id))), false, 'the operations involved fail on their own');
          }
        }),
        { numRuns: 400, seed: 17 },
      );
      // Both verdicts must come up, or the comparison proves little.
      assert.ok(violations > runs / 10 && violations < (runs * 9) / 10, `${violations} violations in ${runs} runs`);
    });
  }
});

describe('dsync lin: operations of unknown outcome, against brute force', () => {
  // One key, up to 9 operations, half of the writes never returning: the
  // search tries these last, places one only when a later operation needs
  // its effect, and counts a configuration as failed when a failed one has
  // the same state with fewer of them (search.ts, memo.ts). Each cut must
  // agree with trying every order.
  for (const model of ['register', 'cas-register', 'append-kv'] as const) {
    test(model, () => {
      let violations = 0;
      let runs = 0;
      fc.assert(
        fc.property(arbitraryHistory(model, { keys: ['x'], maxLength: 9, unknownIn10: 5 }), (ops) => {
          runs++;
          const expected = oracle(model, ops);
          assert.equal(checkHistory(ops, model).verdict, expected ? 'linearizable' : 'not linearizable');
          if (!expected) violations++;
        }),
        { numRuns: 300, seed: 23 },
      );
      assert.ok(violations > runs / 10 && violations < (runs * 9) / 10, `${violations} violations in ${runs} runs`);
    });
  }
});

describe('dsync lin: many concurrent operations on one register with repeating values, against brute force', () => {
  // 10 to 14 operations called within a short span and lasting long, so that
  // ten or more are pending at once (as with 20 etcd clients), values 1, 2
  // and nil repeating: where the lookahead (linearizability/lookahead.ts)
  // and the greedy placement of reads and failed compare-and-sets cut most.
  for (const model of ['register', 'cas-register'] as const) {
    for (const unknownIn10 of [0, 2]) {
      test(`${model}, ${unknownIn10} in 10 writes of unknown outcome`, () => {
        let violations = 0;
        let runs = 0;
        let crowded = 0;
        fc.assert(
          fc.property(arbitraryHistory(model, { keys: ['x'], minLength: 10, maxLength: 14, unknownIn10, latestCall: 12, longest: 30 }), (ops) => {
            runs++;
            if (ops.filter((o) => o.call <= 24 && o.ret > 24).length >= 10) crowded++;
            const expected = oracle(model, ops);
            assert.equal(checkHistory(ops, model).verdict, expected ? 'linearizable' : 'not linearizable');
            if (!expected) violations++;
          }),
          { numRuns: 150, seed: 4 },
        );
        assert.ok(violations > runs / 10 && violations < (runs * 9) / 10, `${violations} violations in ${runs} runs`);
        assert.ok(crowded > runs / 4, `only ${crowded} of ${runs} histories have ten operations pending at once`);
      });
    }
  }
});
