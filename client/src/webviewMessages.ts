/**
 * Messages between the timeline webview and the extension, typed both ways.
 * Each side handles them in an exhaustive `switch`.
 */
import type { TimelinePayload } from '../../server/src/core/sim/timeline';

export type ToWebview =
  | { readonly type: 'timeline'; readonly uri: string; readonly timeline: TimelinePayload }
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'requestSvg' };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly line: number; readonly column: number }
  | { readonly type: 'exportSvg'; readonly svg: string }
  | { readonly type: 'exportJson' }
  | { readonly type: 'rendered'; readonly lanes: number; readonly arrows: number; readonly events: number; readonly violationLines: number; readonly violationRings: number };

/** What the webview keeps in vscode.setState so it restores after a reload. */
export interface WebviewState {
  readonly uri: string;
  readonly timeline: TimelinePayload;
  readonly zoom: { readonly start: number; readonly end: number };
  readonly showLocal: boolean;
}
