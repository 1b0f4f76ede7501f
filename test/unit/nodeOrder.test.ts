import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compile } from '../../server/src/core/expr/compile';
import type { ExprEnv } from '../../server/src/core/expr/env';
import { evaluateReference } from '../../server/src/core/expr/reference';
import type { Value } from '../../server/src/core/expr/values';
import { formatDiagnostic } from '../../server/src/core/diagnostics';
import { expectationViolations } from '../../server/src/core/sim/result';
import { checked, problems, readerOf, STATE, TEST_ENV } from './support/expr';
import { checkText, runText } from './support/scenario';

/**
 * Nodes are ordered by the order they are declared in (issue 15: the bully
 * election compares identifiers): `<`, `<=`, `>`, `>=`, `min` and `max`
 * on nodes, in properties and in protocol code. Not by name: declared
 * n9, n10, n2, n10 is above n9 and n2 above both.
 */

const ENV: ExprEnv = { ...TEST_ENV, nodes: ['n9', 'n10', 'n2'] };
const reader = { ...readerOf(STATE), nodeIndex: (name: string) => ENV.nodes.indexOf(name) };

function value(source: string): Value {
  const c = checked(source, ENV);
  const fast = compile(c)(reader);
  assert.deepEqual(evaluateReference(c, reader), fast, `reference and compiled differ on ${source}`);
  return fast;
}

describe('nodes are ordered by declaration', () => {
  const CASES: readonly (readonly [string, Value])[] = [
    ['n9 < n10', true],
    ['n10 < n9', false],
    ['n2 > n10', true],
    ['n10 <= n10', true],
    ['n10 >= n2', false],
    ['min(nodes)', 'n9'],
    ['max(nodes)', 'n2'],
    ['max({n9, n10})', 'n10'],
    ['min(n2, n10)', 'n10'],
    ['max(n2, n10)', 'n2'],
    ['min(n in nodes: n)', 'n9'],
    ['max(n in {n9, n10}: n)', 'n10'],
    ['count(n in nodes where n > n9)', 2],
    ['forall a in nodes: a >= min(nodes) and a <= max(nodes)', true],
  ];
  for (const [source, expected] of CASES) test(`${source} is ${JSON.stringify(expected)}`, () => assert.deepEqual(value(source), expected));

  test('what does not order is still refused: optional nodes, sums of nodes, nodes against numbers', () => {
    assert.deepEqual(problems('"a" < "b"', ENV), ["DS133 '<' needs ints, times or nodes; use == or != for strings"]);
    assert.match(problems('n9.leader < n10', ENV).join('\n'), /^DS133 '<' needs ints, times or nodes; use == or != for optional nodes/);
    assert.match(problems('sum(nodes) == n9', ENV).join('\n'), /^DS180 sum\(S\) needs a set or list of ints or times, not set<node>/);
    assert.match(problems('sum(n in nodes: n) == n9', ENV).join('\n'), /^DS180 sum needs ints or times, not node/);
    assert.match(problems('n9 < 3', ENV).join('\n'), /^DS133 cannot compare node with int/);
    assert.match(problems('min(n9, 3) == n9', ENV).join('\n'), /^DS133 min compares two ints, two times or two nodes/);
  });

  test('in protocol code and in properties of a run, with more than nine nodes', () => {
    const text = `scenario order { seed 1; run for 10ms }
protocol o {
  var higher: set<node> = {}
  var top: node? = none
  var lowest: node? = none
  on start {
    for p in members {
      if p > self { higher = higher + { p } }
    }
    top = max(members)
    lowest = min(p in members: p)
  }
}
nodes n1..n12 run o
invariant top_is_last: always forall n in o: n.top == none or n.top == n12
expect n2.higher == {n3, n4, n5, n6, n7, n8, n9, n10, n11, n12}
expect n11.higher == {n12}
expect n12.higher == {}
expect n9.top == n12
expect n10.lowest == n1
expect n2 < n10
expect max(nodes) == n12
expect count(n in o where n < n10) == 9
`;
    assert.deepEqual(checkText(text).diagnostics.map((d) => formatDiagnostic('order', d)), []);
    const result = runText(text);
    assert.deepEqual(result.violations.map((v) => v.message), []);
    assert.deepEqual(expectationViolations(result).map((v) => v.message), []);
    assert.equal(result.expectations.length, 8);
    assert.ok(result.expectations.every((e) => e.outcome?.passed === true), JSON.stringify(result.expectations.map((e) => e.outcome)));
  });
});
