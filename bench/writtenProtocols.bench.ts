/**
 * Protocols written in .dsync against the built-in ones (issue 15, "Speed"):
 * the same scenario shape (nodes, options, network, client workload, run
 * length, seeds) run by the built-in Paxos / Raft and by the written ones in
 * samples/protocols/, without invariants, so the figure is the protocol's own
 * cost. Exploration as `dsync explore` runs it (no trace recorded): schedules
 * and simulator events per CPU-second of this thread. The variants alternate
 * in rounds, each round in CPU time, so a load change on the shared machine
 * hits both alike; the figure is the median round with its spread.
 * Equal work: the event counts per schedule are printed next to each other
 * (the written protocols send the same message types at the same moments,
 * but not byte-identical traces, so the rate per event is the fair unit).
 * Target: the written form runs at least one third of the built-in's events/s
 * and schedules/s (the median of the per-round ratios of each).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeedRunner, modelFor } from '../server/src/core/explore/runner';
import type { Model } from '../server/src/core/model';
import { machine, report, stats } from './support/measure';

const ROOT = process.env['DSYNC_ROOT'] ?? process.cwd();
const ROUNDS = 7;
const ROUND_MS = 400;
const TARGET = 0.333; // one third

/** The protocol declaration of a written sample: everything before its `scenario`. */
function writtenProtocol(file: string): string {
  const text = fs.readFileSync(path.join(ROOT, 'samples', 'protocols', file), 'utf8');
  return text.slice(0, text.search(/^scenario /m));
}

const RAFT_TAIL = `network { latency 5ms..20ms }
client c1 { every 50ms put k = counter from 100ms }
`;
const PAXOS_TAIL = `network { latency 5ms..30ms }
`;

const PAIRS = [
  {
    name: 'Raft, 5 nodes, 1 s, one client',
    builtIn: `scenario b { seed 1; run for 1s }\nnodes n1..n5 run raft { election_timeout 50ms..100ms; heartbeat 20ms }\n${RAFT_TAIL}`,
    written: `${writtenProtocol('raft.dsync')}scenario w { seed 1; run for 1s }\nnodes n1..n5 run raft_w { election_timeout 50ms..100ms; heartbeat 20ms }\n${RAFT_TAIL}`,
  },
  {
    name: 'single-decree Paxos, 5 nodes, 2 proposers, 1 s',
    builtIn: `scenario b { seed 1; run for 1s }\nnodes n1..n5 run paxos { proposers n1, n2; values n1 = 10, n2 = 20 }\n${PAXOS_TAIL}`,
    written: `${writtenProtocol('paxos.dsync')}scenario w { seed 1; run for 1s }\nnodes n1..n5 run paxos_w { proposers n1, n2 }\n${PAXOS_TAIL}`,
  },
] as const;

function modelOf(text: string): Model {
  const m = modelFor(text);
  if (typeof m === 'string') throw new Error(`benchmark scenario has errors: ${m}`);
  return m;
}

console.log(machine());
const ratios: number[][] = [];
for (const pair of PAIRS) {
  const models = [modelOf(pair.builtIn), modelOf(pair.written)];
  const runners = models.map((m) => new SeedRunner(m, 1));
  for (const r of runners) for (let i = 0; i < 20; i++) r.run(1_000 + i);
  const schedules: number[][] = [[], []];
  const events: number[][] = [[], []];
  const perPair: number[] = [];
  const perPairSchedules: number[] = [];
  let next = 10_000;
  for (let round = 0; round < ROUNDS; round++) {
    const rates = runners.map((runner, v) => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      let n = 0;
      let ev = 0;
      while (performance.now() - start < ROUND_MS) {
        ev += runner.run(next++).events;
        n++;
      }
      const used = process.cpuUsage(cpu);
      const seconds = (used.user + used.system) / 1e6;
      schedules[v]!.push(n / seconds);
      events[v]!.push(ev / seconds);
      return [ev / seconds, n / seconds] as const;
    });
    perPair.push(rates[1]![0] / rates[0]![0]);
    perPairSchedules.push(rates[1]![1] / rates[0]![1]);
  }
  ratios.push(perPair);
  console.log(`  ${pair.name}: ${ROUNDS} rounds of ${ROUND_MS} ms per variant, per CPU-second of this thread`);
  ['built-in', 'written'].forEach((label, v) => {
    const s = stats(schedules[v]!);
    const e = stats(events[v]!);
    console.log(`    ${label.padEnd(9)} schedules/s median ${s.median.toFixed(0).padStart(6)} (min–max ${s.min.toFixed(0)}–${s.max.toFixed(0)}); events/s median ${(e.median / 1e3).toFixed(1)}k (${(e.min / 1e3).toFixed(1)}k–${(e.max / 1e3).toFixed(1)}k); ${(e.median / s.median).toFixed(0)} events per schedule`);
  });
  console.log(report(`  written / built-in events per second (${pair.name})`, stats(perPair), '×', TARGET, true));
  console.log(report(`  written / built-in schedules per second (${pair.name})`, stats(perPairSchedules), '×', TARGET, true));
}
