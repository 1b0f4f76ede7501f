import type { Operation, SequentialModel } from './history';

/**
 * Linearizability checking by the Wing–Gong search with Lowe's memoization,
 * as Porcupine does it. The history becomes a list of call and return
 * entries in time order (calls before returns at equal times, so operations
 * that touch at one instant count as concurrent). The search repeatedly picks
 * a call it can linearize next — one whose operation is allowed by the
 * sequential model in the current state — removes the call and its return
 * from the list, and goes on; reaching a return whose operation was not
 * linearized yet means every choice so far is wrong, so it backtracks. A
 * cache of (set of linearized operations, state) pairs already explored cuts
 * the search from factorial to (for practical histories) near linear.
 *
 * One more cut keeps concurrent reads from blowing up the search (each
 * subset of them would otherwise be a state of its own): a read-only
 * operation that may be called now (no remaining operation returned before
 * its call) and is allowed in the current state is linearized at once, and
 * never tried elsewhere. That loses nothing: in any linearization of the
 * rest it can be moved to the front, since it changes no state and nothing
 * must precede it.
 *
 * Exact, not a heuristic: `ok` comes with a witness order, `violation` means
 * no order exists. `unknown` only when the step budget runs out.
 */
export type CheckResult<I, O> =
  | { readonly kind: 'ok'; readonly order: readonly (readonly Operation<I, O>[])[] }
  | {
      readonly kind: 'violation';
      /** The independent sub-history (e.g. one key) that has no linearization. */
      readonly partition: readonly Operation<I, O>[];
      /** The operation the deepest attempt could not place: it returned before any valid order could include it. */
      readonly culprit: Operation<I, O>;
      /** The longest sequence of operations the search could linearize before getting stuck. */
      readonly prefix: readonly Operation<I, O>[];
    }
  | { readonly kind: 'unknown'; readonly steps: number };

export interface CheckOptions {
  /** Search steps allowed over the whole history before giving up with `unknown`. */
  readonly maxSteps?: number;
}

const DEFAULT_MAX_STEPS = 5_000_000;

export function checkLinearizable<S, I, O>(model: SequentialModel<S, I, O>, history: readonly Operation<I, O>[], options: CheckOptions = {}): CheckResult<I, O> {
  const partitions = model.partition ? model.partition(history) : [[...history]];
  const budget = { left: options.maxSteps ?? DEFAULT_MAX_STEPS, used: 0 };
  const order: Operation<I, O>[][] = [];
  for (const part of partitions) {
    const result = checkPartition(model, part, budget);
    if (result.kind !== 'ok') return result;
    order.push(result.order);
  }
  return { kind: 'ok', order };
}

interface Entry<I, O> {
  readonly isCall: boolean;
  readonly time: number;
  readonly index: number;
  readonly op: Operation<I, O>;
  /** For a call: its return entry. */
  match: Entry<I, O> | undefined;
  prev: Entry<I, O> | undefined;
  next: Entry<I, O> | undefined;
}

type PartitionResult<I, O> = { kind: 'ok'; order: Operation<I, O>[] } | Exclude<CheckResult<I, O>, { kind: 'ok' }>;

function checkPartition<S, I, O>(model: SequentialModel<S, I, O>, ops: readonly Operation<I, O>[], budget: { left: number; used: number }): PartitionResult<I, O> {
  const head = buildEntries(ops);
  const words = new Uint32Array((ops.length + 31) >>> 5);
  const cache = new Set<string>();
  /** `forced`: a read placed greedily; backtracking goes past it without trying alternatives. */
  const calls: { entry: Entry<I, O>; state: S; forced: boolean }[] = [];
  let state = model.init();
  let deepest = -1;
  let culprit: Operation<I, O> | undefined;
  let prefix: Operation<I, O>[] = [];

  /** Linearizes `e` (its call and return leave the list) if the configuration it leads to is new. */
  const place = (e: Entry<I, O>, next: S, forced: boolean): 'placed' | 'seen' => {
    flip(words, e.index);
    const key = `${wordsKey(words)}|${model.stateKey(next)}`;
    if (cache.has(key)) {
      flip(words, e.index);
      return 'seen';
    }
    cache.add(key);
    calls.push({ entry: e, state, forced });
    state = next;
    lift(e);
    return 'placed';
  };
  const undo = (frame: { entry: Entry<I, O>; state: S }): void => {
    state = frame.state;
    flip(words, frame.entry.index);
    unlift(frame.entry);
  };
  /**
   * Places every read that may be called now (its call comes before the first
   * remaining return) and is allowed in the current state. 'dead' when one
   * leads to a configuration already explored: that one failed, so this one
   * fails too.
   */
  const placeReads = (): 'ok' | 'dead' => {
    if (!model.isReadOnly) return 'ok';
    for (let e = head.next; e && e.isCall; ) {
      const next = model.isReadOnly(e.op.input) ? model.step(state, e.op.input, e.op.output) : undefined;
      if (next !== undefined) {
        if (place(e, next, true) === 'seen') return 'dead';
        e = head.next;
      } else {
        e = e.next;
      }
    }
    return 'ok';
  };
  /** Undoes the greedy reads and the last real choice; the entry after that choice is tried next. */
  const backtrack = (): Entry<I, O> | undefined => {
    let top = calls.pop();
    while (top?.forced) {
      undo(top);
      top = calls.pop();
    }
    if (!top) return undefined;
    undo(top);
    return top.entry.next;
  };

  let entry = head.next;
  let fresh = true;
  while (head.next !== undefined) {
    if (budget.left-- <= 0) return { kind: 'unknown', steps: budget.used };
    budget.used++;
    if (fresh) {
      fresh = false;
      const reads = placeReads();
      if (head.next === undefined) break;
      if (reads === 'dead') {
        entry = backtrack();
        if (!entry) return { kind: 'violation', partition: ops, culprit: culprit ?? ops[0]!, prefix };
        continue;
      }
      entry = head.next;
    }
    if (entry!.isCall) {
      const next = model.step(state, entry!.op.input, entry!.op.output);
      if (next !== undefined && place(entry!, next, false) === 'placed') {
        fresh = true;
        continue;
      }
      entry = entry!.next;
    } else {
      // A return whose operation is still unplaced: every order chosen so far fails.
      if (calls.length > deepest) {
        deepest = calls.length;
        culprit = entry!.op;
        prefix = calls.map((c) => c.entry.op);
      }
      entry = backtrack();
      if (!entry) return { kind: 'violation', partition: ops, culprit: culprit!, prefix };
    }
  }
  return { kind: 'ok', order: calls.map((c) => c.entry.op) };
}

/** A doubly linked list behind a sentinel head: calls and returns by time, calls first at equal times. */
function buildEntries<I, O>(ops: readonly Operation<I, O>[]): Entry<I, O> {
  const entries: Entry<I, O>[] = [];
  ops.forEach((op, index) => {
    if (!(op.call <= op.ret)) throw new Error(`operation ${op.id} returns before it is called`);
    const call: Entry<I, O> = { isCall: true, time: op.call, index, op, match: undefined, prev: undefined, next: undefined };
    const ret: Entry<I, O> = { isCall: false, time: op.ret, index, op, match: undefined, prev: undefined, next: undefined };
    call.match = ret;
    entries.push(call, ret);
  });
  entries.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.index - b.index : a.isCall ? -1 : 1));
  const head: Entry<I, O> = { isCall: false, time: -Infinity, index: -1, op: undefined as never, match: undefined, prev: undefined, next: undefined };
  let last = head;
  for (const e of entries) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

/** Takes a call and its return out of the list (the call is never the sentinel, so prev exists). */
function lift<I, O>(call: Entry<I, O>): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Puts them back, in the reverse order of `lift`. */
function unlift<I, O>(call: Entry<I, O>): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}

function flip(words: Uint32Array, bit: number): void {
  words[bit >>> 5] = words[bit >>> 5]! ^ (1 << (bit & 31));
}

function wordsKey(words: Uint32Array): string {
  let s = '';
  for (let i = 0; i < words.length; i++) s += `${words[i]!.toString(36)},`;
  return s;
}
