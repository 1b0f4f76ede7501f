import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { format } from '../../server/src/core/format/formatter';
import { checkText, eventsOf, nameOf, runText } from './support/scenario';

/**
 * The option kinds written protocols share with built-in ones (issue 15:
 * "the same option kinds and DS12x checks as built-in protocols"): a
 * `latency` (a delay model handlers draw from with random, as the network
 * draws its latencies) and `node numbers` (a number per node, read as a
 * map<node, int>), each with the binding's checks.
 */

const protocol = (binding: string, defaults = 'option think: latency = 5ms..20ms\n  option prio: node numbers = n1 = 1, n2 = 2'): string => `scenario kinds { seed 3; run for 1s }
protocol k {
  ${defaults}
  var waited: time = 0ms
  var mine: int = -1
  on start {
    timer t after random(think)
    if self in prio { mine = prio[self] }
  }
  on timer t { waited = now }
}
nodes n1..n3 run k${binding}
expect forall n in k: n.mine >= -1 and n.waited >= 0ms
`;

const codes = (text: string): string[] => checkText(text).diagnostics.map((d) => `${d.range.startLine}:${d.code} ${d.message}`);

/** The local time each node's timer fired at (no drift: true time). */
function firings(text: string): Record<string, number> {
  const result = runText(text);
  assert.equal(result.stopReason, 'end');
  return Object.fromEntries(eventsOf(result, 'timer').map((e) => [nameOf(result, e.node), e.local]));
}

describe('written protocols: latency and node numbers options', () => {
  test('defaults apply, bindings override them, and both check clean and stay formatted', () => {
    const text = protocol(' { think 7ms; prio n3 = 30 }');
    assert.deepEqual(codes(text), []);
    assert.equal(format(text), text);
    const result = runText(text);
    const state = (node: string, name: string) => result.final.find((s) => s.name === node)?.properties[name];
    assert.equal(state('n1', 'mine'), -1, 'the binding replaces the default map, it does not merge into it');
    assert.equal(state('n3', 'mine'), 30);
    assert.deepEqual(firings(text), { n1: 7_000_000, n2: 7_000_000, n3: 7_000_000 });
    const byDefault = runText(protocol(''));
    assert.equal(byDefault.final.find((s) => s.name === 'n2')?.properties['mine'], 2);
  });

  test('random(latency) draws like the network: uniform within both ends, normal cut at 0, exponential around its mean', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const uniform = Object.values(firings(protocol(' { think 5ms..20ms }').replace('seed 3', `seed ${seed}`)));
      assert.ok(uniform.every((t) => t >= 5_000_000 && t <= 20_000_000 && Number.isInteger(t)), String(uniform));
      const normal = Object.values(firings(protocol(' { think normal(1ms, 5ms) }').replace('seed 3', `seed ${seed}`)));
      assert.ok(normal.every((t) => t >= 0 && Number.isInteger(t)), String(normal));
    }
    // Across nodes and seeds the draws differ (a node's own stream), and their mean is near the model's.
    const draws = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => Object.values(firings(protocol(' { think exponential(10ms) }').replace('seed 3', `seed ${seed}`))));
    assert.ok(new Set(draws).size > 20, `the draws vary: ${draws.join(', ')}`);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    assert.ok(mean > 4_000_000 && mean < 25_000_000, `mean ${mean}`);
  });

  test('bindings get the DS12x checks of built-in protocols', () => {
    assert.deepEqual(codes(protocol(' { think 20ms..5ms }')), ['13:DS125 range 20ms..5ms is inverted; write the smaller bound first']);
    assert.deepEqual(codes(protocol(' { think 10 }')).map((c) => c.split(' ')[0]), ['13:DS120']);
    assert.match(codes(protocol(' { think gamma(1ms) }')).join('\n'), /^13:DS121 unknown latency 'gamma\(…\)'/);
    assert.deepEqual(codes(protocol(' { think -1ms }')), ["13:DS122 'think' cannot be negative"]);
    assert.match(codes(protocol(' { prio n1 = fast }')).join('\n'), /^13:DS121 'prio' takes 'NODE = number' pairs, e.g. 'prio n1 = 1, n2 = 2'/);
    assert.match(codes(protocol(' { prio n1 }')).join('\n'), /^13:DS121 'prio' takes 'NODE = number' pairs/);
    assert.equal(codes(protocol(' { prio n9 = 1 }')).length, 1, 'an undeclared node is reported');
    assert.match(codes(protocol(' { prio n9 = 1 }'))[0]!, /n9/);
  });

  test('the defaults are checked the same way, and the kinds read as their types in code', () => {
    // (An option whose default fails is not declared: its uses are DS181 too.)
    assert.equal(codes(protocol('', 'option think: latency = 20ms..5ms\n  option prio: node numbers = n1 = 1'))[0], '3:DS125 range 20ms..5ms is inverted; write the smaller bound first');
    assert.match(codes(protocol('', 'option think: latency = 5ms\n  option prio: node numbers = n1')).join('\n'), /^4:DS121 'prio' takes 'NODE = number' pairs/);
    // A latency is no time: random(think) is one, think itself is not.
    const wrong = protocol('').replace('timer t after random(think)', 'timer t after think');
    assert.match(codes(wrong).join('\n'), /DS180 .*latency/);
    // The map's values are ints.
    const notString = protocol('').replace('mine = prio[self]', 'mine = prio[self] + "x"');
    assert.match(codes(notString).join('\n'), /DS180 cannot apply '\+' to int and string/);
  });

  test('completion and hover describe each option with its default as written', () => {
    const text = protocol('', 'option think: latency = normal(10ms, 2ms)\n  option prio: node numbers = n1 = 1, n2 = 2');
    const model = checkText(text).model!;
    const docs = Object.fromEntries(model.protocols[0]!.definition.options.map((o) => [o.key, o.doc]));
    assert.deepEqual(docs, { think: 'latency option, default normal(10ms, 2ms)', prio: 'node numbers option, default n1 = 1, n2 = 2' });
  });

  test('an unknown kind lists the kinds there are', () => {
    const text = protocol('', 'option think: latency = 5ms\n  option prio: node numbers\n  option x: gamma = 1');
    const found = codes(text.replace('nodes n1..n3 run k', 'nodes n1..n3 run k { prio n1 = 1 }'));
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^5:DS199 unknown option kind 'gamma'; an option is one of: duration, duration range, latency, int, number, bool, string, node, nodes, percent, ppm, node numbers/);
  });
});
