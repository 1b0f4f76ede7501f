import type { Model } from '../model';
import { Simulation } from '../sim/engine';
import type { Violation } from '../sim/trace';
import type * as A from '../syntax/ast';
import { MS } from '../units';
import { drawnNote, exactDuration, materialize, setSeed } from './materialize';
import { modelFor, runFailure } from './runner';
import { deletableUnits, earlierFaults, latencyNarrowings, sortedFaults, timedAfter, windowShortenings, type Unit } from './shrinkEdits';
import { applyEdits, deletion, type TextEdit } from './textEdits';

/**
 * Shrinks a failing run to a smaller scenario that still fails the same
 * invariant, by editing the source text: the result is literally a `.dsync`
 * file that replays with `dsync run`.
 *
 * **The seed is free.** Deleting one fault of a busy run changes every
 * later random draw (election timeouts, latencies), so the same seed with
 * one fault fewer is another run, which usually holds. A candidate edit is
 * therefore kept when the edited scenario fails the invariant with its
 * current seed *or* with one of a small pool of other seeds (`seedPool`);
 * the seed that failed is written into the candidate's header, so the
 * result replays exactly with its own seed.
 *
 * 1. The failing seed is written into the header and `faults random`
 *    blocks are replaced by the faults they drew for it (materialize.ts).
 * 2. `run for` is cut to just after the violation; then half or three
 *    quarters of the run are tried.
 * 3. Greedy delta debugging over deletable units (shrinkEdits.ts; a crash
 *    and its restart are one unit): chunks of half the list, then quarters,
 *    … then single units until a whole pass deletes nothing.
 * 4. Rounds: faults moved earlier, fault windows halved, latency ranges
 *    narrowed, single units deleted again; the run is cut after each round
 *    that changed something, and it stops after two rounds that changed
 *    nothing. Round r draws its pool from block r of the seed sequence
 *    (steps 2 and 3 use block 0): where no unit goes with one pool, another
 *    pool often lets one go (measured: about a fifth fewer faults left).
 * 5. Faults blocks are put back in time order, empty ones deleted (no
 *    run changes; the final replay checks it).
 *
 * Budgets: `attempts` counts candidates (edited texts), `runs` counts
 * simulations (a candidate takes 1 to 1 + `seeds` of them). The generator
 * yields after every simulation, so a caller can run it in slices and stop
 * early; `shrink` runs it to the end. Same arguments, same result.
 */
export interface ShrinkOptions {
  /** Candidates tried at most (default 400). */
  readonly maxAttempts?: number;
  /** Simulations run at most, the final replay of the result included (default 3,000). */
  readonly maxRuns?: number;
  /** Seeds in the pool a candidate may fail with besides its own (default 16; 0 keeps the seed fixed). */
  readonly seeds?: number;
}

export interface ShrinkProgress {
  readonly attempts: number;
  readonly runs: number;
}

export interface ShrinkResult extends ShrinkProgress {
  readonly text: string;
  /** Candidates kept. */
  readonly kept: number;
  /** The seed in the shrunk text's header (the failing seed, or one of the pool). */
  readonly seed: number;
  /** Fault statements in the failing run (its random faults written out) and in the shrunk text; a crash and its restart count two. */
  readonly faults: { readonly before: number; readonly after: number };
  /** The violation the shrunk text shows when run. */
  readonly violation: Violation;
}

export const DEFAULT_SHRINK_ATTEMPTS = 400;
export const DEFAULT_SHRINK_RUNS = 3000;
/**
 * Measured on samples/explore_raft_forget_vote.dsync and busy Raft and
 * Paxos variants (docs/language.md, Exploration): 8 leaves a third more
 * faults than 16; 24 or 32 cost one and a half to two times the runs for
 * about as many.
 */
const DEFAULT_SEEDS = 16;
/** Distance between the seeds of the pool: far from the explored seeds `B + i`. */
const SEED_STEP = 1_000_003;
/** Rounds in a row that change nothing before shrinking stops. */
const IDLE_ROUNDS = 2;

/**
 * The seeds a candidate is tried with besides its own in round `round`:
 * block `round` of the sequence `seed + j * SEED_STEP`, j = 0, 1, … (so
 * round 0 starts with the failing seed itself).
 */
export function seedPool(seed: number, count: number, round = 0): number[] {
  return Array.from({ length: count }, (_, k) => (seed + (round * count + k) * SEED_STEP) % Number.MAX_SAFE_INTEGER);
}

export function shrink(text: string, seed: number, invariant: string, options: ShrinkOptions = {}): ShrinkResult {
  const steps = shrinkSteps(text, seed, invariant, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export function* shrinkSteps(text: string, seed: number, invariant: string, options: ShrinkOptions = {}): Generator<ShrinkProgress, ShrinkResult> {
  const model = modelFor(text);
  if (typeof model === 'string') throw new Error(`cannot shrink a scenario with errors: ${model}`);
  // Materializing never changes a run; should it ever, shrink from the file as written with the seed set.
  const start = replay(materialize(text, model, seed), invariant) ?? replay(materialize(text, { ...model, randomFaults: undefined }, seed), invariant);
  if (!start) throw new Error(`seed ${seed} does not fail '${invariant}'`);
  const search = new Search(start, invariant, seed, options);

  yield* search.cut();
  yield* search.shorten();
  yield* search.deltaDebug();
  for (let round = 0, idle = 0; idle < IDLE_ROUNDS && !search.exhausted; round++) {
    search.round = round;
    let changed = yield* search.repeat(() => earlierFaults(search.current.model));
    changed = (yield* search.repeat(() => windowShortenings(search.current.model).map((e) => [e]))) || changed;
    changed = (yield* search.repeat(() => latencyNarrowings(search.current.text, search.current.model).map((e) => [e]))) || changed;
    // Round 0 follows the delta debugging, which ended with such a pass.
    if (changed || round > 0) changed = (yield* search.pass()) || changed;
    if (changed) yield* search.cut();
    idle = changed ? 0 : idle + 1;
  }
  // The tidied text replays with its own seed (the last run of the budget); its violation is the one to report, with
  // source ranges of this text. Tidying changes no run, so the fallback is for a broken promise, not a case.
  const final = replay(tidied(search.current.text), invariant) ?? search.current;
  return {
    text: withHeaderComment(final, seed, invariant),
    attempts: search.attempts,
    runs: search.runs + 1,
    kept: search.kept,
    seed: final.model.seed,
    faults: { before: start.model.faults.length, after: final.model.faults.length },
    violation: final.violation,
  };
}

interface Replay {
  readonly text: string;
  readonly model: Model;
  readonly violation: Violation;
}

/** One shrink: the smallest failing text so far, the seed pool and the budgets spent. */
class Search {
  attempts = 0;
  /** The materialized start was one run. */
  runs = 1;
  kept = 0;
  /** Which block of the seed sequence the pool is (`seedPool`). */
  round = 0;
  private readonly seeds: number;
  private readonly maxAttempts: number;
  private readonly maxRuns: number;

  constructor(public current: Replay, private readonly invariant: string, private readonly seed: number, options: ShrinkOptions) {
    this.seeds = options.seeds ?? DEFAULT_SEEDS;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_SHRINK_ATTEMPTS;
    this.maxRuns = options.maxRuns ?? DEFAULT_SHRINK_RUNS;
  }

  /** The last simulation of the budget is kept for the final replay. */
  get exhausted(): boolean {
    return this.attempts >= this.maxAttempts || this.runs >= this.maxRuns - 1;
  }

  /**
   * Tries one candidate text: with the current seed, then with the others
   * of the pool; kept (true) when one of them fails the invariant, with
   * that seed written into its header.
   */
  *try(candidate: string): Generator<ShrinkProgress, boolean> {
    if (this.exhausted) return false;
    this.attempts++;
    const model = modelFor(candidate);
    if (typeof model === 'string') return false;
    const own = this.current.model.seed;
    for (const seed of [own, ...seedPool(this.seed, this.seeds, this.round).filter((s) => s !== own)]) {
      if (this.runs >= this.maxRuns - 1) return false;
      this.runs++;
      const violation = failure(model, seed, this.invariant);
      yield { attempts: this.attempts, runs: this.runs };
      if (!violation) continue;
      this.kept++;
      this.current = seed === model.seed ? { text: candidate, model, violation } : reseeded(candidate, model, seed, violation);
      return true;
    }
    return false;
  }

  /** Cuts `run for` to the first millisecond after the violation, with what is timed after it. */
  *cut(): Generator<ShrinkProgress, boolean> {
    const candidate = runFor(this.current, Math.ceil((this.current.violation.time + 1) / MS) * MS);
    return candidate !== undefined && (yield* this.try(candidate));
  }

  /**
   * Shorter runs, with what is timed after their end: half the run, else
   * three quarters, again while one fails (a seed of the pool may fail early
   * where the current one failed late); each kept one is cut after its
   * violation.
   */
  *shorten(): Generator<ShrinkProgress, void> {
    for (let shorter = true; shorter && !this.exhausted; ) {
      shorter = false;
      for (const fraction of [1 / 2, 3 / 4]) {
        const candidate = runFor(this.current, Math.max(MS, Math.floor((this.current.model.duration * fraction) / MS) * MS));
        if (candidate !== undefined && (yield* this.try(candidate))) {
          shorter = true;
          yield* this.cut();
          break;
        }
      }
    }
  }

  /**
   * Greedy delta debugging: chunks of half the units, each deleted in turn;
   * after a deletion the same size again, else half the size, down to
   * single units, which `pass` finishes.
   */
  *deltaDebug(): Generator<ShrinkProgress, void> {
    const units = (): Unit[] => deletableUnits(this.current.model, this.invariant);
    let chunk = Math.ceil(units().length / 2);
    while (chunk > 1 && !this.exhausted) {
      const items = units();
      let removed = false;
      for (let i = 0; i < items.length && !removed; i += chunk) removed = yield* this.delete(items.slice(i, i + chunk));
      chunk = removed ? Math.min(chunk, Math.ceil(units().length / 2)) : Math.ceil(chunk / 2);
    }
    yield* this.pass();
  }

  /** Single units, passed over until a whole pass deletes nothing; true if any went. */
  *pass(): Generator<ShrinkProgress, boolean> {
    const units = (): Unit[] => deletableUnits(this.current.model, this.invariant);
    let any = false;
    for (let removed = true; removed && !this.exhausted; ) {
      removed = false;
      // After a deletion the unit that moved up to index i is tried next.
      for (let i = 0; i < units().length && !this.exhausted; ) {
        if (yield* this.delete([units()[i]!])) removed = any = true;
        else i++;
      }
    }
    return any;
  }

  private *delete(group: readonly Unit[]): Generator<ShrinkProgress, boolean> {
    const { text } = this.current;
    return yield* this.try(applyEdits(text, group.flatMap((u) => u.ranges.map((r) => deletion(text, r.startOffset, r.endOffset)))));
  }

  /** Applies the first candidate (a set of edits) that keeps the failure, recomputes them, again until none does; true if any did. */
  *repeat(candidates: () => TextEdit[][]): Generator<ShrinkProgress, boolean> {
    let any = false;
    for (let applied = true; applied && !this.exhausted; ) {
      applied = false;
      for (const edits of candidates()) {
        if (yield* this.try(applyEdits(this.current.text, edits))) {
          applied = any = true;
          break;
        }
        if (this.exhausted) break;
      }
    }
    return any;
  }
}

/** The first failure of `invariant` (an invariant, an expectation's text or SIMULATION_FAILED) in a run of `model` with `seed`; the run stops there. */
function failure(model: Model, seed: number, invariant: string): Violation | undefined {
  return runFailure(() => new Simulation(model, { seed, record: false }), (name) => name === invariant).failure;
}

/** Runs `text` with its own seed; the replay when it checks and fails `invariant`. */
function replay(text: string, invariant: string): Replay | undefined {
  const model = modelFor(text);
  if (typeof model === 'string') return undefined;
  const violation = failure(model, model.seed, invariant);
  return violation ? { text, model, violation } : undefined;
}

/** Faults blocks in time order and empty ones deleted: neither changes the run (`sortedFaults`). */
function tidied(text: string): string {
  const model = modelFor(text);
  if (typeof model === 'string') return text;
  const sorted = applyEdits(text, sortedFaults(text, model));
  const again = modelFor(sorted);
  if (typeof again === 'string') return text;
  const empty = again.source.statements.filter((s) => s.kind === 'faults' && s.faults.length === 0 && !s.random);
  return applyEdits(sorted, empty.map((s) => deletion(sorted, s.range.startOffset, s.range.endOffset)));
}

/** The text with `run for END`, without what is timed after END; undefined when that would not be shorter. */
function runFor({ text, model }: Replay, end: number): string | undefined {
  const header = model.source.statements.find((s): s is A.ScenarioDecl => s.kind === 'scenario');
  if (!header?.duration || end >= model.duration) return undefined;
  // Statements timed after the end could not matter, and would be errors (DS123).
  const late = timedAfter(model, end).map((r) => deletion(text, r.startOffset, r.endOffset));
  return applyEdits(text, [{ start: header.duration.range.startOffset, end: header.duration.range.endOffset, text: exactDuration(end) }, ...late]);
}

/**
 * The candidate with `seed` in its header. The violation is the one the run
 * with that seed showed (its source ranges are those of the text before the
 * header changed; the final replay reports the exact ones).
 */
function reseeded(text: string, model: Model, seed: number, violation: Violation): Replay {
  const header = model.source.statements.find((s): s is A.ScenarioDecl => s.kind === 'scenario')!;
  const out = applyEdits(text, [setSeed(text, header, seed)]);
  const checked = modelFor(out);
  if (typeof checked === 'string') throw new Error(`setting the seed broke the scenario: ${checked}`);
  return { text: out, model: checked, violation };
}

/**
 * The shrunk text with the original's leading comments (which describe the
 * original) replaced by one line saying what it is, and the note
 * materializing wrote over the drawn faults saying they were shrunk.
 */
function withHeaderComment(result: Replay, seed: number, invariant: string): string {
  const first = result.model.source.statements[0];
  const body = (first ? result.text.slice(first.range.startOffset) : result.text).replace(drawnNote(seed), `// shrunk from the faults 'faults random' drew for seed ${seed}`);
  const seedNote = result.model.seed === seed ? '' : `, here with seed ${result.model.seed}`;
  return `// Shrunk by 'dsync explore' from seed ${seed}${seedNote}: still fails ${invariant}. Replay: dsync run THIS_FILE\n${body}`;
}
