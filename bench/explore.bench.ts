/**
 * Exploration throughput: schedules (seeds) per second and protocol events
 * per second on a 5-node Raft scenario with random crashes and partitions,
 * in one thread and with 1 and 2 worker threads (dist/exploreWorker.js:
 * `npm run bench` builds first). Targets: ≥ 2,000 schedules/s per core and
 * ≥ 2 M events/s.
 *
 * Then the same protocols side by side with the Quint simulator, both with
 * the same number of steps per trace (a DSync step is one trace event, a
 * Quint step one action), printed as a ratio of traces per second:
 * two-phase commit with three participants (bench/peers/twoPhaseCommit.qnt
 * against DSync's `two_phase_commit`) and single-decree Paxos with three
 * acceptors, two proposers and bounded ballots (bench/peers/paxos.qnt
 * against DSync's `paxos`), under `quint run --backend=typescript`.
 * Quint is installed into bench/peers on first use; if it cannot run, the
 * benchmark says why and goes on.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
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
/** The DSync side of bench/peers/paxos.qnt: three acceptors, two proposers with values 10 and 20. */
const PAXOS = `scenario bench_paxos { seed 1  run for 1s }
nodes n1..n3 run paxos { proposers n1, n2; values n1 = 10, n2 = 20; start 0ms..10ms; backoff 0ms..20ms; timeout 50ms }
network { latency 1ms..10ms }
invariant agreement
invariant validity
`;
const STEPS = 30;

interface Peer {
  readonly title: string;
  readonly dsync: string;
  readonly qnt: string;
  readonly main: string;
  readonly invariant: string;
  readonly samples: number;
}

const PEERS: readonly Peer[] = [
  { title: 'two-phase commit, 3 participants', dsync: TWO_PC, qnt: 'twoPhaseCommit.qnt', main: 'twoPhaseCommit', invariant: 'consistent', samples: 300 },
  { title: 'single-decree Paxos, 3 acceptors, ballots 0..3', dsync: PAXOS, qnt: 'paxos.qnt', main: 'paxos', invariant: 'agreement', samples: 30 },
];

function modelOf(text: string): Model {
  const m = modelFor(text);
  if (typeof m === 'string') throw new Error(`benchmark scenario has errors: ${m}`);
  return m;
}

/**
 * Schedules in one thread for about `ms` after a warm-up; schedules/s and
 * events/s by the wall clock, and per CPU-second of the whole process (the
 * garbage collector's helper threads included: what one core really does).
 */
function inThread(model: Model, ms: number): { schedules: number; events: number; perSecond: number; eventsPerSecond: number; perCpuSecond: number } {
  const warm = new SeedRunner(model, 1_000_000);
  for (let i = 0; i < 30; i++) warm.run(i);
  const runner = new SeedRunner(model, 1);
  let schedules = 0;
  let events = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) events += runner.run(schedules++).events;
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { schedules, events, perSecond: schedules / elapsed, eventsPerSecond: events / elapsed, perCpuSecond: schedules / cpuSeconds };
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

const PEERS_DIR = path.join(ROOT, 'bench', 'peers');
const QUINT = path.join(PEERS_DIR, 'node_modules', '.bin', 'quint');

/** Installs Quint into bench/peers when missing (never into the extension); a reason when it cannot. */
function installQuint(): string | undefined {
  if (fs.existsSync(QUINT)) return undefined;
  console.log('  installing Quint 0.33.0 into bench/peers (npm install --prefix bench/peers) …');
  const install = spawnSync('npm', ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], { encoding: 'utf8', timeout: 300_000 });
  if (install.status !== 0 || !fs.existsSync(QUINT)) return `npm install --prefix bench/peers failed: ${(install.stderr || install.error?.message || '').trim().split('\n').slice(-3).join(' / ')}`;
  return undefined;
}

/** Runs Quint on a peer model; traces per second as Quint measures them (simulation only, without its start-up). */
function quint(peer: Peer): { tracesPerSecond: number; wallMs: number } | string {
  const start = performance.now();
  const args = ['run', '--backend=typescript', `--max-samples=${peer.samples}`, `--max-steps=${STEPS}`, `--invariant=${peer.invariant}`, `--main=${peer.main}`, path.join(PEERS_DIR, peer.qnt)];
  const r = spawnSync(QUINT, args, { encoding: 'utf8', timeout: 300_000 });
  const wallMs = performance.now() - start;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const m = /\((\d+)ms at (\d+) traces\/second\)/.exec(out);
  if (r.status !== 0 || !m) return `quint run failed (exit ${r.status ?? r.signal ?? r.error?.message}): ${out.trim().split('\n').slice(-3).join(' / ')}`;
  return { tracesPerSecond: (peer.samples * 1000) / Math.max(1, Number(m[1])), wallMs };
}

async function main(): Promise<void> {
  const raft = modelOf(RAFT5);
  console.log('explore: 5-node Raft, 1s per schedule, random crashes and partitions, 2 invariants; coverage observer on');
  const t = inThread(raft, 3000);
  console.log(report('schedules per second (one thread)', t.perSecond, 'sched/s', TARGET_SCHEDULES_PER_S));
  console.log(report('schedules per CPU-second (GC threads incl.)', t.perCpuSecond, 'sched/s', TARGET_SCHEDULES_PER_S));
  console.log(report('protocol events per second (one thread)', t.eventsPerSecond / 1e6, 'M ev/s', TARGET_EVENTS_PER_S / 1e6) + `  (${(t.events / t.schedules).toFixed(0)} events per schedule)`);
  console.log('scaling with worker threads:');
  await scaling();

  const missing = installQuint();
  for (const peer of PEERS) {
    console.log(`\nversus Quint: ${peer.title}, ${STEPS} steps per trace`);
    const model = modelOf(peer.dsync);
    const d = inThread({ ...model, maxEvents: STEPS }, 2000);
    console.log(`  DSync ${model.protocols[0]!.definition.name} (max_events ${STEPS})`.padEnd(44) + ` ${d.perSecond.toFixed(0).padStart(10)} traces/s`);
    const q = missing ?? quint(peer);
    if (typeof q === 'string') {
      console.log(`  Quint: not run: ${q}`);
      continue;
    }
    console.log(`  Quint 0.33.0 --backend=typescript`.padEnd(44) + ` ${q.tracesPerSecond.toFixed(0).padStart(10)} traces/s  (${peer.samples} samples of bench/peers/${peer.qnt}; ${(q.wallMs / 1000).toFixed(1)}s wall with start-up)`);
    console.log(`  ratio DSync / Quint: ×${(d.perSecond / q.tracesPerSecond).toFixed(1)} traces per second at ${STEPS} steps per trace`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
