/**
 * The history panel after a window reload: VS Code hands back the state the
 * page saved (what was checked: file, format, model, budget), and the check
 * runs again through the same typed request as "DSync: Check History…", so
 * the panel shows the history as the file reads now. Until it answers, the
 * panel says it is checking; when the file is gone or no longer reads as a
 * history, the panel says so (and keeps the state, so a later reload tries
 * again).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { checkFailure, checkHistoryText, readHistoryText } from './historyCommand';
import { historyWebviewState, type HistorySource } from './historyMessages';
import { HISTORY_VIEW_TYPE, HistoryPanel } from './historyPanel';

export function registerHistorySerializer(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(HISTORY_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const restored = historyWebviewState(state);
        if (!restored) {
          // Nothing to check again (saved by an older version, or damaged): close rather than show an empty panel.
          panel.dispose();
          return;
        }
        const { source } = restored;
        const file = vscode.workspace.asRelativePath(vscode.Uri.parse(source.uri));
        const history = HistoryPanel.revive(panel, context.extensionUri, source, vscode.l10n.t('Checking {0} again ({1}, {2})…', file, source.model, source.format));
        // Not awaited: VS Code shows the panel (with its notice) while the check runs.
        void recheck(client, history, source, panel);
      },
    }),
  );
}

/** Checks `source` again and shows the outcome in `history`, unless it was closed or shows something else by then. */
export async function recheck(client: LanguageClient, history: HistoryPanel, source: HistorySource, panel: vscode.WebviewPanel): Promise<void> {
  const uri = vscode.Uri.parse(source.uri);
  const file = vscode.workspace.asRelativePath(uri);
  const stillShown = (): boolean => HistoryPanel.current === history && history.source === source;
  let text: string;
  try {
    text = await readHistoryText(uri);
  } catch (error) {
    if (!stillShown()) return;
    const gone = error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound');
    history.showNotice(source, gone
      ? vscode.l10n.t('{0} no longer exists, so its history cannot be checked again. Run “DSync: Check History…” on a history file.', file)
      : vscode.l10n.t('{0} cannot be read: {1}', file, error instanceof Error ? error.message : String(error)));
    return;
  }
  // Closing the panel cancels the check (it runs in a worker of the language server).
  const cancel = new vscode.CancellationTokenSource();
  const closed = panel.onDidDispose(() => cancel.cancel());
  try {
    const result = await checkHistoryText(client, uri, text, { model: source.model, format: source.format, ...(source.maxSteps ? { maxSteps: source.maxSteps } : {}) }, cancel.token);
    if (!stillShown()) return;
    if (result.ok) history.update(source, result.view);
    else history.showNotice(source, vscode.l10n.t('{0} no longer reads as a {1} history: {2}', file, source.format, checkFailure(file, result)));
  } catch (error) {
    // The language server is gone or stopping: say so in the panel rather than leave "checking…" forever.
    if (stillShown()) history.showNotice(source, vscode.l10n.t('{0} cannot be checked again: {1}', file, error instanceof Error ? error.message : String(error)));
  } finally {
    closed.dispose();
    cancel.dispose();
  }
}
