import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { traceToJson } from '../../server/src/core/sim/json';
import { Simulation } from '../../server/src/core/sim/engine';
import { summarize } from '../../server/src/core/sim/result';
import { modelOf, repoPath } from './support/scenario';

/** Same file + same seed = byte-identical trace; another seed explores another run. */
const SAMPLES = repoPath('samples');
const samples = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.dsync')).sort();

function trace(text: string, seed?: number): string {
  return traceToJson(summarize(new Simulation(modelOf(text), seed === undefined ? {} : { seed }).run()));
}

describe('determinism', () => {
  test('there are samples to check', () => {
    for (const required of ['causal_demo.dsync', 'lamport_vector.dsync', 'drift_breaks_skew.dsync', 'partition_loss.dsync']) {
      assert.ok(samples.includes(required), `samples/${required} is missing`);
    }
  });

  for (const file of samples) {
    test(`${file}: two runs with the same seed give identical JSON`, () => {
      const text = fs.readFileSync(`${SAMPLES}/${file}`, 'utf8');
      const first = trace(text);
      assert.equal(trace(text), first);
      assert.equal(trace(text, 12345), trace(text, 12345));
      const doc = JSON.parse(first) as { scenario: string; seed: number; events: unknown[] };
      assert.equal(doc.seed, modelOf(text).seed);
      assert.ok(doc.events.length > 0);
    });
  }

  // Exploration runs without recording (and with the faster paths that allows); it must see
  // exactly the run that `dsync run --seed S` shows, or a reported seed would not replay.
  for (const file of samples) {
    test(`${file}: a run that does not record ends as the recorded one, for three seeds`, () => {
      const model = modelOf(fs.readFileSync(`${SAMPLES}/${file}`, 'utf8'));
      for (const seed of [model.seed, 3, 777]) {
        const recorded = new Simulation(model, { seed }).run();
        const quick = new Simulation(model, { seed, record: false }).run();
        const outcome = (sim: Simulation): unknown => ({
          events: sim.eventCount,
          sent: sim.messagesSent,
          dropped: sim.messagesDropped,
          // Without a recorded trace a crossing found in hindsight (max_skew between two events)
          // cannot name the event just before it, so `seq` may differ; everything else may not.
          violations: sim.violations.map(({ seq: _seq, ...v }) => v),
          expectations: sim.expectationOutcomes,
          nodes: sim.nodes.map((n, i) => ({ lamport: n.lamport, vc: [...n.vc], state: sim.inspect(i) })),
        });
        assert.ok(recorded.events.length > 0 && quick.events.length === 0);
        assert.deepEqual(outcome(quick), outcome(recorded), `seed ${seed}`);
      }
    });
  }

  test('a run in small slices gives the same trace as one run to the end', () => {
    const text = fs.readFileSync(`${SAMPLES}/causal_demo.dsync`, 'utf8');
    const sliced = new Simulation(modelOf(text));
    while (!sliced.step(3));
    assert.equal(traceToJson(summarize(sliced)), trace(text));
  });

  test('a scenario with randomness runs differently under another seed', () => {
    const text = fs.readFileSync(`${SAMPLES}/causal_demo.dsync`, 'utf8');
    const [a, b] = [trace(text, 7), trace(text, 8)];
    assert.notEqual(a, b);
    const times = (json: string): number[] => (JSON.parse(json) as { events: { time: number }[] }).events.map((e) => e.time);
    // The seed changes latencies, so the delivery times differ, not only the recorded seed.
    assert.notDeepEqual(times(a), times(b));
    assert.equal((JSON.parse(b) as { seed: number }).seed, 8);
  });

  test('a scenario without randomness runs the same under every seed, except for the seed itself', () => {
    const text = fs.readFileSync(`${SAMPLES}/lamport_vector.dsync`, 'utf8');
    const strip = (json: string): unknown => ({ ...(JSON.parse(json) as object), seed: 0 });
    assert.deepEqual(strip(trace(text, 1)), strip(trace(text, 99)));
  });

  test('adding traffic on one link leaves the random draws of another link alone', () => {
    const base = `scenario streams { seed 5  run for 1s }\nnodes A, B, C\nnetwork { latency 1ms..50ms }\nevery 20ms A -> B "ab"\n`;
    const delaysAB = (text: string): number[] => {
      const r = summarize(new Simulation(modelOf(text)).run());
      return r.events.filter((e) => e.kind === 'receive' && e.label === 'ab').map((e) => e.time - r.events[e.cause!]!.time);
    };
    assert.deepEqual(delaysAB(`${base}every 7ms C -> B "cb"`), delaysAB(base));
  });
});
