import { parentPort, workerData } from 'node:worker_threads';
import { runExploreJob, type ExploreJob, type JobProgress } from './exploreJob';
import type { ExploreResult } from '../shared/requests';
import { t } from './l10n';

/** Main thread → the exploration worker. */
export type ToExploreWorker = { readonly type: 'cancel' };
/** The exploration worker → main thread. */
export type FromExploreWorker =
  | ({ readonly type: 'progress' } & JobProgress)
  | { readonly type: 'done'; readonly result: ExploreResult };

/**
 * The worker of one exploration started from the editor (bundled as
 * dist/exploreJobWorker.js): runs the job and reports progress; a 'cancel'
 * message ends it at its next slice with what ran so far.
 */
const port = parentPort!;
let cancelled = false;
port.on('message', (m: ToExploreWorker) => {
  if (m.type === 'cancel') cancelled = true;
});

const post = (m: FromExploreWorker): void => port.postMessage(m);
runExploreJob(workerData as ExploreJob, (p) => post({ type: 'progress', ...p }), () => cancelled).then(
  (result) => post({ type: 'done', result }),
  (error: unknown) => post({ type: 'done', result: { ok: false, message: t('exploration failed: {0}', error instanceof Error ? error.message : String(error)) } }),
);
