import { Worker } from 'node:worker_threads';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { MODEL_NAMES } from '../../core/history/models';
import { HISTORY_FORMATS } from '../../core/history/read';
import { CheckHistoryRequest, type CheckHistoryParams, type CheckHistoryResult } from '../../shared/requests';
import { runHistoryJob } from '../historyJob';
import type { FromHistoryWorker } from '../historyJobWorker';
import { t } from '../l10n';

/** The answer to a cancelled check (line 0: no place in the input). */
const CANCELLED: CheckHistoryResult = { ok: false, message: 'cancelled', line: 0, column: 0 };

/**
 * `dsync/checkHistory`: is this history linearizable (dsync lin's core), laid
 * out for the history webview. Each check runs in a worker thread of its own
 * (`worker`: dist/historyJobWorker.js), so a search of millions of steps never
 * stops the server answering; cancelling ends the worker. Without the worker
 * bundle (some tests) it runs on this thread.
 */
export function registerCheckHistory(connection: Connection, worker: string | undefined): void {
  connection.onRequest(CheckHistoryRequest, async (params: CheckHistoryParams, token: CancellationToken): Promise<CheckHistoryResult> => {
    const refused = validate(params);
    if (refused) return { ok: false, message: refused, line: 0, column: 0 };
    try {
      return worker ? await inWorker(worker, params, token) : runHistoryJob(params);
    } catch (error) {
      connection.console.error(`dsync: checkHistory failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { ok: false, message: t('the check failed: {0}', error instanceof Error ? error.message : String(error)), line: 0, column: 0 };
    }
  });
}

/** The request comes from our client, but its fields are checked like any input. */
function validate(p: CheckHistoryParams): string | undefined {
  if (typeof p.text !== 'string' || typeof p.uri !== 'string' || typeof p.file !== 'string') return 'a history check needs uri, file and text';
  if (!(MODEL_NAMES as readonly string[]).includes(p.model)) return `the model is one of ${MODEL_NAMES.join(', ')}, not '${String(p.model)}'`;
  if (p.format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(p.format)) return `the format is one of ${HISTORY_FORMATS.join(', ')}, not '${String(p.format)}'`;
  if (p.maxSteps !== undefined && !(Number.isSafeInteger(p.maxSteps) && p.maxSteps > 0)) return 'maxSteps is a positive whole number';
  return undefined;
}

function inWorker(script: string, params: CheckHistoryParams, token: CancellationToken): Promise<CheckHistoryResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: params });
    worker.unref();
    let done = false;
    const finish = (result: CheckHistoryResult | Error): void => {
      if (done) return;
      done = true;
      cancelling.dispose();
      void worker.terminate();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    worker.on('message', (m: FromHistoryWorker) => finish(m.type === 'done' ? m.result : new Error(m.message)));
    worker.on('error', (e) => finish(e));
    worker.on('exit', () => finish(new Error('the history worker stopped unexpectedly')));
    const cancelling = token.onCancellationRequested(() => finish(CANCELLED));
  });
}
