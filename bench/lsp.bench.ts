/**
 * Language-server latency through the real LSP connection (the bundled
 * server in its own process, JSON-RPC over stdio) on a generated
 * 2,000-line scenario:
 *   didChange → syntax diagnostics   (an edit that breaks a line)
 *   didChange → invariant diagnostics (a valid edit: parse, check, simulate)
 *   hover on a message (vector clocks from the finished run)
 *   server memory (resident set) after the runs
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection, PublishDiagnosticsNotification, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { SERVER_EXEC_ARGV } from '../server/src/shared/serverProcess';

const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const ITERATIONS = 40;

export function generateScenario(lines: number): string {
  const n = 12;
  const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const out = ['scenario bench {', '  seed 3', '  run for 20s', '}', '', `nodes n1..n${n}`, '', 'network {', '  latency 2ms..15ms', '  loss 1%', '  duplicate 0.5%', '}', ''];
  nodes.forEach((node, i) => out.push(`clock ${node} { offset ${i % 2 ? '+' : '-'}${i % 5}ms drift ${i % 2 ? '+' : '-'}${(i * 7) % 40}ppm }`));
  out.push('');
  for (let i = 0; i < n; i++) out.push(`on ${nodes[i]} receive "relay" { send ${nodes[(i + 1) % n]} "ack" }`);
  out.push('faults {', '  at 5s partition {n1, n2, n3} | {n4, n5}', '  at 7s heal', '  at 9s crash n6', '  at 11s restart n6', '  at 13s clock n7 jump +3ms', '}', '');
  out.push('invariant causal_delivery', 'invariant max_skew < 50ms', 'expect n1.lamport >= 1 at end', '');
  let t = 1;
  while (out.length < lines) {
    const a = nodes[t % n]!;
    const b = nodes[(t * 7 + 3) % n]!;
    out.push(`at ${t * 10}ms ${a} -> ${b === a ? nodes[(t + 1) % n] : b} "${t % 3 === 0 ? 'relay' : `m${t}`}"`);
    t++;
  }
  return `${out.join('\n')}\n`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, [...SERVER_EXEC_ARGV, path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const waiters = new Map<number, { resolve: (p: PublishDiagnosticsParams) => void; match: (p: PublishDiagnosticsParams) => boolean }>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const w = waiters.get(p.version ?? -1);
    if (w && w.match(p)) {
      waiters.delete(p.version!);
      w.resolve(p);
    }
  });
  connection.onRequest('workspace/configuration', () => [{ seed: null, simulation: { maxEvents: 200000, maxMilliseconds: 2000 } }]);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await connection.sendNotification('initialized', {});

  const uri = 'file:///bench/generated.dsync';
  const text = generateScenario(2000);
  const lineCount = text.split('\n').length - 1;
  const published = (version: number, match: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve) => waiters.set(version, { resolve, match }));
  let version = 1;
  let p = published(version, () => true);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dsync', version, text } });
  const first = await p;

  const syntax: number[] = [];
  const full: number[] = [];
  const messageLine = text.split('\n').findIndex((l) => l.startsWith('at 500ms'));
  for (let i = 0; i < ITERATIONS; i++) {
    // A broken edit: the syntax error must come back fast.
    version++;
    const broken = text.replace('at 500ms', `at 500ms ${'x'.repeat(1 + (i % 3))} ->`);
    p = published(version, (d) => d.diagnostics.some((x) => x.code === 'DS102'));
    let start = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: broken }] });
    await p;
    syntax.push(performance.now() - start);
    // A valid edit: parse, check and simulate again, then the invariant results.
    version++;
    const edited = text.replace('at 500ms', `at ${500 + i}ms`);
    p = published(version, () => true);
    start = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: edited }] });
    await p;
    full.push(performance.now() - start);
  }
  const hovers: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: messageLine, character: 12 } });
    hovers.push(performance.now() - start);
  }
  const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  console.log(`LSP on a generated ${lineCount}-line scenario (${first.diagnostics.length} diagnostics on open), ${ITERATIONS} edits each:`);
  console.log(`  didChange → syntax diagnostics     p50 ${percentile(syntax, 50).toFixed(1)} ms   p95 ${percentile(syntax, 95).toFixed(1)} ms   (target p95 ≤ 100 ms)`);
  console.log(`  didChange → invariant diagnostics  p50 ${percentile(full, 50).toFixed(1)} ms   p95 ${percentile(full, 95).toFixed(1)} ms   (target p95 ≤ 300 ms)`);
  console.log(`  hover on a message                 p50 ${percentile(hovers, 50).toFixed(2)} ms   p95 ${percentile(hovers, 95).toFixed(2)} ms   (target p50 ≤ 16 ms)`);
  console.log(`  server memory                      ${(rssKb / 1024).toFixed(0)} MB resident, peak ${(hwmKb / 1024).toFixed(0)} MB   (target ≤ 150 MB)`);
  connection.dispose();
  server.kill();
}

if (require.main === module) void main();
