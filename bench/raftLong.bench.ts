/**
 * Long Raft runs: events per simulated second of a 5-node Raft cluster with
 * a client, random crashes and partitions, for 1, 10, 100 and 1,000 s of
 * simulated time (not recorded, four safety invariants on). A restarted
 * server re-applies its log with one note and logs are compacted into
 * snapshots (Raft §7), so the figure stays flat as runs grow. Target: from
 * 10 s to 1,000 s, events per simulated second grow by at most 20 %.
 */
import { modelFor } from '../server/src/core/explore/runner';
import { Simulation } from '../server/src/core/sim/engine';
import { machine, verdict } from './support/measure';
import { raft5Scenario } from './support/scenarios';

const SECONDS = [1, 10, 100, 1000];
const MAX_GROWTH = 1.2;

function scenario(seconds: number): string {
  return raft5Scenario({ name: 'long_raft', runFor: `${seconds}s`, header: 'max_events 1000000000', tail: 'invariant election_safety\ninvariant log_matching\ninvariant state_machine_safety\ninvariant leader_completeness\n' });
}

function main(): void {
  console.log('long Raft runs: 5 nodes, a put every 50 ms, a crash per 500 ms and a partition per 1 s (random, seed 1), 4 invariants; events per simulated second');
  const rates = new Map<number, number>();
  for (const seconds of SECONDS) {
    const model = modelFor(scenario(seconds));
    if (typeof model === 'string') throw new Error(`benchmark scenario has errors: ${model}`);
    const start = performance.now();
    const sim = new Simulation(model, { record: false }).run();
    const ms = performance.now() - start;
    rates.set(seconds, sim.eventCount / seconds);
    const broken = sim.violations.map((v) => v.invariant);
    console.log(`  ${`${seconds} s`.padStart(7)}  ${sim.eventCount.toLocaleString('en-US').padStart(11)} events  ${(sim.eventCount / seconds).toFixed(0).padStart(6)} events per simulated second  (${(ms / 1000).toFixed(1)} s of computing${broken.length ? `; violated: ${broken.join(', ')}` : ''})`);
  }
  const growth = rates.get(1000)! / rates.get(10)!;
  console.log(`  growth from 10 s to 1,000 s: ×${growth.toFixed(2)}   (target ≤ ×${MAX_GROWTH}: ${verdict('events per simulated second flat from 10 s to 1,000 s', growth, MAX_GROWTH, false)})`);
  console.log(`  ${machine()}`);
}

main();
