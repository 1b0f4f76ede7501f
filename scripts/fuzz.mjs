// `npm run fuzz [-- --time 10m | --runs N] [--seed S]`: the long property-based
// fuzz of the lexer, parser, checker, simulator, formatter and language server
// (test/fuzz/). Bundles the runner with esbuild, then runs it; see test/fuzz/main.ts.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const outfile = path.join(root, 'out', 'fuzz', 'main.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'fuzz', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root, env: { ...process.env, DSYNC_ROOT: root } });
process.exit(result.status ?? 1);
