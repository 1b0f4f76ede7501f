// Runs the extension test suite in a real VS Code: by default code-server +
// headless Chromium (installs the tools if needed); with --electron, desktop
// VS Code through @vscode/test-electron (needs a machine that can download
// it). Bundles the suite, copies the samples (with their folders) into a scratch workspace and
// drives the runner. Screenshots and logs land in test-artifacts/e2e/.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
process.chdir(root);

const electron = process.argv.includes('--electron');
if (!electron) {
  const setup = spawnSync('bash', ['scripts/setup-code-server.sh'], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}

await esbuild.build({
  entryPoints: ['test/e2e/suite/index.ts'],
  outfile: 'out/e2e/suite/index.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-e2e-'));
// The samples with their folders (samples/protocols/ holds the protocols written in .dsync).
fs.cpSync('samples', workspace, { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || src.endsWith('.dsync') });
const artifacts = path.join(root, 'test-artifacts', 'e2e');
fs.rmSync(artifacts, { recursive: true, force: true });

const result = spawnSync(process.execPath, [
  electron ? 'test/e2e/runInElectron.mjs' : 'test/e2e/runInCodeServer.mjs',
  '--extension', root,
  '--tests', path.join(root, 'out/e2e/suite/index.js'),
  '--workspace', workspace,
  '--artifacts', artifacts,
  '--timeout', '240',
], { stdio: 'inherit' });
fs.rmSync(workspace, { recursive: true, force: true });
process.exit(result.status ?? 1);
