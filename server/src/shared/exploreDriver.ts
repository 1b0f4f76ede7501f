import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ExploreAggregate, type ExploreSummary } from '../core/explore/aggregate';
import { SeedRunner, modelFor, type RunRecord } from '../core/explore/runner';

/**
 * Runs an exploration (core/explore) off the caller's hot path, shared by
 * the CLI and the language server: in this thread in slices (one worker),
 * or in `worker_threads` running dist/exploreWorker.js. Either way the
 * result is the same for the same base seed and run budget (see
 * ExploreAggregate): worker w runs indices w, w + K, w + 2K, … in order.
 */
export interface ExploreRequest {
  readonly text: string;
  readonly baseSeed: number;
  /** Run budget (indices 0 … runs − 1); Infinity with a time budget only. */
  readonly runs: number;
  /** Wall-clock budget in ms (optional). */
  readonly timeMs?: number;
  readonly workers: number;
  /** dist/exploreWorker.js; needed when workers > 1. */
  readonly workerScript?: string;
  onProgress?(progress: ExploreProgress): void;
  /** Polled between slices: true stops the exploration (the summary covers what ran). */
  isCancelled?(): boolean;
}

export interface ExploreProgress {
  readonly runs: number;
  readonly events: number;
  readonly elapsedMs: number;
  readonly failed: boolean;
}

export interface ExploreOutcome {
  readonly summary: ExploreSummary;
  readonly elapsedMs: number;
  readonly cancelled: boolean;
}

/** Messages between the driver and a worker. */
export interface WorkerInput {
  readonly text: string;
  readonly baseSeed: number;
  readonly worker: number;
  readonly workers: number;
  readonly runs: number;
}
export type ToWorker = { readonly type: 'limit'; readonly index: number } | { readonly type: 'stop' };
export type FromWorker =
  | { readonly type: 'records'; readonly records: RunRecord[] }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

const SLICE_MS = 30;

export async function explore(request: ExploreRequest): Promise<ExploreOutcome> {
  const model = modelFor(request.text);
  if (typeof model === 'string') throw new Error(model);
  return request.workers > 1 ? exploreInWorkers(request) : exploreHere(request, model);
}

/** Runs in this thread, yielding to the event loop every ~30ms. */
async function exploreHere(request: ExploreRequest, model: Exclude<ReturnType<typeof modelFor>, string>): Promise<ExploreOutcome> {
  const start = performance.now();
  const runner = new SeedRunner(model, request.baseSeed);
  const aggregate = new ExploreAggregate();
  let index = 0;
  let cancelled = false;
  for (;;) {
    const sliceEnd = performance.now() + SLICE_MS;
    while (index < request.runs && index <= aggregate.limit() && performance.now() < sliceEnd) aggregate.add(runner.run(index++));
    const elapsedMs = performance.now() - start;
    request.onProgress?.({ runs: aggregate.runs(), events: aggregate.events(), elapsedMs, failed: aggregate.limit() < Infinity });
    if (index >= request.runs || index > aggregate.limit()) break;
    if (request.timeMs !== undefined && elapsedMs >= request.timeMs) break;
    if (request.isCancelled?.()) {
      cancelled = true;
      break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { summary: aggregate.summary(), elapsedMs: performance.now() - start, cancelled };
}

async function exploreInWorkers(request: ExploreRequest): Promise<ExploreOutcome> {
  if (!request.workerScript) throw new Error('exploring with several workers needs the worker script (dist/exploreWorker.js)');
  const start = performance.now();
  const aggregate = new ExploreAggregate();
  const workers: Worker[] = [];
  let cancelled = false;
  let failure: string | undefined;
  const stopAll = (): void => workers.forEach((w) => w.postMessage({ type: 'stop' } satisfies ToWorker));
  const finished = new Promise<void>((resolve) => {
    let running = request.workers;
    const ticker = setInterval(() => {
      const elapsedMs = performance.now() - start;
      request.onProgress?.({ runs: aggregate.runs(), events: aggregate.events(), elapsedMs, failed: aggregate.limit() < Infinity });
      if (request.timeMs !== undefined && elapsedMs >= request.timeMs) stopAll();
      if (!cancelled && request.isCancelled?.()) {
        cancelled = true;
        stopAll();
      }
    }, 100);
    for (let worker = 0; worker < request.workers; worker++) {
      const input: WorkerInput = { text: request.text, baseSeed: request.baseSeed, worker, workers: request.workers, runs: request.runs };
      const w = new Worker(request.workerScript!, { workerData: input });
      workers.push(w);
      let done = false;
      const end = (): void => {
        if (done) return;
        done = true;
        if (--running === 0) {
          clearInterval(ticker);
          resolve();
        }
      };
      w.on('message', (m: FromWorker) => {
        if (m.type === 'records') {
          const before = aggregate.limit();
          for (const r of m.records) aggregate.add(r);
          const limit = aggregate.limit();
          if (limit < before) workers.forEach((other) => other.postMessage({ type: 'limit', index: limit } satisfies ToWorker));
        } else if (m.type === 'error') {
          failure ??= m.message;
          stopAll();
        } else {
          end();
        }
      });
      w.on('error', (e) => {
        failure ??= e.message;
        end();
      });
      w.on('exit', end);
    }
  });
  await finished;
  await Promise.all(workers.map((w) => w.terminate()));
  if (failure) throw new Error(failure);
  return { summary: aggregate.summary(), elapsedMs: performance.now() - start, cancelled };
}
