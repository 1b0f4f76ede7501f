import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { arithmetic } from '../../server/src/core/expr/operations';
import { canonicalSet, compareValues, type Value } from '../../server/src/core/expr/values';
import { NO_RANGE } from '../../server/src/core/source';
import { digestValue } from '../../server/src/core/protocolLang/digest';
import { valuesEqual } from '../../server/src/core/protocols/values';
import { Simulation } from '../../server/src/core/sim/engine';
import { NodeState } from '../../server/src/core/sim/nodeState';
import { grownRaftScenario } from '../../bench/support/grownRaft';
import { checkText, eventsOf, modelOf, repoPath, runText, simulate } from './support/scenario';

/**
 * The run-time side of written protocols where it takes shortcuts for speed
 * (issue 15, "Speed"): the coverage fingerprint from cached digests, stable
 * state kept without a copy, map entries assigned by copying one object.
 * Each shortcut must give what the plain way gives.
 */

function scenario(body: string, rest = '', run = '100ms'): string {
  return `scenario t { seed 3  run for ${run} }\nprotocol p {\n${body}\n}\nnodes n1 run p\n${rest}\n`;
}

/** The numbers a node's fingerprint feeds to the coverage hash. */
function fingerprintOf(sim: Simulation, node = 0): number[] {
  const out: number[] = [];
  sim.fingerprint(node, (x) => void out.push(x));
  return out;
}

const STATE = `
  var m: map<string, int> = {}
  var l: list<{ a: int, s: string }> = []
  var s: set<int> = {}
  var text: string = ""`;

describe('written protocols: the exploration fingerprint', () => {
  test('equal state built in different ways fingerprints alike; a different value differs', () => {
    const a = simulate(scenario(`${STATE}
      on start { m["b"] = 2; m["a"] = 1; l = l + [{ a: 1, s: "x" }]; s = {2, 1}; text = "ab" }`));
    const b = simulate(scenario(`${STATE}
      on start { m["a"] = 1; m["b"] = 5; m["b"] = 2; l = [{ a: 0, s: "x" }]; l[0].a = 1; s = s + {1} + {2}; text = "a" + "b" }`));
    assert.deepEqual(a.inspect(0), b.inspect(0));
    assert.deepEqual(fingerprintOf(a), fingerprintOf(b));
    for (const change of ['m["a"] = 3', 'l[0].s = "y"', 's = {1}', 'text = "ba"', 'l = []']) {
      const c = simulate(scenario(`${STATE}
        on start { m["b"] = 2; m["a"] = 1; l = l + [{ a: 1, s: "x" }]; s = {2, 1}; text = "ab"; ${change} }`));
      assert.notDeepEqual(fingerprintOf(c), fingerprintOf(a), change);
    }
  });

  test('follows the state as it changes during a run (no stale digest of an earlier value)', () => {
    const text = scenario(`
      var log: list<int> = []
      var counts: map<string, int> = {}
      on start { timer tick after 10ms }
      on timer tick { log = log + [size(log)]; counts["k"] = size(log); timer tick after 10ms }`, '', '200ms');
    const sim = new Simulation(modelOf(text));
    const seen = new Map<string, string>();
    while (!sim.step(1)) {
      const state = JSON.stringify(sim.inspect(0));
      const print = fingerprintOf(sim).join(',');
      if (seen.has(state)) assert.equal(print, seen.get(state), `the same state ${state} fingerprints alike`);
      for (const [other, p] of seen) if (other !== state) assert.notEqual(print, p, `${state} and ${other}`);
      seen.set(state, print);
    }
    assert.ok(seen.size >= 15, `the log grew through many states (${seen.size})`);
  });

  const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(2 ** 40, -(2 ** 40) - 1, 1e15),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 3 }),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c', '1', '__proto__'), tie('v'), { maxKeys: 3 }),
    ),
  })).v;

  /** A structurally equal value made of new objects (so nothing is found in the digest cache). */
  const rebuilt = (v: Value): Value => (v === null || typeof v !== 'object' ? v : Array.isArray(v) ? v.map(rebuilt) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rebuilt(x)])));

  test('the digest is structural: equal values have equal digests, unequal ones (here) differ', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        assert.equal(digestValue(rebuilt(a)), digestValue(a));
        if (valuesEqual(a, b)) assert.equal(digestValue(a), digestValue(b));
        else assert.notEqual(digestValue(a), digestValue(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }),
      { seed: 20261207, numRuns: 3000 },
    );
    // Nesting is part of the value: [[1], [2]] is not [[1, 2]], nor [1, 2]; "1" is not 1.
    const distinct: Value[] = [[[1], [2]], [[1, 2]], [1, 2], [], [[]], '1', 1, '', null, false, 0, { a: 1 }, { a: [1] }, ['a', 1], { '1': 'a' }];
    assert.equal(new Set(distinct.map(digestValue)).size, distinct.length);
  });
});

describe('written protocols: stable state and assignments', () => {
  test('stable storage keeps an immutable value as it is, and still copies what it is given to set', () => {
    const state = new NodeState(modelOf(scenario('var x: int = 0')).nodes[0]!, 1, [modelOf(scenario('var x: int = 0')).protocols[0]!]);
    const stable = state.stable[0]!;
    const log = [{ term: 1 }];
    stable.keep!('log', log);
    assert.equal(stable.get('log'), log);
    stable.set('copied', log);
    assert.notEqual(stable.get('copied'), log);
    assert.deepEqual(stable.get('copied'), log);
  });

  test('a restarted node reads back the stable values it last wrote, not later ones', () => {
    const text = scenario(`
      stable log: list<int> = []
      stable entries: map<string, list<int>> = {}
      var lives: int = 0
      on start { lives = lives + 1; timer tick after 10ms }
      on timer tick { log = log + [size(log)]; entries["k"] = log; timer tick after 10ms }`, 'faults { at 55ms crash n1  at 80ms restart n1 }');
    const state = simulate(text).inspect(0);
    // 5 ticks before the crash (10..50ms), 2 after the restart (90ms, 100ms).
    assert.deepEqual(state['log'], [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(state['entries'], { k: [0, 1, 2, 3, 4, 5, 6] });
  });

  test('assigning an existing map entry keeps every other entry and the key order; "__proto__" is an ordinary key', () => {
    const state = simulate(scenario(`
      var m: map<string, int> = {}
      var before: map<string, int> = {}
      on start {
        m["__proto__"] = 1; m["b"] = 2; m["a"] = 3
        before = m
        m["__proto__"] = 10; m["b"] = 20
      }`)).inspect(0);
    const m = state['m'] as Record<string, number>;
    assert.deepEqual(Object.keys(m), ['__proto__', 'a', 'b']);
    assert.deepEqual(Object.entries(m), [['__proto__', 10], ['a', 3], ['b', 20]]);
    assert.equal(Object.getPrototypeOf(m), Object.prototype);
    assert.deepEqual(Object.entries(state['before'] as object), [['__proto__', 1], ['a', 3], ['b', 2]], 'the value assigned before is unchanged');
  });
});

describe('the benchmark\'s grown Raft (bench/support/grownRaft.ts, bench/lsp.bench.ts)', () => {
  test('is a protocol of 300+ lines that checks clean, runs its extensions and keeps Raft\'s invariants', () => {
    const { text, protocolLines } = grownRaftScenario(repoPath(), 3);
    assert.ok(protocolLines >= 300, `${protocolLines} lines`);
    assert.deepEqual(checkText(text).diagnostics.map((d) => `${d.code} ${d.message}`), []);
    const result = runText(text);
    assert.deepEqual(result.violations, []);
    const details = eventsOf(result, 'note').map((e) => e.detail ?? '');
    for (const extension of ['pre-candidate', 'pre-vote won', 'hands leadership to', 'committed up to']) {
      assert.ok(details.some((d) => d.includes(extension)), `a note '${extension}…' in the run`);
    }
  });
});

describe('set operations on canonical sets (the fast paths)', () => {
  const element: fc.Arbitrary<Value> = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constantFrom('n1', 'n2', 'n10', 'a', ''), fc.constantFrom([1], [1, 2], [2]), fc.constant({ a: 1 }));
  const canonical = fc.array(element, { maxLength: 6 }).map(canonicalSet);

  test('union merges two canonical sets into the canonical set of both; difference leaves out every element of the other', () => {
    fc.assert(
      fc.property(canonical, canonical, (a, b) => {
        assert.deepEqual(arithmetic('union', a, b, NO_RANGE), canonicalSet([...a, ...b]));
        assert.deepEqual(arithmetic('diff', a, b, NO_RANGE), a.filter((x) => !b.some((y) => compareValues(x, y) === 0)));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  test('canonicalSet sorts, drops repeats, and never returns the array it was given', () => {
    const given = ['n1', 'n2', 'n3'];
    const set = canonicalSet(given);
    assert.deepEqual(set, given);
    assert.notEqual(set, given);
    assert.deepEqual(canonicalSet(['n2', 'n1', 'n2', 'n10']), ['n1', 'n10', 'n2']);
    assert.deepEqual(canonicalSet([3, 1, 2, 1]), [1, 2, 3]);
  });
});
