import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  FollowTimelineNotification, RunScenarioRequest, StatusNotification, TimelineUpdateNotification, type RunScenarioResult, type StatusParams,
} from '../../server/src/shared/requests';
import { documentUri, trackLastDsyncEditor } from './documentUri';
import { registerExplore } from './explore';
import { registerCheckHistory } from './historyCommand';
import { HistoryPanel } from './historyPanel';
import { registerHistorySerializer } from './historyRestore';
import { registerLogTimeline } from './logTimeline';
import { registerWalkthrough } from './walkthrough';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../../server/src/shared/serverProcess';
import { StatusBar } from './statusBar';
import { TimelinePanel, registerTimelineSerializer } from './timelinePanel';

let client: LanguageClient | undefined;

/** What the extension hands to its tests (and to other extensions). */
export interface DsyncApi {
  readonly client: LanguageClient;
  status(uri: vscode.Uri): StatusParams | undefined;
  readonly timeline: () => TimelinePanel | undefined;
  readonly history: () => HistoryPanel | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<DsyncApi> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV], env: { ...SERVER_ENV } } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'], env: { ...SERVER_ENV } } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'dsync' }],
    synchronize: { configurationSection: 'dsync' },
    // The server's code lenses, statuses and messages in the display language (server/src/lsp/l10n.ts); none: English.
    initializationOptions: { l10nBundle: vscode.l10n.uri?.fsPath },
  };
  const languageClient = new LanguageClient('dsync', 'DSync Language Server', serverOptions, clientOptions);
  client = languageClient;
  const output = vscode.window.createOutputChannel('DSync');
  const statusBar = new StatusBar();
  context.subscriptions.push(output, statusBar);

  trackLastDsyncEditor(context);
  const reviveLog = registerLogTimeline(context);
  // A log's timeline is read and checked again after a reload (its problems come back); a run's shows as saved.
  registerTimelineSerializer(context, (panel) => void (panel.payload.log ? reviveLog(panel) : undefined));
  registerExplore(context, languageClient);
  registerWalkthrough(context);
  registerCheckHistory(context, languageClient);
  registerHistorySerializer(context, languageClient);

  const followed = new WeakSet<TimelinePanel>();
  const run = async (uri: vscode.Uri | undefined, seed: number | undefined, reveal: boolean): Promise<RunScenarioResult | undefined> => {
    if (!uri) {
      void vscode.window.showWarningMessage(vscode.l10n.t('DSync: open a .dsync file first.'));
      return undefined;
    }
    const result = await languageClient.sendRequest(RunScenarioRequest, { uri: uri.toString(), ...(seed !== undefined ? { seed } : {}) });
    if (!result.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('DSync: {0}', result.message));
      return result;
    }
    output.appendLine(result.summary);
    const panel = TimelinePanel.show(context, uri, result.timeline, true);
    // The server sends fresh timelines of this document while the panel is open, so it follows typing.
    void languageClient.sendNotification(FollowTimelineNotification, { uri: uri.toString() });
    if (!followed.has(panel)) {
      followed.add(panel);
      panel.onDidDispose(() => {
        followed.delete(panel);
        void languageClient.sendNotification(FollowTimelineNotification, { uri: null });
      });
    }
    if (!result.passed && reveal) void vscode.window.showWarningMessage(vscode.l10n.t('DSync: {0}', result.summary));
    return result;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('dsync.runScenario', (arg?: unknown) => run(documentUri(arg), undefined, true)),
    vscode.commands.registerCommand('dsync.showTimeline', (arg?: unknown) => run(documentUri(arg), undefined, false)),
    vscode.commands.registerCommand('dsync.runWithSeed', async (arg?: unknown) => {
      const uri = documentUri(arg);
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Run with seed'),
        prompt: vscode.l10n.t('A seed picks one history: latencies, losses and orders. Same seed, same run.'),
        placeHolder: '42',
        validateInput: (v) => (/^\d+$/.test(v.trim()) && Number.isSafeInteger(Number(v)) ? undefined : vscode.l10n.t('a whole number ≥ 0')),
      });
      return text === undefined ? undefined : run(uri, Number(text.trim()), true);
    }),
  );

  const statuses = new Map<string, StatusParams>();
  languageClient.onNotification(StatusNotification, (params) => {
    statuses.set(params.uri, params);
    statusBar.update(vscode.window.activeTextEditor?.document, statuses);
  });
  languageClient.onNotification(TimelineUpdateNotification, (params) => {
    const panel = TimelinePanel.current;
    if (panel && panel.uri.toString() === params.uri) panel.update(vscode.Uri.parse(params.uri), params.timeline);
  });
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor((editor) => statusBar.update(editor?.document, statuses)));

  await languageClient.start();
  statusBar.update(vscode.window.activeTextEditor?.document, statuses);
  return { client: languageClient, status: (uri) => statuses.get(uri.toString()), timeline: () => TimelinePanel.current, history: () => HistoryPanel.current };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
