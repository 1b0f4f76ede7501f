import { explain, witnessJson, witnessText, type Witness } from '../expr/explain';
import { formatDuration } from '../units';
import type { FormulaSpec } from './formulaSpec';
import type { Reads } from './formulaReads';
import type { Cause, ViolationReport, WorldView } from './invariant';
import { clockCauses } from './maxSkew';
import { bindingCause, FaultHistory, optionCauses } from './protocolCauses';
import type { WorldReader } from './worldReader';

/** A time the trigger of `whenever P then within T Q` became true with no response yet. */
export interface TriggerInstance {
  readonly time: number;
  /** The event that made it true; -1 when it became true between events (a clock crossing). */
  readonly seq: number;
  readonly witness: Witness;
}

/**
 * What a written property's violation says: the witness (explain.ts, on
 * the state the reader shows, at the instant its `at` is set to), the
 * deadline missed, and the causes.
 */
export class FormulaReports {
  constructor(
    private readonly spec: FormulaSpec,
    private readonly reads: Reads,
    private readonly world: WorldView,
    private readonly reader: WorldReader,
    private readonly faults: FaultHistory,
  ) {}

  /** `always P` false (want true) or `never P` true (want false) at `time`. */
  violation(time: number, seq: number, want: boolean): ViolationReport {
    const w = explain(this.spec.body.checked, this.reader, want);
    const text = witnessText(w);
    return { message: `${this.spec.name} violated at t=${formatDuration(time)}${text ? `: ${text}` : ''}`, time, seq, causes: this.causes(w), witness: witnessJson(w) };
  }

  /** `eventually within T P`: T passed without P; the witness is the state at T. */
  missedEventually(): ViolationReport {
    const w = explain(this.spec.body.checked, this.reader, true);
    const text = witnessText(w);
    const deadline = this.spec.within!;
    return {
      message: `${this.spec.name} violated: ${this.response()} did not hold by t=${formatDuration(deadline)}${text ? `; at t=${formatDuration(deadline)}: ${text}` : ''}`,
      time: deadline,
      seq: -1,
      causes: this.causes(w),
      witness: witnessJson(w),
    };
  }

  /** `whenever P then within T Q`: the first trigger not answered by its deadline. */
  missedResponse(open: TriggerInstance): ViolationReport {
    const deadline = open.time + this.spec.within!;
    const text = witnessText(open.witness);
    return {
      message: `${this.spec.name} violated: the trigger held at t=${formatDuration(open.time)}${text ? ` (${text})` : ''} and the response did not follow within ${formatDuration(this.spec.within!)} (by t=${formatDuration(deadline)})`,
      time: deadline,
      seq: open.seq,
      causes: this.causes(open.witness),
      witness: witnessJson(open.witness),
    };
  }

  /** A deadline past the end of the run (DS206). */
  eventuallyUndecided(end: number): ViolationReport {
    return { message: `${this.spec.name} not decided: the run ended at t=${formatDuration(end)}, before the deadline t=${formatDuration(this.spec.within!)}, and ${this.response()} has not held yet; run longer to decide`, time: end, seq: this.world.lastSeq(), causes: [], verdict: 'undecided' };
  }

  responseUndecided(open: TriggerInstance, end: number): ViolationReport {
    return { message: `${this.spec.name} not decided: its trigger held at t=${formatDuration(open.time)} (${witnessText(open.witness)}) and the run ended at t=${formatDuration(end)}, before the deadline t=${formatDuration(open.time + this.spec.within!)}; run longer to decide`, time: end, seq: this.world.lastSeq(), causes: [], verdict: 'undecided' };
  }

  /** The part after `eventually within T`. */
  private response(): string {
    return this.spec.text.replace(/^eventually within \S+ /, '');
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
      // A written protocol's bug switch is a bool option named bug_… (samples/protocols/): a cause when set to true.
      const bugSwitch = (k: string): boolean => k === 'bugs' || (k.startsWith('bug_') && p.options.values.get(k) === true);
      const keys = [...p.options.ranges.keys()].filter((k) => bugSwitch(k) || k === 'heartbeat' || k.endsWith('timeout'));
      causes.push(...optionCauses(this.world, i, keys), bindingCause(this.world, i));
    }
    const seen = new Set<string>();
    return causes.filter((c) => !seen.has(c.message) && seen.add(c.message));
  }
}
