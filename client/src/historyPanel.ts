/**
 * The history panel: a webview showing one checked history (Porcupine's
 * visualisation; the drawing is client/src/webview/history/). One panel at a
 * time (`HistoryPanel.current`); a click on a bar reveals the operation's
 * line in the history file. Messages both ways are typed in
 * historyMessages.ts.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HistoryViewPayload } from '../../server/src/core/history/view';
import type { FromHistoryWebview, HistoryRenderCounts, ToHistoryWebview } from './historyMessages';
import { revealLine } from './revealLine';
import { timelineHtml } from './webviewHtml';
import { webviewLabels } from './webviewLabels';

export const HISTORY_VIEW_TYPE = 'dsync.history';

export class HistoryPanel implements vscode.Disposable {
  static current: HistoryPanel | undefined;

  private readonly renderedEmitter = new vscode.EventEmitter<HistoryRenderCounts>();
  /** Fires after every render of the webview, with what it drew. */
  readonly onDidRender = this.renderedEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private documentUri: vscode.Uri,
    private history: HistoryViewPayload,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromHistoryWebview) => void this.receive(m)),
      this.renderedEmitter,
    );
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

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (HistoryPanel.current === this) HistoryPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()!.dispose();
  }

  private post(message: ToHistoryWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private async receive(message: FromHistoryWebview): Promise<void> {
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
        this.renderedEmitter.fire(counts);
        return;
      }
      default: {
        const unknown: never = message;
        console.warn('dsync history: unknown message', unknown);
      }
    }
  }


  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    return timelineHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'historyView.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'historyView.css')).toString(),
      title: vscode.l10n.t('DSync History'),
      labels: webviewLabels(),
    });
  }
}

function titleFor(history: HistoryViewPayload): string {
  const mark = history.verdict === 'linearizable' ? '✓' : history.verdict === 'not linearizable' ? '✗' : '?';
  return vscode.l10n.t('History {0} {1}', mark, history.file.split(/[\\/]/).pop() ?? history.file);
}
