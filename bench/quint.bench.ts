/**
 * DSync next to the Quint simulator on the same protocols, per protocol
 * transition at equal depth:
 *
 *   - a transition is a handler run on a delivered message or a fired timer
 *     in DSync (Simulation.transitions; sends, notes and drops are parts of
 *     one) and one action (one step) in Quint;
 *   - each DSync trace stops after `depth` transitions, each Quint trace has
 *     `depth` steps (`--max-steps`): 30 for two-phase commit, 18 for Paxos,
 *     whose DSync runs decide and end after 19 transitions for most seeds
 *     (the Quint model keeps taking actions after a decision);
 *   - rates per CPU-second of each side's process (its helper threads
 *     included), so that other load on the machine does not tilt the ratio;
 *   - both sides warmed: DSync runs warm-up traces first, and Quint's rate
 *     is the difference of two runs with the same seed and SMALL and LARGE
 *     samples (the same first traces, so the difference is the cost of
 *     LARGE − SMALL traces after its start-up and JIT warm-up);
 *   - the two sides interleaved in one run, REPETITIONS times, the ratio
 *     printed as median and spread; seeds fixed and printed.
 *
 * Models: bench/peers/twoPhaseCommit.qnt against DSync's `two_phase_commit`
 * and bench/peers/paxos.qnt (its invariant computes the chosen values once
 * per state) against DSync's `paxos`, under `quint run --backend=typescript`.
 * Quint is installed into bench/peers on first use; when it cannot be
 * installed or run, this benchmark fails (exit 1) and says why.
 */
import type { Model } from '../server/src/core/model';
import { modelFor } from '../server/src/core/explore/runner';
import { Simulation } from '../server/src/core/sim/engine';
import { fmt, machine, spreadText, stats } from './support/measure';
import { installQuint, QUINT_VERSION, quintActionsPerCpuSecond, type QuintModel } from './support/quint';

const REPETITIONS = 3;
/** How long each DSync measurement runs (after its warm-up). */
const DSYNC_MS = 1000;

/** The DSync side of bench/peers/twoPhaseCommit.qnt: a coordinator and three participants. */
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

interface Peer {
  readonly title: string;
  readonly dsync: string;
  readonly quint: QuintModel;
  /** Transitions per trace on both sides. */
  readonly depth: number;
}

const PEERS: readonly Peer[] = [
  { title: 'two-phase commit, 3 participants', dsync: TWO_PC, quint: { file: 'twoPhaseCommit.qnt', main: 'twoPhaseCommit', invariant: 'consistent', samples: [100, 500] }, depth: 30 },
  {
    title: 'single-decree Paxos, 3 acceptors, ballots 0..3 (Quint invariant: chosen values once per state)',
    dsync: PAXOS,
    quint: { file: 'paxos.qnt', main: 'paxos', invariant: 'agreement', samples: [30, 150] },
    depth: 18,
  },
];

function modelOf(text: string): Model {
  const m = modelFor(text);
  if (typeof m === 'string') throw new Error(`benchmark scenario has errors: ${m}`);
  return m;
}

/** One DSync trace from `seed`, stopped after `depth` transitions (or at its end); its transitions. */
function dsyncTrace(model: Model, seed: number, depth: number): number {
  const sim = new Simulation(model, { seed, record: false });
  // One queue entry runs at most one transition, so this stops exactly at `depth`.
  while (sim.transitions < depth && !sim.step(1));
  return sim.transitions;
}

/** DSync transitions per CPU-second over about DSYNC_MS of traces with seeds first, first + 1, … */
function dsyncRate(model: Model, depth: number, first: number): { perSecond: number; traces: number; transitions: number; seeds: string } {
  let traces = 0;
  let transitions = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < DSYNC_MS) transitions += dsyncTrace(model, first + traces++, depth);
  const used = process.cpuUsage(cpu);
  return { perSecond: transitions / ((used.user + used.system) / 1e6), traces, transitions, seeds: `${first}..${first + traces - 1}` };
}

function main(): void {
  const failure = installQuint();
  if (failure) throw new Error(`the Quint comparison cannot run: ${failure}`);
  console.log(`versus Quint ${QUINT_VERSION} (--backend=typescript): transitions per CPU-second at equal depth, ${REPETITIONS} interleaved repetitions`);
  console.log('  (DSync transition: a handler run on a receive or a timer; Quint transition: one action)');
  for (const peer of PEERS) {
    console.log(`\n${peer.title}, ${peer.depth} transitions per trace`);
    const model = modelOf(peer.dsync);
    const warm = performance.now();
    for (let seed = 100_000_000; performance.now() - warm < 500; seed++) dsyncTrace(model, seed, peer.depth);
    const ratios: number[] = [];
    const dsyncRates: number[] = [];
    const quintRates: number[] = [];
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const d = dsyncRate(model, peer.depth, 1 + rep * 1_000_000);
      const quintSeed = `0x${(rep + 1).toString(16)}`;
      const q = quintActionsPerCpuSecond(peer.quint, peer.depth, quintSeed);
      if (typeof q === 'string') throw new Error(`the Quint comparison cannot run: ${q}`);
      ratios.push(d.perSecond / q.perSecond);
      dsyncRates.push(d.perSecond);
      quintRates.push(q.perSecond);
      console.log(
        `  repetition ${rep + 1}: DSync ${fmt(d.perSecond).padStart(9)} transitions/s (${d.traces} traces, seeds ${d.seeds}, ${(d.transitions / d.traces).toFixed(1)} transitions per trace)`
        + `  Quint ${fmt(q.perSecond).padStart(7)} actions/s (--seed=${quintSeed}, ${q.traces} traces of ${q.actionsPerTrace} actions in ${q.cpuSeconds.toFixed(2)} CPU s after warm-up)  ×${fmt(d.perSecond / q.perSecond, 1)}`,
      );
    }
    console.log(`  DSync transitions/s  ${spreadText(stats(dsyncRates))}`);
    console.log(`  Quint actions/s      ${spreadText(stats(quintRates))}`);
    const r = stats(ratios);
    console.log(`  ratio DSync / Quint per transition: median ×${fmt(r.median, 1)} (min–max ×${fmt(r.min, 1)}–×${fmt(r.max, 1)}, n=${r.count})`);
  }
  console.log(`\n  ${machine()}`);
}

try {
  main();
} catch (error) {
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
