import { parentPort, workerData } from 'node:worker_threads';
import type { CheckHistoryParams, CheckHistoryResult } from '../shared/requests';
import { runHistoryJob } from './historyJob';

/** The history worker → main thread: the answer, or why there is none. */
export type FromHistoryWorker = { readonly type: 'done'; readonly result: CheckHistoryResult } | { readonly type: 'crashed'; readonly message: string };

/**
 * The worker of one history check (bundled as dist/historyJobWorker.js).
 * The search runs in one piece; cancelling ends the worker.
 */
const port = parentPort!;
try {
  port.postMessage({ type: 'done', result: runHistoryJob(workerData as CheckHistoryParams) } satisfies FromHistoryWorker);
} catch (error) {
  port.postMessage({ type: 'crashed', message: error instanceof Error ? error.message : String(error) } satisfies FromHistoryWorker);
}
