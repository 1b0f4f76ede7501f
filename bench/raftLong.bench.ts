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

const SECONDS = [1, 10, 100, 1000];
const MAX_GROWTH = 1.2;

function scenario(seconds: number): string {
  return `scenario long_raft { seed 1  run for ${seconds}s  max_events 1000000000 }
nodes n1..n5 run raft { election_timeout 150ms..300ms; heartbeat 50ms }
network { latency 2ms..10ms }
client c1 { every 50ms put k = counter from 300ms }
faults random {
  crash 1 per 500ms for 100ms
  partition 1 per 1s for 200ms
}
invariant election_safety
invariant log_matching
invariant state_machine_safety
invariant leader_completeness
`;
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
