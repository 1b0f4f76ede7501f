/**
 * `dsync lin` on the public benchmark set of the Porcupine checker (its
 * test_data: Jepsen's etcd cas-register logs `jepsen/etcd_NNN.log` and its
 * key-value logs `kv/cNN-ok.txt` / `kv/cNN-bad.txt`), read + check +
 * explain as the command does, each history once after a warm-up pass over
 * a few. The histories are not ours and are not in this repository: point
 * DSYNC_PORCUPINE_DATA at a folder holding them (see `absent` below for how
 * to fetch them). Without it the benchmark says so and counts a missed
 * target: an absent set is not a pass.
 *
 * The expected verdicts are the ones Porcupine's own tests assert for each
 * file (porcupine_test.go: which etcd logs are linearizable; the kv logs say
 * it in their names). Targets: every history decided, every verdict as
 * Porcupine's, and every history within 10 s (the bound issue 17 sets).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkHistory } from '../server/src/core/history/analyze';
import type { ModelName } from '../server/src/core/history/models';
import { readHistory } from '../server/src/core/history/read';
import { machine, spreadText, stats, verdict } from './support/measure';

const TARGET_MS = 10_000;

/** The etcd logs Porcupine's tests expect to be linearizable; every other etcd_NNN.log is expected not to be (etcd_095 does not exist). */
const LINEARIZABLE_ETCD = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);

type Expected = 'linearizable' | 'not linearizable';

interface BenchFile {
  readonly name: string;
  readonly file: string;
  readonly model: ModelName;
  readonly expected: Expected | undefined;
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

function absent(why: string): void {
  console.log(`lin porcupine: Porcupine's benchmark set is ABSENT (${why}); nothing was checked.`);
  console.log('  To run it: copy test_data/jepsen/etcd_*.log and test_data/kv/*.txt of https://github.com/anishathalye/porcupine');
  console.log('  into a folder OUTSIDE this repository (e.g. git clone --depth 1 https://github.com/anishathalye/porcupine /tmp/porcupine)');
  console.log('  and run: DSYNC_PORCUPINE_DATA=/tmp/porcupine/test_data npm run bench -- linPorcupine');
  verdict("Porcupine's benchmark set present (set DSYNC_PORCUPINE_DATA)", 0, 1);
}

function main(): void {
  const root = process.env.DSYNC_PORCUPINE_DATA;
  if (!root) return absent('DSYNC_PORCUPINE_DATA is not set');
  const files = porcupineFiles(root);
  if (files.length === 0) return absent(`no jepsen/etcd_NNN.log or kv/cNN-ok|bad.txt under ${root}`);
  console.log(`lin porcupine: ${files.length} histories of Porcupine's benchmark set from ${root}, parse + check + explain, one run each`);
  const texts = files.map((f) => fs.readFileSync(f.file, 'utf8'));
  for (let i = 0; i < Math.min(4, files.length); i++) checkHistory(readHistory(texts[i]!).ops, files[i]!.model);
  const times: number[] = [];
  let undecided = 0;
  let disagree = 0;
  files.forEach((f, i) => {
    const start = performance.now();
    let got: string;
    try {
      got = checkHistory(readHistory(texts[i]!).ops, f.model).verdict;
    } catch (error) {
      got = `error: ${(error as Error).message}`;
    }
    const ms = performance.now() - start;
    times.push(ms);
    if (got !== 'linearizable' && got !== 'not linearizable') undecided++;
    else if (got !== f.expected) disagree++;
    const note = got === f.expected ? '' : `  (Porcupine: ${f.expected})`;
    console.log(`  ${f.name.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  ${got}${note}`);
  });
  const s = stats(times);
  const decided = files.length - undecided;
  console.log(`  per history: ${spreadText(s, 0)} ms`);
  console.log(`  slowest ${s.max.toFixed(0)} ms (target ≤ ${TARGET_MS} ms: ${verdict('slowest history of the Porcupine set', s.max, TARGET_MS, false)})`);
  console.log(`  decided: ${decided}/${files.length} (${verdict('Porcupine set decided', decided, files.length)})`);
  console.log(`  agreeing with Porcupine's verdict: ${decided - disagree}/${files.length} (${verdict("Porcupine set verdicts as Porcupine's", decided - disagree, files.length)})`);
  console.log(`  ${machine()}`);
}

if (require.main === module) main();
