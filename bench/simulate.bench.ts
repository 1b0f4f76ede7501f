/**
 * Simulator throughput: trace events per second of wall time with vector
 * clocks, on token rings where every node forwards every message it gets
 * (`on nK receive any { send nK+1 … }`), one token per node, so messages keep
 * flowing. With the trace recorded (what `dsync run` does) and without (what
 * exploration does). Target: ≥ 2 M events/s for 5 nodes.
 *
 * Then what a recorded trace costs: heap and array-buffer bytes per recorded
 * event on the 5-node ring (measured after a full garbage collection, with
 * the run still alive), against ≤ 64 bytes per event, and the memory 10 M
 * recorded events would take at that rate, against 1 GB.
 */
import { check } from '../server/src/core/check/checker';
import { hasErrors } from '../server/src/core/diagnostics';
import type { Model } from '../server/src/core/model';
import { Simulation } from '../server/src/core/sim/engine';
import { parse } from '../server/src/core/syntax/parse';
import { machine, measure, report, reportRate, stats, verdict } from './support/measure';
import { tokenRing } from './support/scenarios';

const TARGET_EVENTS_PER_S = 2_000_000;
const TARGET_BYTES_PER_EVENT = 64;
const TARGET_10M_GB = 1;
const EVENTS = 1_000_000;

function model(text: string): Model {
  const checked = check(parse(text), text);
  if (!checked.model || hasErrors(checked.diagnostics)) throw new Error(`benchmark scenario has errors: ${checked.diagnostics[0]?.message}`);
  return checked.model;
}

function main(): void {
  console.log(`simulate: token rings (every node forwards every message, one token per node), ${EVENTS.toLocaleString('en-US')} events per run, vector clocks and 2 invariants on; 5 runs after 2 warm-up runs`);
  for (const nodes of [5, 50]) {
    const m = model(tokenRing(nodes, EVENTS));
    for (const record of [true, false]) {
      let events = 0;
      const t = measure(() => {
        events = new Simulation(m, { record }).run().eventCount;
      }, { warmup: 2, iterations: 5 });
      const label = `${nodes} nodes, record ${record ? 'on ' : 'off'}`;
      // The 50-node figure is printed against the same target for comparison; the target is for 5 nodes.
      console.log(reportRate(label, events / 1e6, 'M events/s', TARGET_EVENTS_PER_S / 1e6, t));
    }
  }
  traceMemory();
  console.log(`  ${machine()}`);
}

/** Bytes the process holds (heap and array buffers) after a full collection; needs --expose-gc (scripts/bench.mjs passes it). */
function retainedBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (scripts/bench.mjs does)');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function traceMemory(): void {
  const m = model(tokenRing(5, EVENTS));
  const perEvent: number[] = [];
  // Every run stays alive until the end, so each one's bytes are what the process grew by.
  const kept: Simulation[] = [];
  let before = retainedBytes();
  for (let i = 0; i < 3; i++) {
    const sim = new Simulation(m, { record: true }).run();
    kept.push(sim);
    const after = retainedBytes();
    if (sim.events.length === 0) throw new Error('nothing recorded');
    perEvent.push((after - before) / sim.events.length);
    before = after;
  }
  if (kept.length !== 3) throw new Error('runs were not kept');
  const s = stats(perEvent);
  console.log(`recorded trace memory: 5-node ring, ${EVENTS.toLocaleString('en-US')} recorded events, 3 runs:`);
  console.log(report('bytes per recorded event', s, 'B/event', TARGET_BYTES_PER_EVENT, false));
  const tenMillionGb = (s.median * 10_000_000) / 1e9;
  console.log(`  10 M recorded events at this rate: ${tenMillionGb.toFixed(2)} GB   (target ≤ ${TARGET_10M_GB} GB: ${verdict('10 M recorded events within 1 GB', tenMillionGb, TARGET_10M_GB, false)})`);
}

if (require.main === module) main();
