import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../server/src/core/check/checker';
import { tallyKeys } from '../../server/src/core/protocolLang/tallyKeys';
import { Simulation } from '../../server/src/core/sim/engine';
import { summarize } from '../../server/src/core/sim/result';
import { parse } from '../../server/src/core/syntax/parse';

const TEXT = `scenario t { seed 3; run for 1s }
protocol p {
  message M { }
  on start { timer t after 100ms }
  on timer t { broadcast M { } }
  on M(m) from q when false { }
}
nodes a, b run p
`;

function model() {
  const m = check(parse(TEXT), TEXT).model;
  assert.ok(m);
  return m;
}

test('a recorded run keeps the tallies of written protocols: handler runs, false guards, timers', () => {
  const result = summarize(new Simulation(model()).run());
  const tallies = result.tallies;
  assert.ok(tallies);
  const guarded = TEXT.indexOf('on M(m)');
  assert.deepEqual(tallies.countsOf(tallyKeys.guardFalse(guarded)), [1, 1]);
  assert.deepEqual(tallies.countsOf(tallyKeys.handlerRan(guarded)), [0, 0]);
  assert.deepEqual(tallies.countsOf(tallyKeys.timer('fired', 'p', 't')), [1, 1]);
  assert.deepEqual(tallies.countsOf(tallyKeys.timer('set', 'p', 't')), [1, 1]);
});

test('a run that does not record (exploration) keeps no tallies and gives protocols no tally sink', () => {
  const sim = new Simulation(model(), { record: false });
  assert.equal(sim.tallies, undefined);
  assert.equal(summarize(sim.run()).tallies, undefined);
});
