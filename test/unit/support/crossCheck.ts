import * as fs from 'node:fs';
import { modelFor, runFailure, seedAt } from '../../../server/src/core/explore/runner';
import { Simulation } from '../../../server/src/core/sim/engine';
import { repoPath } from './scenario';

/**
 * The cross-check of protocols written in .dsync against the built-in ones
 * (issue 15): the same exploration (`dsync explore`'s seed schedule and
 * failure rule, explore/runner.ts) over both, with the same bug switch and
 * the same budget of schedules.
 */

/** Schedules per exploration: DSYNC_CROSSCHECK_RUNS (the full `npm test` sets 2,000), else `fallback`. */
export function crossCheckRuns(fallback: number): number {
  const env = Number(process.env['DSYNC_CROSSCHECK_RUNS']);
  return Number.isInteger(env) && env > 0 ? env : fallback;
}

export interface Found {
  /** The run index (seed = base + index). */
  readonly index: number;
  readonly seed: number;
  readonly invariant: string;
  readonly message: string;
}

/** Whether a violation's `invariant` is the property `name`: a built-in's name, or a written one's `name: formula`. */
export function isProperty(invariant: string, name: string): boolean {
  return invariant === name || invariant.startsWith(`${name}:`);
}

/**
 * Explores `runs` schedules of the scenario from its own seed, as `dsync
 * explore --no-shrink` does, and returns the first run that violates a
 * property `wanted` accepts (any, by default), or undefined when none does.
 */
export function explore(text: string, runs: number, wanted: (invariant: string) => boolean = () => true): Found | undefined {
  const model = modelFor(text);
  if (typeof model === 'string') throw new Error(`the scenario does not check: ${model}\n${text}`);
  for (let index = 0; index < runs; index++) {
    const seed = seedAt(model.seed, index);
    const { failure } = runFailure(() => new Simulation(model, { seed, record: false }), wanted);
    if (failure) return { index, seed, invariant: failure.invariant, message: failure.message };
  }
  return undefined;
}

/**
 * A sample under samples/protocols/, split: the protocol declaration (all
 * before `scenario`) and its written invariants (`invariant NAME: …` from the
 * first one to the end), by name.
 */
export function writtenSample(file: string): { readonly protocol: string; readonly invariants: ReadonlyMap<string, string> } {
  const text = fs.readFileSync(repoPath('samples', 'protocols', file), 'utf8');
  const scenario = text.search(/^scenario /m);
  const first = text.search(/^invariant /m);
  if (scenario < 0 || first < scenario) throw new Error(`${file}: expected a protocol, then a scenario, then its invariants`);
  const invariants = new Map<string, string>();
  for (const part of text.slice(first).split(/^(?=invariant )/m)) {
    const name = /^invariant (\w+):/.exec(part)?.[1];
    if (name) invariants.set(name, part.replace(/^\/\/.*\n/gm, ''));
  }
  return { protocol: text.slice(0, scenario), invariants };
}

/** The written invariants `names` of a sample, as scenario text. */
export function writtenInvariants(sample: { readonly invariants: ReadonlyMap<string, string> }, names: readonly string[]): string {
  return names.map((n) => {
    const text = sample.invariants.get(n);
    if (!text) throw new Error(`the sample has no invariant '${n}'`);
    return text;
  }).join('');
}
