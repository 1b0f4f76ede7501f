/**
 * Exploration throughput: schedules (seeds) per second and protocol events
 * per second on a 5-node Raft scenario with random crashes and partitions,
 * in one thread and with 1 and 2 worker threads (dist/exploreWorker.js:
 * `npm run bench` builds first). Targets: ≥ 2,000 schedules/s per core and
 * ≥ 2 M events/s.
 *
 * Then the same protocol side by side with the Quint simulator: two-phase
 * commit with three participants, bench/peers/twoPhaseCommit.qnt under
 * `quint run --backend=typescript`, against DSync's `two_phase_commit`,
 * both with the same number of steps per trace (a DSync step is one trace
 * event, a Quint step one action); printed as a ratio of traces per second.
 * Quint is installed into bench/peers on first use; if it cannot run, the
 * benchmark says why and goes on.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeedRunner, modelFor } from '../server/src/core/explore/runner';
import type { Model } from '../server/src/core/model';
import { explore } from '../server/src/shared/exploreDriver';
import { report } from './support/measure';

const ROOT = process.env['DSYNC_ROOT'] ?? process.cwd();
const TARGET_SCHEDULES_PER_S = 2_000;
const TARGET_EVENTS_PER_S = 2_000_000;

const RAFT5 = `scenario bench_raft5 { seed 1  run for 1s }
nodes n1..n5 run raft { election_timeout 150ms..300ms; heartbeat 50ms }
network { latency 2ms..10ms }
client c1 { every 50ms put k = counter from 300ms }
faults random {
  crash 1 per 500ms for 100ms
  partition 1 per 1s for 200ms
}
invariant election_safety
invariant log_matching
`;

/** The DSync side of the Quint comparison: the protocol of bench/peers/twoPhaseCommit.qnt. */
const TWO_PC = `scenario bench_2pc { seed 1  run for 1s }
nodes C, P1, P2, P3 run two_phase_commit { coordinator C; timeout 100ms; transactions 3 every 100ms }
network { latency 1ms..10ms; loss 5% }
faults random { crash 1 per 300ms for 50ms }
invariant atomicity
`;
const STEPS = 30;
const QUINT_SAMPLES = 300;

function modelOf(text: string): Model {
  const m = modelFor(text);
  if (typeof m === 'string') throw new Error(`benchmark scenario has errors: ${m}`);
  return m;
}

/** Schedules in one thread for about `ms` after a warm-up; returns schedules/s and events/s. */
function inThread(model: Model, ms: number): { schedules: number; events: number; perSecond: number; eventsPerSecond: number } {
  const warm = new SeedRunner(model, 1_000_000);
  for (let i = 0; i < 30; i++) warm.run(i);
  const runner = new SeedRunner(model, 1);
  let schedules = 0;
  let events = 0;
  const start = performance.now();
  while (performance.now() - start < ms) events += runner.run(schedules++).events;
  const elapsed = (performance.now() - start) / 1000;
  return { schedules, events, perSecond: schedules / elapsed, eventsPerSecond: events / elapsed };
}

async function scaling(): Promise<void> {
  const workerScript = path.join(ROOT, 'dist', 'exploreWorker.js');
  if (!fs.existsSync(workerScript)) {
    console.log(`  scaling: skipped, ${workerScript} is missing (run npm run build)`);
    return;
  }
  const runs = 600;
  let base = 0;
  for (const workers of [1, 2]) {
    const outcome = await explore({ text: RAFT5, baseSeed: 1, runs, workers, workerScript: workers > 1 ? workerScript : workerScript });
    const perSecond = outcome.summary.runs / (outcome.elapsedMs / 1000);
    if (workers === 1) base = perSecond;
    console.log(`  ${workers} worker${workers > 1 ? 's' : ' '} (${runs} schedules)${' '.repeat(20)} ${perSecond.toFixed(0).padStart(10)} schedules/s  ${(outcome.summary.events / (outcome.elapsedMs / 1000) / 1e6).toFixed(2)} M events/s  speed-up ×${(perSecond / base).toFixed(2)}  (${outcome.summary.distinctStates} distinct states)`);
  }
}

/** Runs Quint on the peer model; traces per second as Quint measures them (simulation only, without its start-up). */
function quint(): { tracesPerSecond: number; wallMs: number } | string {
  const peers = path.join(ROOT, 'bench', 'peers');
  const bin = path.join(peers, 'node_modules', '.bin', 'quint');
  if (!fs.existsSync(bin)) {
    console.log('  installing Quint 0.33.0 into bench/peers (npm install --prefix bench/peers) …');
    const install = spawnSync('npm', ['install', '--prefix', peers, '--no-audit', '--no-fund'], { encoding: 'utf8', timeout: 300_000 });
    if (install.status !== 0 || !fs.existsSync(bin)) return `npm install --prefix bench/peers failed: ${(install.stderr || install.error?.message || '').trim().split('\n').slice(-3).join(' / ')}`;
  }
  const start = performance.now();
  const r = spawnSync(bin, ['run', '--backend=typescript', `--max-samples=${QUINT_SAMPLES}`, `--max-steps=${STEPS}`, '--invariant=consistent', '--main=twoPhaseCommit', path.join(peers, 'twoPhaseCommit.qnt')], { encoding: 'utf8', timeout: 300_000 });
  const wallMs = performance.now() - start;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const m = /\((\d+)ms at (\d+) traces\/second\)/.exec(out);
  if (r.status !== 0 || !m) return `quint run failed (exit ${r.status ?? r.signal ?? r.error?.message}): ${out.trim().split('\n').slice(-3).join(' / ')}`;
  return { tracesPerSecond: (QUINT_SAMPLES * 1000) / Number(m[1]), wallMs };
}

async function main(): Promise<void> {
  const raft = modelOf(RAFT5);
  console.log('explore: 5-node Raft, 1s per schedule, random crashes and partitions, 2 invariants; coverage observer on');
  const t = inThread(raft, 3000);
  console.log(report('schedules per second (one thread)', t.perSecond, 'sched/s', TARGET_SCHEDULES_PER_S));
  console.log(report('protocol events per second (one thread)', t.eventsPerSecond / 1e6, 'M ev/s', TARGET_EVENTS_PER_S / 1e6) + `  (${(t.events / t.schedules).toFixed(0)} events per schedule)`);
  console.log('scaling with worker threads:');
  await scaling();

  console.log(`\nversus Quint: two-phase commit, 3 participants, ${STEPS} steps per trace`);
  const twoPc = modelOf(TWO_PC);
  const d = inThread({ ...twoPc, maxEvents: STEPS }, 2000);
  console.log(`  DSync two_phase_commit (max_events ${STEPS})${' '.repeat(5)} ${d.perSecond.toFixed(0).padStart(10)} traces/s`);
  const q = quint();
  if (typeof q === 'string') {
    console.log(`  Quint: not run: ${q}`);
    return;
  }
  console.log(`  Quint 0.33.0 --backend=typescript${' '.repeat(9)} ${q.tracesPerSecond.toFixed(0).padStart(10)} traces/s  (${QUINT_SAMPLES} samples; ${(q.wallMs / 1000).toFixed(1)}s wall with start-up)`);
  console.log(`  ratio DSync / Quint: ×${(d.perSecond / q.tracesPerSecond).toFixed(1)} traces per second at ${STEPS} steps per trace`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
