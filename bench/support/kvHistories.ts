import { clientSlots, timeOrdered } from './histories';
import { mulberry32 } from './scenarios';

/**
 * Generated key-value histories in the format of Porcupine's kv benchmark
 * (EDN maps one per line: `{:process 0, :type :invoke, :f :append, :key "3",
 * :value "x 0 1 y"}`), checked with the append-kv model: `clients` processes
 * doing gets, puts and appends on `keys` keys, every value a unique token
 * `x <process> <n> y`, each operation taking effect at a random instant
 * inside its interval (linearizable by construction). As in Porcupine's set,
 * no operation times out. Deterministic for a given seed.
 *
 * `corrupt` makes one get (the one nearest 90% of the history that allows
 * it) not linearizable: it leaves out the token of an append A on its key
 * that returned before the get began, with no put on that key that could be
 * ordered between them (none called before the get returns and returning
 * after A is called), so every order must show A's token.
 */
export interface KvLikeOptions {
  readonly operations: number;
  readonly clients: number;
  readonly keys: number;
  readonly seed: number;
  readonly corrupt?: boolean;
}

interface Planned {
  readonly process: number;
  readonly f: 'get' | 'put' | 'append';
  readonly key: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly effect: number;
  /** For a get: the tokens it read, in order. */
  read: string[];
}

export function kvLikeLog(o: KvLikeOptions): string {
  const random = mulberry32(o.seed);
  const int = (n: number): number => Math.floor(random() * n);
  const slot = clientSlots(random, o.clients);
  const counter = Array.from({ length: o.clients }, () => 0);
  const ops: Planned[] = [];
  for (let i = 0; i < o.operations; i++) {
    const { client: c, start, end } = slot();
    const roll = random();
    const f = roll < 0.5 ? 'get' : roll < 0.6 ? 'put' : 'append';
    const value = f === 'get' ? '' : `x ${c} ${counter[c]!++} y`;
    ops.push({ process: c, f, key: String(int(o.keys)), value, start, end, effect: start + random() * (end - start), read: [] });
  }
  const state = new Map<string, string[]>();
  for (const op of [...ops].sort((a, b) => a.effect - b.effect)) {
    const current = state.get(op.key) ?? [];
    if (op.f === 'get') op.read = [...current];
    else state.set(op.key, op.f === 'put' ? [op.value] : [...current, op.value]);
  }
  if (o.corrupt) corruptGet(ops);
  const line = (p: Planned, type: string, value: string | undefined): string =>
    `{:process ${p.process}, :type :${type}, :f :${p.f}, :key ${JSON.stringify(p.key)}, :value ${value === undefined ? 'nil' : JSON.stringify(value)}}`;
  return timeOrdered(ops, (p) => [line(p, 'invoke', p.f === 'get' ? undefined : p.value), line(p, 'ok', p.f === 'get' ? p.read.join('') : p.value)]);
}

/** See `corrupt`. */
function corruptGet(ops: Planned[]): void {
  const target = Math.floor(ops.length * 0.9);
  const gets = ops.map((p, i) => ({ p, i })).filter(({ p }) => p.f === 'get' && p.read.length > 0);
  gets.sort((a, b) => Math.abs(a.i - target) - Math.abs(b.i - target) || a.i - b.i);
  for (const { p: get } of gets) {
    for (const token of get.read) {
      const append = ops.find((q) => q.f === 'append' && q.value === token);
      if (!append || append.end >= get.start) continue;
      const overwritten = ops.some((q) => q.f === 'put' && q.key === get.key && q.start <= get.end && q.end >= append.start);
      if (overwritten) continue;
      get.read = get.read.filter((t) => t !== token);
      return;
    }
  }
  throw new Error('no get can be corrupted in this history');
}
