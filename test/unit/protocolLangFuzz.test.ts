import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasErrors } from '../../server/src/core/diagnostics';
import { Simulation } from '../../server/src/core/sim/engine';
import { checkText } from './support/scenario';

/**
 * Random small programs in the protocol language, generated from its
 * grammar and typed as they are built: the checker never throws on them
 * (nor on the same programs with one name swapped for another, which makes
 * many ill-typed), and a program that checks runs for a few hundred
 * simulated milliseconds without throwing — run-time errors (DS207/DS208)
 * are diagnostics that stop the run, never exceptions.
 */

type Ty = 'int' | 'bool' | 'nodes' | 'ints' | 'map' | 'time';

const VARS: Record<Ty, string[]> = { int: ['a', 'b'], bool: ['flag'], nodes: ['seen'], ints: ['log'], map: ['counts'], time: ['last'] };
const DECLS = `
  option wait: duration range = 5ms..20ms
  option limit: int = 4
  const k = 3
  message Msg { n: int, who: node }
  stable a: int = 0
  var b: int = 1
  var flag: bool = false
  var seen: set<node> = {}
  var log: list<int> = []
  var counts: map<string, int> = {}
  var last: time = 0ms
  fn inc(x: int): int = x + k`;

function expr(ty: Ty, depth: number, inMessage: boolean): fc.Arbitrary<string> {
  const leaf: Record<Ty, fc.Arbitrary<string>[]> = {
    int: [fc.integer({ min: -5, max: 9 }).map(String), fc.constantFrom(...VARS.int, 'k', 'limit', 'lamport', ...(inMessage ? ['m.n'] : []))],
    bool: [fc.constantFrom('true', 'false', 'flag')],
    nodes: [fc.constantFrom('seen', 'members', '{self}', ...(inMessage ? ['{p}', '{m.who}'] : []))],
    ints: [fc.constantFrom('log', '[]', '[1, 2]')],
    map: [fc.constantFrom('counts')],
    time: [fc.constantFrom('now', 'last', '3ms', 'random(wait)')],
  };
  if (depth <= 0) return fc.oneof(...leaf[ty]);
  const sub = (t: Ty) => expr(t, depth - 1, inMessage);
  const composite: Record<Ty, fc.Arbitrary<string>[]> = {
    int: [
      fc.tuple(sub('int'), fc.constantFrom('+', '-', '*', '/', '%'), sub('int')).map(([x, op, y]) => `(${x} ${op} ${y})`),
      sub('ints').map((l) => `size(${l})`),
      sub('nodes').map((s) => `size(${s})`),
      fc.tuple(sub('ints'), sub('int')).map(([l, i]) => `${l}[${i}]`),
      sub('int').map((x) => `counts["${x.length % 3}"]`),
      sub('int').map((x) => `inc(${x})`),
      fc.tuple(sub('bool'), sub('int'), sub('int')).map(([c, x, y]) => `(if ${c} then ${x} else ${y})`),
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 9 })).map(([x, y]) => `random(${x}, ${y})`),
    ],
    bool: [
      fc.tuple(sub('int'), fc.constantFrom('<', '<=', '==', '!=', '>', '>='), sub('int')).map(([x, op, y]) => `(${x} ${op} ${y})`),
      fc.tuple(sub('bool'), fc.constantFrom('and', 'or', 'implies'), sub('bool')).map(([x, op, y]) => `(${x} ${op} ${y})`),
      sub('bool').map((x) => `not ${x}`),
      sub('nodes').map((s) => `self in ${s}`),
      sub('int').map((x) => `"${x.length % 3}" in counts`),
      sub('ints').map((l) => `forall x in ${l}: x > 0`),
    ],
    nodes: [fc.tuple(sub('nodes'), fc.constantFrom('+', '-'), sub('nodes')).map(([x, op, y]) => `(${x} ${op} ${y})`)],
    ints: [fc.tuple(sub('ints'), sub('int')).map(([l, x]) => `(${l} + [${x}])`)],
    map: [fc.constant('counts')],
    time: [fc.tuple(sub('time'), fc.constantFrom('+', '-'), sub('time')).map(([x, op, y]) => `(${x} ${op} ${y})`)],
  };
  return fc.oneof({ weight: 2, arbitrary: fc.oneof(...leaf[ty]) }, { weight: 1, arbitrary: fc.oneof(...composite[ty]) });
}

const TYPES: Ty[] = ['int', 'bool', 'nodes', 'ints', 'time'];

function statement(depth: number, inMessage: boolean): fc.Arbitrary<string> {
  const e = (t: Ty) => expr(t, 2, inMessage);
  const simple: fc.Arbitrary<string>[] = [
    fc.constantFrom(...TYPES).chain((t) => fc.tuple(fc.constantFrom(...VARS[t as Ty]), e(t as Ty)).map(([v, x]) => `${v} = ${x}`)),
    fc.tuple(e('int'), e('int')).map(([key, x]) => `counts["${key.length % 3}"] = ${x}`),
    fc.tuple(e('int'), e('int')).map(([i, x]) => `log[${i}] = ${x}`),
    e('int').map((x) => `broadcast Msg { n: ${x}, who: self }`),
    e('int').map((x) => `send Msg { n: ${x}, who: self } to self`),
    ...(inMessage ? [e('int').map((x) => `reply Msg { n: ${x}, who: self }`)] : []),
    fc.tuple(fc.constantFrom('t1', 't2'), e('time')).map(([t, d]) => `timer ${t} after ${d}`),
    fc.constantFrom('t1', 't2').map((t) => `cancel ${t}`),
    e('int').map((x) => `note "n={${x}}"`),
    fc.tuple(fc.nat({ max: 9999 }), e('int')).map(([n, x]) => `let tmp${n} = ${x}; a = tmp${n}`),
    e('time').map((d) => `clock.step(${d} - now)`),
  ];
  if (depth <= 0) return fc.oneof(...simple);
  const block = fc.array(statement(depth - 1, inMessage), { minLength: 1, maxLength: 3 }).map((ss) => `{ ${ss.join('; ')} }`);
  return fc.oneof(
    { weight: 3, arbitrary: fc.oneof(...simple) },
    { weight: 1, arbitrary: fc.tuple(e('bool'), block, block).map(([c, t, f]) => `if ${c} ${t} else ${f}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('log', 'seen', 'counts', 'members'), block).map(([over, b]) => `for x${depth} in ${over} ${b}`) },
  );
}

const body = (inMessage: boolean) => fc.array(statement(2, inMessage), { minLength: 1, maxLength: 4 }).map((ss) => ss.join('\n    '));

const program = fc
  .record({ start: body(false), t1: body(false), t2: body(false), msg: body(true), guard: expr('bool', 2, true) })
  .map(({ start, t1, t2, msg, guard }) => `scenario fuzz { seed 1  run for 300ms }
protocol p {${DECLS}
  on start {
    ${start}
  }
  on timer t1 {
    ${t1}
  }
  on timer t2 {
    ${t2}
  }
  on Msg(m) from p when ${guard.replace(/random\([^)]*\)/g, '1')} {
    ${msg}
  }
}
nodes n1..n3 run p { limit 5 }
clock n2 { drift +50000ppm }
faults { at 100ms crash n1  at 150ms restart n1 }
invariant small: always forall n in p: n.a < 1000000
`);

const NAMES = ['a', 'b', 'flag', 'seen', 'log', 'counts', 'last', 'k', 'limit', 'wait', 'm', 'p', 'self', 'members', 'now', 'Msg', 't1'];

describe('written protocols: random programs', () => {
  test('the checker never throws; a program that checks never crashes the simulator', () => {
    let ran = 0;
    fc.assert(
      fc.property(program, (text) => {
        const checked = checkText(text);
        if (!checked.model || hasErrors(checked.diagnostics)) return;
        ran++;
        const sim = new Simulation(checked.model, { maxEvents: 20_000 }).run();
        assert.ok(sim.stopReason !== undefined);
        for (const v of sim.violations) assert.ok(['DS201', 'DS207', 'DS208'].includes(v.code), `${v.code} ${v.message}`);
        if (sim.stopReason === 'failed') assert.ok(sim.violations.some((v) => v.code === 'DS207' || v.code === 'DS208'));
      }),
      { numRuns: 120, seed: 15 },
    );
    // The generator makes programs that check (it is typed as it builds); most of them run.
    assert.ok(ran >= 60, `only ${ran} of 120 programs checked`);
  });

  test('the checker never throws on ill-typed variants (one name swapped for another)', () => {
    fc.assert(
      fc.property(program, fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.nat(), (text, from, to, nth) => {
        const at = [...text.matchAll(new RegExp(`\\b${from}\\b`, 'g'))];
        if (at.length === 0) return;
        const hit = at[nth % at.length]!.index!;
        const mutated = text.slice(0, hit) + to + text.slice(hit + from.length);
        const checked = checkText(mutated);
        if (checked.model && !hasErrors(checked.diagnostics)) new Simulation(checked.model, { maxEvents: 5_000 }).run();
      }),
      { numRuns: 150, seed: 16 },
    );
  });
});
