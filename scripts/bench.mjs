// `npm run bench`: bundles every bench/*.bench.ts with esbuild into out/bench/
// and runs each in its own node process, one after the other (timings on a
// shared machine are noisy enough without two benchmarks competing).
// `node scripts/bench.mjs parse` runs only the benchmarks whose name contains "parse".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
process.chdir(root);
const filter = process.argv[2];
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

let failed = 0;
for (const entry of entries) {
  const bundle = path.join('out/bench', path.basename(entry).replace(/\.ts$/, '.cjs'));
  console.log(`\n▶ ${entry}`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', bundle], { stdio: 'inherit', env: { ...process.env, DSYNC_ROOT: root } });
  if (r.status !== 0) {
    failed++;
    console.error(`✗ ${entry} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
