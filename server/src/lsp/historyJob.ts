import { HistoryError } from '../core/history/located';
import { historyView } from '../core/history/view';
import type { CheckHistoryParams, CheckHistoryResult } from '../shared/requests';

/**
 * One history check for the editor (dsync/checkHistory): dsync lin's core on
 * the text the client sent, laid out for the history webview. Bad input is
 * an answer (message, line, column), not an error. Runs in the history
 * worker (historyJobWorker.ts), or on the caller's thread without one.
 */
export function runHistoryJob(params: CheckHistoryParams): CheckHistoryResult {
  const started = performance.now();
  try {
    const view = historyView(params.text, {
      model: params.model,
      file: params.file,
      ...(params.format !== undefined ? { format: params.format } : {}),
      ...(params.maxSteps !== undefined ? { maxSteps: params.maxSteps } : {}),
    });
    return { ok: true, view, elapsedMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (!(error instanceof HistoryError)) throw error;
    return { ok: false, message: error.message, line: error.line, column: error.column };
  }
}
