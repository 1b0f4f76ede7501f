import { check } from '../core/check/checker';
import { hasErrors } from '../core/diagnostics';
import { DEFAULT_SHRINK_RUNS, shrinkSteps, type ShrinkProgress, type ShrinkResult } from '../core/explore/shrink';
import { parse } from '../core/syntax/parse';
import { explore } from '../shared/exploreDriver';
import { EXPLORE_RUNS, type ExploreProgressParams, type ExploreResult } from '../shared/requests';
import { t } from './l10n';

const SHRINK_ATTEMPTS = 200;
const SLICE_MS = 30;

/** One editor exploration: the document's text and what was asked. */
export interface ExploreJob {
  readonly text: string;
  /** dsync.seed; null: the scenario's own seed is the base seed. */
  readonly settingsSeed: number | null;
  readonly runs?: number;
  readonly shrinkAttempts?: number;
}

export type JobProgress = Omit<ExploreProgressParams, 'uri'>;

/**
 * Many seeds of the scenario, then the lowest failing one shrunk
 * (core/explore), in ~30ms slices between which `isCancelled` is polled
 * and `onProgress` told how far it is. Runs in the editor's exploration
 * worker (exploreJobWorker.ts), or on the caller's thread without one.
 */
export async function runExploreJob(job: ExploreJob, onProgress: (p: JobProgress) => void, isCancelled: () => boolean): Promise<ExploreResult> {
  const checked = check(parse(job.text), job.text);
  const model = checked.model;
  if (!model || hasErrors(checked.diagnostics)) return { ok: false, message: t('the scenario has errors; see the Problems panel') };
  const total = job.runs ?? EXPLORE_RUNS;
  const outcome = await explore({
    text: job.text,
    baseSeed: job.settingsSeed ?? model.seed,
    runs: total,
    workers: 1,
    onProgress: (p) => onProgress({ runs: p.runs, total, phase: 'explore' }),
    isCancelled,
  });
  const { summary } = outcome;
  const base = { ok: true as const, runs: summary.runs, events: summary.events, elapsedMs: Math.round(outcome.elapsedMs), cancelled: outcome.cancelled, distinctStates: summary.distinctStates, counters: summary.counters };
  const found = summary.failure;
  if (!found?.failure) return base;
  const failure = { seed: found.seed, invariant: found.failure.invariant, message: found.failure.message };
  const attempts = job.shrinkAttempts ?? SHRINK_ATTEMPTS;
  // Shrink progress counts simulations, of at most the shrinker's budget of them.
  const shrunk = await shrinkInSlices(job.text, found.seed, found.failure.invariant, attempts, isCancelled, (p) => onProgress({ runs: p.runs, total: DEFAULT_SHRINK_RUNS, phase: 'shrink' }));
  if (!shrunk) return { ...base, failure };
  return { ...base, failure: { ...failure, shrunk: shrunk.text, shrinking: { attempts: shrunk.attempts, runs: shrunk.runs, faultsBefore: shrunk.faults.before, faultsAfter: shrunk.faults.after } } };
}

/** Shrinks in slices; undefined when cancelled. */
async function shrinkInSlices(text: string, seed: number, invariant: string, maxAttempts: number, isCancelled: () => boolean, onProgress: (progress: ShrinkProgress) => void): Promise<ShrinkResult | undefined> {
  const steps = shrinkSteps(text, seed, invariant, { maxAttempts });
  for (;;) {
    const sliceEnd = performance.now() + SLICE_MS;
    let step = steps.next();
    while (!step.done && performance.now() < sliceEnd) step = steps.next();
    if (step.done) return step.value;
    onProgress(step.value);
    if (isCancelled()) return undefined;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
