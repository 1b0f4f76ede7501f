/**
 * `dsync lin` on the public benchmark set of the Porcupine checker (its
 * test_data: Jepsen's etcd cas-register logs `jepsen/etcd_NNN.log` and its
 * key-value logs `kv/cNN-ok.txt` / `kv/cNN-bad.txt`) and on stand-ins for
 * its 20,000-operation etcd logs (test_data/etcd/etcd_RR0.5_CLI<N>_OPS20000.log:
 * generated here, deterministically, by etcdPorcupineLike in
 * bench/support/histories.ts for 8, 12, 16 and 20 clients, linearizable and
 * with one stale read; never committed as data) — and, when it is built, the
 * same files checked by Porcupine itself, side by side.
 *
 * The Porcupine histories are not ours and are not in this repository: point
 * DSYNC_PORCUPINE_DATA at a folder holding them (see `absent` below). Without
 * it the stand-ins are still measured, and a missed target is counted: an
 * absent set is not a pass. The expected verdicts are the ones Porcupine's
 * own tests assert (porcupine_test.go: which etcd logs are linearizable; the
 * kv logs say it in their names; the stand-ins are built with theirs).
 *
 * Side by side (DSYNC_PORCUPINE_BIN set): each file is checked by both, in
 * rounds that alternate which one goes first, after a warm-up of both (ours
 * so the JIT has compiled the search, Porcupine's so its runtime and heap
 * are up), DSYNC_PORCUPINE_REPEAT rounds (default and minimum 3). Equal work:
 * the same file, read by each side's own reader, the same model (Porcupine's
 * etcd model for the etcd logs — read/write/cas with unknown outcomes — and
 * its per-key kv model for the kv logs), each side's verbose check (ours
 * explains a violation, Porcupine's CheckEventsVerbose computes its partial
 * linearizations). The figure compared is the CPU time of the check alone
 * (user + system, every thread; parsing is shown apart): on a shared machine
 * other processes stretch wall time, much less CPU time. A disagreement on a
 * verdict both sides decided fails the benchmark (exit 1). Porcupine's
 * timeout (DSYNC_PORCUPINE_TIMEOUT_MS, default 60,000) is wall time, so on a
 * loaded machine it gives up after less CPU time than that; its "Unknown" is
 * then shown with the CPU time it had spent, a lower bound. Ours has its step
 * budget (DSYNC_LIN_MAX_STEPS, default the command's).
 *
 * Building the peer (outside this repository; none of its code is committed):
 *  1. Go ≥ 1.18 (Debian: `apt-get install golang-go`; 1.19 works unchanged).
 *  2. A Go module in a folder of your own, e.g. /work/peers/porcupine, holding
 *     Porcupine's checker.go, model.go, porcupine.go, bitset.go and go.mod
 *     (https://github.com/anishathalye/porcupine; a version whose Event has
 *     ClientId, Kind, Value, Id and which has CheckEventsVerbose(model,
 *     events, timeout); leave out visualization.go and the tests).
 *  3. A harness cmd/porcheck/main.go in that module: the models and log
 *     readers of Porcupine's porcupine_test.go (etcdModel + parseJepsenLog,
 *     with the line patterns accepting a trailing ` :hint N`; getKvModel +
 *     parseKvLog), CheckEventsVerbose with the timeout, getrusage around the
 *     parse and the check, and a `-serve` mode speaking the JSON-lines
 *     protocol described in bench/support/porcupinePeer.ts.
 *  4. `go build -o bin/porcheck ./cmd/porcheck`, then
 *     DSYNC_PORCUPINE_BIN=/work/peers/porcupine/bin/porcheck DSYNC_PORCUPINE_DATA=… npm run bench -- linPorcupine
 * DSYNC_PORCUPINE_ONLY=part,part checks only the files whose name contains one
 * of them (`jepsen/`, `kv/`, `stand-in/`, `c20`, …).
 *
 * Targets: every history decided, every verdict as Porcupine's tests say,
 * every history within 10 s (the bound issue 17 sets); side by side, no
 * slower than 2× Porcupine's own CPU time on its hardest etcd histories (the
 * five real etcd logs Porcupine takes longest on, and the 20,000-operation
 * stand-ins).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkHistory } from '../server/src/core/history/analyze';
import type { ModelName } from '../server/src/core/history/models';
import { readHistory } from '../server/src/core/history/read';
import { DEFAULT_MAX_STEPS } from '../server/src/core/linearizability/checker';
import { etcdPorcupineLike } from './support/histories';
import { machine, stats, verdict, type Stats } from './support/measure';
import { PorcupinePeer, type PeerAnswer } from './support/porcupinePeer';

const TARGET_MS = 10_000;
const TARGET_RATIO = 2;
const HARDEST_REAL_ETCD = 5;

/** The etcd logs Porcupine's tests expect to be linearizable; every other etcd_NNN.log is expected not to be (etcd_095 does not exist). */
const LINEARIZABLE_ETCD = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);

type Expected = 'linearizable' | 'not linearizable';

interface BenchFile {
  readonly name: string;
  readonly file: string;
  readonly model: Extract<ModelName, 'cas-register' | 'append-kv'>;
  readonly expected: Expected | undefined;
  readonly standIn?: boolean;
}

/** The histories found under `root` (in `root/jepsen`, `root/kv`, or `root` itself), by name. */
export function porcupineFiles(root: string): BenchFile[] {
  const found: BenchFile[] = [];
  for (const dir of [root, path.join(root, 'jepsen'), path.join(root, 'kv')]) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      const etcd = /^etcd_(\d{3})\.log$/.exec(name);
      if (etcd) {
        found.push({ name: `jepsen/${name}`, file, model: 'cas-register', expected: LINEARIZABLE_ETCD.has(Number(etcd[1])) ? 'linearizable' : 'not linearizable' });
        continue;
      }
      const kv = /^c\d+-(ok|bad)\.txt$/.exec(name);
      if (kv) found.push({ name: `kv/${name}`, file, model: 'append-kv', expected: kv[1] === 'ok' ? 'linearizable' : 'not linearizable' });
    }
  }
  return found;
}

/** The 20,000-operation stand-ins, written to `dir` (the peer reads files). */
function standIns(dir: string): BenchFile[] {
  const files: BenchFile[] = [];
  for (const clients of [8, 12, 16, 20]) {
    for (const stale of [false, true]) {
      const name = `etcd20k-c${clients}-${stale ? 'stale' : 'ok'}.log`;
      const file = path.join(dir, name);
      fs.writeFileSync(file, etcdPorcupineLike(clients, stale));
      files.push({ name: `stand-in/${name}`, file, model: 'cas-register', expected: stale ? 'not linearizable' : 'linearizable', standIn: true });
    }
  }
  return files;
}

function absent(why: string): void {
  console.log(`lin porcupine: Porcupine's benchmark set is ABSENT (${why}); only the generated stand-ins are checked.`);
  console.log('  To run it: copy test_data/jepsen/etcd_*.log and test_data/kv/*.txt of https://github.com/anishathalye/porcupine');
  console.log('  into a folder OUTSIDE this repository (e.g. git clone --depth 1 https://github.com/anishathalye/porcupine /tmp/porcupine)');
  console.log('  and run: DSYNC_PORCUPINE_DATA=/tmp/porcupine/test_data npm run bench -- linPorcupine');
  verdict("Porcupine's benchmark set present (set DSYNC_PORCUPINE_DATA)", 0, 1);
}

function peerHowTo(): void {
  console.log('  Porcupine itself is not run (DSYNC_PORCUPINE_BIN is not set): ours alone below.');
  console.log('  To measure it side by side, build the peer outside this repository as the header of bench/linPorcupine.bench.ts says');
  console.log('  (Go ≥ 1.18; Porcupine\'s checker.go, model.go, porcupine.go, bitset.go + a small cmd/porcheck harness; go build),');
  console.log('  then set DSYNC_PORCUPINE_BIN to the built binary.');
}

type Verdict = Expected | 'undecided' | string;

interface OursRun {
  readonly verdict: Verdict;
  readonly operations: number;
  readonly checkCpuMs: number;
  /** Read + check, wall time: what the 10 s bound is about. */
  readonly totalWallMs: number;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Ours as `dsync lin` does it: read, then check (+ explain). The previous run's garbage is collected first, outside the timing, as the peer does. */
function runOurs(text: string, model: BenchFile['model'], maxSteps: number): OursRun {
  (globalThis as { gc?: () => void }).gc?.();
  const wall = performance.now();
  let ops;
  try {
    ops = readHistory(text).ops;
  } catch (error) {
    return { verdict: `error: ${(error as Error).message}`, operations: 0, checkCpuMs: 0, totalWallMs: performance.now() - wall };
  }
  const start = process.cpuUsage();
  let got: Verdict;
  try {
    got = checkHistory(ops, model, { maxSteps }).verdict;
  } catch (error) {
    got = `error: ${(error as Error).message}`;
  }
  return { verdict: got, operations: ops.length, checkCpuMs: cpuMs(process.cpuUsage(start)), totalWallMs: performance.now() - wall };
}

const PEER_VERDICT: Record<PeerAnswer['verdict'], Verdict> = { Ok: 'linearizable', Illegal: 'not linearizable', Unknown: 'undecided' };

const decided = (v: Verdict): v is Expected => v === 'linearizable' || v === 'not linearizable';

/** One verdict for repeated runs: the decided one if any run decided (runs never decide differently: that is checked), else the first. */
function oneVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.find(decided) ?? verdicts[0]!;
}

const ms = (s: Stats): string => `${s.median.toFixed(s.median < 10 ? 1 : 0)} (${s.min.toFixed(s.min < 10 ? 1 : 0)}–${s.max.toFixed(s.max < 10 ? 1 : 0)})`;

interface Row {
  readonly f: BenchFile;
  readonly operations: number;
  readonly ours: Verdict;
  readonly oursCpu: Stats;
  readonly oursWall: Stats;
  readonly peer?: { readonly verdict: Verdict; readonly cpu: Stats };
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not '${raw}'`);
  return n;
}

async function main(): Promise<void> {
  const root = process.env.DSYNC_PORCUPINE_DATA;
  const real = root ? porcupineFiles(root) : [];
  if (!root) absent('DSYNC_PORCUPINE_DATA is not set');
  else if (real.length === 0) absent(`no jepsen/etcd_NNN.log or kv/cNN-ok|bad.txt under ${root}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-porcupine-'));
  const only = process.env.DSYNC_PORCUPINE_ONLY?.split(',').filter(Boolean);
  const files = [...real, ...standIns(dir)].filter((f) => !only || only.some((part) => f.name.includes(part)));
  const rounds = Math.max(3, Math.floor(envNumber('DSYNC_PORCUPINE_REPEAT', 3)));
  const timeoutMs = envNumber('DSYNC_PORCUPINE_TIMEOUT_MS', 60_000);
  const maxSteps = envNumber('DSYNC_LIN_MAX_STEPS', DEFAULT_MAX_STEPS);
  const bin = process.env.DSYNC_PORCUPINE_BIN;
  if (bin && !fs.existsSync(bin)) throw new Error(`DSYNC_PORCUPINE_BIN=${bin}: no such file (see the header of bench/linPorcupine.bench.ts to build it)`);
  const peer = bin ? new PorcupinePeer(bin) : undefined;
  const generated = files.filter((f) => f.standIn).length;
  console.log(`lin porcupine: ${files.length} histories (${files.length - generated} of Porcupine's set${root ? ` from ${root}` : ''}, ${generated} generated 20,000-operation stand-ins), ${rounds} rounds each after a warm-up`);
  console.log(`  times are CPU ms of the check alone (user + system, all threads), median (min–max); ours with a budget of ${maxSteps.toLocaleString('en')} steps${peer ? `, Porcupine ${bin} with a ${timeoutMs} ms wall-clock timeout` : ''}`);
  if (!peer) peerHowTo();
  const texts = new Map(files.map((f) => [f, fs.readFileSync(f.file, 'utf8')]));
  try {
    const warm = files.filter((f) => !f.standIn).slice(0, 6);
    for (const f of warm.length > 0 ? warm : files.slice(0, 1)) {
      runOurs(texts.get(f)!, f.model, maxSteps);
      await peer?.check(f.file, f.model, timeoutMs);
    }
    const rows: Row[] = [];
    const disagreements: string[] = [];
    console.log(`  ${'file'.padEnd(30)} ${'ops'.padStart(6)}   ${peer ? `${'Porcupine'.padEnd(36)} ` : ''}${'ours'.padEnd(36)}${peer ? ' ours/Porcupine' : ''}`);
    for (const f of files) {
      const ours: OursRun[] = [];
      const theirs: PeerAnswer[] = [];
      for (let round = 0; round < rounds; round++) {
        const oursFirst = round % 2 === 0;
        if (oursFirst) ours.push(runOurs(texts.get(f)!, f.model, maxSteps));
        if (peer) theirs.push(await peer.check(f.file, f.model, timeoutMs));
        if (!oursFirst) ours.push(runOurs(texts.get(f)!, f.model, maxSteps));
      }
      const row: Row = {
        f,
        operations: ours[0]!.operations,
        ours: oneVerdict(ours.map((r) => r.verdict)),
        oursCpu: stats(ours.map((r) => r.checkCpuMs)),
        oursWall: stats(ours.map((r) => r.totalWallMs)),
        ...(peer ? { peer: { verdict: oneVerdict(theirs.map((a) => PEER_VERDICT[a.verdict])), cpu: stats(theirs.map((a) => a.checkCpuMs)) } } : {}),
      };
      rows.push(row);
      const all = [...ours.map((r) => r.verdict), ...theirs.map((a) => PEER_VERDICT[a.verdict])].filter(decided);
      if (new Set(all).size > 1) disagreements.push(`${f.name}: ours ${ours.map((r) => r.verdict).join('/')}, Porcupine ${theirs.map((a) => a.verdict).join('/')}`);
      console.log(rowText(row));
    }
    summary(rows, maxSteps);
    console.log(`  ${machine()}`);
    if (disagreements.length > 0) {
      for (const d of disagreements) console.log(`  DISAGREEMENT ${d}`);
      throw new Error(`ours and Porcupine disagree on ${disagreements.length} histor${disagreements.length > 1 ? 'ies' : 'y'} (listed above)`);
    }
  } finally {
    peer?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ours / Porcupine, CPU time of the check. A side that gave up spent less
 * than deciding would take: Porcupine giving up makes the ratio an upper
 * bound, ours giving up a lower one, both giving up no figure at all.
 */
function ratioOf(row: Row): { text: string; value: number } | undefined {
  if (!row.peer) return undefined;
  const value = row.oursCpu.median / row.peer.cpu.median;
  const oursDecided = decided(row.ours);
  const peerDecided = decided(row.peer.verdict);
  if (!oursDecided && !peerDecided) return { text: 'neither decided', value: NaN };
  const bound = oursDecided && !peerDecided ? '< ' : !oursDecided ? '> ' : '';
  return { text: `${bound}${value.toFixed(value < 0.1 ? 3 : 2)}`, value: oursDecided ? value : Infinity };
}

function rowText(row: Row): string {
  const note = row.f.expected && decided(row.ours) && row.ours !== row.f.expected ? `  (expected: ${row.f.expected})` : '';
  const peer = row.peer ? `${`${row.peer.verdict} ${ms(row.peer.cpu)}`.padEnd(36)} ` : '';
  const ratio = ratioOf(row);
  return `  ${row.f.name.padEnd(30)} ${String(row.operations).padStart(6)}   ${peer}${`${row.ours} ${ms(row.oursCpu)}`.padEnd(36)}${ratio ? ` ${ratio.text}` : ''}${note}`;
}

function summary(rows: readonly Row[], maxSteps: number): void {
  const decidedRows = rows.filter((r) => decided(r.ours));
  const agreeing = rows.filter((r) => r.ours === r.f.expected);
  const slowest = Math.max(...rows.map((r) => r.oursWall.median));
  console.log(`  ours: slowest check ${slowest.toFixed(0)} ms wall (median of its rounds; target ≤ ${TARGET_MS} ms: ${verdict('slowest history of the Porcupine set and stand-ins', slowest, TARGET_MS, false)})`);
  console.log(`  ours: decided ${decidedRows.length}/${rows.length} within ${maxSteps.toLocaleString('en')} steps (${verdict('histories decided', decidedRows.length, rows.length)})`);
  console.log(`  ours: verdict as Porcupine's tests expect ${agreeing.length}/${rows.length} (${verdict("verdicts as Porcupine's tests", agreeing.length, rows.length)})`);
  const withPeer = rows.filter((r) => r.peer);
  if (withPeer.length === 0) return;
  const peerDecided = withPeer.filter((r) => decided(r.peer!.verdict)).length;
  console.log(`  Porcupine: decided ${peerDecided}/${withPeer.length} within its timeout`);
  const bothDecided = withPeer.filter((r) => decided(r.ours) && decided(r.peer!.verdict));
  if (bothDecided.length > 0) {
    const ratios = bothDecided.map((r) => ratioOf(r)!.value);
    const geomean = Math.exp(ratios.reduce((s, r) => s + Math.log(Math.max(r, 1e-6)), 0) / ratios.length);
    console.log(`  ours/Porcupine CPU time where both decided: geometric mean ${geomean.toFixed(2)} over ${bothDecided.length} histories, range ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(2)}`);
  }
  const realEtcd = withPeer.filter((r) => !r.f.standIn && r.f.name.startsWith('jepsen/')).sort((a, b) => b.peer!.cpu.median - a.peer!.cpu.median);
  const hardest = [...realEtcd.slice(0, HARDEST_REAL_ETCD), ...withPeer.filter((r) => r.f.standIn)];
  if (hardest.length === 0) return;
  // Where ours did not decide and Porcupine did, ours counts as slower than any bound; where neither decided there is nothing to compare.
  const compared = hardest.filter((r) => decided(r.ours) || decided(r.peer!.verdict));
  const worst = Math.max(...compared.map((r) => ratioOf(r)!.value));
  const neither = hardest.length - compared.length;
  console.log(`  hardest etcd histories (Porcupine's ${Math.min(HARDEST_REAL_ETCD, realEtcd.length)} slowest real ones + the stand-ins): worst ours/Porcupine ${compared.length > 0 ? worst.toFixed(2) : 'none compared'}${neither > 0 ? `, ${neither} decided by neither side (not compared)` : ''} (target ≤ ${TARGET_RATIO}: ${verdict('ours/Porcupine CPU time on the hardest etcd histories', compared.length > 0 ? worst : Infinity, TARGET_RATIO, false)})`);
  for (const r of hardest) console.log(`    ${r.f.name.padEnd(30)} Porcupine ${r.peer!.verdict} ${r.peer!.cpu.median.toFixed(0)} ms, ours ${r.ours} ${r.oursCpu.median.toFixed(0)} ms: ${ratioOf(r)!.text}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`lin porcupine: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
