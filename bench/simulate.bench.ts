/**
 * Simulator throughput: trace events per second of wall time with vector
 * clocks, on token rings where every node forwards every message it gets
 * (`on nK receive any { send nK+1 … }`), one token per node, so messages keep
 * flowing. With the trace recorded (what `dsync run` does) and without (what
 * exploration does). Target: ≥ 2 M events/s for 5 nodes.
 *
 * Then what a recorded trace costs: heap and array-buffer bytes per recorded
 * event on the 5-node ring (measured after a full garbage collection, with
 * the run still alive), against ≤ 64 bytes per event; one real run of 10 M
 * recorded events, its memory sampled between slices of the run (the peak,
 * garbage included) and after it (held), against 1 GB; and the same cost on
 * 5-node Raft, whose events carry protocol notes and state diffs (recorded
 * minus unrecorded run, so the protocols' own state is not counted).
 */
import { check } from '../server/src/core/check/checker';
import { hasErrors } from '../server/src/core/diagnostics';
import type { Model } from '../server/src/core/model';
import { Simulation } from '../server/src/core/sim/engine';
import { parse } from '../server/src/core/syntax/parse';
import { machine, measure, rates, report, reportRate, spreadText, stats, verdict } from './support/measure';
import { raft5Scenario, tokenRing } from './support/scenarios';

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
      // Issue 16's target is for 5 nodes; the 50-node figure is shown for scale, not judged
      // (judging it made `npm run bench -- --check` fail on a target nobody set).
      if (nodes === 5) console.log(reportRate(label, events / 1e6, 'M events/s', TARGET_EVENTS_PER_S / 1e6, t));
      else console.log(`  ${label.padEnd(42)} ${spreadText(rates(events / 1e6, t))} M events/s   (for scale; the target is for 5 nodes)   ${t.median.toFixed(0)} ms per run`);
    }
  }
  traceMemory();
  tenMillionEvents();
  protocolTraceMemory();
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
}

const TEN_MILLION = 10_000_000;

/** One run of 10 M recorded events on the 5-node ring: peak memory (sampled every slice, garbage included) and what it holds after. */
function tenMillionEvents(): void {
  const m = model(tokenRing(5, TEN_MILLION));
  const before = retainedBytes();
  const sim = new Simulation(m, { record: true });
  let peak = 0;
  const started = performance.now();
  for (let done = false; !done; ) {
    done = sim.step(65_536);
    const now = process.memoryUsage();
    peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before);
  }
  const seconds = (performance.now() - started) / 1000;
  const held = retainedBytes() - before;
  if (sim.events.length < TEN_MILLION) throw new Error(`only ${sim.events.length} events recorded`);
  const gb = (bytes: number): string => (bytes / 1e9).toFixed(2);
  console.log(`10 M recorded events: 5-node ring, one run (${(sim.events.length / seconds / 1e6).toFixed(2)} M events/s, ${seconds.toFixed(1)} s):`);
  console.log(`  peak ${gb(peak)} GB, held after the run ${gb(held)} GB (${(held / sim.events.length).toFixed(1)} B/event)   (target ≤ ${TARGET_10M_GB} GB at the peak: ${verdict('10 M recorded events within 1 GB', peak / 1e9, TARGET_10M_GB, false)})`);
}

/** Bytes per recorded event on 5-node Raft: its notes, their data and the state diffs, besides the events. */
function protocolTraceMemory(): void {
  const m = model(raft5Scenario({ name: 'raft_trace', runFor: '60s', tail: 'invariant election_safety' }));
  const perEvent: number[] = [];
  let events = 0;
  // Every run stays alive until the end (as in traceMemory), so each one's bytes are what the process grew by.
  const kept: Simulation[] = [];
  let before = retainedBytes();
  for (let i = 0; i < 3; i++) {
    const plain = new Simulation(m, { record: false }).run();
    kept.push(plain);
    const middle = retainedBytes();
    const recorded = new Simulation(m, { record: true }).run();
    kept.push(recorded);
    const after = retainedBytes();
    events = recorded.events.length;
    if (events === 0 || plain.eventCount !== recorded.eventCount) throw new Error('the recorded and unrecorded runs differ');
    perEvent.push((after - middle - (middle - before)) / events);
    before = after;
  }
  if (kept.length !== 6) throw new Error('runs were not kept');
  console.log(`recorded trace memory: 5-node Raft with a client, crashes and partitions, 60 s, ${events.toLocaleString('en-US')} events (notes and state diffs included), 3 runs:`);
  console.log(report('bytes per recorded protocol event', stats(perEvent), 'B/event', TARGET_BYTES_PER_EVENT, false));
}

if (require.main === module) main();
