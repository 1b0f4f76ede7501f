/**
 * Written properties on the exploration hot path: 5-node Raft schedules per
 * second with `invariant election_safety` (the built-in, which reads leader
 * notes) against the same property written in the language (compiled once
 * to closures, checked after every step that can change `role` or `term`),
 * and with no invariant at all as the floor. Runs alternate in rounds so a
 * load change on the shared machine hits all three alike. Target: the
 * written form within 1.5× of the built-in (ratio ≤ 1.5 in time per schedule).
 */
import { SeedRunner, modelFor } from '../server/src/core/explore/runner';
import type { Model } from '../server/src/core/model';

const HEAD = `scenario bench_props { seed 1  run for 1s }
nodes n1..n5 run raft { election_timeout 150ms..300ms; heartbeat 50ms }
network { latency 2ms..10ms }
client c1 { every 50ms put k = counter from 300ms }
faults random {
  crash 1 per 500ms for 100ms
  partition 1 per 1s for 200ms
}
`;
const VARIANTS = [
  { label: 'no invariant', text: HEAD },
  { label: 'election_safety (built-in)', text: `${HEAD}invariant election_safety\n` },
  { label: 'election_safety (written)', text: `${HEAD}invariant one_leader_per_term: always forall a, b in raft: a.role == "leader" and b.role == "leader" and a.term == b.term implies a == b\n` },
] as const;
const TARGET_RATIO = 1.5;
const ROUNDS = 5;
const ROUND_MS = 600;

function modelOf(text: string): Model {
  const m = modelFor(text);
  if (typeof m === 'string') throw new Error(`benchmark scenario has errors: ${m}`);
  return m;
}

const runners = VARIANTS.map((v) => new SeedRunner(modelOf(v.text), 1));
for (const r of runners) for (let i = 0; i < 30; i++) r.run(100_000 + i);
const totals = VARIANTS.map(() => ({ schedules: 0, ms: 0 }));
for (let round = 0; round < ROUNDS; round++) {
  runners.forEach((runner, i) => {
    const t = totals[i]!;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS) runner.run(t.schedules++);
    t.ms += performance.now() - start;
  });
}
const rates = totals.map((t) => t.schedules / (t.ms / 1000));
console.log(`  5-node Raft exploration, ${ROUNDS} rounds of ${ROUND_MS} ms each, in this thread`);
VARIANTS.forEach((v, i) => console.log(`  ${v.label.padEnd(30)} ${rates[i]!.toFixed(0).padStart(8)} schedules/s`));
const ratio = rates[1]! / rates[2]!;
console.log(`  written / built-in time per schedule: ×${ratio.toFixed(2)} (target ≤ ×${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'ok' : 'MISSED'})`);
