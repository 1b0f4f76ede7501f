/**
 * Messages between the history webview (client/src/webview/history/) and
 * the extension (historyPanel.ts), typed both ways. Each side handles them
 * in an exhaustive `switch`. Lines and columns are 1-based.
 */
import type { HistoryViewPayload } from '../../server/src/core/history/view';

export type ToHistoryWebview = { readonly type: 'history'; readonly uri: string; readonly view: HistoryViewPayload };

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
  | ({ readonly type: 'rendered' } & HistoryRenderCounts);

/** What the history webview keeps in vscode.setState so it restores after being hidden. */
export interface HistoryWebviewState {
  readonly uri: string;
  readonly view: HistoryViewPayload;
}
