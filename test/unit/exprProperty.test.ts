import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compile } from '../../server/src/core/expr/compile';
import { evaluateReference } from '../../server/src/core/expr/reference';
import type { Value } from '../../server/src/core/expr/values';
import { checked, readerOf, type TestState } from './support/expr';

/**
 * The compiled closures agree with the reference evaluator on random
 * well-typed expressions over random states: the same value, or the same
 * run-time error (overflow, division by zero, index out of range, …).
 */
type Var = { readonly name: string; readonly raft: boolean };

const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

function nodeExpr(vars: readonly Var[], raftOnly: boolean): fc.Arbitrary<string> {
  const bound = vars.filter((v) => !raftOnly || v.raft).map((v) => v.name);
  const consts = raftOnly ? ['n1', 'n2'] : ['n1', 'n2', 'n3'];
  return pick(...consts, ...bound);
}

function intExpr(depth: number, vars: readonly Var[]): fc.Arbitrary<string> {
  const leaves = fc.oneof(
    fc.integer({ min: -20, max: 20 }).map(String),
    pick('9007199254740991', '4503599627370496', '-9007199254740991'),
    nodeExpr(vars, true).map((n) => `${n}.term`),
    nodeExpr(vars, false).map((n) => `${n}.lamport`),
    nodeExpr(vars, true).map((n) => `size(${n}.log)`),
  );
  if (depth <= 0) return leaves;
  const sub = () => intExpr(depth - 1, vars);
  return fc.oneof(
    { weight: 3, arbitrary: leaves },
    fc.tuple(sub(), pick('+', '-', '*', '/', '%'), sub()).map(([a, op, b]) => `(${a} ${op} ${b})`),
    sub().map((a) => `(-${a})`),
    fc.tuple(pick('min', 'max'), sub(), sub()).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(boolExpr(depth - 1, vars), sub(), sub()).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
    fc.tuple(pick('raft', 'nodes'), fc.constant(0)).chain(([s]) => boolExpr(depth - 1, [...vars, { name: 'c', raft: s === 'raft' }]).map((p) => `count(c in ${s} where ${p})`)),
    fc.tuple(nodeExpr(vars, true), sub()).map(([n, i]) => `${n}.log[${i}]`),
    nodeExpr(vars, true).map((n) => `sum(${n}.log)`),
  );
}

function timeExpr(depth: number, vars: readonly Var[]): fc.Arbitrary<string> {
  const leaves = fc.oneof(fc.integer({ min: 0, max: 5000 }).map((n) => `${n}us`), nodeExpr(vars, false).map((n) => `${n}.clock`), fc.constant('now'));
  if (depth <= 0) return leaves;
  const sub = () => timeExpr(depth - 1, vars);
  return fc.oneof(
    { weight: 3, arbitrary: leaves },
    fc.tuple(sub(), pick('+', '-', '%'), sub()).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(sub(), pick('*', '/'), intExpr(depth - 1, vars)).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(pick('min', 'max'), pick('raft', 'nodes')).map(([f, s]) => `${f}(t in ${s}: t.clock)`),
  );
}

function boolExpr(depth: number, vars: readonly Var[]): fc.Arbitrary<string> {
  const leaves = fc.oneof(
    pick('true', 'false'),
    nodeExpr(vars, false).map((n) => `${n}.alive`),
    fc.tuple(nodeExpr(vars, true), pick('leader', 'follower', 'candidate')).map(([n, r]) => `${n}.role == "${r}"`),
    fc.tuple(nodeExpr(vars, false), nodeExpr(vars, false)).map(([a, b]) => `${a} == ${b}`),
    fc.tuple(nodeExpr(vars, false), nodeExpr(vars, true)).map(([a, b]) => `${a} in ${b}.votes`),
  );
  if (depth <= 0) return leaves;
  const sub = () => boolExpr(depth - 1, vars);
  const name = `v${vars.length}`;
  return fc.oneof(
    { weight: 2, arbitrary: leaves },
    fc.tuple(sub(), pick('and', 'or', 'implies'), sub()).map(([a, op, b]) => `(${a} ${op} ${b})`),
    sub().map((a) => `(not ${a})`),
    fc.tuple(intExpr(depth - 1, vars), pick('==', '!=', '<', '<=', '>', '>='), intExpr(depth - 1, vars)).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(timeExpr(depth - 1, vars), pick('<', '>=', '=='), timeExpr(depth - 1, vars)).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(pick('forall', 'exists'), pick('raft', 'nodes', '{n1, n3}')).chain(([q, s]) => boolExpr(depth - 1, [...vars, { name, raft: s === 'raft' }]).map((p) => `(${q} ${name} in ${s}: ${p})`)),
    fc.tuple(nodeExpr(vars, true), nodeExpr(vars, true), intExpr(depth - 1, vars)).map(([a, b, n]) => `prefix_agrees(${a}.log, ${b}.log, ${n})`),
  );
}

const raftState = fc.record({
  role: pick('leader', 'follower', 'candidate'),
  term: fc.integer({ min: 0, max: 5 }),
  log: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 5 }),
  votes: fc.subarray(['n1', 'n2', 'n3']),
  kv: fc.constant({}),
  leader: fc.constant(null),
  lease: fc.integer({ min: 0, max: 1e9 }),
});

const state: fc.Arbitrary<TestState> = fc.record({
  props: fc.tuple(raftState, raftState).map(([a, b]) => [a, b, {}] as Record<string, Value>[]),
  lamport: fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(9007199254740991)), { minLength: 3, maxLength: 3 }),
  clock: fc.array(fc.integer({ min: 0, max: 2e9 }), { minLength: 3, maxLength: 3 }),
  alive: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  now: fc.integer({ min: 0, max: 2e9 }),
});

function outcome(f: () => Value): { value?: Value; error?: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('expressions: compiled == reference on random states (fast-check)', () => {
  test('random boolean expressions', () => {
    fc.assert(
      fc.property(boolExpr(3, []), fc.array(state, { minLength: 3, maxLength: 3 }), (source, states) => {
        const c = checked(source);
        const compiled = compile(c);
        for (const s of states) {
          const reader = readerOf(s);
          assert.deepEqual(outcome(() => compiled(reader)), outcome(() => evaluateReference(c, reader)), source);
        }
      }),
      { numRuns: 400, seed: 14 },
    );
  });
  test('random int and time expressions', () => {
    fc.assert(
      fc.property(fc.oneof(intExpr(3, []), timeExpr(3, [])), state, (source, s) => {
        const c = checked(source);
        const reader = readerOf(s);
        assert.deepEqual(outcome(() => compile(c)(reader)), outcome(() => evaluateReference(c, reader)), source);
      }),
      { numRuns: 400, seed: 15 },
    );
  });
});
