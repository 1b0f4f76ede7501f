import { mulberry32 } from './scenarios';

/**
 * Generated etcd-like histories in the text format of Jepsen's logs (as in
 * Porcupine's etcd benchmark): `clients` processes doing reads, writes and
 * compare-and-sets on one register with values 0..4, each operation taking
 * effect at a random instant inside its interval (so the history is
 * linearizable by construction), a share of them timing out (`:info`: the
 * process is replaced by a new one, as Jepsen does, and the operation takes
 * effect or not). Deterministic for a given seed.
 *
 * The mix (`readRate`, `writeRate`, the rest compare-and-sets), the value
 * range (`values`) and `hints` can be set to match the 20,000-operation etcd
 * logs of Porcupine's test_data/etcd (`etcdPorcupineLike`).
 *
 * `corrupt` makes the history not linearizable by changing one read:
 *  - 'never-written' (or `true`): a read near the end returns `values + 4`,
 *    a value no operation writes;
 *  - 'stale': a read (at `corruptAt`, a fraction of the history) returns a
 *    value u other than the one it saw, chosen so that no order can explain
 *    it: a write W of another value returned before the read began, and no
 *    operation that may write u (a write of u, a cas to u, even one that
 *    timed out) can be ordered between W and the read, i.e. none is called
 *    before the read returns and returns after W is called. u = nil
 *    qualifies once anything was written (nothing writes nil). The read
 *    nearest `corruptAt` that has such a u is chosen;
 *  - 'stale-old': the same, but u is the value of an earlier write that was
 *    overwritten before the read began (what a lagging replica would serve),
 *    the most recent such value first; nil only when no written value
 *    qualifies.
 */
export interface EtcdLikeOptions {
  readonly operations: number;
  readonly clients: number;
  readonly seed: number;
  readonly timeoutRate?: number;
  /** Share of reads (default 0.5) and of writes (default 0.3); the rest are compare-and-sets. */
  readonly readRate?: number;
  readonly writeRate?: number;
  /** Values written and compared are 0..values-1 (default 5). */
  readonly values?: number;
  /**
   * Lines as in Porcupine's test_data/etcd logs, `INFO  jepsen.util - 3 \t:ok :write \t75 \t:hint 3`:
   * an invocation's hint is 0, a completion's the etcd revision of the write it
   * made or read (writes in the order they take effect, from revision 2; 1
   * before any write).
   */
  readonly hints?: boolean;
  /** A client starts its next operation 0 to think − 1 after its previous one returned (default 5; operations last 1–40). */
  readonly think?: number;
  readonly corrupt?: boolean | 'never-written' | 'stale' | 'stale-old';
  /** Where the corrupted read is, as a fraction of the operations (default 0.9). */
  readonly corruptAt?: number;
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
  /** The etcd revision the completion reports (see `hints`). */
  revision: number;
}

export function etcdLikeLog(o: EtcdLikeOptions): string {
  const random = mulberry32(o.seed);
  const int = (n: number): number => Math.floor(random() * n);
  const timeoutRate = o.timeoutRate ?? 0.02;
  const readRate = o.readRate ?? 0.5;
  const writeRate = o.writeRate ?? 0.3;
  const values = o.values ?? 5;
  const ops: Planned[] = [];
  const slot = clientSlots(random, o.clients, o.think);
  const process = Array.from({ length: o.clients }, (_, c) => c);
  for (let i = 0; i < o.operations; i++) {
    const { client: c, start, end } = slot();
    const roll = random();
    const kind = roll < readRate ? 'read' : roll < readRate + writeRate ? 'write' : 'cas';
    const timedOut = random() < timeoutRate;
    const effect = timedOut && random() < 0.5 ? undefined : start + random() * (end - start);
    ops.push({ process: process[c]!, kind, arg: int(values), from: int(values), start, end, effect, timedOut, result: '', revision: 0 });
    if (timedOut) process[c] = process[c]! + o.clients;
  }
  let state: number | undefined;
  let revision = 1;
  for (const op of ops.filter((p) => p.effect !== undefined).sort((a, b) => a.effect! - b.effect!)) {
    if (op.kind === 'read') op.result = state === undefined ? 'nil' : String(state);
    else if (op.kind === 'write') {
      state = op.arg;
      revision++;
    } else {
      op.result = state === op.from ? 'ok' : 'fail';
      if (state === op.from) {
        state = op.arg;
        revision++;
      }
    }
    op.revision = revision;
  }
  if (o.corrupt === 'stale' || o.corrupt === 'stale-old') corruptStale(ops, o.corruptAt ?? 0.9, values, o.corrupt === 'stale-old');
  else if (o.corrupt) {
    const reads = ops.filter((p) => p.kind === 'read' && !p.timedOut);
    const victim = reads[Math.floor(reads.length * (o.corruptAt ?? 0.9))];
    if (victim) victim.result = String(values + 4); // never written: no pending write can explain it
  }
  const line = o.hints
    ? (p: number, type: string, f: string, v: string, hint: number): string => `INFO  jepsen.util - ${p} \t:${type} :${f} \t${v} \t:hint ${hint}`
    : (p: number, type: string, f: string, v: string): string => `INFO  jepsen.util - ${p}\t:${type}\t:${f}\t${v}`;
  return timeOrdered(ops, (op) => {
    const arg = op.kind === 'read' ? 'nil' : op.kind === 'write' ? String(op.arg) : `[${op.from} ${op.arg}]`;
    const hint = op.revision;
    const done = op.timedOut ? line(op.process, 'info', op.kind, ':timed-out', 0) : op.kind === 'read' ? line(op.process, 'ok', 'read', op.result, hint) : op.kind === 'write' ? line(op.process, 'ok', 'write', arg, hint) : line(op.process, op.result, 'cas', arg, hint);
    return [line(op.process, 'invoke', op.kind, arg, 0), done];
  });
}

/**
 * A stand-in for the 20,000-operation logs of Porcupine's test_data/etcd
 * (etcd_RR0.5_CLI<clients>_OPS20000.log, not in this repository): one
 * register, half reads and half writes (no compare-and-set), values 0–99,
 * `clients` processes with one operation outstanding each and none timing
 * out, reads invoked with nil, `:hint` revisions. `stale` turns one read (at
 * 90%) into a stale one ('stale-old'). Deterministic for a given seed.
 *
 * How busy the clients are matters most to a checker: the operations
 * outstanding at once. In 320-line samples from the middle of the real logs
 * a client waits about as long between operations as an operation lasts:
 * on average 4.0 of 8, 6.2 of 12 and 12.5 of 20 clients have one open
 * (the 16-client log was not sampled). THINK sets the wait so that the
 * stand-ins have the same share (16: interpolated).
 */
export function etcdPorcupineLike(clients: number, stale: boolean, seed = clients): string {
  const think = THINK[clients] ?? 40;
  return etcdLikeLog({ operations: 20_000, clients, seed, timeoutRate: 0, readRate: 0.5, writeRate: 0.5, values: 100, hints: true, think, ...(stale ? { corrupt: 'stale-old' as const } : {}) });
}

/** Operations last 20.5 on average; a wait of 0..think−1 (mean (think−1)/2) gives the busy share busy = 20.5 / (20.5 + (think−1)/2): 8 → 0.50, 12 → 0.52, 16 → 0.57, 20 → 0.62. */
const THINK: Readonly<Record<number, number>> = { 8: 42, 12: 39, 16: 32, 20: 26 };

/** Operation slots of `clients` sequential clients, each picked at random: it starts 0 to `think` − 1 after its previous operation ended and lasts 1–40. */
export function clientSlots(random: () => number, clients: number, think = 5): () => { client: number; start: number; end: number } {
  const free = Array.from({ length: clients }, () => 0);
  return () => {
    const client = Math.floor(random() * clients);
    const start = free[client]! + Math.floor(random() * think);
    const end = start + 1 + Math.floor(random() * 40);
    free[client] = end;
    return { client, start, end };
  };
}

/** The log: every operation's invocation line at its start and completion line at its end, in time order (at equal times, in the order of `ops`, invocation first). */
export function timeOrdered<P extends { readonly start: number; readonly end: number }>(ops: readonly P[], lines: (op: P) => readonly [string, string]): string {
  const events: { time: number; order: number; line: string }[] = [];
  ops.forEach((op, i) => {
    const [invoke, complete] = lines(op);
    events.push({ time: op.start, order: 2 * i, line: invoke }, { time: op.end, order: 2 * i + 1, line: complete });
  });
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return events.map((e) => e.line).join('\n') + '\n';
}

/** The values an operation may leave in the register (a cas only if it succeeded or its outcome is unknown). */
function writes(p: Planned): number | undefined {
  if (p.kind === 'write') return p.arg;
  if (p.kind === 'cas' && (p.timedOut || p.result === 'ok')) return p.arg;
  return undefined;
}

/** See `corrupt: 'stale'` and `'stale-old'`: the read nearest `at` that can be given a value no order explains. */
function corruptStale(ops: Planned[], at: number, values: number, old: boolean): void {
  const reads = ops.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'read' && !p.timedOut);
  const target = Math.floor(ops.length * at);
  reads.sort((a, b) => Math.abs(a.i - target) - Math.abs(b.i - target) || a.i - b.i);
  const returns = (p: Planned): number => (p.timedOut ? Infinity : p.end);
  for (const { p: read } of reads) {
    // The write that returned last before the read began.
    let last: Planned | undefined;
    for (const w of ops) if (writes(w) !== undefined && returns(w) < read.start && (!last || returns(w) > returns(last))) last = w;
    if (!last) continue;
    const w = last;
    const candidates = old ? [...overwritten(ops, w), undefined] : [undefined, ...Array.from({ length: values }, (_, v) => v)];
    for (const u of candidates) {
      const shown = u === undefined ? 'nil' : String(u);
      if (shown === read.result || u === writes(w)) continue;
      const explains = u !== undefined && ops.some((q) => writes(q) === u && q.start <= read.end && returns(q) >= w.start);
      if (explains) continue;
      read.result = shown;
      return;
    }
  }
  throw new Error('no read can be made stale in this history');
}

/** The values of the writes that returned before `w` was called, the most recently returned first, each once. */
function overwritten(ops: readonly Planned[], w: Planned): number[] {
  const earlier = ops.filter((p) => writes(p) !== undefined && !p.timedOut && p.end < w.start).sort((a, b) => b.end - a.end);
  return [...new Set(earlier.map((p) => writes(p)!))];
}
