// `npm run bench`: bundles every bench/*.bench.ts with esbuild into out/bench/
// and runs each in its own node process, one after the other (timings on a
// shared machine are noisy enough without two benchmarks competing).
// `node scripts/bench.mjs parse` runs only the benchmarks whose name contains "parse".
// A benchmark that misses a target prints MISSED and exits with code 3
// (bench/support/measure.ts); `--check` (`npm run bench -- --check`) makes
// the whole run exit 1 when any target was missed, a plain run exits 0 then.
// A benchmark that fails (a crash, a peer that cannot run) always exits 1.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
process.chdir(root);
const args = process.argv.slice(2);
const check = args.includes('--check');
const filter = args.find((a) => !a.startsWith('--'));
/** bench/support/measure.ts MISSED_EXIT_CODE: the benchmark ran, and missed a target. */
const MISSED_EXIT_CODE = 3;
const entries = fs.readdirSync('bench').filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort().map((f) => path.join('bench', f));
if (entries.length === 0) {
  console.error(`no benchmarks match ${filter ? `'${filter}'` : 'bench/*.bench.ts'}`);
  process.exit(2);
}

fs.rmSync('out/bench', { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: 'out/bench',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});

const failed = [];
const missed = [];
for (const entry of entries) {
  const bundle = path.join('out/bench', path.basename(entry).replace(/\.ts$/, '.cjs'));
  console.log(`\n▶ ${entry}`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', bundle], { stdio: 'inherit', env: { ...process.env, DSYNC_ROOT: root } });
  if (r.status === MISSED_EXIT_CODE) missed.push(entry);
  else if (r.status !== 0) {
    failed.push(entry);
    console.error(`✗ ${entry} failed (exit ${r.status ?? r.signal})`);
  }
}
console.log('');
if (missed.length) console.log(`MISSED targets in ${missed.join(', ')}${check ? '' : ' (run with --check to fail on them)'}`);
if (failed.length) console.log(`FAILED: ${failed.join(', ')}`);
if (!missed.length && !failed.length) console.log('every target met');
process.exit(failed.length > 0 || (check && missed.length > 0) ? 1 : 0);
