import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ExploreAggregate, type ExploreSummary } from '../core/explore/aggregate';
import { SeedRunner, modelFor, type RunRecord } from '../core/explore/runner';

/**
 * Runs an exploration (core/explore) off the caller's hot path, shared by
 * the CLI and the language server: in this thread in ~30ms slices, and with
 * `workers` > 1 also in `worker_threads` running dist/exploreWorker.js.
 *
 * Run indices are dealt in increasing order, in chunks, to whoever is free:
 * this thread starts at once and keeps working until every worker has
 * started (loading the bundle takes a few hundred milliseconds, longer than
 * many explorations), then only coordinates. Which thread ran an index
 * never matters: the summary is the same for the same base seed and run
 * budget, whatever the number of workers (see ExploreAggregate). A time
 * budget or a cancellation ends it early; the summary covers what ran.
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
}
export type ToWorker =
  /** Run indices start … end − 1, after the chunks sent before. */
  | { readonly type: 'chunk'; readonly start: number; readonly end: number }
  /** No index past this one can change the result (a failure was found there). */
  | { readonly type: 'limit'; readonly index: number }
  | { readonly type: 'stop' };
export type FromWorker =
  | { readonly type: 'ready' }
  /** The records of one chunk, in index order: it stopped early at a failure or past the limit. */
  | { readonly type: 'chunk-done'; readonly records: RunRecord[] }
  | { readonly type: 'error'; readonly message: string };

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

const SLICE_MS = 30;
/** A chunk should take about this long, so stopping stays prompt and messages stay few. */
const CHUNK_MS = 20;
const MAX_CHUNK = 256;
/** Chunks each worker holds at once: it starts the next while the driver deals another. */
const CHUNKS_AHEAD = 2;

export async function explore(request: ExploreRequest): Promise<ExploreOutcome> {
  const model = modelFor(request.text);
  if (typeof model === 'string') throw new Error(model);
  if (request.workers > 1 && !request.workerScript) throw new Error('exploring with several workers needs the worker script (dist/exploreWorker.js)');
  return new Exploration(request, new SeedRunner(model, request.baseSeed)).run();
}

/** Deals run indices in increasing order, in chunks sized to take about CHUNK_MS each. */
class Dealer {
  private next = 0;
  private closed = false;

  constructor(private readonly runs: number, private readonly aggregate: ExploreAggregate, private readonly started: number) {}

  /** The next chunk [start, end), or undefined when none is left (see `exhausted`). */
  take(): readonly [number, number] | undefined {
    if (this.exhausted()) return undefined;
    const chunk = [this.next, Math.min(this.bound(), this.next + this.chunkSize())] as const;
    this.next = chunk[1];
    return chunk;
  }

  /** True once the budget is dealt, a failure bounds it, or it was closed. */
  exhausted(): boolean {
    return this.closed || this.next >= this.bound();
  }

  close(): void {
    this.closed = true;
  }

  private bound(): number {
    return Math.min(this.runs, this.aggregate.limit() + 1);
  }

  private chunkSize(): number {
    const done = this.aggregate.runs();
    if (done === 0) return 4;
    const msPerRun = (performance.now() - this.started) / done;
    return Math.max(1, Math.min(MAX_CHUNK, Math.round(CHUNK_MS / Math.max(msPerRun, 1e-3))));
  }
}

interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  /** Chunks sent and not yet reported done. */
  outstanding: number;
  exited: boolean;
}

class Exploration {
  private readonly started = performance.now();
  private readonly aggregate = new ExploreAggregate();
  private readonly dealer: Dealer;
  private readonly pool: PoolWorker[] = [];
  /** The chunk this thread is running: its next index and its end. */
  private local: { index: number; readonly end: number } | undefined;
  private cancelled = false;
  private error: string | undefined;
  private wake: (() => void) | undefined;
  private terminating = false;

  constructor(private readonly request: ExploreRequest, private readonly runner: SeedRunner) {
    this.dealer = new Dealer(request.runs, this.aggregate, this.started);
  }

  async run(): Promise<ExploreOutcome> {
    if (this.request.workers > 1) this.startWorkers();
    try {
      for (;;) {
        if (this.shouldStop()) this.stop();
        if (this.error) throw new Error(this.error);
        if (this.local || this.helpWanted()) this.runLocalSlice();
        this.request.onProgress?.(this.progress());
        if (!this.local && this.dealer.exhausted() && this.pool.every((p) => p.outstanding === 0)) break;
        await this.idle();
      }
    } finally {
      this.terminating = true;
      await Promise.all(this.pool.map((p) => p.worker.terminate()));
    }
    return { summary: this.aggregate.summary(), elapsedMs: this.elapsed(), cancelled: this.cancelled };
  }

  private elapsed(): number {
    return performance.now() - this.started;
  }

  private progress(): ExploreProgress {
    return { runs: this.aggregate.runs(), events: this.aggregate.events(), elapsedMs: this.elapsed(), failed: this.aggregate.limit() < Infinity };
  }

  private shouldStop(): boolean {
    if (!this.cancelled && this.request.isCancelled?.()) this.cancelled = true;
    return this.cancelled || (this.request.timeMs !== undefined && this.elapsed() >= this.request.timeMs);
  }

  /** No more chunks: workers drop what they hold, this thread leaves its chunk. */
  private stop(): void {
    this.dealer.close();
    this.local = undefined;
    for (const p of this.pool) {
      if (p.outstanding > 0) p.worker.postMessage({ type: 'stop' } satisfies ToWorker);
      p.outstanding = 0;
    }
  }

  /** This thread takes new chunks without workers, or while some worker is still starting. */
  private helpWanted(): boolean {
    return this.pool.length === 0 || this.pool.some((p) => !p.ready && !p.exited);
  }

  /** Runs for one slice: its current chunk, then new ones while help is wanted. */
  private runLocalSlice(): void {
    const sliceEnd = performance.now() + SLICE_MS;
    while (performance.now() < sliceEnd) {
      if (!this.local) {
        const chunk = this.helpWanted() ? this.dealer.take() : undefined;
        if (!chunk) return;
        this.local = { index: chunk[0], end: chunk[1] };
      }
      if (this.local.index >= this.local.end || this.local.index > this.aggregate.limit()) {
        this.local = undefined;
        continue;
      }
      this.add([this.runner.run(this.local.index++)]);
    }
  }

  private add(records: readonly RunRecord[]): void {
    const before = this.aggregate.limit();
    for (const r of records) this.aggregate.add(r);
    const limit = this.aggregate.limit();
    if (limit < before) for (const p of this.pool) if (p.outstanding > 0) p.worker.postMessage({ type: 'limit', index: limit } satisfies ToWorker);
  }

  /** Keeps a started worker holding CHUNKS_AHEAD chunks while there are any. */
  private feed(p: PoolWorker): void {
    while (p.ready && !p.exited && p.outstanding < CHUNKS_AHEAD) {
      const chunk = this.dealer.take();
      if (!chunk) return;
      p.outstanding++;
      p.worker.postMessage({ type: 'chunk', start: chunk[0], end: chunk[1] } satisfies ToWorker);
    }
  }

  /** Until the next slice when this thread has work; else until a worker's message, or 100ms (progress, the time budget). */
  private idle(): Promise<void> {
    if (this.local || this.helpWanted()) return new Promise<void>((resolve) => setImmediate(resolve));
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), 100);
      this.wake = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private startWorkers(): void {
    const input: WorkerInput = { text: this.request.text, baseSeed: this.request.baseSeed };
    for (let i = 0; i < this.request.workers; i++) {
      const p: PoolWorker = { worker: new Worker(this.request.workerScript!, { workerData: input }), ready: false, outstanding: 0, exited: false };
      this.pool.push(p);
      p.worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            p.ready = true;
            break;
          case 'chunk-done':
            p.outstanding = Math.max(0, p.outstanding - 1);
            this.add(m.records);
            break;
          case 'error':
            this.error ??= m.message;
            break;
        }
        this.feed(p);
        this.wake?.();
      });
      p.worker.on('error', (e) => {
        this.error ??= e.message;
        this.wake?.();
      });
      p.worker.on('exit', () => {
        p.exited = true;
        if (!this.terminating) this.error ??= 'an exploration worker stopped unexpectedly';
        p.outstanding = 0;
        this.wake?.();
      });
    }
  }
}
