/**
 * Exploration throughput: schedules (seeds) per second and protocol events
 * per second on a 5-node Raft scenario with random crashes and partitions,
 * in one thread (the median of REPETITIONS timed windows, with the spread)
 * and with 1 and 2 worker threads (dist/exploreWorker.js: `npm run bench`
 * builds first). Targets: ≥ 2,000 schedules/s per core and ≥ 2 M events/s.
 * The comparison with Quint is bench/quint.bench.ts.
 */
import * as fs from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { SeedRunner, modelFor } from '../server/src/core/explore/runner';
import type { Model } from '../server/src/core/model';
import { explore } from '../server/src/shared/exploreDriver';
import { machine, report, stats, type Stats } from './support/measure';
import { raft5Scenario } from './support/scenarios';

const ROOT = process.env['DSYNC_ROOT'] ?? process.cwd();
const TARGET_SCHEDULES_PER_S = 2_000;
const TARGET_EVENTS_PER_S = 2_000_000;

const RAFT5 = raft5Scenario({ name: 'bench_raft5', runFor: '1s', tail: 'invariant election_safety\ninvariant log_matching\n' });

function modelOf(text: string): Model {
  const m = modelFor(text);
  if (typeof m === 'string') throw new Error(`benchmark scenario has errors: ${m}`);
  return m;
}

const REPETITIONS = 5;
const WINDOW_MS = 800;

/**
 * Schedules in one thread, REPETITIONS windows of `WINDOW_MS` each after a
 * warm-up (each window continues the seed sequence): schedules/s and
 * events/s by the wall clock, and per CPU-second of the whole process (the
 * garbage collector's helper threads included: what one core really does).
 */
function inThread(model: Model): { perSecond: Stats; eventsPerSecond: Stats; perCpuSecond: Stats; eventsPerSchedule: number } {
  const warm = new SeedRunner(model, 1_000_000);
  for (let i = 0; i < 30; i++) warm.run(i);
  const runner = new SeedRunner(model, 1);
  let schedules = 0;
  let events = 0;
  const perSecond: number[] = [];
  const eventsPerSecond: number[] = [];
  const perCpuSecond: number[] = [];
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const [s0, e0] = [schedules, events];
    const cpu = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < WINDOW_MS) events += runner.run(schedules++).events;
    const elapsed = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    perSecond.push((schedules - s0) / elapsed);
    eventsPerSecond.push((events - e0) / elapsed / 1e6);
    perCpuSecond.push((schedules - s0) / ((used.user + used.system) / 1e6));
  }
  return { perSecond: stats(perSecond), eventsPerSecond: stats(eventsPerSecond), perCpuSecond: stats(perCpuSecond), eventsPerSchedule: events / schedules };
}

async function scaling(): Promise<void> {
  const workerScript = path.join(ROOT, 'dist', 'exploreWorker.js');
  if (!fs.existsSync(workerScript)) {
    console.log(`  scaling: skipped, ${workerScript} is missing (run npm run build)`);
    return;
  }
  // A time budget long enough that a worker's start-up (loading the bundle, building the parser, warming the JIT) is a small part.
  const timeMs = 4000;
  const [load] = loadavg();
  console.log(`  (${availableParallelism()} cores, load average ${load!.toFixed(1)}: with other work on the cores, workers cannot scale; 1 worker runs in the calling thread, as \`dsync explore --workers 1\` does)`);
  let base = 0;
  for (const workers of [1, 2]) {
    const outcome = await explore({ text: RAFT5, baseSeed: 1, runs: Infinity, timeMs, workers, workerScript });
    const perSecond = outcome.summary.runs / (outcome.elapsedMs / 1000);
    if (workers === 1) base = perSecond;
    console.log(`  ${workers} worker${workers > 1 ? 's' : ' '} (${(timeMs / 1000).toFixed(0)}s, ${outcome.summary.runs} schedules)`.padEnd(46) + ` ${perSecond.toFixed(0).padStart(10)} schedules/s  ${(outcome.summary.events / (outcome.elapsedMs / 1000) / 1e6).toFixed(2)} M events/s  speed-up ×${(perSecond / base).toFixed(2)}  (${outcome.summary.distinctStates} distinct states)`);
  }
}

async function main(): Promise<void> {
  const raft = modelOf(RAFT5);
  console.log('explore: 5-node Raft, 1s per schedule, random crashes and partitions, 2 invariants; coverage observer on');
  const t = inThread(raft);
  console.log(`  one thread, ${REPETITIONS} windows of ${WINDOW_MS} ms, seeds from 1:`);
  console.log(report('schedules per second (one thread)', t.perSecond, 'sched/s', TARGET_SCHEDULES_PER_S));
  console.log(report('schedules per CPU-second (GC threads incl.)', t.perCpuSecond, 'sched/s', TARGET_SCHEDULES_PER_S));
  console.log(report('protocol events per second (one thread)', t.eventsPerSecond, 'M ev/s', TARGET_EVENTS_PER_S / 1e6) + `  (${t.eventsPerSchedule.toFixed(0)} events per schedule)`);
  console.log('scaling with worker threads (one run each, not judged):');
  await scaling();
  console.log(`  ${machine()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
