// The whole test suite, the one command README and .ci/run use:
//   1. strict type check of every TypeScript file,
//   2. unit and language-server tests (node:test), bundled with esbuild,
//   3. the extension tests in a real VS Code (code-server + headless Chromium).
// `--unit` stops after step 2 (fast inner loop). `--only a,b` runs just the unit/LSP test files
// whose path contains one of the given parts, without the type check (run `npm run typecheck`
// beside it). Exit code: non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const onlyIndex = process.argv.indexOf('--only');
const onlyParts = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '').split(',').filter(Boolean) : undefined;
const unitOnly = process.argv.includes('--unit') || onlyParts !== undefined;
process.chdir(root);

const totals = { passed: 0, failed: 0 };

/** Runs one step, echoing its output; counts the `N passed, N failed` lines it prints. */
function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  process.stdout.write(result.stdout ?? '');
  for (const m of (result.stdout ?? '').matchAll(/^\w+: (\d+) passed, (\d+) failed$/gm)) {
    totals.passed += Number(m[1]);
    totals.failed += Number(m[2]);
  }
  if (result.status !== 0) {
    console.error(`✗ ${label} failed (exit ${result.status ?? result.signal})`);
    console.log(`total: ${totals.passed} passed, ${Math.max(1, totals.failed)} failed`);
    process.exit(result.status || 1);
  }
}

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'e2e' || e.name === 'fixtures' ? [] : findTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

// The browser tests (timeline webview) and the extension tests need Chromium and
// code-server; the full run installs them first (idempotent, quick when present).
if (!unitOnly || process.env.CI) run('tools for the browser and VS Code tests', 'bash', ['scripts/setup-code-server.sh']);
if (!onlyParts) run('type check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
run('build', process.execPath, ['scripts/build.mjs']);

// Each run bundles into its own folder, so two runs at once never delete each other's files.
const outDir = path.join('out', `test-${process.pid}`);
fs.rmSync(outDir, { recursive: true, force: true });
process.on('exit', () => fs.rmSync(outDir, { recursive: true, force: true }));
const tests = findTests('test').filter((t) => !onlyParts || onlyParts.some((part) => t.includes(part)));
if (tests.length === 0) {
  console.error(`no test file matches --only ${onlyParts?.join(',')}`);
  process.exit(2);
}
await esbuild.build({
  entryPoints: tests,
  outdir: outDir,
  outbase: 'test',
  outExtension: { '.js': '.cjs' },
  entryNames: '[dir]/[name]',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
  define: { 'import.meta.dirname': '__dirname' },
});
const bundled = tests.map((t) => path.join(outDir, path.relative('test', t)).replace(/\.test\.ts$/, '.test.cjs'));
// The full run explores the written protocols against the built-in ones with
// the budget, 2,000 schedules each (test/unit/protocolCrossCheck.test.ts);
// `--unit` keeps the test's smaller budget for a fast inner loop.
const crossCheck = unitOnly ? {} : { DSYNC_CROSSCHECK_RUNS: process.env.DSYNC_CROSSCHECK_RUNS ?? '2000' };
run(`unit and language-server tests (${bundled.length} files)`, process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./scripts/countReporter.mjs', '--test-reporter-destination=stdout', ...bundled], { env: { ...process.env, DSYNC_ROOT: root, ...crossCheck } });

if (!unitOnly) {
  run('extension tests in a real VS Code (code-server + headless Chromium)', process.execPath, ['test/e2e/run.mjs']);
  run('VSIX package installs with --install-extension', process.execPath, ['test/e2e/installVsix.mjs']);
}

console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed`);
