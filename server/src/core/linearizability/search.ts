import type { Operation, SequentialModel } from './history';
import { ConfigurationCache } from './memo';
import { buildEntries, lift, unlift, type Entry } from './entries';
import { RegisterLookahead } from './lookahead';

/**
 * The Wing–Gong search with Lowe's memoization over one independent
 * sub-history (a partition, e.g. one key), as Porcupine does it, made
 * resumable: `advance(n)` runs at most n steps and returns, so the checker
 * can interleave partitions (checker.ts).
 *
 * The operations that returned become a list of call and return entries in
 * time order (calls before returns at equal times, so operations that touch
 * at one instant count as concurrent). The search repeatedly picks a call it
 * can linearize next — one before the first remaining return, whose
 * operation the sequential model allows in the current state — lifts the
 * call and its return out of the list (undone by putting them back), and
 * goes on; reaching the first return while no candidate works means every
 * choice so far is wrong, so it backtracks. The cache of configurations
 * already explored (memo.ts) cuts the search from factorial to, for
 * practical histories, near linear.
 *
 * Operations that never returned (`ret = Infinity`: a crashed client, a
 * timeout) may take effect at any point after their call, or not at all.
 * They are kept out of that list, in a list of their own by call time, and
 * are tried at each point only after every operation that did return:
 * so the search first explores the orders in which they have not (yet)
 * taken effect, and the cache's subsumption rule (memo.ts) then cuts off
 * every configuration that only adds some of them to a failed one with the
 * same state, the many ways a write of unknown outcome "may have happened"
 * and been overwritten since. The search succeeds once every operation that
 * returned is placed; those that never did and are not placed did not take
 * effect (or took effect last: the witness order lists the ones the model
 * allows there).
 *
 * One more cut keeps concurrent reads from blowing up the search (each
 * subset of them would otherwise be a state of its own): a read-only
 * operation that may be called now (no remaining operation returned before
 * its call) and is allowed in the current state is linearized at once, and
 * never tried elsewhere. That loses nothing: in any linearization of the
 * rest it can be moved to the front, since it changes no state and nothing
 * must precede it. A read that never returned is left out (it changes
 * nothing, and need not take effect). The model says what is read-only
 * (SequentialModel.isReadOnly): for a register, also a compare-and-set that
 * returned false.
 *
 * For register-like models (SequentialModel.registerRoles) each new
 * configuration is first checked by the lookahead (lookahead.ts): an order
 * that can no longer serve a read still to come is dropped at once.
 */
export type SearchStatus = 'running' | 'ok' | 'violation';


/**
 * A placed operation, and what undoing it restores. `forced`: a read placed
 * greedily; backtracking goes past it without trying alternatives.
 * `limit`: for an operation of unknown outcome, the first remaining return
 * when it was placed (the candidates after it must be called before that).
 */
interface Frame<S, I, O> {
  readonly entry: Entry<I, O>;
  readonly state: S;
  readonly forced: boolean;
  readonly cached: number;
  readonly limit: Entry<I, O> | undefined;
}

export class PartitionSearch<S, I, O, Op extends Operation<I, O> = Operation<I, O>> {
  status: SearchStatus = 'running';
  steps = 0;
  /** On 'ok', the witness order; on 'violation', the order that got furthest (see `culprit`). */
  order: Op[] = [];
  /**
   * On 'violation': the operation whose return no order gets past — of the
   * first remaining returns of the configurations the search reached (where
   * it got stuck, or where the lookahead dropped the order), the latest. Every order must linearize
   * all operations that returned before it and none can, while some order
   * linearizes everything that returned earlier: so the history cut just
   * before this return is linearizable. (Cut just after it, it usually is
   * not; operations still running at that cut have unknown results there,
   * which can explain more, see history/analyze.ts.)
   */
  culprit: Op | undefined;

  /** The calls and returns of operations that returned. */
  private readonly head: Entry<I, O>;
  /** The calls of operations of unknown outcome (no return entry). */
  private readonly optionalHead: Entry<I, O>;
  private readonly cache: ConfigurationCache<S>;
  private readonly calls: Frame<S, I, O>[] = [];
  private state: S;
  /** The next candidate to try, in the list of returned operations, or (when `limit` is set) among the optional ones. */
  private entry: Entry<I, O> | undefined;
  /** While trying optional operations: the first remaining return, which they must be called before. */
  private limit: Entry<I, O> | undefined;
  private fresh = true;
  /** Operations the model proves no order can place (SequentialModel.impossible). */
  private readonly impossible: ReadonlySet<number> | undefined;
  private readonly lookahead: RegisterLookahead<S, I, O> | undefined;
  private readonly twinBefore: Int32Array;
  /** Per operation of unknown outcome: the first of its twins (its own index when it has none); orders optional operations in `justified`. */
  private readonly twinClass: Int32Array;
  /** The latest return any explored order got stuck at (see `culprit`). */
  private frontier = -Infinity;

  constructor(
    private readonly model: SequentialModel<S, I, O>,
    readonly ops: readonly Op[],
  ) {
    const optional = ops.map((op) => op.ret === Infinity);
    this.head = buildEntries(ops, (op) => op.ret !== Infinity);
    this.optionalHead = buildEntries(ops, (op) => op.ret === Infinity && !model.isReadOnly?.(op.input, op.output));
    this.cache = new ConfigurationCache(
      optional,
      ops.map((op) => op.call),
      (s) => model.hashState(s), (a, b) => model.sameState(a, b));
    this.state = model.init();
    this.impossible = model.impossible?.(ops);
    this.lookahead = model.registerRoles ? new RegisterLookahead(model.registerRoles, ops, this.impossible) : undefined;
    this.twinBefore = twinsOf(model, ops);
    this.twinClass = new Int32Array(ops.length);
    for (let i = 0; i < ops.length; i++) {
      let first = i;
      while (this.twinBefore[first]! >= 0) first = this.twinBefore[first]!;
      this.twinClass[i] = first;
    }
    if (!this.head.next) this.succeed();
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
        if (this.placeReads() === 'dead') {
          this.backtrack();
          continue;
        }
        if (head.next === undefined) {
          this.succeed();
          break;
        }
        if (this.lookahead?.dead(head, this.state)) {
          let first = head.next;
          while (first.isCall) first = first.next!;
          this.reached(first);
          this.backtrack();
          continue;
        }
        this.entry = head.next;
        this.limit = undefined;
      }
      const entry = this.entry;
      if (this.limit === undefined) {
        if (!entry!.isCall) {
          // The first remaining return: the operations of unknown outcome called before it are the last candidates.
          this.limit = entry;
          this.entry = this.optionalHead.next;
          continue;
        }
        const next = model.step(this.state, entry!.op.input, entry!.op.output);
        if (next !== undefined && this.justified(entry!, next) && this.place(entry!, next, false)) this.fresh = true;
        else this.entry = entry!.next;
        continue;
      }
      if (entry === undefined || entry.time > this.limit.time) {
        // No candidate left before a return whose operation is still unplaced: every order chosen so far fails.
        this.reached(this.limit);
        if (this.impossible?.has(this.limit.index)) {
          // No order places it (the model's proof), so no order gets further than this one.
          this.culprit = this.limit.op as Op;
          this.order = this.calls.map((c) => c.entry.op as Op);
          this.status = 'violation';
          break;
        }
        this.backtrack();
        continue;
      }
      const twin = this.twinBefore[entry.index]!;
      if (twin >= 0 && !this.cache.has(twin)) {
        this.entry = entry.next; // its twin goes first (see twinsOf)
        continue;
      }
      const next = model.step(this.state, entry.op.input, entry.op.output);
      if (next !== undefined && this.justified(entry, next) && this.observable(entry, next) && this.place(entry, next, false)) this.fresh = true;
      else this.entry = entry.next;
    }
    return this.status;
  }

  /**
   * The order so far linearizes every operation that returned before
   * `firstReturn` (the first remaining return), so the history cut just
   * before it is linearizable: the latest such return is the culprit.
   */
  private reached(firstReturn: Entry<I, O>): void {
    if (this.culprit !== undefined && firstReturn.time <= this.frontier) return;
    this.frontier = firstReturn.time;
    this.culprit = firstReturn.op as Op;
    this.order = this.calls.map((c) => c.entry.op as Op);
  }

  /**
   * The just-in-time rule for operations of unknown outcome: an optional
   * operation p placed in the order must be followed at once by an
   * operation c that depends on it, i.e. c can follow p (state `viaP`) and
   *  - c does not absorb p: c alone from the state before p does not give
   *    the same state (else p may as well not take effect), and
   *  - c does not commute with p: c then p does not give the same state
   *    (else c may go first, p after it), except when c is optional too and
   *    not of a smaller twin class than p (a fixed order between optional
   *    operations, so that swapping them cannot go round in circles).
   * Complete: in any linearization, take the last optional operation that
   * breaks the rule and drop it (nothing follows it, or what follows
   * absorbs it) or swap it one step later (what follows commutes with it;
   * an operation that never returned may move later past anything). Each
   * such step lowers (number of returned operations after optional ones,
   * then inversions of twin class among optional ones), so it ends, in an
   * order that keeps the rule and is still a linearization; renaming twins
   * (twinsOf) keeps it too, as twins share their class. The reads placed
   * greedily right after p (placeReads) were not allowed before p (or they
   * would have been placed before it), so they depend on p.
   *
   * So when the last operation placed is optional (no greedy read after
   * it), only candidates that depend on it are tried. Such a restricted
   * configuration is not recorded in the cache (see `place`).
   */
  private justified(c: Entry<I, O>, viaP: S): boolean {
    const top = this.calls[this.calls.length - 1];
    if (top === undefined || top.entry.op.ret !== Infinity) return true;
    return this.depends(top.entry, top.state, c, viaP);
  }

  /** Whether `c` depends on the optional `p` placed from state `before` (see `justified`); `viaP` is the state after p then c. */
  private depends(p: Entry<I, O>, before: S, c: Entry<I, O>, viaP: S): boolean {
    const { model } = this;
    const alone = model.step(before, c.op.input, c.op.output);
    if (alone === undefined) return true;
    if (model.sameState(alone, viaP)) return false;
    const swapped = model.step(alone, p.op.input, p.op.output);
    if (swapped === undefined || !model.sameState(swapped, viaP)) return true;
    return c.op.ret === Infinity && this.twinClass[c.index]! >= this.twinClass[p.index]!;
  }

  /**
   * Whether placing the optional operation `p` now (leading to state
   * `after`) can lead anywhere: only if some candidate could follow it and
   * depends on it (`justified`). Saves placing it for nothing.
   */
  private observable(p: Entry<I, O>, after: S): boolean {
    const { model, state } = this;
    const follows = (c: Entry<I, O>): boolean => {
      const viaP = model.step(after, c.op.input, c.op.output);
      return viaP !== undefined && this.depends(p, state, c, viaP);
    };
    for (let c = this.head.next; c && c.isCall; c = c.next) if (follows(c)) return true;
    for (let c = this.optionalHead.next; c && c.time <= this.limit!.time; c = c.next) if (c !== p && follows(c)) return true;
    return false;
  }

  /** Every operation that returned is placed: the witness is the order so far, then the optional operations the model allows last. */
  private succeed(): void {
    this.status = 'ok';
    this.order = this.calls.map((c) => c.entry.op as Op);
    let state = this.state;
    for (const [index, op] of this.ops.entries()) {
      if (op.ret !== Infinity || this.cache.has(index)) continue;
      const next = this.model.step(state, op.input, op.output);
      if (next === undefined) continue;
      state = next;
      this.order.push(op);
    }
  }

  /**
   * Linearizes `e` (it leaves its list) if the configuration it leads to is
   * new. After an optional operation the next step is restricted
   * (`justified`), so that configuration is only looked up, not recorded:
   * a failure found under the restriction says nothing of the same
   * configuration reached otherwise, while one found without it holds here.
   */
  private place(e: Entry<I, O>, next: S, forced: boolean): boolean {
    this.cache.flip(e.index);
    let cached = -1;
    if (e.op.ret === Infinity ? this.cache.known(next) : (cached = this.cache.add(next)) < 0) {
      this.cache.flip(e.index);
      return false;
    }
    this.calls.push({ entry: e, state: this.state, forced, cached, limit: this.limit });
    this.state = next;
    if (e.op.ret === Infinity) this.lookahead?.optionalPlaced(e.index, true);
    lift(e);
    return true;
  }

  private undo(frame: Frame<S, I, O>): void {
    this.state = frame.state;
    this.cache.flip(frame.entry.index);
    if (frame.cached >= 0) this.cache.finish(frame.cached);
    if (frame.entry.op.ret === Infinity) this.lookahead?.optionalPlaced(frame.entry.index, false);
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
    this.limit = undefined;
    for (let e = head.next; e && e.isCall; ) {
      const next = model.isReadOnly(e.op.input, e.op.output) ? model.step(this.state, e.op.input, e.op.output) : undefined;
      if (next !== undefined) {
        if (!this.place(e, next, true)) return 'dead';
        e = head.next;
      } else {
        e = e.next;
      }
    }
    return 'ok';
  }

  /** Undoes the greedy reads and the last real choice; the candidate after that choice is tried next. No choice left: a violation. */
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
    this.limit = top.limit;
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
