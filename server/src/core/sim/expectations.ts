import { ExprRuntimeError, type Value } from '../expr/values';
import { WorldReader } from '../invariants/worldReader';
import type { Expectation } from '../model';
import type { WorldView } from '../invariants/invariant';

export interface ExpectationOutcome {
  readonly passed: boolean;
  /** For a comparison `LEFT op RIGHT`, both sides; otherwise the condition's value as `left`. */
  readonly left: Value | undefined;
  readonly right: Value | undefined;
  /** True time of the evaluation. */
  readonly time: number;
  /** Why the condition could not be evaluated (integer overflow, division by zero, …). */
  readonly error?: string;
}

/** Evaluates `expect …` against the simulation's state now. */
export function evaluateExpectation(e: Expectation, sim: WorldView): ExpectationOutcome {
  const reader = new WorldReader(sim);
  const time = sim.now();
  try {
    const passed = e.compiled(reader) === true;
    if (e.sides) return { passed, left: e.sides.left(reader), right: e.sides.right(reader), time };
    return { passed, left: passed, right: undefined, time };
  } catch (error) {
    if (!(error instanceof ExprRuntimeError)) throw error;
    return { passed: false, left: undefined, right: undefined, time, error: error.message };
  }
}
