import type { Compiled } from './expr/compile';
import type { CheckedWithSource } from './expr/checked';
import type { SourceRange } from './source';
import type * as A from './syntax/ast';
import type { LatencyModel, ParsedOptions } from './check/options';
import type { ProtocolDefinition } from './protocols/protocol';

/**
 * The checked scenario without its invariants: what invariants themselves
 * may read (WorldView.model), so this layer sits below invariants/ and
 * model.ts, which adds them, sits above (no import cycle). Names resolved
 * to node indices, values converted to nanoseconds and fractions.
 */
export interface ScenarioModel {
  readonly name: string;
  readonly seed: number;
  readonly duration: number;
  readonly maxEvents: number | undefined;
  readonly nodes: readonly NodeModel[];
  readonly network: LinkParams;
  /** Per directed link `from * nodes.length + to`, overrides merged over the defaults. */
  readonly links: ReadonlyMap<number, LinkParams & { readonly range: SourceRange }>;
  readonly stimuli: readonly Stimulus[];
  readonly rules: readonly Rule[];
  readonly faults: readonly FaultModel[];
  readonly expectations: readonly Expectation[];
  readonly protocols: readonly ProtocolInstance[];
  readonly source: A.DsyncFile;
  /** `faults random { … }`: drawn per seed into ordinary faults (sim/randomFaults.ts). */
  readonly randomFaults?: readonly RandomFaultSpec[];
}

/** `crash 1 per 2s for 300ms`: `count` faults at random times in every `period`, each lasting `window` ns. */
export interface RandomFaultSpec {
  readonly kind: 'crash' | 'partition' | 'drop';
  readonly count: number;
  readonly period: number;
  readonly window: number;
  readonly range: SourceRange;
}

export interface NodeModel {
  readonly index: number;
  readonly name: string;
  readonly range: SourceRange;
  readonly clock: ClockModel;
}

export interface ClockModel {
  readonly offset: number;
  readonly driftPpm: number;
  /** Readings are rounded down to this granularity (0 = exact). */
  readonly resolution: number;
  readonly range?: SourceRange;
}

export interface LinkParams {
  readonly latency: LatencyModel;
  readonly loss: number;
  readonly duplicate: number;
}

export type MessageTarget = { readonly kind: 'node'; readonly node: number } | { readonly kind: 'everyone' } | { readonly kind: 'reply' };

export type ScriptAction =
  | { readonly kind: 'send'; readonly target: MessageTarget; readonly label: string; readonly range: SourceRange }
  | { readonly kind: 'local'; readonly label: string; readonly range: SourceRange }
  | { readonly kind: 'after'; readonly delay: number; readonly then: ScriptAction; readonly range: SourceRange };

/** `at`/`every`: fires when the node's own clock reads `start`, then every `period`. */
export interface Stimulus {
  readonly node: number;
  readonly start: number;
  readonly period: number | undefined;
  readonly stop: number | undefined;
  readonly action: ScriptAction;
  readonly range: SourceRange;
}

export interface Rule {
  readonly node: number;
  readonly label: string | undefined;
  readonly sender: number | undefined;
  readonly actions: readonly ScriptAction[];
  readonly range: SourceRange;
}

export type FaultModel = { readonly time: number; readonly range: SourceRange } & (
  | { readonly kind: 'partition'; readonly groups: readonly (readonly number[])[]; readonly until: number | undefined }
  | { readonly kind: 'heal' }
  | { readonly kind: 'crash' | 'restart'; readonly node: number }
  | { readonly kind: 'clock-jump'; readonly node: number; readonly amount: number }
  | { readonly kind: 'clock-drift'; readonly node: number; readonly ppm: number }
  | { readonly kind: 'drop'; readonly links: readonly (readonly [number, number])[]; readonly until: number | undefined }
  | { readonly kind: 'delay'; readonly links: readonly (readonly [number, number])[]; readonly extra: number; readonly until: number | undefined }
);

export interface Expectation {
  /** The condition, type-checked (bool) and compiled once. */
  readonly condition: CheckedWithSource;
  readonly compiled: Compiled;
  /** When the condition is one comparison `LEFT op RIGHT`: both sides, shown when it fails. */
  readonly sides?: { readonly left: Compiled; readonly right: Compiled };
  /** True time of the check; undefined means at the end of the run. */
  readonly at: number | undefined;
  /** Whether numbers on either side are times (for printing). */
  readonly isTime: boolean;
  readonly range: SourceRange;
  readonly text: string;
}

export interface ProtocolInstance {
  readonly definition: ProtocolDefinition;
  readonly nodes: readonly number[];
  readonly options: ParsedOptions;
  readonly range: SourceRange;
  /**
   * Instances this one exchanges messages with (a client and the store it
   * calls): a message reaching a node that does not run the sender's
   * instance goes to the node's instance paired with it, either way round.
   */
  readonly peers?: readonly number[];
}
