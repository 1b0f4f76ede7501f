import { Worker } from 'node:worker_threads';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { ExploreProgressNotification, ExploreRequest, type ExploreParams, type ExploreResult } from '../../shared/requests';
import { runExploreJob, type ExploreJob, type JobProgress } from '../exploreJob';
import type { FromExploreWorker, ToExploreWorker } from '../exploreJobWorker';
import type { Workspace } from '../workspace';
import { t } from '../l10n';

/** How long a cancelled exploration may take to stop at its next slice before its worker is ended. */
const CANCEL_GRACE_MS = 500;

/**
 * `dsync/explore`: many seeds of an open document, then the lowest failing
 * one shrunk (see exploreJob.ts). It runs in a worker thread of its own
 * (dist/exploreJobWorker.js), so however long one run takes (a 1,000-node
 * scenario: seconds) the server keeps answering; it reports progress with
 * `dsync/exploreProgress` and stops when the client cancels.
 */
export function registerExplore(connection: Connection, workspace: Workspace): void {
  connection.onRequest(ExploreRequest, async (params: ExploreParams, token: CancellationToken): Promise<ExploreResult> => {
    try {
      return await exploreDocument(connection, workspace, params, token);
    } catch (error) {
      connection.console.error(`dsync: explore failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { ok: false, message: t('exploration failed: {0}', error instanceof Error ? error.message : String(error)) };
    }
  });
}

async function exploreDocument(connection: Connection, workspace: Workspace, params: ExploreParams, token: CancellationToken): Promise<ExploreResult> {
  const text = workspace.documents.get(params.uri)?.getText();
  if (text === undefined) return { ok: false, message: t('the document is not open') };
  const job: ExploreJob = {
    text,
    settingsSeed: workspace.currentSettings.seed,
    ...(params.runs !== undefined ? { runs: params.runs } : {}),
    ...(params.shrinkAttempts !== undefined ? { shrinkAttempts: params.shrinkAttempts } : {}),
  };
  const progress = (p: JobProgress): void => void connection.sendNotification(ExploreProgressNotification, { uri: params.uri, ...p });
  const script = workspace.exploreWorker;
  // Without the worker bundle (some tests), on this thread in slices.
  if (!script) return runExploreJob(job, progress, () => token.isCancellationRequested);
  return exploreInWorker(script, job, progress, token);
}

function exploreInWorker(script: string, job: ExploreJob, onProgress: (p: JobProgress) => void, token: CancellationToken): Promise<ExploreResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const worker = new Worker(script, { workerData: job });
    worker.unref();
    let last: JobProgress | undefined;
    let grace: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (result: ExploreResult): void => {
      if (done) return;
      done = true;
      clearTimeout(grace);
      cancelling.dispose();
      void worker.terminate();
      resolve(result);
    };
    worker.on('message', (m: FromExploreWorker) => {
      if (m.type === 'done') return finish(m.result);
      last = { runs: m.runs, total: m.total, phase: m.phase };
      onProgress(last);
    });
    worker.on('error', (e) => finish({ ok: false, message: t('exploration failed: {0}', e.message) }));
    worker.on('exit', () => finish({ ok: false, message: t('the exploration stopped unexpectedly') }));
    const cancelling = token.onCancellationRequested(() => {
      worker.postMessage({ type: 'cancel' } satisfies ToExploreWorker);
      // One run can outlast the grace time: the worker is then ended, and the answer gives the runs its progress last reported
      // (events, states and counters are not known here).
      grace = setTimeout(() => {
        const runs = last?.phase === 'explore' ? last.runs : 0;
        finish({ ok: true, runs, events: 0, elapsedMs: Math.round(performance.now() - started), cancelled: true, distinctStates: 0, counters: {} });
      }, CANCEL_GRACE_MS);
    });
  });
}
