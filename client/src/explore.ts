import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { documentUri } from './documentUri';
import { ExploreProgressNotification, ExploreRequest, type ExploreResult } from '../../server/src/shared/requests';

/**
 * `DSync: Explore Schedules` (and the code lens "Explore 1,000 schedules"):
 * the server runs many seeds of the scenario; a cancellable notification
 * shows how far it is. A failure is shrunk by the server and reported in a
 * notification whose *Open counterexample* runs `DSync: Open Counterexample`:
 * the shrunk scenario opens as an untitled `.dsync` document and
 * runs, so its diagnostics and timeline show. The command resolves with the
 * result as soon as it is reported, without waiting for a click.
 */
const HAS_COUNTEREXAMPLE = 'dsync.hasCounterexample';

export function registerExplore(context: vscode.ExtensionContext, client: LanguageClient): void {
  let last: string | undefined;
  const found = (shrunk: string): void => {
    last = shrunk;
    void vscode.commands.executeCommand('setContext', HAS_COUNTEREXAMPLE, true);
  };
  context.subscriptions.push(
    // A code lens passes the document and the number of schedules (a protocol's lens: EXPLORE_RUNS).
    vscode.commands.registerCommand('dsync.explore', (arg?: unknown, runs?: unknown) => exploreCommand(client, documentUri(arg), found, typeof runs === 'number' ? runs : undefined)),
    vscode.commands.registerCommand('dsync.openCounterexample', () => openCounterexample(last)),
  );
}

/** The last exploration's shrunk scenario, opened and run: its diagnostics and timeline. */
async function openCounterexample(text: string | undefined): Promise<vscode.TextDocument | undefined> {
  if (text === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('DSync: no counterexample yet; explore a scenario first.'));
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'dsync', content: text });
  // In the editor's own column: the timeline it opens goes beside it.
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Active });
  await vscode.commands.executeCommand('dsync.runScenario', doc.uri);
  return doc;
}

async function exploreCommand(client: LanguageClient, uri: vscode.Uri | undefined, found: (shrunk: string) => void, runs: number | undefined): Promise<ExploreResult | undefined> {
  if (!uri) {
    void vscode.window.showWarningMessage(vscode.l10n.t('DSync: open a .dsync file first.'));
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('DSync: exploring schedules'), cancellable: true },
    async (progress, token) => {
      let reported = 0;
      const listener = client.onNotification(ExploreProgressNotification, (p) => {
        if (p.uri !== uri.toString()) return;
        if (p.phase === 'shrink') {
          progress.report({ message: vscode.l10n.t('shrinking the failure ({0} runs)', p.runs.toLocaleString('en-US')) });
          return;
        }
        const percent = Math.min(100, (p.runs / Math.max(1, p.total)) * 100);
        progress.report({ increment: Math.max(0, percent - reported), message: vscode.l10n.t('{0} / {1} schedules', p.runs.toLocaleString('en-US'), p.total.toLocaleString('en-US')) });
        reported = Math.max(reported, percent);
      });
      try {
        return await client.sendRequest(ExploreRequest, { uri: uri.toString(), ...(runs !== undefined ? { runs } : {}) }, token);
      } finally {
        listener.dispose();
      }
    },
  );
  if (!result.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('DSync: {0}', result.message));
    return result;
  }
  const explored = vscode.l10n.t('{0} schedules, {1} distinct states', result.runs.toLocaleString('en-US'), result.distinctStates.toLocaleString('en-US'));
  if (!result.failure) {
    void vscode.window.showInformationMessage(result.cancelled ? vscode.l10n.t('DSync: no invariant failed in {0} (cancelled).', explored) : vscode.l10n.t('DSync: no invariant failed in {0}.', explored));
    return result;
  }
  const failure = result.failure;
  const open = vscode.l10n.t('Open counterexample');
  const s = failure.shrinking;
  const shrunk = s ? vscode.l10n.t('. Shrunk from {0} faults to {1} in {2} attempts ({3} runs).', s.faultsBefore, s.faultsAfter, s.attempts, s.runs.toLocaleString('en-US')) : '';
  if (failure.shrunk) found(failure.shrunk);
  void vscode.window.showWarningMessage(vscode.l10n.t('DSync: {0} fails with seed {1} (after {2}): {3}', failure.invariant, failure.seed, explored, failure.message) + shrunk, ...(failure.shrunk ? [open] : [])).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('dsync.openCounterexample');
  });
  return result;
}
