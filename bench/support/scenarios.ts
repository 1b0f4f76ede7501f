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


/** How long the editor scenario runs: every scripted message is sent within it, at every size. */
const EDITOR_RUN_MS = 30_000;

/**
 * The language-server benchmark's scenario of `lines` lines: 12 nodes with
 * drifting clocks, a lossy network, faults, three invariants, tokens that
 * circle the ring (re-injected every 2 s, so the simulation does a few
 * hundred milliseconds of work at every size), and one scripted message per
 * remaining line, spread over the whole run so that every one is sent.
 */
export function editorScenario(lines: number): string {
  const n = 12;
  const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const out = ['scenario bench {', '  seed 3', `  run for ${EDITOR_RUN_MS / 1000}s`, '}', '', `nodes n1..n${n}`, '', 'network {', '  latency 2ms..15ms', '  loss 1%', '  duplicate 0.5%', '}', ''];
  nodes.forEach((node, i) => out.push(`clock ${node} { offset ${i % 2 ? '+' : '-'}${i % 5}ms drift ${i % 2 ? '+' : '-'}${(i * 7) % 40}ppm }`));
  out.push('');
  for (let i = 0; i < n; i++) out.push(`on ${nodes[i]} receive "relay" { send ${nodes[(i + 1) % n]} "ack" }`);
  for (let i = 0; i < n; i++) out.push(`on ${nodes[i]} receive "token" { send ${nodes[(i + 1) % n]} "token" }`);
  for (let i = 0; i < n; i++) out.push(`every 2s ${nodes[i]} -> ${nodes[(i + 1) % n]} "token" from ${i + 1}ms`);
  out.push('faults {', '  at 5s partition {n1, n2, n3} | {n4, n5}', '  at 7s heal', '  at 9s crash n6', '  at 11s restart n6', '  at 13s clock n7 jump +3ms', '}', '');
  out.push('invariant causal_delivery', 'invariant max_skew < 50ms', 'expect n1.lamport >= 1 at end', '');
  const scripted = Math.max(1, lines - out.length);
  for (let t = 1; out.length < lines; t++) {
    const a = nodes[t % n]!;
    const b = nodes[(t * 7 + 3) % n]!;
    const at = Math.floor((t * (EDITOR_RUN_MS - 100) * 1000) / scripted); // microseconds
    out.push(`at ${at}us ${a} -> ${b === a ? nodes[(t + 1) % n] : b} "${t % 3 === 0 ? 'relay' : `m${t}`}"`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * A Quint module of `lines` lines comparable to `editorScenario` for
 * Quint's language server: twelve nodes, a message set and Lamport clocks
 * as state, a parameterized send action, and one action per remaining line
 * (a scripted message, as in the DSync scenario), plus an invariant.
 */
export function quintEditorModule(lines: number): string {
  const n = 12;
  const names = Array.from({ length: n }, (_, i) => `"n${i + 1}"`).join(', ');
  const out = [
    'module bench {',
    '  type Msg = { from: str, to: str, label: str }',
    `  pure val NODES: Set[str] = Set(${names})`,
    '  var msgs: Set[Msg]',
    '  var lamport: str -> int',
    '  action init = all { msgs\' = Set(), lamport\' = NODES.mapBy(_ => 0) }',
    '  action send(a: str, b: str, label: str): bool = all {',
    '    msgs\' = msgs.union(Set({ from: a, to: b, label: label })),',
    '    lamport\' = lamport.set(a, lamport.get(a) + 1),',
    '  }',
    '  val delivered = msgs.forall(m => NODES.contains(m.to) and lamport.get(m.from) >= 1)',
  ];
  for (let t = 1; out.length < lines - 1; t++) {
    const a = (t % n) + 1;
    const b = ((t * 7 + 3) % n) + 1 === a ? ((t + 1) % n) + 1 : ((t * 7 + 3) % n) + 1;
    out.push(`  action m${t} = send("n${a}", "n${b}", "m${t}")`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/**
 * The 5-node Raft workload the exploration, property and long-run benchmarks
 * share: a counter client, random crashes and partitions. `header` goes into
 * the scenario block (e.g. `max_events 1000000`), `raftOptions` after the
 * standard Raft options, and `tail` (invariants) after the faults.
 */
export function raft5Scenario(o: { readonly name: string; readonly runFor: string; readonly header?: string; readonly raftOptions?: string; readonly tail: string }): string {
  return `scenario ${o.name} { seed 1  run for ${o.runFor}${o.header ? `  ${o.header}` : ''} }
nodes n1..n5 run raft { election_timeout 150ms..300ms; heartbeat 50ms${o.raftOptions ? `; ${o.raftOptions}` : ''} }
network { latency 2ms..10ms }
client c1 { every 50ms put k = counter from 300ms }
faults random {
  crash 1 per 500ms for 100ms
  partition 1 per 1s for 200ms
}
${o.tail}`;
}

/** mulberry32: a tiny seeded generator for test and benchmark inputs (not the simulator's Rng, whose streams are part of traces). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
