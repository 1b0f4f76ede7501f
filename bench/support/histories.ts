import { mulberry32 } from './scenarios';

/**
 * Generated etcd-like histories in the text format of Jepsen's logs (as in
 * Porcupine's etcd benchmark): `clients` processes doing reads, writes and
 * compare-and-sets on one register with values 0..4, each operation taking
 * effect at a random instant inside its interval (so the history is
 * linearizable by construction), a share of them timing out (`:info`: the
 * process is replaced by a new one, as Jepsen does, and the operation takes
 * effect or not). `corrupt` makes one read near the end return 9, a value
 * never written, so the history is not linearizable (a stale value could
 * be explained by one of the writes that timed out and stay pending).
 * Deterministic for a given seed.
 */
export interface EtcdLikeOptions {
  readonly operations: number;
  readonly clients: number;
  readonly seed: number;
  readonly timeoutRate?: number;
  readonly corrupt?: boolean;
}

interface Planned {
  process: number;
  kind: 'read' | 'write' | 'cas';
  arg: number;
  from: number;
  start: number;
  end: number;
  effect: number | undefined;
  timedOut: boolean;
  result: string;
}

export function etcdLikeLog(o: EtcdLikeOptions): string {
  const random = mulberry32(o.seed);
  const int = (n: number): number => Math.floor(random() * n);
  const timeoutRate = o.timeoutRate ?? 0.02;
  const ops: Planned[] = [];
  const free = Array.from({ length: o.clients }, () => 0);
  const process = Array.from({ length: o.clients }, (_, c) => c);
  for (let i = 0; i < o.operations; i++) {
    const c = int(o.clients);
    const start = free[c]! + int(5);
    const end = start + 1 + int(40);
    const roll = random();
    const kind = roll < 0.5 ? 'read' : roll < 0.8 ? 'write' : 'cas';
    const timedOut = random() < timeoutRate;
    const effect = timedOut && random() < 0.5 ? undefined : start + random() * (end - start);
    ops.push({ process: process[c]!, kind, arg: int(5), from: int(5), start, end, effect, timedOut, result: '' });
    free[c] = end;
    if (timedOut) process[c] = process[c]! + o.clients;
  }
  let state: number | undefined;
  for (const op of ops.filter((p) => p.effect !== undefined).sort((a, b) => a.effect! - b.effect!)) {
    if (op.kind === 'read') op.result = state === undefined ? 'nil' : String(state);
    else if (op.kind === 'write') state = op.arg;
    else {
      op.result = state === op.from ? 'ok' : 'fail';
      if (state === op.from) state = op.arg;
    }
  }
  if (o.corrupt) {
    const reads = ops.filter((p) => p.kind === 'read' && !p.timedOut);
    const victim = reads[Math.floor(reads.length * 0.9)];
    if (victim) victim.result = '9'; // never written: no pending write can explain it
  }
  const events: { time: number; order: number; line: string }[] = [];
  const line = (p: number, type: string, f: string, v: string): string => `INFO  jepsen.util - ${p}\t:${type}\t:${f}\t${v}`;
  ops.forEach((op, i) => {
    const arg = op.kind === 'read' ? 'nil' : op.kind === 'write' ? String(op.arg) : `[${op.from} ${op.arg}]`;
    events.push({ time: op.start, order: 2 * i, line: line(op.process, 'invoke', op.kind, arg) });
    const done = op.timedOut ? line(op.process, 'info', op.kind, ':timed-out') : op.kind === 'read' ? line(op.process, 'ok', 'read', op.result) : op.kind === 'write' ? line(op.process, 'ok', 'write', arg) : line(op.process, op.result, 'cas', arg);
    events.push({ time: op.end, order: 2 * i + 1, line: done });
  });
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return events.map((e) => e.line).join('\n') + '\n';
}
