import type { CheckedWithSource } from '../expr/checked';
import type { Compiled } from '../expr/compile';
import { explain, witnessJson, witnessText, type Witness } from '../expr/explain';
import { ExprRuntimeError } from '../expr/values';
import type { EventKind } from '../sim/trace';
import { formatDuration } from '../units';
import type { Cause, InvariantDefinition, InvariantMonitor, RunEnd, ViolationReport, WorldView } from './invariant';
import { clockCauses } from './maxSkew';
import { bindingCause, FAULT_EVENT_KINDS, FaultHistory, optionCauses } from './protocolCauses';
import { readsOf, type Reads } from './formulaReads';
import { WorldReader } from './worldReader';

/** A written property (`invariant NAME: …`), checked and compiled. */
export interface FormulaSpec {
  readonly name: string;
  readonly kind: 'always' | 'never' | 'eventually' | 'whenever';
  readonly body: { readonly checked: CheckedWithSource; readonly compiled: Compiled };
  readonly trigger?: { readonly checked: CheckedWithSource; readonly compiled: Compiled };
  /** `within T` in ns (eventually, whenever). */
  readonly within?: number;
  /** The formula as written, for messages. */
  readonly text: string;
}

/**
 * The monitor of a written property, as an InvariantDefinition so the
 * simulator runs it like any built-in. It listens only to the event kinds
 * that can change what the formula reads (formulaReads.ts) and checks the
 * settled state once per step (InvariantMonitor.settle).
 *
 * - `always P` / `never P`: P (not P) after every relevant step; when P
 *   reads clocks or `now`, also between steps: clocks are linear there, and
 *   the first instant P fails is found by bisection (exact for properties
 *   that change at most once between two events, such as a comparison of a
 *   linear combination of clocks with a bound, or a spread max − min).
 * - `eventually within T P`: P must hold at some step in [0, T]; a run that
 *   ends before T without P is not decided (DS206, `?`).
 * - `whenever P then within T Q`: each time P becomes true (false → true,
 *   or true at the start), Q must hold at some step within T after it; the
 *   first instance that missed is reported, one still open at the end is
 *   not decided.
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

class FormulaMonitor implements InvariantMonitor {
  /** Only for formulas over protocol state: a handler that ran may have changed what they read. */
  readonly handled?: (node: number) => void;
  private readonly reader: WorldReader;
  private readonly faults: FaultHistory;
  /** Time and seq of the last settled step, and whether the property held there (always/never). */
  private t0 = 0;
  private seq0 = -1;
  private held = true;
  private satisfied = false;
  private evaluated = false;
  private triggerWas = false;
  private readonly pending: { time: number; seq: number; witness: Witness }[] = [];

  constructor(private readonly spec: FormulaSpec, private readonly reads: Reads, readonly kinds: readonly EventKind[], private readonly world: WorldView) {
    this.reader = new WorldReader(world, reads.protocolNames);
    this.faults = new FaultHistory(world);
    if (reads.time) this.reader.snapshotClocks(world.now());
    if (reads.protocols) this.handled = (node) => this.reader.touch(node);
  }

  onEvent(e: Parameters<NonNullable<InvariantMonitor['onEvent']>>[0]): undefined {
    this.faults.observe(e);
    if (e.node >= 0) this.reader.touch(e.node);
    return undefined;
  }

  settle(): ViolationReport | undefined {
    const now = this.world.now();
    const seq = this.world.lastSeq();
    const report = this.step(now, seq);
    this.t0 = now;
    this.seq0 = seq;
    if (this.reads.time) this.reader.snapshotClocks(now);
    return report;
  }

  atEnd(stop: RunEnd): ViolationReport | undefined {
    const spec = this.spec;
    const end = this.world.now();
    const seq = this.world.lastSeq();
    // An event budget may stop the run in the middle of an instant: only the instants before it are complete.
    const decided = stop.reason === 'max-events' || stop.reason === 'cancelled' ? end - 1 : end;
    if (spec.kind === 'always' || spec.kind === 'never') return this.held ? this.crossing(end, seq) : undefined;
    if (spec.kind === 'eventually') {
      if (this.satisfied) return undefined;
      if (decided >= spec.within!) return this.missedEventually(seq);
      return { message: `${spec.name} not decided: the run ended at t=${formatDuration(end)}, before the deadline t=${formatDuration(spec.within!)}, and ${spec.text.replace(/^eventually within \S+ /, '')} has not held yet; run longer to decide`, time: end, seq, causes: [], verdict: 'undecided' };
    }
    const open = this.pending[0];
    if (!open) return undefined;
    if (open.time + spec.within! <= decided) return this.missedResponse(open);
    return { message: `${spec.name} not decided: its trigger held at t=${formatDuration(open.time)} (${witnessText(open.witness)}) and the run ended at t=${formatDuration(end)}, before the deadline t=${formatDuration(open.time + spec.within!)}; run longer to decide`, time: end, seq, causes: [], verdict: 'undecided' };
  }

  private step(now: number, seq: number): ViolationReport | undefined {
    const spec = this.spec;
    // Nothing the formula reads changed in this step: its value is the one it had (see Reads.onlyState).
    const changed = this.reader.refreshTouched() || !this.reads.onlyState || !this.evaluated;
    this.evaluated = true;
    try {
      switch (spec.kind) {
        case 'always':
        case 'never': {
          const between = this.held && now > this.t0 ? this.crossing(now, seq) : undefined;
          if (between) return between;
          if (!changed) return undefined;
          this.held = this.holds(spec.body.compiled);
          return this.held ? undefined : this.violation(now, seq, spec.kind === 'always');
        }
        case 'eventually':
          if (this.satisfied) return undefined;
          if (now > spec.within!) return this.missedEventually(this.seq0);
          if (changed) this.satisfied = spec.body.compiled(this.reader) === true;
          return undefined;
        case 'whenever': {
          const open = this.pending[0];
          if (open && open.time + spec.within! < now) return this.missedResponse(open);
          if (!changed) return undefined;
          const trigger = spec.trigger!.compiled(this.reader) === true;
          const response = spec.body.compiled(this.reader) === true;
          if (response) this.pending.length = 0;
          if (trigger && !this.triggerWas && !response) this.pending.push({ time: now, seq, witness: explain(spec.trigger!.checked, this.reader, false) });
          this.triggerWas = trigger;
          return undefined;
        }
      }
    } catch (error) {
      if (!(error instanceof ExprRuntimeError)) throw error;
      return { message: `${spec.name} could not be evaluated at t=${formatDuration(now)}: ${error.message}`, time: now, seq, causes: [], verdict: 'error' };
    }
  }

  /** Whether `always P` (P true) or `never P` (P false) holds now. */
  private holds(compiled: Compiled): boolean {
    return (compiled(this.reader) === true) === (this.spec.kind === 'always');
  }

  /** Between the last step and `now`, clocks ran on their old lines: the first instant the property failed, if it did. */
  private crossing(now: number, seq: number): ViolationReport | undefined {
    if (!this.reads.time || now <= this.t0) return undefined;
    const reader = this.reader;
    const holdsAt = (t: number): boolean => {
      reader.at = t;
      return this.holds(this.spec.body.compiled);
    };
    reader.frozen = true;
    try {
      if (holdsAt(now)) return undefined;
      let lo = this.t0;
      let hi = now;
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (holdsAt(mid)) lo = mid;
        else hi = mid;
      }
      reader.at = hi;
      return this.violation(hi, hi < now ? this.seq0 : seq, this.spec.kind === 'always');
    } finally {
      reader.at = undefined;
      reader.frozen = false;
    }
  }

  private violation(time: number, seq: number, want: boolean): ViolationReport {
    const w = explain(this.spec.body.checked, this.reader, want);
    const text = witnessText(w);
    return {
      message: `${this.spec.name} violated at t=${formatDuration(time)}${text ? `: ${text}` : ''}`,
      time,
      seq,
      causes: this.causes(w),
      witness: witnessJson(w),
    };
  }

  private missedEventually(seq: number): ViolationReport {
    const w = explain(this.spec.body.checked, this.reader, true);
    const text = witnessText(w);
    const deadline = this.spec.within!;
    return {
      message: `${this.spec.name} violated: ${this.spec.text.replace(/^eventually within \S+ /, '')} did not hold by t=${formatDuration(deadline)}${text ? `; at the last check: ${text}` : ''}`,
      time: deadline,
      seq,
      causes: this.causes(w),
      witness: witnessJson(w),
    };
  }

  private missedResponse(open: { time: number; seq: number; witness: Witness }): ViolationReport {
    const deadline = open.time + this.spec.within!;
    return {
      message: `${this.spec.name} violated: the trigger held at t=${formatDuration(open.time)}${witnessText(open.witness) ? ` (${witnessText(open.witness)})` : ''} and the response did not follow within ${formatDuration(this.spec.within!)} (by t=${formatDuration(deadline)})`,
      time: deadline,
      seq: open.seq,
      causes: this.causes(open.witness),
      witness: witnessJson(open.witness),
    };
  }

  /** Faults that touched the nodes in the witness, their clocks' last changes, and their protocol bindings. */
  private causes(w: Witness): Cause[] {
    const model = this.world.model;
    const involved = [...new Set([...w.bindings.flatMap((b) => (typeof b.value === 'string' ? [b.value] : [])), ...w.nodes.map((n) => n.node)])]
      .map((name) => model.nodes.findIndex((n) => n.name === name))
      .filter((i) => i >= 0);
    const nodes = involved.length > 0 ? involved : undefined;
    const instances = model.protocols.map((p, i) => ({ p, i })).filter(({ p }) => this.reads.protocols && (!nodes || p.nodes.some((n) => nodes.includes(n))));
    // Faults on or between the members of the protocols involved (a crashed coordinator explains a blocked participant), else on the nodes.
    const causes = instances.length > 0 ? instances.flatMap(({ p }) => this.faults.causesAmong(p.nodes)) : [...this.faults.causes(nodes)];
    if (this.reads.clocks) causes.push(...clockCauses(this.world, involved.length > 0 ? involved : model.nodes.map((n) => n.index)));
    for (const { p, i } of instances) {
      // Bug switches and timing options as written (a fixed election timeout), and the binding itself.
      const keys = [...p.options.ranges.keys()].filter((k) => k === 'bugs' || k === 'heartbeat' || k.endsWith('timeout'));
      causes.push(...optionCauses(this.world, i, keys), bindingCause(this.world, i));
    }
    const seen = new Set<string>();
    return causes.filter((c) => !seen.has(c.message) && seen.add(c.message));
  }
}
