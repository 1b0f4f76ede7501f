import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MODEL_NAMES, type ModelName } from '../../server/src/core/history/models';
import { guessModel } from '../../server/src/core/history/guessModel';
import { detectFormat, HISTORY_FORMATS, type HistoryFormat } from '../../server/src/core/history/read';
import { CheckHistoryRequest, type CheckHistoryResult } from '../../server/src/shared/requests';
import { HistoryPanel } from './historyPanel';

/** What the command may be given instead of asking (tests, keybindings, other extensions). */
export interface CheckHistoryArgs {
  readonly uri: vscode.Uri | string;
  readonly model?: ModelName;
  readonly format?: HistoryFormat;
  readonly maxSteps?: number;
}

/** What the command returns: the verdict and the input lines of the marked operations, or undefined when nothing was checked. */
export interface CheckHistoryOutcome {
  readonly verdict: 'linearizable' | 'not linearizable' | 'undecided';
  readonly markedLines: readonly number[];
}

const HISTORY_EXTENSIONS = ['edn', 'json', 'log', 'txt', 'history'];

/**
 * "DSync: Check History…": is a history from a real system linearizable?
 * dsync lin's core, run by the language server in a worker thread
 * (dsync/checkHistory), drawn in the history panel. The history is the
 * active editor's file (or one chosen in a dialog); the format is detected
 * and the model guessed from the operations, both offered first in quick
 * picks, as `dsync lin --format/--model` would take them.
 */
export function registerCheckHistory(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dsync.checkHistory', async (arg?: unknown): Promise<CheckHistoryOutcome | undefined> => {
      const given = asArgs(arg);
      const uri = given ? (typeof given.uri === 'string' ? vscode.Uri.parse(given.uri) : given.uri) : await pickHistory();
      if (!uri) return undefined;
      const text = await readHistoryText(uri);
      const format = given?.format ?? (given ? undefined : await pickFormat(text));
      if (format === null) return undefined;
      const model = given?.model ?? (await pickModel(text));
      if (!model) return undefined;
      const file = vscode.workspace.asRelativePath(uri);
      const maxSteps = given?.maxSteps;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('DSync: checking {0} for linearizability ({1})…', file, model), cancellable: true },
        (_progress, token) => checkHistoryText(client, uri, text, { model, ...(format ? { format } : {}), ...(maxSteps ? { maxSteps } : {}) }, token),
      );
      if (!result.ok) {
        void vscode.window.showErrorMessage(vscode.l10n.t('DSync: {0}', checkFailure(file, result)));
        return undefined;
      }
      // The format as the check used it (detected when not given), so a reload checks the file the same way.
      HistoryPanel.show(context, { uri: uri.toString(), format: result.view.format, model, ...(maxSteps ? { maxSteps } : {}) }, result.view);
      return {
        verdict: result.view.verdict,
        markedLines: result.view.partitions.flatMap((p) => (p.failure ? p.failure.involved.map((i) => p.ops[i]!.line) : [])),
      };
    }),
  );
}

/** The history's text: the open editor's (unsaved edits included), else the file's. Throws vscode.FileSystemError when it cannot be read. */
export async function readHistoryText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** How the check is asked for: dsync lin's --model, --format (detected when absent) and --max-steps. */
export interface HistoryCheckOptions {
  readonly model: ModelName;
  readonly format?: HistoryFormat;
  readonly maxSteps?: number;
}

/** Runs the check in the language server (dsync/checkHistory, in a worker thread; cancellable). */
export function checkHistoryText(client: LanguageClient, uri: vscode.Uri, text: string, options: HistoryCheckOptions, token?: vscode.CancellationToken): Promise<CheckHistoryResult> {
  const params = { uri: uri.toString(), text, file: vscode.workspace.asRelativePath(uri), ...options };
  return token ? client.sendRequest(CheckHistoryRequest, params, token) : client.sendRequest(CheckHistoryRequest, params);
}

/** Why a check gave no history: bad input at a line of `file` (as dsync lin says it), or the message alone. */
export function checkFailure(file: string, result: Extract<CheckHistoryResult, { ok: false }>): string {
  return result.line === 0 ? result.message : `${file}:${result.line}:${result.column}: ${result.message}`;
}

function asArgs(arg: unknown): CheckHistoryArgs | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) {
    const a = arg as Partial<CheckHistoryArgs>;
    if (typeof a.uri === 'string' || a.uri instanceof vscode.Uri) return a as CheckHistoryArgs;
  }
  return undefined;
}

/** The active editor's file when it is not a scenario, else a file chosen in a dialog. */
async function pickHistory(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.languageId !== 'dsync' && !active.isUntitled) return active.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Check History'),
    filters: { [vscode.l10n.t('Histories')]: HISTORY_EXTENSIONS, [vscode.l10n.t('All files')]: ['*'] },
  });
  return picked?.[0];
}

/** The detected format first; undefined: detect (the server does the same), null: cancelled. */
async function pickFormat(text: string): Promise<HistoryFormat | undefined | null> {
  const detected = detectFormat(text);
  const items = [detected, ...HISTORY_FORMATS.filter((f) => f !== detected)].map((f) => ({
    label: f,
    description: f === detected ? vscode.l10n.t('detected from the content') : '',
    format: f,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Format of the history'), placeHolder: vscode.l10n.t('as dsync lin --format') });
  if (!picked) return null;
  return picked.format === detected ? undefined : picked.format;
}

async function pickModel(text: string): Promise<ModelName | undefined> {
  const guessed = guessModel(text);
  const explain: Record<ModelName, string> = {
    register: vscode.l10n.t('read and write on one register (or one per key)'),
    'cas-register': vscode.l10n.t('read, write and compare-and-set'),
    kv: vscode.l10n.t('get and put per key; unwritten keys read as empty'),
    'append-kv': vscode.l10n.t('get, put and append per key'),
  };
  const items = [guessed, ...MODEL_NAMES.filter((m) => m !== guessed)].map((m) => ({
    label: m,
    description: m === guessed ? vscode.l10n.t('guessed from the operations') : '',
    detail: explain[m],
    model: m,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Model of the object'), placeHolder: vscode.l10n.t('as dsync lin --model') });
  return picked?.model;
}
