import { check } from '../check/checker';
import type { Model } from '../model';
import { Simulation } from '../sim/engine';
import { failedExpectations } from '../sim/result';
import type { Violation } from '../sim/trace';
import { NO_RANGE } from '../source';
import { parse } from '../syntax/parse';
import { formatDuration } from '../units';
import { CoverageObserver, type Counters } from './coverage';

/**
 * The seed schedule: run `index` of an exploration from base seed `base`
 * uses seed `base + index`, so a reported seed is a plain number that
 * `dsync run FILE --seed S` takes, and run 0 is the scenario's own seed
 * when the base is. Seeds stay below 2^53.
 */
export function seedAt(base: number, index: number): number {
  return (base + index) % Number.MAX_SAFE_INTEGER;
}

/** What one explored run reports (small: workers post it to the coordinator). */
export interface RunRecord {
  readonly index: number;
  readonly seed: number;
  readonly events: number;
  /** What failed in the run, if anything (`runFailure`). */
  readonly failure?: Pick<Violation, 'code' | 'invariant' | 'message' | 'time'>;
  /** Nothing failed, but an expectation was not evaluated (the run hit its event budget first). */
  readonly undecided?: true;
  readonly newStates: number[];
  readonly counters: Counters;
}

/** Checks a scenario for exploration; a message instead of a model when it has errors. */
export function modelFor(text: string): Model | string {
  const checked = check(parse(text), text);
  if (checked.model) return checked.model;
  const first = checked.diagnostics.find((d) => d.severity === 'error');
  return first ? `${first.range.startLine}:${first.range.startColumn}: ${first.code} ${first.message}` : 'the scenario has errors';
}

/**
 * Runs seeds of one scenario without recording events (only violations
 * are kept). One runner per worker: its coverage observer remembers the
 * states it saw, so `newStates` of a record are the states first seen in
 * that run by this runner.
 */
export class SeedRunner {
  private readonly observer = new CoverageObserver();
  private readonly model: Model;

  constructor(model: Model, readonly baseSeed: number) {
    this.model = this.observer.instrument(model);
  }

  run(index: number): RunRecord {
    const seed = seedAt(this.baseSeed, index);
    // To the end even after a violation: the run's events and states count in the coverage.
    const { sim, failure: v } = runFailure(() => new Simulation(this.model, { seed, record: false }), () => true, false);
    const coverage = this.observer.takeRun();
    const undecided = !v && sim !== undefined && (sim.expectationOutcomes.some((o) => o === undefined) || sim.violations.some((x) => x.code === 'DS206'));
    return {
      index,
      seed,
      events: sim?.eventCount ?? 0,
      ...(v ? { failure: { code: v.code, invariant: v.invariant, message: v.message, time: v.time } } : {}),
      ...(undecided ? { undecided: true as const } : {}),
      newStates: coverage.newStates,
      counters: coverage.counters,
    };
  }
}

/** The `invariant` of a DS204 failure: the simulation itself failed. */
export const SIMULATION_FAILED = 'the simulation';

/**
 * Starts and runs a simulation and says what failed, the one rule
 * exploration and shrinking share: the first invariant violation `wanted`
 * accepts, else the first failed expectation it accepts, else, when the
 * simulation throws (starting or running), a DS204 violation named
 * SIMULATION_FAILED: a run-time error is a failure too, not a crash of the
 * explorer. With `stopAtViolation`, stops as soon as a wanted invariant
 * violation shows; expectations need the run to its end. `sim` is
 * undefined when it could not even start.
 */
export function runFailure(start: () => Simulation, wanted: (invariant: string) => boolean, stopAtViolation = true): { sim: Simulation | undefined; failure: Violation | undefined } {
  let sim: Simulation | undefined;
  // A written property not decided by the end of the run (DS206) is no failure.
  const violated = (): Violation | undefined => sim?.violations.find((v) => v.code !== 'DS206' && wanted(v.invariant));
  try {
    sim = start();
    for (let done = false; !done; ) {
      done = sim.step(2048);
      if (stopAtViolation && violated()) return { sim, failure: violated() };
    }
  } catch (error) {
    const earlier = violated();
    if (earlier || !wanted(SIMULATION_FAILED)) return { sim, failure: earlier };
    const time = sim?.now() ?? 0;
    const message = `the simulation failed at t=${formatDuration(time)}: ${error instanceof Error ? error.message : String(error)}`;
    return { sim, failure: { invariant: SIMULATION_FAILED, code: 'DS204', message, time, seq: sim?.lastSeq() ?? -1, range: NO_RANGE, causes: [] } };
  }
  return { sim, failure: violated() ?? failedExpectations(sim.model.expectations, sim.expectationOutcomes).find((v) => wanted(v.invariant)) };
}
