#!/usr/bin/env node
// Runs the extension-host test suite in desktop VS Code through @vscode/test-electron:
// the same suite module that test/e2e/runInCodeServer.mjs runs, for desktop users and
// machines that can download VS Code (update.code.visualstudio.com). On Linux without
// a display, run it under `xvfb-run -a`.
//
//   node test/e2e/runInElectron.mjs --extension <dir> --tests <module> \
//        --workspace <dir> --artifacts <dir> [--timeout <seconds>] \
//        [--vscode-version <stable|insiders|1.x.y>] [--vscode-executable <path>]
//
// Exit code: 0 when the suite passes, 1 when it fails, times out or VS Code cannot be
// downloaded/started; 130/143 on SIGINT/SIGTERM.
// Artifacts: extension-host.log (VS Code's stdout+stderr, which carries the extension
// host's console, i.e. the mocha reporter) and vscode-logs/. `DSYNC_SCREENSHOT <name>`
// lines are only printed here: screenshots need the code-server runner.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseRunnerArgs, writeUserSettings } from './runnerArgs.mjs';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TAG = '[runInElectron]';
const require = createRequire(import.meta.url);
const { runTests, TestRunFailedError } = require('@vscode/test-electron');

const { opts, timeoutSec } = parseRunnerArgs({
  tag: TAG,
  script: 'runInElectron.mjs',
  extraUsage: '[--vscode-version <stable|insiders|1.x.y>] [--vscode-executable <path>]',
  extraOptions: { 'vscode-version': { type: 'string' }, 'vscode-executable': { type: 'string' } },
});

fs.mkdirSync(opts.artifacts, { recursive: true });
const hostLog = fs.createWriteStream(path.join(opts.artifacts, 'extension-host.log'));
const tee = (out) => ({
  write(chunk, ...rest) {
    hostLog.write(chunk);
    return out.write(chunk, ...rest);
  },
});

// ---------------------------------------------------------------- process tree cleanup
// runTests() does not hand out the VS Code process, so find our descendants ourselves.
function descendants(rootPid) {
  if (process.platform === 'win32') return [];
  let table;
  try {
    table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  } catch {
    return [];
  }
  const children = new Map();
  for (const line of table.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid) continue;
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}
function killDescendants() {
  if (process.platform === 'win32') {
    // taskkill /T on our own pid would kill us too; kill each child tree instead.
    try {
      const out = execFileSync('wmic', ['process', 'where', `ParentProcessId=${process.pid}`, 'get', 'ProcessId'], { encoding: 'utf8' });
      for (const pid of out.split(/\s+/).map(Number).filter(Boolean)) {
        try {
          execFileSync('taskkill', ['/T', '/F', '/PID', String(pid)], { stdio: 'ignore' });
        } catch {}
      }
    } catch {}
    return;
  }
  for (const pid of descendants(process.pid).reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}

let tmpDir;
let exiting = false;
async function exit(code, message) {
  if (exiting) return;
  exiting = true;
  clearTimeout(timer);
  if (message) console.error(`${TAG} ${message}`);
  killDescendants();
  await new Promise((r) => hostLog.end(r));
  if (tmpDir) await fsp.rm(tmpDir, { recursive: true, force: true }).catch(() => {});
  console.log(`${TAG} exit ${code}; artifacts in ${opts.artifacts}`);
  process.exit(code);
}

const timer = setTimeout(
  () => exit(1, `TIMEOUT: the test suite did not finish within ${timeoutSec} s (see ${opts.artifacts})`),
  timeoutSec * 1000,
);
process.on('SIGINT', () => exit(130, 'interrupted (SIGINT)'));
process.on('SIGTERM', () => exit(143, 'terminated (SIGTERM)'));
process.on('exit', () => {
  if (!exiting) killDescendants();
});

// ---------------------------------------------------------------- main
async function main() {
  tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'dsync-electron-'));
  const userData = path.join(tmpDir, 'user-data');
  const extensionsDir = path.join(tmpDir, 'extensions');
  await fsp.mkdir(path.join(userData, 'User'), { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  await writeUserSettings(userData);

  const options = {
    extensionDevelopmentPath: opts.extension,
    // Desktop VS Code passes this to require() in the extension host, like code-server does.
    extensionTestsPath: opts.tests,
    launchArgs: [
      opts.workspace,
      '--disable-extensions',
      `--user-data-dir=${userData}`,
      `--extensions-dir=${extensionsDir}`,
      `--logsPath=${path.join(opts.artifacts, 'vscode-logs')}`,
    ],
    // Downloads go to the git-ignored .tools/ instead of ./.vscode-test in the cwd.
    cachePath: path.join(REPO_ROOT, '.tools', 'vscode-test'),
    stdout: tee(process.stdout),
    stderr: tee(process.stderr),
  };
  if (opts['vscode-version']) options.version = opts['vscode-version'];
  if (opts['vscode-executable']) options.vscodeExecutablePath = path.resolve(opts['vscode-executable']);

  try {
    const code = await runTests(options);
    await exit(code === 0 ? 0 : 1);
  } catch (e) {
    // TestRunFailedError when the suite fails (VS Code exits non-zero); download errors otherwise.
    await exit(1, e instanceof TestRunFailedError ? `test run failed: ${e.message}` : `failed: ${e?.stack || e}`);
  }
}

main().catch((e) => exit(1, `failed: ${e?.stack || e}`));
