/**
 * The history panel: a webview showing one checked history (Porcupine's
 * visualisation; the drawing is client/src/webview/history/). One panel at a
 * time (`HistoryPanel.current`); a click on a bar reveals the operation's
 * line in the history file. Messages both ways are typed in
 * historyMessages.ts.
 */
import * as vscode from 'vscode';
import type { HistoryViewPayload } from '../../server/src/core/history/view';
import type { FromHistoryWebview, HistoryRenderCounts, ToHistoryWebview } from './historyMessages';
import { revealLine } from './revealLine';
import { WebviewHost } from './webviewHost';

export const HISTORY_VIEW_TYPE = 'dsync.history';

export class HistoryPanel extends WebviewHost<ToHistoryWebview, FromHistoryWebview, HistoryRenderCounts> {
  static current: HistoryPanel | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private documentUri: vscode.Uri,
    private history: HistoryViewPayload,
  ) {
    super(panel, extensionUri, { script: 'historyView.js', style: 'historyView.css', title: vscode.l10n.t('DSync History') });
    panel.title = titleFor(history);
  }

  /** Shows `history` (of the file `uri`): reuses the open panel or opens one beside the editor. */
  static show(context: vscode.ExtensionContext, uri: vscode.Uri, history: HistoryViewPayload): HistoryPanel {
    const existing = HistoryPanel.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, false);
      existing.update(uri, history);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(HISTORY_VIEW_TYPE, titleFor(history), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
    });
    return (HistoryPanel.current = new HistoryPanel(panel, context.extensionUri, uri, history));
  }

  get uri(): vscode.Uri {
    return this.documentUri;
  }

  get payload(): HistoryViewPayload {
    return this.history;
  }

  update(uri: vscode.Uri, history: HistoryViewPayload): void {
    this.documentUri = uri;
    this.history = history;
    this.panel.title = titleFor(history);
    this.post({ type: 'history', uri: uri.toString(), view: history });
  }

  protected disposing(): void {
    if (HistoryPanel.current === this) HistoryPanel.current = undefined;
  }

  protected async receive(message: FromHistoryWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'history', uri: this.documentUri.toString(), view: this.history });
        return;
      case 'reveal':
        await revealLine(this.documentUri, this.panel.viewColumn, message.line, message.column);
        return;
      case 'rendered': {
        const { type: _type, ...counts } = message;
        this.fireRendered(counts);
        return;
      }
      default: {
        const unknown: never = message;
        console.warn('dsync history: unknown message', unknown);
      }
    }
  }
}

function titleFor(history: HistoryViewPayload): string {
  const mark = history.verdict === 'linearizable' ? '✓' : history.verdict === 'not linearizable' ? '✗' : '?';
  return vscode.l10n.t('History {0} {1}', mark, history.file.split(/[\\/]/).pop() ?? history.file);
}
