import type { InvariantDefinition, InvariantParams } from './invariants/invariant';
import type { SourceRange } from './source';
import type { ScenarioModel } from './scenarioModel';

export type * from './scenarioModel';

/**
 * The checked scenario: names resolved to node indices, values converted to
 * nanoseconds and fractions. The checker builds it only from an error-free
 * file; the simulator reads nothing else. Everything but the invariants
 * lives in scenarioModel.ts, the layer invariants read.
 */
export interface Model extends ScenarioModel {
  readonly invariants: readonly InvariantInstance[];
}

export interface InvariantInstance {
  readonly definition: InvariantDefinition;
  readonly params: InvariantParams;
  readonly range: SourceRange;
  /** The text as written, e.g. `max_skew < 10ms`. */
  readonly text: string;
}
