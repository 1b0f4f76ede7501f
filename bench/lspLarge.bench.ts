/**
 * The language server under big and heavy documents (issue 13): the bundled
 * server in its own process, JSON-RPC over stdio (test/lsp/serverProcess.ts).
 *   1. a valid 8 MiB file opened: time to its first diagnostics and to its
 *      final ones, the longest wait of a hover on another document
 *      meanwhile, and the server's peak resident memory (sampled every
 *      50 ms; its worker threads count, they live in the process);
 *   2. the big file closed: resident memory over the next minute;
 *   3. hover p95 and longest wait on a small document while a 1,000-node
 *      broadcast scenario is simulated (on the main thread, in time slices).
 * Targets: no request waits more than 200 ms behind any analysis; memory
 * back under 200 MB within a minute after closing the big document.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_FILE_BYTES } from '../server/src/core/syntax/parse';
import { ServerProcess } from '../test/lsp/serverProcess';
import { fmt, machine, percentile, verdict } from './support/measure';
import { generateScenario } from './support/scenarios';

const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const WAIT_TARGET_MS = 200;
const MEMORY_TARGET_MB = 200;
const SETTINGS = { seed: null, simulation: { maxEvents: 200_000, maxMilliseconds: 2_000, maxTraceMegabytes: 256 } };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Hovers on `uri` every 20 ms until `done()`; the wait of each. */
async function hoverWhile(lsp: ServerProcess, uri: string, position: { line: number; character: number }, done: () => boolean): Promise<number[]> {
  const waits: number[] = [];
  while (!done()) {
    const start = performance.now();
    await lsp.request('textDocument/hover', { textDocument: { uri }, position }, 120_000);
    waits.push(performance.now() - start);
    await sleep(20);
  }
  return waits;
}

/** Samples the server's resident memory every 50 ms until stopped; the peak. */
function sampleMemory(lsp: ServerProcess): { stop(): number } {
  let peak = lsp.residentMb();
  const timer = setInterval(() => (peak = Math.max(peak, lsp.residentMb())), 50);
  return { stop: () => (clearInterval(timer), peak) };
}

async function main(): Promise<void> {
  console.log(machine());
  const demo = fs.readFileSync(path.join(root, 'samples', 'causal_demo.dsync'), 'utf8');
  const SMALL = 'file:///bench/causal_demo.dsync';
  const smallHover = { line: demo.split('\n').findIndex((l) => l.startsWith('clock C')), character: 6 };
  const lsp = new ServerProcess(SETTINGS, path.join(root, 'dist', 'server.js'));
  await lsp.initialize();
  lsp.open(SMALL, demo);
  await lsp.settle(SMALL, 1);
  const idleMb = lsp.residentMb();

  // 1. A valid file just under the 8 MiB cap.
  const BIG = 'file:///bench/big.dsync';
  let big = generateScenario(MAX_FILE_BYTES - 64 * 1024);
  while (big.length > MAX_FILE_BYTES) big = generateScenario(big.length - 128 * 1024);
  const memory = sampleMemory(lsp);
  const opened = performance.now();
  let firstAt: number | undefined;
  const first = new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (!lsp.allPublished().some((p) => p.uri === BIG)) return;
      firstAt = performance.now() - opened;
      clearInterval(timer);
      resolve();
    }, 5);
  });
  lsp.open(BIG, big);
  let settled = false;
  const final = lsp.settle(BIG, 1, 600_000).finally(() => (settled = true));
  const waits = await hoverWhile(lsp, SMALL, smallHover, () => settled);
  await first;
  const finalDiagnostics = await final;
  const finalAt = performance.now() - opened;
  const peakMb = memory.stop();
  const longest = Math.max(...waits);
  console.log(`LSP with a valid ${(big.length / 1024 / 1024).toFixed(2)} MiB document (${big.split('\n').length.toLocaleString('en-US')} lines, ${finalDiagnostics.length} final diagnostics):`);
  console.log(`  open → first diagnostics                  ${fmt(firstAt!, 0)} ms`);
  console.log(`  open → final diagnostics (simulated)       ${fmt(finalAt, 0)} ms`);
  console.log(`  hover on another document meanwhile       ${waits.length} hovers, p95 ${fmt(percentile(waits, 95))} ms, longest ${fmt(longest)} ms   (target ≤ ${WAIT_TARGET_MS} ms: ${verdict('hover wait behind an 8 MiB analysis', longest, WAIT_TARGET_MS, false)})`);
  console.log(`  server memory                             ${fmt(idleMb, 0)} MB before, peak ${fmt(peakMb, 0)} MB resident`);

  // 2. Closing it: memory over the next minute.
  lsp.close(BIG);
  const closed = performance.now();
  let underAt: number | undefined;
  let lastMb = lsp.residentMb();
  while (performance.now() - closed < 60_000) {
    lastMb = lsp.residentMb();
    if (lastMb < MEMORY_TARGET_MB) {
      underAt = performance.now() - closed;
      break;
    }
    await sleep(250);
  }
  const memoryLine = underAt === undefined ? `still ${fmt(lastMb, 0)} MB after 60 s` : `${fmt(lastMb, 0)} MB after ${fmt(underAt / 1000, 1)} s`;
  console.log(`  memory after closing it                   ${memoryLine}   (target < ${MEMORY_TARGET_MB} MB within 60 s: ${verdict('memory after closing the big document', underAt === undefined ? Infinity : 0, 0, false)})`);

  // 3. A 1,000-node broadcast simulated on the main thread, in time slices.
  const WIDE = 'file:///bench/wide.dsync';
  const wide = 'scenario wide { seed 1 run for 10s }\nnodes n1..n1000\nevery 1ms n1 -> * "x"\ninvariant causal_delivery\n';
  lsp.open(WIDE, wide);
  let wideDone = false;
  const wideSettled = lsp.settle(WIDE, 1, 120_000).finally(() => (wideDone = true));
  const wideWaits = await hoverWhile(lsp, SMALL, smallHover, () => wideDone);
  await wideSettled;
  const wideLongest = Math.max(...wideWaits);
  console.log(`Hover on a small document while a 1,000-node broadcast is simulated (budget ${SETTINGS.simulation.maxMilliseconds} ms):`);
  console.log(`  ${wideWaits.length} hovers: p50 ${fmt(percentile(wideWaits, 50))} ms, p95 ${fmt(percentile(wideWaits, 95))} ms, longest ${fmt(wideLongest)} ms   (target ≤ ${WAIT_TARGET_MS} ms: ${verdict('hover wait behind a 1,000-node simulation', wideLongest, WAIT_TARGET_MS, false)})`);
  if (lsp.exitCode !== undefined) throw new Error(`the server exited (${lsp.exitCode})`);
  lsp.dispose();
}

if (require.main === module) void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
