// `npm run test:crosscheck`: the cross-check of the protocols written in
// .dsync against the built-in ones (test/unit/protocolCrossCheck.test.ts)
// with the full budget of 2,000 schedules per exploration; the unit suite
// runs the same test with a smaller budget. .ci/run runs both.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
process.chdir(root);
const outDir = path.join('out', `crosscheck-${process.pid}`);
fs.rmSync(outDir, { recursive: true, force: true });
process.on('exit', () => fs.rmSync(outDir, { recursive: true, force: true }));
const entry = path.join('test', 'unit', 'protocolCrossCheck.test.ts');
await esbuild.build({
  entryPoints: [entry],
  outfile: path.join(outDir, 'protocolCrossCheck.test.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
  define: { 'import.meta.dirname': '__dirname' },
});
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', path.join(outDir, 'protocolCrossCheck.test.cjs')], {
  stdio: 'inherit',
  env: { ...process.env, DSYNC_ROOT: root, DSYNC_CROSSCHECK_RUNS: process.env.DSYNC_CROSSCHECK_RUNS ?? '2000' },
});
process.exit(result.status ?? 1);
