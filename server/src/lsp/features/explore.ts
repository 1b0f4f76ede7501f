import type { CancellationToken, Connection } from 'vscode-languageserver';
import { DEFAULT_SHRINK_RUNS, shrinkSteps, type ShrinkProgress, type ShrinkResult } from '../../core/explore/shrink';
import { hasErrors } from '../../core/diagnostics';
import { explore } from '../../shared/exploreDriver';
import { EXPLORE_RUNS, ExploreProgressNotification, ExploreRequest, type ExploreParams, type ExploreResult } from '../../shared/requests';
import type { Workspace } from '../workspace';

const SHRINK_ATTEMPTS = 200;
const SLICE_MS = 30;

/**
 * `dsync/explore`: many seeds of an open document, then the lowest failing
 * one shrunk (core/explore). It runs in this process in ~30ms slices
 * between which the server answers other requests, reports progress with
 * `dsync/exploreProgress`, and stops when the client cancels.
 */
export function registerExplore(connection: Connection, workspace: Workspace): void {
  connection.onRequest(ExploreRequest, async (params: ExploreParams, token: CancellationToken): Promise<ExploreResult> => {
    try {
      return await exploreDocument(connection, workspace, params, token);
    } catch (error) {
      connection.console.error(`dsync: explore failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { ok: false, message: `exploration failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  });
}

async function exploreDocument(connection: Connection, workspace: Workspace, params: ExploreParams, token: CancellationToken): Promise<ExploreResult> {
  const analysis = workspace.analysis(params.uri);
  if (!analysis) return { ok: false, message: 'the document is not open' };
  const model = analysis.checked.model;
  if (!model || hasErrors(analysis.checked.diagnostics)) return { ok: false, message: 'the scenario has errors; see the Problems panel' };
  const total = params.runs ?? EXPLORE_RUNS;
  const progress = (runs: number, phase: 'explore' | 'shrink', of = total): void => void connection.sendNotification(ExploreProgressNotification, { uri: params.uri, runs, total: of, phase });
  const outcome = await explore({
    text: analysis.text,
    baseSeed: workspace.currentSettings.seed ?? model.seed,
    runs: total,
    workers: 1,
    onProgress: (p) => progress(p.runs, 'explore'),
    isCancelled: () => token.isCancellationRequested,
  });
  const { summary } = outcome;
  const base = { ok: true as const, runs: summary.runs, events: summary.events, elapsedMs: Math.round(outcome.elapsedMs), cancelled: outcome.cancelled, distinctStates: summary.distinctStates, counters: summary.counters };
  const found = summary.failure;
  if (!found?.failure) return base;
  const failure = { seed: found.seed, invariant: found.failure.invariant, message: found.failure.message };
  const attempts = params.shrinkAttempts ?? SHRINK_ATTEMPTS;
  // Shrink progress counts simulations, of at most the shrinker's budget of them.
  const shrunk = await shrinkInSlices(analysis.text, found.seed, found.failure.invariant, attempts, token, (p) => progress(p.runs, 'shrink', DEFAULT_SHRINK_RUNS));
  if (!shrunk) return { ...base, failure };
  return { ...base, failure: { ...failure, shrunk: shrunk.text, shrinking: { attempts: shrunk.attempts, runs: shrunk.runs, faultsBefore: shrunk.faults.before, faultsAfter: shrunk.faults.after } } };
}

/** Shrinks between other requests; undefined when cancelled. */
async function shrinkInSlices(text: string, seed: number, invariant: string, maxAttempts: number, token: CancellationToken, onProgress: (progress: ShrinkProgress) => void): Promise<ShrinkResult | undefined> {
  const steps = shrinkSteps(text, seed, invariant, { maxAttempts });
  for (;;) {
    const sliceEnd = performance.now() + SLICE_MS;
    let step = steps.next();
    while (!step.done && performance.now() < sliceEnd) step = steps.next();
    if (step.done) return step.value;
    onProgress(step.value);
    if (token.isCancellationRequested) return undefined;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
