import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { traceToJson } from '../../server/src/core/sim/json';
import { Simulation } from '../../server/src/core/sim/engine';
import { summarize } from '../../server/src/core/sim/result';
import { modelOf } from './support/scenario';

/**
 * A caller slices a simulation by time as well as by entry count: `step`
 * asks the caller's `shouldYield` every few events, so one slice of a
 * broadcast-heavy scenario cannot run for seconds; and slicing never
 * changes the run.
 */
const NODES = 50;
const broadcast = `scenario b { seed 1 run for 1s }\nnodes n1..n${NODES}\nevery 1ms n1 -> * "x"\ninvariant causal_delivery\n`;

describe('simulation slices', () => {
  test('a slice whose shouldYield says stop ends after about one broadcast, not after its entry budget', () => {
    const sim = new Simulation(modelOf(broadcast), { maxEvents: 100_000 });
    let asked = 0;
    assert.equal(sim.step(65_536, () => ++asked > 0), false);
    assert.equal(asked, 1);
    // One broadcast is one queue entry of NODES − 1 sends; the question comes after the first 64 events.
    assert.ok(sim.eventCount >= 64 && sim.eventCount < 64 + 2 * NODES, `${sim.eventCount} events in the slice`);
  });

  test('a run in slices of any length gives the byte-identical trace of an uninterrupted run', () => {
    const whole = traceToJson(summarize(new Simulation(modelOf(broadcast), { maxEvents: 4_000 }).run()));
    const sliced = new Simulation(modelOf(broadcast), { maxEvents: 4_000 });
    let calls = 0;
    let slices = 0;
    while (!sliced.step(65_536, () => ++calls % 3 === 0)) slices++;
    assert.ok(slices > 10, `${slices} slices`);
    assert.equal(traceToJson(summarize(sliced)), whole);
  });

  test('without shouldYield a slice runs its whole entry budget', () => {
    const sim = new Simulation(modelOf(broadcast), { maxEvents: 100_000 });
    sim.step(3);
    assert.equal(sim.eventCount, 3 * (NODES - 1));
  });
});
