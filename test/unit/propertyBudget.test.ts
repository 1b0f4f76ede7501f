import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compile } from '../../server/src/core/expr/compile';
import { ASSUMED_COLLECTION_SIZE, EVALUATION_STEP_BUDGET, MAX_EVALUATION_COST } from '../../server/src/core/expr/limits';
import { ExprRuntimeError } from '../../server/src/core/expr/values';
import { allViolations } from '../../server/src/core/sim/result';
import { checked, readerOf, STATE } from './support/expr';
import { checkText, runText } from './support/scenario';

/**
 * The run-time cost budget of a written property. Before running, DS187
 * bounds the estimated cost, assuming collections read from protocol state
 * hold ASSUMED_COLLECTION_SIZE elements; a Raft log grows past that, so a
 * property over pairs or triples of its entries passes the check and then
 * costs a power of the log's length at every check. At run time one check
 * may visit at most EVALUATION_STEP_BUDGET elements: past it, an error
 * located at the quantifier (DS205 for a property), never a stall.
 */
const withLog = (length: number) => ({ ...STATE, props: [{ ...STATE.props[0]!, log: Array.from({ length }, (_, i) => i % 7) }, STATE.props[1]!, {}] });

describe('the run-time cost budget of a written property', () => {
  test('the figures: 10^7 elements visited per check at run time, the same as the estimate DS187 allows with 100 per protocol collection', () => {
    assert.deepEqual([EVALUATION_STEP_BUDGET, MAX_EVALUATION_COST, ASSUMED_COLLECTION_SIZE], [10_000_000, 10_000_000, 100]);
  });

  test('pairs of a 4,000-entry log (16,000,000 visits) stop at the budget, located at the quantifier; 3,000 entries (9,000,000) are evaluated', () => {
    const c = checked('forall e, f in n1.log: e <= f or e > f');
    const f = compile(c);
    assert.equal(f(readerOf(withLog(3000))), true);
    assert.throws(
      () => f(readerOf(withLog(4000))),
      (e: unknown) => e instanceof ExprRuntimeError && /^forall e, f took more than 10,000,000 evaluation steps in one check/.test(e.message) && e.range?.startOffset === c.checked.range.startOffset,
    );
    // The meter starts afresh at each check.
    assert.equal(f(readerOf(withLog(3000))), true);
  });

  test('in a run: a property over triples of a growing Raft log passes DS187, then is DS205 at the quantifier, not a stall', () => {
    // `now < 2900ms or …` keeps the quantifier out until t = 2.9s (an instant between events); by then n1's log holds
    // about 400 entries (the client's puts from 500ms), and 400³ = 6.4·10^7 visits exceed the budget.
    const text = `scenario big { seed 1  run for 3s }
nodes n1..n3 run raft { election_timeout 150ms..300ms; heartbeat 50ms }
network { latency 1ms..2ms }
client w to n1, n2, n3 { every 1ms put k = counter from 500ms }
invariant triples: always now < 2900ms or forall e, f, g in n1.log: g == g or e != f
`;
    assert.deepEqual(checkText(text).diagnostics.filter((d) => d.severity === 'error'), []);
    const v = allViolations(runText(text));
    assert.deepEqual(v.map((x) => [x.code, x.time]), [['DS205', 2_900_000_000]]);
    assert.match(v[0]!.message, /^triples could not be evaluated at t=2\.9s: forall e, f, g took more than 10,000,000 evaluation steps in one check \(one per element visited; nested quantifiers multiply\)/);
    // Located: the cause is the quantifier (line 5, column 43).
    assert.deepEqual(v[0]!.causes.map((c) => [c.range.startLine, c.range.startColumn]), [[5, 43]]);
  });
});
