import {
  CodeActionKind, DidChangeConfigurationNotification, ResponseError, TextDocumentSyncKind, type CancellationToken, type Connection, type InitializeResult,
} from 'vscode-languageserver';
import { DEFAULT_SETTINGS, RunScenarioRequest, type DsyncSettings, type RunScenarioResult } from '../shared/requests';
import { FollowTimelineNotification } from '../shared/requests';
import { registerCheckHistory } from './features/checkHistory';
import { quickFixes } from './features/codeActions';
import { configureL10n, t } from './l10n';
import { registerExplore } from './features/explore';
import { SEMANTIC_LEGEND } from './features/semanticTokens';
import type { QueryKind, QueryOf, QueryResults } from './queries';
import { Workspace, type WorkspaceOptions } from './workspace';

/**
 * Wires the DSync language features onto a connection. Used by main.ts over
 * IPC/stdio and by the tests over in-memory streams. Every handler is
 * guarded: an exception in one document's feature is logged and answered
 * with an empty result, never taking the server down.
 */
export function startServer(connection: Connection, options: WorkspaceOptions = {}): Workspace {
  const workspace = new Workspace(connection, options);
  let canPullConfiguration = false;

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    configureL10n((params.initializationOptions as { l10nBundle?: unknown } | undefined)?.l10nBundle);
    workspace.codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', ' ', '>'] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      },
      serverInfo: { name: 'dsync-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, undefined);
      void pullSettings();
    }
  });
  connection.onDidChangeConfiguration(() => void pullSettings());

  async function pullSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    const raw = (await connection.workspace.getConfiguration('dsync')) as Partial<DsyncSettings> | null;
    workspace.updateSettings(mergeSettings(raw));
  }

  const guarded = <P, R>(name: string, fallback: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) =>
    async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await handler(params, token);
      } catch (error) {
        if (error instanceof ResponseError) throw error; // a refusal meant for the user (e.g. an invalid rename)
        connection.console.error(`dsync: ${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        return fallback;
      }
    };

  const query = <K extends QueryKind>(uri: string, q: QueryOf<K>, token: CancellationToken): Promise<QueryResults[K] | undefined> => workspace.query(uri, q, token);

  connection.onHover(guarded('hover', null, async (p, token) => (await query(p.textDocument.uri, { kind: 'hover', position: p.position }, token)) ?? null));
  connection.onCompletion(guarded('completion', [], async (p, token) => (await query(p.textDocument.uri, { kind: 'completion', position: p.position }, token)) ?? []));
  connection.onDefinition(guarded('definition', [], async (p, token) => (await query(p.textDocument.uri, { kind: 'definition', position: p.position }, token)) ?? []));
  connection.onReferences(guarded('references', [], async (p, token) => (await query(p.textDocument.uri, { kind: 'references', position: p.position, includeDeclaration: p.context.includeDeclaration }, token)) ?? []));
  connection.onPrepareRename(guarded('prepareRename', null, async (p, token) => (await query(p.textDocument.uri, { kind: 'prepareRename', position: p.position }, token)) ?? null));
  connection.onRenameRequest(guarded('rename', null, async (p, token) => (await query(p.textDocument.uri, { kind: 'rename', position: p.position, newName: p.newName }, token)) ?? null));
  connection.onDocumentSymbol(guarded('documentSymbol', [], async (p, token) => (await query(p.textDocument.uri, { kind: 'documentSymbol' }, token)) ?? []));
  connection.onFoldingRanges(guarded('foldingRange', [], async (p, token) => (await query(p.textDocument.uri, { kind: 'foldingRange' }, token)) ?? []));
  connection.languages.semanticTokens.on(guarded('semanticTokens', { data: [] }, async (p, token) => (await query(p.textDocument.uri, { kind: 'semanticTokens' }, token)) ?? { data: [] }));
  connection.onDocumentFormatting(guarded('formatting', [], async (p, token) => (await query(p.textDocument.uri, { kind: 'formatting' }, token)) ?? []));
  connection.onCodeAction(guarded('codeAction', [], (p) => quickFixes(p)));
  connection.onCodeLens(guarded('codeLens', [], async (p, token) => (await query(p.textDocument.uri, { kind: 'codeLens' }, token)) ?? []));

  connection.onRequest(RunScenarioRequest, guarded('runScenario', { ok: false, message: 'internal error' } as RunScenarioResult, async (params, token): Promise<RunScenarioResult> => {
    const q: QueryOf<'runScenario'> = params.seed === undefined ? { kind: 'runScenario' } : { kind: 'runScenario', seed: params.seed };
    return (await query(params.uri, q, token)) ?? { ok: false, message: t('the document is not open') };
  }));

  registerExplore(connection, workspace);
  registerCheckHistory(connection, options.historyWorker);

  connection.onNotification(FollowTimelineNotification, (params) => {
    workspace.follow(params.uri ?? undefined);
  });

  connection.listen();
  return workspace;
}

function mergeSettings(raw: Partial<DsyncSettings> | null): DsyncSettings {
  const sim: Partial<DsyncSettings['simulation']> = raw?.simulation ?? DEFAULT_SETTINGS.simulation;
  const positive = (n: unknown, fallback: number): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : fallback);
  return {
    seed: typeof raw?.seed === 'number' && Number.isSafeInteger(raw.seed) && raw.seed >= 0 ? raw.seed : null,
    simulation: {
      maxEvents: positive(sim.maxEvents, DEFAULT_SETTINGS.simulation.maxEvents),
      maxMilliseconds: positive(sim.maxMilliseconds, DEFAULT_SETTINGS.simulation.maxMilliseconds),
      maxTraceMegabytes: positive(sim.maxTraceMegabytes, DEFAULT_SETTINGS.simulation.maxTraceMegabytes),
    },
  };
}
