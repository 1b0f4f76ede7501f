import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compile } from '../../server/src/core/expr/compile';
import { explain, witnessText } from '../../server/src/core/expr/explain';
import { evaluateReference } from '../../server/src/core/expr/reference';
import { parseTypeText, typeToString } from '../../server/src/core/expr/types';
import { ExprRuntimeError, type Value } from '../../server/src/core/expr/values';
import { checked, problems, readerOf, STATE } from './support/expr';

const reader = readerOf(STATE);

/** Both evaluators, which must agree. */
function value(source: string): Value {
  const c = checked(source);
  const fast = compile(c)(reader);
  assert.deepEqual(evaluateReference(c, reader), fast, `reference and compiled differ on ${source}`);
  return fast;
}

function failure(source: string): string {
  const c = checked(source);
  let fast = '';
  let slow = '';
  try {
    compile(c)(reader);
  } catch (e) {
    assert.ok(e instanceof ExprRuntimeError, String(e));
    fast = e.message;
  }
  try {
    evaluateReference(c, reader);
  } catch (e) {
    slow = (e as Error).message;
  }
  assert.equal(slow, fast);
  assert.notEqual(fast, '', `${source} should fail at run time`);
  return fast;
}

const CASES: readonly (readonly [string, Value])[] = [
  // literals and arithmetic (ints exact; times in ns)
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['7 / 2', 3],
  ['-7 / 2', -3],
  ['7 % 3', 1],
  ['10 -3', 7],
  ['10 -3 * 2', 4],
  ['- 4 + 1', -3],
  ['1ms + 500us', 1_500_000],
  ['3 * 2ms', 6_000_000],
  ['2ms * 3', 6_000_000],
  ['10ms / 4', 2_500_000],
  ['10ms / 3ms', 3],
  ['10ms % 3ms', 1_000_000],
  ['10ms-3ms', 7_000_000],
  // comparison and logic
  ['1 < 2', true],
  ['2 <= 2', true],
  ['3 > 4', false],
  ['1ms >= 1000us', true],
  ['"a" == "a"', true],
  ['"a" != "b"', true],
  ['true and false', false],
  ['true or false', true],
  ['not true', false],
  ['false implies 1 / 0 == 1', true],
  ['true implies false', false],
  // implies is right-associative and loosest: a implies (b implies c)
  ['false implies false implies false', true],
  ['true implies true implies false', false],
  ['not 1 == 2', true],
  ['1 == 1 and 2 == 2 or false', true],
  ['if 1 < 2 then "yes" else "no"', 'yes'],
  // nodes and properties
  ['n1.term', 4],
  ['n1.role == "leader"', true],
  ['n1.lamport + n2.lamport', 10],
  ['n1.vc(n1)', 7],
  ['n1.vc(n2)', 0],
  ['n1.sent', 10],
  ['n1.sent("ping")', 4],
  ['n2.clock - n1.clock', 4_000_000],
  ['n3.alive', false],
  ['now', 1_000_000_000],
  ['n1 == n1', true],
  ['n1 != n2', true],
  ['n1.leader == n1', true],
  ['n2.leader == none', true],
  // collections
  ['{3, 1, 2, 1}', [1, 2, 3]],
  ['[3, 1, 1]', [3, 1, 1]],
  ['size({n1, n2, n1})', 2],
  ['size(n1.log)', 4],
  ['size(n1.kv)', 1],
  ['size("abc")', 3],
  ['n1.log[3]', 4],
  ['n1.kv["x"]', 5],
  ['"x" in n1.kv', true],
  ['"y" in n1.kv', false],
  ['n2 in n1.votes', true],
  ['n3 in n1.votes', false],
  ['2 in n1.log', true],
  ['{1, 2} + {2, 3}', [1, 2, 3]],
  ['{1, 2, 3} - {2}', [1, 3]],
  ['[1] + [2]', [1, 2]],
  ['"ab" + "c"', 'abc'],
  ['{ term: 4, who: n1 }.term', 4],
  ['{ a: 1 } == { a: 1 }', true],
  ['keys(n1.kv)', ['x']],
  ['raft', ['n1', 'n2']],
  ['nodes', ['n1', 'n2', 'n3']],
  ['paxos', []],
  // quantifiers and aggregates
  ['forall n in raft: n.term == 4', true],
  ['forall n in raft: n.role == "leader"', false],
  ['exists n in raft: n.role == "leader"', true],
  ['exists n in {}: true', false],
  ['forall a, b in raft: a.role == "leader" and b.role == "leader" implies a == b', true],
  ['exists a, b in raft: a != b and a.term == b.term', true],
  ['count(n in raft where n.term == 4)', 2],
  ['count(n in nodes where n.alive)', 2],
  ['min(n in nodes: n.clock)', 998_000_000],
  ['max(n in nodes: n.clock) - min(n in nodes: n.clock)', 6_000_000],
  ['sum(n in nodes: n.lamport)', 10],
  ['sum(n1.log)', 8],
  ['min(3, 5)', 3],
  ['max(3ms, 5ms)', 5_000_000],
  ['min(n1.log)', 1],
  ['max(n1.log)', 4],
  ['abs(-3)', 3],
  ['abs(n1.clock - n2.clock)', 4_000_000],
  ['prefix_agrees(n1.log, n2.log, 3)', true],
  ['prefix_agrees(n1.log, n2.log, 4)', false],
  ['prefix_agrees(n1.log, [1, 9], 1)', true],
  ['prefix_agrees(n1.log, n2.log, min(n1.term, size(n2.log)))', true],
];

describe('expressions: each operator on a hand-computed case (compiled and reference agree)', () => {
  for (const [source, expected] of CASES) {
    test(source, () => assert.deepEqual(value(source), expected));
  }
});

describe('expressions: run-time errors (DS205) instead of wrong values', () => {
  test('integer overflow is an error, never a wrap or a float', () => {
    assert.match(failure('9007199254740991 + 1'), /integer overflow/);
    assert.match(failure('4503599627370496 * 4'), /integer overflow/);
    assert.equal(value('9007199254740990 + 1'), 9007199254740991);
  });
  test('division and modulo by zero', () => {
    assert.match(failure('1 / (n1.term - 4)'), /division by zero/);
    assert.match(failure('1 % 0'), /modulo by zero/);
  });
  test('a missing map key, a list index out of range, min of an empty set', () => {
    assert.match(failure('n1.kv["nope"] == 1'), /no key "nope"/);
    assert.match(failure('n2.log[3] == 1'), /index 3 is out of range: the list has 3 entries/);
    assert.match(failure('min(n in paxos: n.ballot) == 0'), /min of an empty set/);
  });
  test('a protocol property of a node that has none now', () => {
    const c = checked('forall n in raft: n.term >= 0');
    const partial = readerOf({ ...STATE, props: [STATE.props[0]!, {}, {}] });
    assert.throws(() => compile(c)(partial), /n2 has no 'term' now/);
    assert.throws(() => evaluateReference(c, partial), /n2 has no 'term' now/);
  });
});

describe('expressions: types', () => {
  test('type text round-trips, legacy number is int', () => {
    for (const t of ['int', 'bool', 'string', 'time', 'node', 'node?', 'set<node>', 'list<{ term: int, command: string }>', 'map<string, string>', 'list<int>?']) {
      assert.equal(typeToString(parseTypeText(t)), t);
    }
    assert.equal(typeToString(parseTypeText('number')), 'int');
    assert.equal(typeToString(parseTypeText('"follower" | "leader"')), 'string');
    assert.throws(() => parseTypeText('list<int'), /expected '>'/);
    assert.throws(() => parseTypeText('float'), /unknown type 'float'/);
  });
  test('time and int do not mix without a unit', () => {
    assert.deepEqual(problems('n1.clock > 5'), ['DS133 cannot compare a time with a number: n1.clock is a time and 5 is a number; add a unit to the number: 5ms']);
    assert.deepEqual(problems('n1.log == n1.kv'), ['DS133 cannot compare list<int> with map<string, int>']);
    assert.match(problems('n1.clock + 5 > 1s').join(), /DS180 cannot apply '\+' to time and int; give the number a unit/);
    assert.deepEqual(problems('n1.clock * 2 > 1s'), []);
    assert.match(problems('n1.clock * n1.clock > 1s').join(), /DS180/);
  });
  test('did-you-mean for properties, names, functions; protocol sets', () => {
    assert.match(problems('n1.trem == 4').join(), /DS132 node 'n1' has no property 'trem'; did you mean 'term'\? It has: lamport, /);
    assert.match(problems('forall n in rafts: true').join(), /DS181 unknown name 'rafts'; did you mean 'raft'\?/);
    assert.match(problems('sise({1}) == 1').join(), /DS183 unknown function 'sise'; did you mean 'size'\?/);
    assert.match(problems('n9.term == 1').join(), /DS110 unknown node 'n9'/);
    assert.match(problems('forall n in nodes: n.term >= 0').join(), /DS182 'term' is a property of raft, but 'n' can be n3, which does not run raft; range over raft instead/);
    assert.deepEqual(problems('forall n in raft: n.term >= 0'), []);
  });
  test('conditions must be true/false; empty sets warn', () => {
    assert.match(problems('n1.term and true').join(), /DS185 'and' needs a true\/false condition, not int/);
    assert.match(problems('forall n in paxos: n.ballot > 0').join(), /DS186 'forall' ranges over an empty set here: no node runs it/);
  });
  test('quantified variables shadow nodes and scope to their body', () => {
    assert.equal(value('forall n1 in {n2}: n1.role == "follower"'), true);
    assert.match(problems('(forall x in raft: true) and x.term == 1').join(), /DS110 unknown node 'x'/);
  });
});

describe('expressions: witnesses', () => {
  test('a failing forall names the binding and the properties it read', () => {
    const c = checked('forall a, b in raft: a.term == b.term implies a.role == b.role');
    assert.equal(compile(c)(reader), false);
    assert.equal(witnessText(explain(c, reader, true)), 'a = n1 (term 4, role leader), b = n2 (term 4, role follower)');
  });
  test('a true exists under never names the binding that satisfies it', () => {
    const c = checked('exists n in raft: n.role == "leader" and n.lamport > 5');
    assert.equal(witnessText(explain(c, reader, false)), 'n = n1 (role leader, lamport 7)');
  });
  test('times read with units', () => {
    const c = checked('n2.clock - n1.clock < 1ms');
    assert.equal(witnessText(explain(c, reader, true)), 'n2 (clock 1.004s), n1 (clock 1s)');
  });
});
