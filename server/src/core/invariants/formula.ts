import type { CheckedWithSource } from '../expr/checked';
import type { Compiled } from '../expr/compile';
import { explain } from '../expr/explain';
import { ExprRuntimeError, type Value } from '../expr/values';
import type { EventKind } from '../sim/trace';
import { formatDuration } from '../units';
import { FormulaReports, type TriggerInstance } from './formulaReports';
import type { InvariantDefinition, InvariantMonitor, RunEnd, ViolationReport, WorldView } from './invariant';
import { FAULT_EVENT_KINDS, FaultHistory } from './protocolCauses';
import { readsOf, type Reads } from './formulaReads';
import { evaluateTimed, nextFlip, NotSolvable, type Atom } from './timedExpr';
import { WorldReader } from './worldReader';
import type { FormulaSpec } from './formulaSpec';

/** A written property (`invariant NAME: …`), checked and compiled. */
export type { FormulaSpec } from './formulaSpec';

/**
 * The monitor of a written property, as an InvariantDefinition so the
 * simulator runs it like any built-in. It listens only to the event kinds
 * that can change what the formula reads (formulaReads.ts) and evaluates
 * the settled state once per step (InvariantMonitor.settle).
 *
 * Between two steps the state is fixed, but a formula that reads clocks or
 * `now` still changes value as time passes. Its value at each instant is
 * judged exactly: timedExpr.ts finds the first instant after the last one
 * judged at which a clock comparison in it flips (solved per clock piece on
 * the readings the nodes see), and the formula is evaluated there, and so on
 * up to the next step (InvariantMonitor.advance, called before each step
 * while the state is still the one judged). A violation found between two
 * events has no event: its seq is -1 and its time is the exact instant.
 *
 * - `always P` / `never P`: P (not P) at every instant.
 * - `eventually within T P`: P at some instant in [0, T]; a violation is
 *   reported at T with the state at T; a run that ends before T without P
 *   is not decided (DS206, `?`).
 * - `whenever P then within T Q`: each time P becomes true (false → true,
 *   or true at the start), Q at some instant within T after it; the first
 *   instance that missed is reported at its deadline with the instant and
 *   witness of its trigger; one still open at the end is not decided.
 */
export function formulaDefinition(spec: FormulaSpec): InvariantDefinition {
  const reads = readsOf([spec.body.checked, ...(spec.trigger ? [spec.trigger.checked] : [])]);
  // Computed once per scenario: exploration creates a monitor per schedule.
  const kinds: readonly EventKind[] = [...new Set([...reads.kinds, ...FAULT_EVENT_KINDS])];
  return {
    name: spec.name,
    summary: spec.text,
    example: `invariant ${spec.name}: ${spec.text}`,
    form: {},
    create: (_params, world) => new FormulaMonitor(spec, reads, kinds, world),
  };
}

/** Per evaluation, at most this many instants between two events at which a clock comparison flips. */
const MAX_FLIPS = 100_000;

class FormulaMonitor implements InvariantMonitor {
  /** Only for formulas over protocol state: a handler that ran may have changed what they read. */
  readonly handled?: (node: number) => void;
  /** Only for formulas that change between events or have deadlines. */
  readonly advance?: (to: number) => ViolationReport | undefined;
  private readonly reader: WorldReader;
  private readonly faults: FaultHistory;
  private readonly reports: FormulaReports;
  /** The formula reads clocks or `now`. */
  private readonly timed: boolean;
  /** Whether the timed evaluation can follow it (timedExpr.ts); else a bisection stands in. */
  private solvable = true;
  /** Every instant up to this one is judged, on the current state. */
  private checkedTo = -1;
  private evaluated = false;
  private satisfied = false;
  private triggerWas = false;
  /** `whenever`: the first trigger not answered yet (a response answers all). */
  private open: TriggerInstance | undefined;
  /** Timed formulas: the clock comparisons of the evaluation at `checkedTo`, and the next instant one flips (null: none). */
  private atoms: Atom[] = [];
  private flip: number | null | undefined;
  private flips = 0;

  constructor(private readonly spec: FormulaSpec, private readonly reads: Reads, readonly kinds: readonly EventKind[], private readonly world: WorldView) {
    this.reader = new WorldReader(world, reads.protocolNames);
    this.faults = new FaultHistory(world);
    this.reports = new FormulaReports(spec, reads, world, this.reader, this.faults);
    this.timed = reads.time;
    if (this.timed) this.reader.snapshotClocks();
    if (reads.protocols) this.handled = (node) => this.reader.touch(node);
    if (this.timed || spec.kind === 'eventually' || spec.kind === 'whenever') this.advance = (to) => this.judgeUpTo(to - 1);
  }

  onEvent(e: Parameters<NonNullable<InvariantMonitor['onEvent']>>[0]): undefined {
    this.faults.observe(e);
    if (e.node >= 0) this.reader.touch(e.node);
    return undefined;
  }

  settle(): ViolationReport | undefined {
    const now = this.world.now();
    const seq = this.world.lastSeq();
    // Instants before this step belong to the state before it (advance judged them; deadlines passed since).
    const before = this.judgeUpTo(now - 1);
    if (before) return before;
    // Nothing the formula reads changed in this step: its value is the one it had (see Reads.onlyState).
    const changed = this.reader.refreshTouched() || !this.reads.onlyState || !this.evaluated;
    this.evaluated = true;
    if (this.timed) this.reader.snapshotClocks();
    this.checkedTo = now;
    this.flip = undefined;
    this.flips = 0;
    return changed ? this.observe(now, seq) : undefined;
  }

  atEnd(stop: RunEnd): ViolationReport | undefined {
    const end = this.world.now();
    // An event budget may stop the run in the middle of an instant: only the instants before it are complete.
    const decided = stop.reason === 'max-events' || stop.reason === 'cancelled' ? end - 1 : end;
    const report = this.judgeUpTo(decided);
    if (report) return report;
    if (this.spec.kind === 'eventually' && !this.satisfied) return this.reports.eventuallyUndecided(end);
    if (this.spec.kind === 'whenever' && this.open) return this.reports.responseUndecided(this.open, end);
    return undefined;
  }

  /** The unmet deadline, if any: `eventually`'s T, or that of the open trigger. */
  private deadline(): number | undefined {
    if (this.spec.kind === 'eventually') return this.satisfied ? undefined : this.spec.within!;
    if (this.spec.kind === 'whenever' && this.open) return this.open.time + this.spec.within!;
    return undefined;
  }

  /** Judges every instant up to `to` on the current state: clock flips and deadlines, in time order. */
  private judgeUpTo(to: number): ViolationReport | undefined {
    for (;;) {
      let next: number | undefined;
      try {
        // A satisfied `eventually` has nothing left to judge.
        next = this.timed && to > this.checkedTo && !this.satisfied ? this.nextChange(to) : undefined;
      } catch (error) {
        // The bisection evaluates the formula (compiled) and may meet what observe() reports as DS205.
        if (!(error instanceof ExprRuntimeError)) throw error;
        return this.evaluationError(error, this.checkedTo + 1, -1);
      }
      const deadline = this.deadline();
      // Nothing changes from the last instant judged up to the deadline: it passed unmet.
      if (deadline !== undefined && deadline <= to && (next === undefined || deadline < next)) return this.missed(deadline);
      if (next === undefined) {
        if (to > this.checkedTo) this.checkedTo = to;
        return undefined;
      }
      this.checkedTo = next;
      this.flip = undefined;
      const report = this.observe(next, -1);
      if (report) return report;
    }
  }

  /** The first instant in (checkedTo, to] at which the formula's value may change, or undefined. */
  private nextChange(to: number): number | undefined {
    if (!this.solvable) return this.bisect(to);
    if (this.flip === undefined) {
      if (++this.flips > MAX_FLIPS) return undefined; // see docs: the rest of this interval is judged at its end only
      const found = nextFlip(this.atoms, this.reader.piece, this.checkedTo + 1, Math.max(to, this.world.model.duration));
      this.flip = found ?? null;
    }
    return this.flip !== null && this.flip <= to ? this.flip : undefined;
  }

  /**
   * Fallback for a formula the timed evaluation cannot follow: the value at
   * `to`; when it differs from the last one, the first instant it did,
   * found by bisection (exact when it changes once in between).
   */
  private bisect(to: number): number | undefined {
    const was = this.values(this.checkedTo);
    const differs = (t: number): boolean => this.values(t) !== was;
    if (!differs(to)) return undefined;
    let lo = this.checkedTo;
    let hi = to;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (differs(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** The values of trigger and body at t, as one key (for the bisection); a run-time error is a value too. */
  private values(t: number): string {
    try {
      const body = this.value(this.spec.body, t, []);
      return this.spec.trigger ? `${String(this.value(this.spec.trigger, t, []))}/${String(body)}` : String(body);
    } catch (error) {
      if (!(error instanceof ExprRuntimeError)) throw error;
      return `error: ${error.message}`;
    }
  }

  /**
   * The formula's value at instant t (the state now, clocks read at t).
   * Timed formulas record the clock comparisons the value depends on.
   */
  private value(x: { readonly checked: CheckedWithSource; readonly compiled: Compiled }, t: number, atoms: Atom[]): Value {
    if (!this.timed) return x.compiled(this.reader);
    this.reader.at = t;
    try {
      if (this.solvable) {
        try {
          const r = evaluateTimed(x.checked.checked, this.reader, this.reader.piece, t);
          atoms.push(...r.atoms);
          return r.value;
        } catch (error) {
          if (!(error instanceof NotSolvable)) throw error;
          this.solvable = false;
        }
      }
      return x.compiled(this.reader);
    } finally {
      this.reader.at = undefined;
    }
  }

  /** Evaluates at instant t (an event's, seq ≥ 0, or a clock flip's, seq -1) and steps the temporal form. */
  private observe(t: number, seq: number): ViolationReport | undefined {
    const spec = this.spec;
    const atoms: Atom[] = [];
    try {
      const body = this.value(spec.body, t, atoms) === true;
      switch (spec.kind) {
        case 'always':
        case 'never':
          this.atoms = atoms;
          return body === (spec.kind === 'always') ? undefined : this.at(t, () => this.reports.violation(t, seq, spec.kind === 'always'));
        case 'eventually':
          this.atoms = atoms;
          if (body) this.satisfied = true;
          return undefined;
        case 'whenever': {
          const trigger = this.value(spec.trigger!, t, atoms) === true;
          this.atoms = atoms;
          if (body) this.open = undefined;
          if (trigger && !this.triggerWas && !body && !this.open) this.open = { time: t, seq, witness: this.at(t, () => explain(spec.trigger!.checked, this.reader, false)) };
          this.triggerWas = trigger;
          return undefined;
        }
      }
    } catch (error) {
      if (!(error instanceof ExprRuntimeError)) throw error;
      return this.evaluationError(error, t, seq);
    }
  }

  /** DS205, located at the part of the formula that failed (an overflow, a missing key, a quantifier over its step budget). */
  private evaluationError(error: ExprRuntimeError, t: number, seq: number): ViolationReport {
    const causes = error.range ? [{ message: `here: ${error.message.split(':')[0]}`, range: error.range }] : [];
    return { message: `${this.spec.name} could not be evaluated at t=${formatDuration(t)}: ${error.message}`, time: t, seq, causes, verdict: 'error' };
  }

  /** A deadline passed unmet; the witness is the state at the deadline. */
  private missed(deadline: number): ViolationReport {
    if (this.spec.kind === 'eventually') return this.at(deadline, () => this.reports.missedEventually());
    return this.reports.missedResponse(this.open!);
  }

  /** Runs f with clocks read at t. */
  private at<T>(t: number, f: () => T): T {
    if (!this.timed) return f();
    this.reader.at = t;
    try {
      return f();
    } finally {
      this.reader.at = undefined;
    }
  }
}
