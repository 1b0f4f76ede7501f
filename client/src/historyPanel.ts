/**
 * The history panel: a webview showing one checked history (Porcupine's
 * visualisation; the drawing is client/src/webview/history/). One panel at a
 * time (`HistoryPanel.current`); a click on a bar reveals the operation's
 * line in the history file. It shows either a history or a notice in its
 * place (the check running again after a window reload, the file gone:
 * historyRestore.ts). Messages both ways are typed in historyMessages.ts.
 */
import * as vscode from 'vscode';
import type { HistoryViewPayload } from '../../server/src/core/history/view';
import type { FromHistoryWebview, HistoryRenderCounts, HistorySource, ToHistoryWebview } from './historyMessages';
import { revealLine } from './revealLine';
import { WebviewHost } from './webviewHost';

export const HISTORY_VIEW_TYPE = 'dsync.history';

/** What the panel shows: a checked history, or a line of text in its place. */
type HistoryContent = { readonly kind: 'view'; readonly view: HistoryViewPayload } | { readonly kind: 'notice'; readonly text: string };

export class HistoryPanel extends WebviewHost<ToHistoryWebview, FromHistoryWebview, HistoryRenderCounts> {
  static current: HistoryPanel | undefined;

  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the panel closes. */
  readonly onDidDispose = this.disposeEmitter.event;
  /** The notice the page said it shows; undefined once it drew a history. */
  private pageNotice: string | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private historySource: HistorySource,
    private content: HistoryContent,
  ) {
    super(panel, extensionUri, { script: 'historyView.js', style: 'historyView.css', title: vscode.l10n.t('DSync History') });
    this.disposables.push(this.disposeEmitter);
    panel.title = titleFor(historySource, content);
  }

  /** Shows `history` (checked from `source`): reuses the open panel or opens one beside the editor. */
  static show(context: vscode.ExtensionContext, source: HistorySource, history: HistoryViewPayload): HistoryPanel {
    const existing = HistoryPanel.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, false);
      existing.update(source, history);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(HISTORY_VIEW_TYPE, vscode.l10n.t('DSync History'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
    });
    return (HistoryPanel.current = new HistoryPanel(panel, context.extensionUri, source, { kind: 'view', view: history }));
  }

  /** Takes over the panel VS Code restored after a reload, showing `notice` until the check ran again. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: HistorySource, notice: string): HistoryPanel {
    HistoryPanel.current?.dispose();
    return (HistoryPanel.current = new HistoryPanel(panel, extensionUri, source, { kind: 'notice', text: notice }));
  }

  /** The history file. */
  get uri(): vscode.Uri {
    return vscode.Uri.parse(this.historySource.uri);
  }

  /** What the panel's history was checked from (replaced, never mutated, by each update). */
  get source(): HistorySource {
    return this.historySource;
  }

  /** The history shown; undefined while a notice stands in its place. */
  get payload(): HistoryViewPayload | undefined {
    return this.content.kind === 'view' ? this.content.view : undefined;
  }

  /** The notice shown; undefined while a history is. */
  get notice(): string | undefined {
    return this.content.kind === 'notice' ? this.content.text : undefined;
  }

  /** The notice the page reported on screen (the tests wait for it); undefined once it drew a history. */
  get noticeOnPage(): string | undefined {
    return this.pageNotice;
  }

  update(source: HistorySource, history: HistoryViewPayload): void {
    this.show(source, { kind: 'view', view: history });
  }

  /** A line of text in place of the history; `source` stays what a later reload checks again. */
  showNotice(source: HistorySource, text: string): void {
    this.show(source, { kind: 'notice', text });
  }

  private show(source: HistorySource, content: HistoryContent): void {
    this.historySource = source;
    this.content = content;
    this.panel.title = titleFor(source, content);
    this.post(this.message());
  }

  private message(): ToHistoryWebview {
    const c = this.content;
    return c.kind === 'view' ? { type: 'history', source: this.historySource, view: c.view } : { type: 'notice', source: this.historySource, text: c.text };
  }

  protected disposing(): void {
    if (HistoryPanel.current === this) HistoryPanel.current = undefined;
    this.disposeEmitter.fire();
  }

  protected async receive(message: FromHistoryWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(this.message());
        return;
      case 'reveal':
        await revealLine(this.uri, this.panel.viewColumn, message.line, message.column);
        return;
      case 'rendered': {
        const { type: _type, ...counts } = message;
        this.pageNotice = undefined;
        this.fireRendered(counts);
        return;
      }
      case 'noticeShown':
        this.pageNotice = message.text;
        return;
      default: {
        const unknown: never = message;
        console.warn('dsync history: unknown message', unknown);
      }
    }
  }
}

function titleFor(source: HistorySource, content: HistoryContent): string {
  if (content.kind === 'notice') return vscode.l10n.t('History {0} {1}', '…', fileName(source.uri));
  const history = content.view;
  const mark = history.verdict === 'linearizable' ? '✓' : history.verdict === 'not linearizable' ? '✗' : '?';
  return vscode.l10n.t('History {0} {1}', mark, history.file.split(/[\\/]/).pop() ?? history.file);
}

function fileName(uri: string): string {
  return vscode.Uri.parse(uri).path.split('/').pop() || uri;
}
