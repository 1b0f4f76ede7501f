import type { Entry } from './entries';
import type { Operation, RegisterRoles } from './history';

/**
 * A necessary condition on a configuration of the search (search.ts) of a
 * register-like model, checked over the next few operations still to
 * place: the stale-read argument of history/staleReads.ts, applied to what
 * remains of the history after the order chosen so far.
 *
 * An operation r still to place needs the register to hold v just before it
 * (a read of v; a compare-and-set that succeeded, expecting v). Something
 * shows another value before r can go: the register's current value (the
 * order so far ends there), or an unplaced operation W that returned before
 * r was called (so it comes before r in every order) and leaves another
 * value. Then some unplaced operation that may write v must come between W
 * and r: called no later than r returns, returning no earlier than W was
 * called. If there is none — the order so far used up or passed every write
 * of v that could serve r — no continuation places r, and the configuration
 * is dead. It depends only on the configuration (set placed, state), so the
 * memo may record it as failed.
 *
 * This catches at once the typical wrong guess of the search: a write of v
 * linearized early (its call allows it) that a later read of v needed; the
 * plain search only notices at that read's return, after trying every order
 * of the operations in between.
 *
 * Only the first WINDOW entries of the list are looked at, and r counts only
 * when its return is among them (then every operation called before r
 * returned has been seen); operations of unknown outcome that may write v
 * count as available whatever their call. So it never prunes a
 * configuration that has a continuation. Operations the model proves
 * impossible anyway (`SequentialModel.impossible`) are left to the search,
 * which stops at the first order that reaches one.
 */
const WINDOW = 64;
const NONE = -1;

export class RegisterLookahead<S, I, O> {
  /** Per operation: the value id it needs before it, shows after it, may write, or NONE. */
  private readonly needs: Int32Array;
  private readonly shows: Int32Array;
  private readonly writes: Int32Array;
  /** Per value: unplaced operations of unknown outcome that may write it. */
  private readonly optionalWriters: Int32Array;
  /** Per value: the latest return among the writers seen in the current scan, valid when `seen[v] === scan`. */
  private readonly writerReturn: Float64Array;
  private readonly seen: Uint32Array;
  /** Per operation: the call of what blocks it (see above), set when its call entry is passed; -Infinity: the current value. */
  private readonly blockedSince: Float64Array;
  private readonly blockedScan: Uint32Array;
  private scan = 0;

  constructor(
    private readonly roles: RegisterRoles<S, I, O>,
    ops: readonly Operation<I, O>[],
    impossible: ReadonlySet<number> | undefined,
  ) {
    this.needs = new Int32Array(ops.length).fill(NONE);
    this.shows = new Int32Array(ops.length).fill(NONE);
    this.writes = new Int32Array(ops.length).fill(NONE);
    let values = 1;
    ops.forEach((op, i) => {
      const r = roles.roles(op);
      if (r.needs !== undefined && !impossible?.has(i)) this.needs[i] = r.needs;
      if (r.shows !== undefined) this.shows[i] = r.shows;
      if (r.writes !== undefined) this.writes[i] = r.writes;
      values = Math.max(values, (r.needs ?? 0) + 1, (r.shows ?? 0) + 1, (r.writes ?? 0) + 1);
    });
    this.optionalWriters = new Int32Array(values);
    this.writerReturn = new Float64Array(values);
    this.seen = new Uint32Array(values);
    this.blockedSince = new Float64Array(ops.length);
    this.blockedScan = new Uint32Array(ops.length);
    ops.forEach((op, i) => {
      if (op.ret === Infinity && this.writes[i]! >= 0) this.optionalWriters[this.writes[i]!]!++;
    });
  }

  /** The search placed (or, backtracking, unplaced) operation `index`, one of unknown outcome: keeps `optionalWriters` up to date. */
  optionalPlaced(index: number, placed: boolean): void {
    const v = this.writes[index]!;
    if (v >= 0) this.optionalWriters[v]! += placed ? -1 : 1;
  }

  /** Whether some operation in the window can no longer be placed in any continuation from `state` (see above). */
  dead(head: Entry<I, O>, state: S): boolean {
    const scan = ++this.scan;
    const { needs, shows, writes, seen, writerReturn, blockedSince, blockedScan } = this;
    // The latest-called shower, and the latest-called one showing another value than it; the current value shows first.
    let bestCall = -Infinity;
    let bestValue = this.roles.valueOf(state);
    let secondCall = -Infinity;
    let secondValue = NONE;
    let n = 0;
    for (let e = head.next; e && n < WINDOW; e = e.next, n++) {
      const i = e.index;
      if (e.isCall) {
        const w = writes[i]!;
        if (w >= 0) {
          if (seen[w] !== scan) {
            seen[w] = scan;
            writerReturn[w] = e.op.ret;
          } else if (e.op.ret > writerReturn[w]!) writerReturn[w] = e.op.ret;
        }
        const v = needs[i]!;
        if (v < 0) continue;
        const since = bestValue !== v ? bestCall : secondValue >= 0 && secondValue !== v ? secondCall : NaN;
        if (Number.isNaN(since)) continue;
        blockedSince[i] = since;
        blockedScan[i] = scan;
        continue;
      }
      const v = needs[i]!;
      if (v >= 0 && blockedScan[i] === scan && this.optionalWriters[v] === 0 && !(seen[v] === scan && writerReturn[v]! >= blockedSince[i]!)) return true;
      const shown = shows[i]!;
      if (shown < 0) continue;
      const call = e.op.call;
      if (call > bestCall) {
        if (bestValue !== shown) {
          secondCall = bestCall;
          secondValue = bestValue;
        }
        bestCall = call;
        bestValue = shown;
      } else if (shown !== bestValue && call > secondCall) {
        secondCall = call;
        secondValue = shown;
      }
    }
    return false;
  }
}
