import { check } from '../check/checker';
import type { Model } from '../model';
import { Simulation } from '../sim/engine';
import type { Violation } from '../sim/trace';
import { parse } from '../syntax/parse';
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
  /** The first invariant violation of the run, if any. */
  readonly failure?: Pick<Violation, 'invariant' | 'message' | 'time'>;
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
    const sim = new Simulation(this.model, { seed, record: false }).run();
    const v = sim.violations[0];
    const coverage = this.observer.takeRun();
    return {
      index,
      seed,
      events: sim.eventCount,
      ...(v ? { failure: { invariant: v.invariant, message: v.message, time: v.time } } : {}),
      newStates: coverage.newStates,
      counters: coverage.counters,
    };
  }
}
