/**
 * Written properties on the exploration hot path: 5-node Raft schedules per
 * CPU-second with `invariant election_safety` (the built-in, which reads
 * leader notes) against the same property written in the language (compiled
 * once to closures; it hears which nodes ran a handler and evaluates only
 * when a role or term it reads changed), and with no invariant as the floor.
 * The three alternate in rounds so a load change on the shared machine hits
 * them alike; each round is measured in CPU time of this process (other
 * processes on the cores do not count), and the figure is the median round.
 * Target: the written form costs at most 1.5× the built-in's time per schedule.
 */
import { SeedRunner, modelFor } from '../server/src/core/explore/runner';
import type { Model } from '../server/src/core/model';
import { machine, report, stats } from './support/measure';
import { raft5Scenario } from './support/scenarios';

const HEAD = raft5Scenario({ name: 'bench_props', runFor: '1s', tail: '' });
const WRITTEN = 'invariant one_leader_per_term: always forall a, b in raft: a.role == "leader" and b.role == "leader" and a.term == b.term implies a == b\n';
const VARIANTS = [
  { label: 'no invariant', text: HEAD },
  { label: 'election_safety (built-in)', text: `${HEAD}invariant election_safety\n` },
  { label: 'election_safety (written)', text: `${HEAD}${WRITTEN}` },
] as const;
const TARGET_RATIO = 1.5;
const ROUNDS = 7;
const ROUND_MS = 400;

function modelOf(text: string): Model {
  const m = modelFor(text);
  if (typeof m === 'string') throw new Error(`benchmark scenario has errors: ${m}`);
  return m;
}

const runners = VARIANTS.map((v) => new SeedRunner(modelOf(v.text), 1));
for (const r of runners) for (let i = 0; i < 30; i++) r.run(100_000 + i);
const perCpuSecond: number[][] = VARIANTS.map(() => []);
const ratios: number[] = [];
let next = 0;
for (let round = 0; round < ROUNDS; round++) {
  const rates = runners.map((runner, i) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let schedules = 0;
    while (performance.now() - start < ROUND_MS) {
      runner.run(next++);
      schedules++;
    }
    const used = process.cpuUsage(cpu);
    const rate = schedules / ((used.user + used.system) / 1e6);
    perCpuSecond[i]!.push(rate);
    return rate;
  });
  ratios.push(rates[1]! / rates[2]!);
}
console.log(`  5-node Raft exploration, ${ROUNDS} rounds of ${ROUND_MS} ms per variant, schedules per CPU-second of this thread`);
VARIANTS.forEach((v, i) => {
  const s = stats(perCpuSecond[i]!);
  console.log(`  ${v.label.padEnd(30)} median ${s.median.toFixed(0).padStart(6)} (min–max ${s.min.toFixed(0)}–${s.max.toFixed(0)})`);
});
console.log(report('written / built-in time per schedule', stats(ratios), '×', TARGET_RATIO, false));
console.log(`  ${machine()}`);
