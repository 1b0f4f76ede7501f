/**
 * Messages between the history webview (client/src/webview/history/) and
 * the extension (historyPanel.ts), typed both ways. Each side handles them
 * in an exhaustive `switch`. Lines and columns are 1-based.
 */
import { MODEL_NAMES, type ModelName } from '../../server/src/core/history/models';
import { HISTORY_FORMATS, type HistoryFormat } from '../../server/src/core/history/read';
import type { HistoryViewPayload } from '../../server/src/core/history/view';

/**
 * What to check again to show the same history: the file, its format and
 * model as the check used them (the detected format, named), and the budget
 * when one was given. The webview keeps it in vscode.setState; after a window
 * reload the panel's serializer re-runs the check from it (historyRestore.ts).
 */
export interface HistorySource {
  readonly uri: string;
  readonly format: HistoryFormat;
  readonly model: ModelName;
  /** Search steps per key (dsync lin --max-steps); absent: the default budget. */
  readonly maxSteps?: number;
}

export type ToHistoryWebview =
  | { readonly type: 'history'; readonly source: HistorySource; readonly view: HistoryViewPayload }
  /** A line in place of the drawing ("checking … again", "… no longer exists"), the source kept for the next reload. */
  | { readonly type: 'notice'; readonly source: HistorySource; readonly text: string };

/** What the history webview drew (the tests read it). */
export interface HistoryRenderCounts {
  readonly partitions: number;
  readonly rows: number;
  readonly bars: number;
  /** Bars drawn open-ended (outcome unknown). */
  readonly open: number;
  /** Input lines (of the invocations) of the bars marked as part of a smallest failing prefix. */
  readonly markedLines: readonly number[];
  /** Operations of the longest linearizable order shown so far (0 while it is hidden). */
  readonly stepped: number;
}

export type FromHistoryWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly line: number; readonly column: number }
  | ({ readonly type: 'rendered' } & HistoryRenderCounts)
  /** The notice is on the page (the tests wait for it). */
  | { readonly type: 'noticeShown'; readonly text: string };

/**
 * What the history webview keeps in vscode.setState: what to check again,
 * not the drawing (a checked history of thousands of operations would be
 * serialised on every save; the check re-runs in a worker instead).
 */
export interface HistoryWebviewState {
  readonly source: HistorySource;
}

/** The state VS Code hands back, if it is one this version saved; anything else is undefined (never trusted as is). */
export function historyWebviewState(state: unknown): HistoryWebviewState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const source = (state as { source?: unknown }).source;
  if (typeof source !== 'object' || source === null) return undefined;
  const { uri, format, model, maxSteps } = source as Record<string, unknown>;
  if (typeof uri !== 'string' || uri === '') return undefined;
  if (!HISTORY_FORMATS.includes(format as HistoryFormat) || !MODEL_NAMES.includes(model as ModelName)) return undefined;
  if (maxSteps !== undefined && !(typeof maxSteps === 'number' && Number.isSafeInteger(maxSteps) && maxSteps > 0)) return undefined;
  return { source: { uri, format: format as HistoryFormat, model: model as ModelName, ...(maxSteps !== undefined ? { maxSteps } : {}) } };
}
