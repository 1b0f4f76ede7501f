/** Generated scenarios for the benchmarks (kept apart so probes and profilers can import them without running a benchmark). */

/** A valid scenario of about `bytes` characters using every common construct. */
export function generateScenario(bytes: number): string {
  const n = 20;
  const out = ['// generated for bench/parse.bench.ts', 'scenario parse_bench {', '  seed 3', '  run for 1min', '  max_events 100000', '}', `nodes n1..n${n}`, 'network { latency 2ms..15ms  loss 1%  duplicate 0.5% }'];
  for (let i = 1; i <= n; i++) out.push(`clock n${i} { offset ${i % 2 ? '+' : '-'}${i % 7}ms  drift ${i % 2 ? '+' : '-'}${(i * 13) % 90}ppm  resolution 1us }`);
  for (let i = 1; i <= n; i++) out.push(`link n${i} -> n${(i % n) + 1} { latency normal(${i}ms, 1ms) }`);
  for (let i = 1; i <= n; i++) out.push(`on n${i} receive "relay" from n${((i + n - 2) % n) + 1} { send n${(i % n) + 1} "relay"; after 5ms local "seen" }`);
  let size = out.join('\n').length;
  let k = 0;
  const faults: string[] = [];
  while (size < bytes) {
    const a = (k % n) + 1;
    const b = ((k * 7 + 3) % n) + 1 === a ? (a % n) + 1 : ((k * 7 + 3) % n) + 1;
    const t = `${(k % 59_000) + 1}ms`;
    const line = k % 10 === 9
      ? `  at ${t} partition {n${a}} | {n${b}} for 10ms`
      : k % 5 === 4 ? `every 250ms n${a} -> n${b} "tick${k % 17}" from ${t} until 59s /* periodic */`
      : `at ${t} n${a} -> n${b} "relay"   // message ${k}`;
    if (line.startsWith('  ')) faults.push(line);
    else out.push(line);
    size += line.length + 1;
    k++;
  }
  out.push('faults {', ...faults, '}', 'invariant causal_delivery', 'invariant max_skew < 50ms', 'expect n1.lamport >= 1 at end');
  return `${out.join('\n')}\n`;
}

/** A token ring of `nodes` nodes, each forwarding whatever it receives; stops after `events` events. */
export function tokenRing(nodes: number, events: number): string {
  const lines = [`scenario ring_${nodes} {`, '  seed 1', '  run for 100000s', `  max_events ${events}`, '}', `nodes n1..n${nodes}`, 'network { latency 1ms..3ms }', 'clock n1 { drift +40ppm }'];
  for (let i = 1; i <= nodes; i++) {
    lines.push(`at ${i}ms n${i} -> n${(i % nodes) + 1} "token"`);
    lines.push(`on n${i} receive any { send n${(i % nodes) + 1} "token" }`);
  }
  lines.push('invariant causal_delivery', 'invariant max_skew < 1s');
  return `${lines.join('\n')}\n`;
}

