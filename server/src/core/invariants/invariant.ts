import type { Comparator, Value } from '../syntax/ast';
import type { ScenarioModel } from '../scenarioModel';
import type { Mix, PropertyValue, StateReport } from '../protocols/protocol';
import { valuesEqual } from '../protocols/values';
import type { LocalClock } from '../sim/clock';
import type { EventKind, TraceEvent, ViolationWitness } from '../sim/trace';
import type { SourceRange } from '../source';
import { formatDuration } from '../units';

/**
 * The contract every invariant implements (one invariant per file). The
 * checker validates the written form against `form`; the simulator creates a
 * monitor per run, feeds it every event after the event took effect, and
 * keeps the first violation each monitor reports.
 */
export interface InvariantDefinition {
  readonly name: string;
  readonly summary: string;
  /** How it is written, for docs and completion: `max_skew < 10ms`. */
  readonly example: string;
  readonly form: InvariantForm;
  /**
   * The protocol state it reads (any of these kinds, see STATE_REPORTS);
   * absent for invariants over clocks and messages, which every scenario
   * has. When no bound protocol reports any of them the checker warns (DS139).
   */
  readonly watches?: readonly StateReport[];
  create(params: InvariantParams, world: WorldView): InvariantMonitor;
}

export interface InvariantForm {
  /** What the bound after the comparator is; absent: the invariant takes no comparison. */
  readonly bound?: 'duration' | 'number';
  readonly comparators?: readonly Comparator[];
  readonly within?: 'none' | 'optional' | 'required';
  /** Arguments in parentheses: node names, protocol names, … */
  readonly args?: {
    readonly min: number;
    readonly max: number;
    readonly kind: 'node' | 'name' | 'number' | 'duration';
    /** For kind 'name': the names allowed, e.g. ['kv'] for `linearizable(kv)`. */
    readonly choices?: readonly string[];
  };
}

export interface InvariantParams {
  readonly args: readonly Value[];
  /** Node indices when `form.args.kind` is 'node'. */
  readonly nodeArgs: readonly number[];
  readonly within: number | undefined;
  readonly comparator: Comparator | undefined;
  readonly bound: number | undefined;
  readonly range: SourceRange;
}

export interface Cause {
  readonly message: string;
  readonly range: SourceRange;
}

export interface ViolationReport {
  readonly message: string;
  readonly time: number;
  readonly seq: number;
  readonly causes: readonly Cause[];
  /** A written property's witness: its quantifier bindings and the values it read (for `--json`). */
  readonly witness?: ViolationWitness;
  /** 'undecided' (DS206, shown as `?`): an `eventually`/`whenever` whose deadline lies past the end of the run, or an end-of-run judgement on a run that stopped early (notDecidedEarly). */
  readonly verdict?: 'undecided' | 'error';
}

export interface InvariantMonitor {
  /**
   * The kinds of event `onEvent` looks at; absent: every kind. The simulator
   * calls it for these only, so a monitor that reads a few kinds costs
   * nothing on the others (most events are sends and receives).
   */
  readonly kinds?: readonly EventKind[];
  /**
   * Set when the monitor keeps `event.vc` of an event other than a send
   * after `onEvent` returns. Such an event's `vc` is otherwise the node's
   * live vector clock: right during the call, changed later (copying it for
   * every event cost the engine more than the copy a few monitors need). A
   * send's `vc` is always its message's own clock, never changed, so a
   * monitor that keeps only sends' clocks (causal_delivery) does not set this.
   */
  readonly keepsEventClocks?: boolean;
  onEvent?(event: TraceEvent): ViolationReport | undefined;
  /**
   * Called once after each step (one message delivery, timer, fault, with
   * the handlers it ran) in which `onEvent` saw an event, and once after the
   * protocols started: the state is then settled, as a handler that changes
   * state runs after the event that triggered it is shown. Properties over
   * state (`invariant NAME: always …`) are checked here.
   */
  settle?(): ViolationReport | undefined;
  /**
   * A protocol handler of the node ran (a message or a timer) in this step.
   * Monitors of protocol state learn which nodes may have changed this way
   * instead of reading receive and timer events, which a run that does not
   * record then never has to build. A monitor with `handled` is settled after
   * the step too.
   */
  handled?(node: number): void;
  /**
   * True time is about to move to `to` (the next entry of the event queue):
   * every instant before `to` is final, and nothing the monitor reads has
   * changed since it was last settled. Monitors of properties that can
   * change between events (clocks, `now`) or that have deadlines judge the
   * instants up to `to − 1` here, on the state they belong to.
   */
  advance?(to: number): ViolationReport | undefined;
  /**
   * The run is over. A monitor whose verdict needs the whole run (a message
   * never consumed, clocks that stay together until the end, a history with
   * no linearization) must not judge a run that stopped early (`end.complete`
   * false): it reports `notDecidedEarly` instead of passing or failing on
   * what is only a prefix. Violations already certain on the prefix stand.
   */
  atEnd?(end: RunEnd): ViolationReport | undefined;
}

/** How a run ended (see InvariantMonitor.atEnd). */
export interface RunEnd {
  /** It reached the scenario's end; false after an `until` before that end, an event budget, or a cancel. */
  readonly complete: boolean;
  readonly reason: 'end' | 'until' | 'max-events' | 'cancelled';
}

/** The common verdict of an end-of-run judgement on a run that stopped early: not decided (DS206, `?`). */
export function notDecidedEarly(world: WorldView, end: RunEnd, what: string): ViolationReport {
  const stop = end.reason === 'until' ? `stopped at t=${formatDuration(world.now())} (until), before the scenario's end at t=${formatDuration(world.model.duration)}` : end.reason === 'max-events' ? `stopped at t=${formatDuration(world.now())} when its event budget ran out` : `was cancelled at t=${formatDuration(world.now())}`;
  return { message: `not decided: the run ${stop}, and ${what}; run to the scenario's end to decide`, time: world.now(), seq: world.lastSeq(), causes: [], verdict: 'undecided' };
}

/** What monitors may look at: a read-only view of the running simulation. */
export interface WorldView {
  readonly model: ScenarioModel;
  now(): number;
  isAlive(node: number): boolean;
  clock(node: number): LocalClock;
  lamport(node: number): number;
  vc(node: number): Int32Array;
  inspect(node: number): Readonly<Record<string, PropertyValue>>;
  /** One protocol property of the node (ProtocolNode.read), undefined when no protocol it runs has it. */
  property(node: number, name: string): PropertyValue | undefined;
  /** Feeds the node's protocol state to `mix` (see ProtocolNode.fingerprint); nothing for a node that is down. */
  fingerprint(node: number, mix: Mix): void;
  /** The recorded event with this seq, when the run records events. */
  event(seq: number): TraceEvent | undefined;
  /** Seq of the last event processed so far. */
  lastSeq(): number;
  /** The last fault or protocol adjustment that changed the node's clock. */
  lastClockChange(node: number): Cause | undefined;
  /** The node's message and crash counters and hybrid clock (for properties such as `A.sent("ping")`). */
  counters(node: number): NodeCounters;
}

export interface NodeCounters {
  readonly sent: number;
  readonly received: number;
  readonly crashes: number;
  readonly sentByLabel: ReadonlyMap<string, number>;
  readonly receivedByLabel: ReadonlyMap<string, number>;
  readonly hlc: { readonly l: number; readonly c: number };
}

/**
 * `a op b`. Equality is exact and structural (valuesEqual): two logs are
 * equal when every entry is. The ordered comparators are for numbers (ints
 * and times); the checker allows them on nothing else (DS133), and on
 * anything else they are false.
 */
export function compare(a: number, op: Comparator, b: number): boolean;
export function compare(a: PropertyValue, op: Comparator, b: PropertyValue): boolean;
export function compare(a: PropertyValue, op: Comparator, b: PropertyValue): boolean {
  if (op === '==') return valuesEqual(a, b);
  if (op === '!=') return !valuesEqual(a, b);
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}
