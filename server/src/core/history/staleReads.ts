import type { OpInput, OpOutput } from './operations';
import type { Operation } from '../linearizability/history';

/**
 * Operations of a register (read, write, compare-and-set) that no
 * linearization can place, each with a short proof: the operation needs the
 * register to hold u (a read that returned u; a compare-and-set that
 * succeeded, expecting u), some operation W that returned before it was
 * called shows another value (W wrote it, or read it), and no operation
 * that may write u (a write of u, a compare-and-set to u that succeeded or
 * whose outcome is unknown) can be ordered between W and it: every such
 * operation returned before W was called, or is called after it returned.
 * In any order that respects real time W comes first, the register then
 * holds another value, and something must write u before the operation, so
 * it fits nowhere, in the whole history and in every prefix that has it.
 *
 * This is the stale read of Jepsen's histories; finding it takes
 * O(n log n), where the search (search.ts) may have to try every way the
 * operations of unknown outcome could have taken effect before it gives up.
 * `valueOf` numbers values exactly as the model compares them (kv: "" and
 * nil are one value). Operations on different keys are independent.
 */
export function impossibleRegisterOps(ops: readonly Operation<OpInput, OpOutput>[], valueOf: (v: OpInput['value']) => number): Set<number> {
  const byKey = new Map<string | undefined, number[]>();
  ops.forEach((op, i) => {
    const list = byKey.get(op.input.key);
    if (list) list.push(i);
    else byKey.set(op.input.key, [i]);
  });
  const impossible = new Set<number>();
  for (const indices of byKey.values()) for (const i of impossibleOnOneKey(ops, indices, valueOf)) impossible.add(i);
  return impossible;
}

/** The value the register must hold just before operation `op` takes effect, or undefined when it may hold any. */
export function needs(op: Operation<OpInput, OpOutput>, valueOf: (v: OpInput['value']) => number): number | undefined {
  if (!op.output.known) return undefined;
  if (op.input.kind === 'read') return valueOf(op.output.value);
  if (op.input.kind === 'cas' && op.output.casSucceeded) return valueOf(op.input.expected);
  return undefined;
}

/** The value the register certainly holds just after `op` took effect, or undefined. */
export function shows(op: Operation<OpInput, OpOutput>, valueOf: (v: OpInput['value']) => number): number | undefined {
  if (!op.output.known) return undefined;
  switch (op.input.kind) {
    case 'read': return valueOf(op.output.value);
    case 'write': return valueOf(op.input.value);
    case 'cas': return op.output.casSucceeded ? valueOf(op.input.value) : undefined;
    default: return undefined;
  }
}

/** The value `op` may write, or undefined (a read; a compare-and-set known to have failed). */
export function mayWrite(op: Operation<OpInput, OpOutput>, valueOf: (v: OpInput['value']) => number): number | undefined {
  if (op.input.kind === 'write') return valueOf(op.input.value);
  if (op.input.kind === 'cas' && (!op.output.known || op.output.casSucceeded)) return valueOf(op.input.value);
  return undefined;
}

function impossibleOnOneKey(ops: readonly Operation<OpInput, OpOutput>[], indices: readonly number[], valueOf: (v: OpInput['value']) => number): number[] {
  // Writers of each value, by call, with the latest return among those called so far.
  const writers = new Map<number, { calls: number[]; latestReturn: number[] }>();
  for (const i of [...indices].sort((a, b) => ops[a]!.call - ops[b]!.call)) {
    const v = mayWrite(ops[i]!, valueOf);
    if (v === undefined) continue;
    let w = writers.get(v);
    if (!w) writers.set(v, (w = { calls: [], latestReturn: [] }));
    w.calls.push(ops[i]!.call);
    w.latestReturn.push(Math.max(ops[i]!.ret, w.latestReturn[w.latestReturn.length - 1] ?? -Infinity));
  }
  /** Whether some writer of v is called by `until` and returns at `from` or later. */
  const writable = (v: number, from: number, until: number): boolean => {
    const w = writers.get(v);
    if (!w) return false;
    let lo = 0;
    let hi = w.calls.length; // first writer called after `until`
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (w.calls[mid]! <= until) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && w.latestReturn[lo - 1]! >= from;
  };
  // Sweep the operations that need a value in call order, the ones that show a value in return order:
  // keep the latest-called shower, and the latest-called one showing another value than it.
  const showers = indices.filter((i) => shows(ops[i]!, valueOf) !== undefined).sort((a, b) => ops[a]!.ret - ops[b]!.ret);
  const needers = indices.filter((i) => needs(ops[i]!, valueOf) !== undefined).sort((a, b) => ops[a]!.call - ops[b]!.call);
  let best: { call: number; value: number } | undefined;
  let second: { call: number; value: number } | undefined;
  let next = 0;
  const found: number[] = [];
  for (const r of needers) {
    const op = ops[r]!;
    for (; next < showers.length && ops[showers[next]!]!.ret < op.call; next++) {
      const s = ops[showers[next]!]!;
      const shown = { call: s.call, value: shows(s, valueOf)! };
      if (!best || shown.call > best.call) {
        if (best && best.value !== shown.value) second = best;
        best = shown;
      } else if (shown.value !== best.value && (!second || shown.call > second.call)) {
        second = shown;
      }
    }
    const u = needs(op, valueOf)!;
    const w = best && best.value !== u ? best : second && second.value !== u ? second : undefined;
    if (w && !writable(u, w.call, op.ret)) found.push(r);
  }
  return found;
}
