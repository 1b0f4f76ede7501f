import type { Operation, SequentialModel } from './history';
import { ConfigurationCache } from './memo';

/**
 * The Wing–Gong search with Lowe's memoization over one independent
 * sub-history (a partition, e.g. one key), as Porcupine does it, made
 * resumable: `advance(n)` runs at most n steps and returns, so the checker
 * can interleave partitions (checker.ts).
 *
 * The history becomes a list of call and return entries in time order
 * (calls before returns at equal times, so operations that touch at one
 * instant count as concurrent). The search repeatedly picks a call it can
 * linearize next — one whose operation is allowed by the sequential model
 * in the current state — removes the call and its return from the list, and
 * goes on; reaching a return whose operation was not linearized yet means
 * every choice so far is wrong, so it backtracks. The cache of
 * configurations already explored (memo.ts) cuts the search from factorial
 * to, for practical histories, near linear.
 *
 * One more cut keeps concurrent reads from blowing up the search (each
 * subset of them would otherwise be a state of its own): a read-only
 * operation that may be called now (no remaining operation returned before
 * its call) and is allowed in the current state is linearized at once, and
 * never tried elsewhere. That loses nothing: in any linearization of the
 * rest it can be moved to the front, since it changes no state and nothing
 * must precede it.
 */
export type SearchStatus = 'running' | 'ok' | 'violation';

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

/** `forced`: a read placed greedily; backtracking goes past it without trying alternatives. */
interface Frame<S, I, O> {
  readonly entry: Entry<I, O>;
  readonly state: S;
  readonly forced: boolean;
}

export class PartitionSearch<S, I, O, Op extends Operation<I, O> = Operation<I, O>> {
  status: SearchStatus = 'running';
  steps = 0;
  /** On 'ok', the witness order; on 'violation', the order that got furthest (see `culprit`). */
  order: Op[] = [];
  /**
   * On 'violation': the operation whose return no order gets past — of the
   * returns the search got stuck at, the latest. Every order must linearize
   * all operations that returned before it and none can, while some order
   * linearizes everything that returned earlier: so the history cut just
   * before this return is linearizable. (Cut just after it, it usually is
   * not; operations still running at that cut have unknown results there,
   * which can explain more, see history/analyze.ts.)
   */
  culprit: Op | undefined;

  private readonly head: Entry<I, O>;
  private readonly cache: ConfigurationCache<S>;
  private readonly calls: Frame<S, I, O>[] = [];
  private state: S;
  private entry: Entry<I, O> | undefined;
  private fresh = true;
  private readonly twinBefore: Int32Array;
  /** The latest return any explored order got stuck at (see `culprit`). */
  private frontier = -Infinity;

  constructor(
    private readonly model: SequentialModel<S, I, O>,
    readonly ops: readonly Op[],
  ) {
    this.head = buildEntries(ops);
    this.cache = new ConfigurationCache(ops.length, (s) => model.hashState(s), (a, b) => model.sameState(a, b));
    this.state = model.init();
    this.twinBefore = twinsOf(model, ops);
    this.entry = this.head.next;
    if (!this.head.next) this.status = 'ok';
  }

  /** Distinct configurations explored so far (the memory the search holds). */
  get configurations(): number {
    return this.cache.size;
  }

  /** Runs at most `budget` more steps; the status says whether it finished. */
  advance(budget: number): SearchStatus {
    const { head, model } = this;
    for (let n = 0; n < budget && this.status === 'running'; n++) {
      this.steps++;
      if (this.fresh) {
        this.fresh = false;
        const reads = this.placeReads();
        if (head.next === undefined) break;
        if (reads === 'dead') {
          this.backtrack();
          continue;
        }
        this.entry = head.next;
      }
      const entry = this.entry!;
      if (entry.isCall) {
        const twin = this.twinBefore[entry.index]!;
        if (twin >= 0 && !this.cache.has(twin)) {
          this.entry = entry.next; // its twin goes first (see twinsOf)
          continue;
        }
        const next = model.step(this.state, entry.op.input, entry.op.output);
        if (next !== undefined && this.place(entry, next, false)) {
          this.fresh = true;
          continue;
        }
        this.entry = entry.next;
      } else {
        // A return whose operation is still unplaced: every order chosen so far fails.
        if (this.culprit === undefined || entry.time > this.frontier) {
          this.frontier = entry.time;
          this.culprit = entry.op as Op;
          this.order = this.calls.map((c) => c.entry.op as Op);
        }
        this.backtrack();
      }
    }
    if (this.status === 'running' && head.next === undefined) {
      this.status = 'ok';
      this.order = this.calls.map((c) => c.entry.op as Op);
    }
    return this.status;
  }

  /** Linearizes `e` (its call and return leave the list) if the configuration it leads to is new. */
  private place(e: Entry<I, O>, next: S, forced: boolean): boolean {
    this.cache.flip(e.index);
    if (!this.cache.add(next)) {
      this.cache.flip(e.index);
      return false;
    }
    this.calls.push({ entry: e, state: this.state, forced });
    this.state = next;
    lift(e);
    return true;
  }

  private undo(frame: Frame<S, I, O>): void {
    this.state = frame.state;
    this.cache.flip(frame.entry.index);
    unlift(frame.entry);
  }

  /**
   * Places every read that may be called now (its call comes before the first
   * remaining return) and is allowed in the current state. 'dead' when one
   * leads to a configuration already explored: that one failed, so this one
   * fails too.
   */
  private placeReads(): 'ok' | 'dead' {
    const { model, head } = this;
    if (!model.isReadOnly) return 'ok';
    for (let e = head.next; e && e.isCall; ) {
      const next = model.isReadOnly(e.op.input) ? model.step(this.state, e.op.input, e.op.output) : undefined;
      if (next !== undefined) {
        if (!this.place(e, next, true)) return 'dead';
        e = head.next;
      } else {
        e = e.next;
      }
    }
    return 'ok';
  }

  /** Undoes the greedy reads and the last real choice; the entry after that choice is tried next. No choice left: a violation. */
  private backtrack(): void {
    let top = this.calls.pop();
    while (top?.forced) {
      this.undo(top);
      top = this.calls.pop();
    }
    if (!top) {
      this.status = 'violation';
      this.culprit ??= this.ops[0];
      return;
    }
    this.undo(top);
    this.entry = top.entry.next;
  }
}

/**
 * Symmetry among operations that never returned: two of them with the same
 * input and the same (unknown) output are interchangeable once both are
 * called — no return constrains either and each has the same effect. So
 * the later-called one is never linearized while the earlier one is not:
 * any order using it can use its twin instead. With k such writes of few
 * values (Jepsen's timed-out operations) this cuts 2^k subsets down to the
 * product of (copies + 1) per distinct operation. `twinBefore[i]` is the
 * previous such twin of operation i, or -1.
 */
function twinsOf<S, I, O>(model: SequentialModel<S, I, O>, ops: readonly Operation<I, O>[]): Int32Array {
  const twins = new Int32Array(ops.length).fill(-1);
  if (!model.sameInput) return twins;
  const pending = ops.map((op, index) => ({ op, index })).filter((p) => p.op.ret === Infinity).sort((a, b) => a.op.call - b.op.call || a.index - b.index);
  for (let i = 1; i < pending.length; i++) {
    for (let j = i - 1; j >= 0; j--) {
      const a = pending[j]!.op;
      const b = pending[i]!.op;
      if (a.output === b.output && model.sameInput(a.input, b.input)) {
        twins[pending[i]!.index] = pending[j]!.index;
        break;
      }
    }
  }
  return twins;
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
