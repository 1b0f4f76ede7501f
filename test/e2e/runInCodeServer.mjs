#!/usr/bin/env node
// Runs an extension-host test suite (a CommonJS module exporting run(): Promise<void>,
// the same module @vscode/test-electron runs) inside a real VS Code workbench:
// code-server (VS Code 1.99.3 web + Node extension host) driven by Debian's headless
// Chromium through playwright-core. Needs `scripts/setup-code-server.sh` first.
//
//   node test/e2e/runInCodeServer.mjs --extension <dir> --tests <module> \
//        --workspace <dir> --artifacts <dir> [--timeout <seconds>] [--verbose]
//
// Exit code: the suite's (0 when run() resolves, 1 when it rejects); 1 on timeout or
// infrastructure failure; 130/143 on SIGINT/SIGTERM.
//
// stdout gets the extension host's console output (the mocha reporter). Artifacts:
//   extension-host.log   everything the workbench forwarded through codeAutomationLog
//   browser-console.log  the page's own console and page errors
//   code-server.log      code-server's stdout/stderr
//   vscode-logs/         the workbench's log files handed over on exit
//   <name>.png           for every `DSYNC_SCREENSHOT <name>` line the suite logs
//   final.png            just before exit

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseRunnerArgs, writeUserSettings } from './runnerArgs.mjs';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const CODE_SERVER_VERSION = '4.99.4';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = process.env.DSYNC_CODE_SERVER_TOOLS
  ? path.resolve(process.env.DSYNC_CODE_SERVER_TOOLS)
  : path.join(REPO_ROOT, '.tools', `code-server-${CODE_SERVER_VERSION}`);
const CODE_SERVER_ENTRY = path.join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.DSYNC_CHROMIUM || '/usr/bin/chromium';
const TAG = '[runInCodeServer]';
// Workbench chatter kept out of stdout (still in extension-host.log; --verbose shows it).
const STDOUT_NOISE = [/^Ignoring fetching additional builtin extensions from gallery/];

// ---------------------------------------------------------------- arguments
const { opts, timeoutSec, testsModule } = parseRunnerArgs({
  tag: TAG,
  script: 'runInCodeServer.mjs',
  extraUsage: '[--verbose]',
  extraOptions: { verbose: { type: 'boolean', default: false } },
});

if (!fs.existsSync(CODE_SERVER_ENTRY)) {
  console.error(`${TAG} code-server not found at ${TOOLS}; run scripts/setup-code-server.sh first`);
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`${TAG} ${CHROMIUM} not found; run scripts/setup-code-server.sh first`);
  process.exit(1);
}
const { chromium } = createRequire(path.join(TOOLS, 'package.json'))('playwright-core');

// ---------------------------------------------------------------- state + cleanup
fs.mkdirSync(opts.artifacts, { recursive: true });
const hostLog = fs.createWriteStream(path.join(opts.artifacts, 'extension-host.log'));
const browserLog = fs.createWriteStream(path.join(opts.artifacts, 'browser-console.log'));
const serverLog = fs.createWriteStream(path.join(opts.artifacts, 'code-server.log'));

let tmpDir;
let server; // ChildProcess (own process group)
let browser;
let page;
let finishing = false;
let screenshotChain = Promise.resolve();
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const info = (msg) => console.log(`${TAG} ${msg}`);

function killServer(signal) {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  try {
    process.kill(-server.pid, signal); // whole group: server, extension host, pty host, ...
  } catch {
    try {
      server.kill(signal);
    } catch {}
  }
}

async function cleanup() {
  if (browser) {
    const b = browser;
    browser = undefined;
    await Promise.race([b.close().catch(() => {}), sleep(5000)]);
  }
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    killServer('SIGTERM');
    if ((await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) === false) {
      killServer('SIGKILL');
      await Promise.race([exited, sleep(2000)]);
    }
  }
  // Group stragglers (e.g. an extension host that outlived its parent).
  if (server) killServer('SIGKILL');
  await Promise.all([hostLog, browserLog, serverLog].map((s) => new Promise((r) => s.end(r))));
  if (tmpDir) {
    try {
      await copyDir(path.join(tmpDir, 'user-data', 'logs'), path.join(opts.artifacts, 'code-server-logs'));
    } catch {}
    await fsp.rm(tmpDir, { recursive: true, force: true }).catch(() => {});
  }
}

async function finish(code, message) {
  if (finishing) return;
  finishing = true;
  clearTimeout(timer);
  if (message) console.error(`${TAG} ${message}`);
  try {
    await Promise.race([screenshotChain, sleep(10000)]);
    if (page && !page.isClosed()) {
      await page
        .screenshot({ path: path.join(opts.artifacts, 'final.png'), timeout: 10000 })
        .catch((e) => console.error(`${TAG} final screenshot failed: ${firstLine(e)}`));
    }
  } catch {}
  await cleanup().catch((e) => console.error(`${TAG} cleanup: ${firstLine(e)}`));
  info(`exit ${code} after ${elapsed()}; artifacts in ${opts.artifacts}`);
  process.exit(code);
}

const timer = setTimeout(
  () => finish(1, `TIMEOUT: the test suite did not finish within ${timeoutSec} s (see ${opts.artifacts})`),
  timeoutSec * 1000,
);
function onSignal(signal, code) {
  if (finishing) {
    // Second signal while cleaning up: stop waiting, kill hard.
    killServer('SIGKILL');
    process.exit(code);
  }
  finish(code, `stopped by ${signal}`);
}
process.on('SIGINT', () => onSignal('SIGINT', 130));
process.on('SIGTERM', () => onSignal('SIGTERM', 143));
process.on('SIGHUP', () => onSignal('SIGHUP', 129));
process.on('uncaughtException', (e) => finish(1, `internal error: ${e?.stack || e}`));
process.on('unhandledRejection', (e) => finish(1, `internal error: ${e?.stack || e}`));
// Last resort if we die without going through finish(): don't leave code-server behind.
process.on('exit', () => killServer('SIGKILL'));

// ---------------------------------------------------------------- helpers
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}
function firstLine(e) {
  return String(e?.message || e).split('\n')[0];
}
async function copyDir(from, to) {
  await fsp.cp(from, to, { recursive: true, force: true });
}
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}
/** Absolute POSIX path -> URI path component (each segment percent-encoded). */
function uriPath(p) {
  return p.split(path.sep).map(encodeURIComponent).join('/');
}
function sanitizeName(name) {
  const s = String(name).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  return s || 'screenshot';
}
/** Turn codeAutomationLog arguments into one line of text. */
function logText(args) {
  if (!Array.isArray(args)) return typeof args === 'string' ? args : format(args);
  const parts = args.filter((a) => !(typeof a === 'string' && /^(color|font-weight|background)\s*:/.test(a)));
  return format(...parts).replace(/%c/g, '');
}

function requestScreenshot(rawName) {
  const name = sanitizeName(rawName);
  const file = path.join(opts.artifacts, `${name}.png`);
  screenshotChain = screenshotChain.then(async () => {
    if (!page || page.isClosed()) return;
    try {
      await page.screenshot({ path: file, timeout: 10000 });
      info(`screenshot ${file}`);
    } catch (e) {
      console.error(`${TAG} screenshot ${name} failed: ${firstLine(e)}`);
    }
  });
}

// ---------------------------------------------------------------- main
async function main() {
  tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'dsync-code-server-'));
  const userData = path.join(tmpDir, 'user-data');
  const extensionsDir = path.join(tmpDir, 'extensions');
  await fsp.mkdir(path.join(userData, 'User'), { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.mkdir(path.join(tmpDir, 'xdg-config'), { recursive: true });
  await fsp.mkdir(path.join(tmpDir, 'xdg-data'), { recursive: true });
  await writeUserSettings(userData);
  // An empty config file so ~/.config/code-server/config.yaml (password, bind-addr) never applies.
  const configFile = path.join(tmpDir, 'config.yaml');
  await fsp.writeFile(configFile, 'auth: none\n');

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const csArgs = [
    CODE_SERVER_ENTRY,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userData,
    '--extensions-dir', extensionsDir,
    opts.workspace,
  ];
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(tmpDir, 'xdg-config'), XDG_DATA_HOME: path.join(tmpDir, 'xdg-data') };
  // No extension gallery: these machines cannot reach open-vsx.org, and the failed lookups only add noise.
  env.EXTENSIONS_GALLERY = '{}';
  for (const k of ['PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'VSCODE_PROXY_URI', 'CODE_SERVER_PARENT_PID']) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k.startsWith('ELECTRON_')) delete env[k];

  info(`starting code-server ${CODE_SERVER_VERSION} on ${origin}`);
  server = spawn(process.execPath, csArgs, { env, cwd: tmpDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [server.stdout, server.stderr]) {
    stream.on('data', (d) => {
      serverLog.write(d);
      if (opts.verbose) process.stderr.write(d);
    });
  }
  let serverExited = false;
  server.on('exit', (code, signal) => {
    serverExited = true;
    if (!finishing) finish(1, `code-server exited unexpectedly (code ${code}, signal ${signal}); see ${path.join(opts.artifacts, 'code-server.log')}`);
  });

  const readyBy = Date.now() + 60000;
  while ((await httpStatus(`${origin}/healthz`)) !== 200) {
    if (serverExited || finishing) return;
    if (Date.now() > readyBy) return finish(1, `code-server did not answer on ${origin} within 60 s`);
    await sleep(200);
  }
  info(`code-server ready after ${elapsed()}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  if (finishing) return;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();

  page.on('console', (msg) => browserLog.write(`[${msg.type()}] ${msg.text()}\n`));
  page.on('pageerror', (err) => browserLog.write(`[pageerror] ${err?.stack || err}\n`));
  page.on('crash', () => finish(1, 'the browser page crashed'));
  page.on('close', () => {
    if (!finishing) finish(1, 'the browser page closed before the test suite finished');
  });

  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = logText(args);
    hostLog.write(`[${type}] ${text}\n`);
    if (opts.verbose || !STDOUT_NOISE.some((re) => re.test(text))) {
      const out = type === 'error' ? process.stderr : process.stdout;
      out.write(text.endsWith('\n') ? text : `${text}\n`);
    }
    const m = /DSYNC_SCREENSHOT[ \t]+(\S+)/.exec(text);
    if (m) requestScreenshot(m[1]);
  });
  await page.exposeFunction('codeAutomationExit', async (code, logs) => {
    if (Array.isArray(logs)) {
      for (const log of logs) {
        if (!log || typeof log.relativePath !== 'string') continue;
        const rel = path.normalize(log.relativePath).replace(/^(\.\.(\/|\\|$))+/, '');
        const file = path.join(opts.artifacts, 'vscode-logs', rel);
        if (!file.startsWith(path.join(opts.artifacts, 'vscode-logs') + path.sep)) continue;
        try {
          await fsp.mkdir(path.dirname(file), { recursive: true });
          await fsp.writeFile(file, log.contents ?? '');
        } catch {}
      }
    }
    const exitCode = Number.isInteger(code) ? code : 1;
    info(`test suite finished with exit code ${exitCode} after ${elapsed()}`);
    // Defer so the page gets its answer before we tear the browser down.
    setTimeout(() => finish(exitCode), 0);
  });

  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${uriPath(opts.extension)}`],
    ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${uriPath(opts.tests)}`],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `${origin}/?folder=${encodeURIComponent(opts.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  info(`opening workbench (extension ${opts.extension}, tests ${testsModule})`);
  if (opts.verbose) info(url);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
}

main().catch((e) => finish(1, `failed: ${e?.stack || e}`));
