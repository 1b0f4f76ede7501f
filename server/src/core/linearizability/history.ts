import { hashString } from './memo';

/**
 * Histories of operations on a shared object, as seen by its clients: each
 * operation has an invocation time and a return time (true time, ns). An
 * operation whose outcome is unknown (the client never got an answer) has
 * `ret = Infinity`: it may have taken effect at any point after its call, or
 * not at all — a write like that can always be placed last.
 */
export interface Operation<I, O> {
  /** Unique within the history. */
  readonly id: number;
  readonly client: string;
  readonly input: I;
  readonly output: O;
  readonly call: number;
  readonly ret: number;
}

/**
 * A sequential specification (Porcupine's "model"): what one operation may
 * return in a state, and the state after it.
 */
export interface SequentialModel<S, I, O> {
  init(): S;
  /**
   * The state after applying `input` with result `output`, or undefined when
   * `output` is impossible in `state` (so a state itself is never undefined).
   */
  step(state: S, input: I, output: O): S | undefined;
  /** A 32-bit hash of the state, for the memo cache (memo.ts). Equal states must hash equal. */
  hashState(state: S): number;
  /** Exact equality of states, consulted when hashes are equal. */
  sameState(a: S, b: S): boolean;
  /**
   * Whether two inputs are the same operation (same effect in every state);
   * lets the search treat operations that never returned, with equal inputs
   * and outputs, as interchangeable (search.ts, twinsOf).
   */
  sameInput?(a: I, b: I): boolean;
  /**
   * Whether the operation, with this result, never changes the state (a
   * read; a compare-and-set that returned false); lets the search place it
   * greedily. An operation whose result is unknown passes its output too.
   */
  isReadOnly?(input: I, output: O): boolean;
  /**
   * Operations that returned and that the model proves no linearization can
   * place (e.g. a stale read of a register, history/staleReads.ts), by index
   * in `ops`. A shortcut, never needed for a verdict: the search (search.ts)
   * stops with a violation once it gets stuck at the return of one, instead
   * of trying every other order first.
   */
  impossible?(ops: readonly Operation<I, O>[]): ReadonlySet<number>;
  /**
   * For register-like models: what each operation does to the register's
   * value, as small integers, and the value a state holds. Lets the search
   * see early that the order chosen so far can no longer serve a read
   * (lookahead.ts). Optional, never needed for a verdict.
   */
  registerRoles?: RegisterRoles<S, I, O>;
  /** Splits a history into independent sub-histories (P-compositionality), e.g. per key. */
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
}

/** Value ids (small non-negative integers) of one register, see `SequentialModel.registerRoles`. */
export interface RegisterRoles<S, I, O> {
  /** The value the state holds. */
  valueOf(state: S): number;
  /**
   * `needs`: the value the register must hold just before the operation
   * (a read's result; a successful compare-and-set's expected value);
   * `shows`: the value it certainly holds just after; `writes`: the value it
   * may write (a write; a compare-and-set that succeeded or whose outcome is
   * unknown). Undefined when none.
   */
  roles(op: Operation<I, O>): { readonly needs?: number; readonly shows?: number; readonly writes?: number };
}

// ---- the key-value model used by `linearizable(kv)` -----------------------

export type KvValue = number | string;

export type KvInput =
  | { readonly op: 'put'; readonly key: string; readonly value: KvValue }
  | { readonly op: 'get'; readonly key: string };

/** What a get returned: the value, or undefined when the key had none. Puts return nothing. */
export type KvOutput = KvValue | undefined;

export type KvOperation = Operation<KvInput, KvOutput>;

/** Typed so that the number 5 and the string "5" are different values. */
export function kvValueKey(v: KvValue | undefined): string {
  return v === undefined ? '∅' : typeof v === 'number' ? `n${v}` : `s${v}`;
}

export function formatKvValue(v: KvValue | undefined): string {
  return v === undefined ? 'nothing' : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/**
 * A map of registers: every key starts empty, a put overwrites, a get returns
 * the current value. The state of one key's register is its value's key
 * (`kvValueKey`), so "empty" is a state ('∅') and not undefined.
 */
export const kvModel: SequentialModel<string, KvInput, KvOutput> = {
  init: () => kvValueKey(undefined),
  step(state, input, output) {
    if (input.op === 'put') return kvValueKey(input.value);
    return state === kvValueKey(output) ? state : undefined;
  },
  hashState: hashString,
  sameState: (a, b) => a === b,
  isReadOnly: (input) => input.op === 'get',
  sameInput: (a, b) => a.op === b.op && a.key === b.key && (a.op === 'get' || (b.op === 'put' && kvValueKey(a.value) === kvValueKey(b.value))),
  partition(ops) {
    const byKey = new Map<string, KvOperation[]>();
    for (const op of ops) {
      const list = byKey.get(op.input.key);
      if (list) list.push(op);
      else byKey.set(op.input.key, [op]);
    }
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  },
};

export function describeKvOperation(op: KvOperation): string {
  return op.input.op === 'put' ? `put ${op.input.key} = ${formatKvValue(op.input.value)}` : `get ${op.input.key} → ${formatKvValue(op.output)}`;
}
