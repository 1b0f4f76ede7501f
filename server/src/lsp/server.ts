import {
  CodeActionKind, CodeLens, DidChangeConfigurationNotification, ResponseError, TextDocumentSyncKind, type CancellationToken, type Connection, type InitializeResult,
} from 'vscode-languageserver';
import { format } from '../core/format/formatter';
import { verdict, verdictHeadline } from '../core/sim/result';
import { buildTimeline } from '../core/sim/timeline';
import { hasErrors } from '../core/diagnostics';
import { DEFAULT_SETTINGS, RunScenarioRequest, type DsyncSettings, type RunScenarioResult } from '../shared/requests';
import { FollowTimelineNotification } from '../shared/requests';
import { offsetAt, toLspRange } from './convert';
import { quickFixes } from './features/codeActions';
import { complete } from './features/completion';
import { EXPLORE_RUNS, registerExplore } from './features/explore';
import { hover } from './features/hover';
import { NodeNavigation } from './features/navigation';
import { SEMANTIC_LEGEND, semanticTokens } from './features/semanticTokens';
import { documentSymbols, foldingRanges } from './features/symbols';
import { Workspace } from './workspace';

/**
 * Wires the DSync language features onto a connection. Used by main.ts over
 * IPC/stdio and by the tests over in-memory streams. Every handler is
 * guarded: an exception in one document's feature is logged and answered
 * with an empty result, never taking the server down.
 */
export function startServer(connection: Connection): Workspace {
  const workspace = new Workspace(connection);
  let canPullConfiguration = false;

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
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
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
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

  const at = (uri: string, position: { line: number; character: number }) => {
    const analysis = workspace.analysis(uri);
    return analysis ? { analysis, offset: offsetAt(analysis.text, position.line, position.character) } : undefined;
  };

  connection.onHover(guarded('hover', null, async (params, token) => {
    const found = at(params.textDocument.uri, params.position);
    if (!found) return null;
    const { analysis, offset } = found;
    const stage = analysis.checked.model ? await analysis.simulated() : undefined;
    if (token.isCancellationRequested) return null;
    const run = stage?.kind === 'done' ? stage.result : undefined;
    return hover(analysis.parsed, analysis.checked, run, offset);
  }));

  connection.onCompletion(guarded('completion', [], (params) => {
    const found = at(params.textDocument.uri, params.position);
    if (!found) return [];
    const names = found.analysis.checked.model?.nodes.map((n) => n.name) ?? declaredNames(found.analysis.parsed.ast);
    return complete(found.analysis.text, found.offset, names);
  }));

  const navigation = (uri: string) => {
    const analysis = workspace.analysis(uri);
    return analysis ? new NodeNavigation(analysis.parsed.ast, uri) : undefined;
  };
  connection.onDefinition(guarded('definition', [], (p) => navigation(p.textDocument.uri)?.definition(at(p.textDocument.uri, p.position)!.offset) ?? []));
  connection.onReferences(guarded('references', [], (p) => navigation(p.textDocument.uri)?.references(at(p.textDocument.uri, p.position)!.offset, p.context.includeDeclaration) ?? []));
  connection.onPrepareRename(guarded('prepareRename', null, (p) => navigation(p.textDocument.uri)?.prepareRename(at(p.textDocument.uri, p.position)!.offset) ?? null));
  connection.onRenameRequest(guarded('rename', null, (p) => navigation(p.textDocument.uri)?.rename(at(p.textDocument.uri, p.position)!.offset, p.newName) ?? null));

  connection.onDocumentSymbol(guarded('documentSymbol', [], (p) => {
    const a = workspace.analysis(p.textDocument.uri);
    return a ? documentSymbols(a.parsed, a.text) : [];
  }));
  connection.onFoldingRanges(guarded('foldingRange', [], (p) => {
    const a = workspace.analysis(p.textDocument.uri);
    return a ? foldingRanges(a.parsed) : [];
  }));
  connection.languages.semanticTokens.on(guarded('semanticTokens', { data: [] }, (p) => {
    const a = workspace.analysis(p.textDocument.uri);
    return a ? semanticTokens(a.parsed) : { data: [] };
  }));

  connection.onDocumentFormatting(guarded('formatting', [], (p) => {
    const a = workspace.analysis(p.textDocument.uri);
    if (!a) return [];
    const formatted = format(a.text);
    if (formatted === undefined || formatted === a.text) return [];
    const lines = a.text.split('\n');
    return [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }, newText: formatted }];
  }));

  connection.onCodeAction(guarded('codeAction', [], (p) => quickFixes(p)));
  connection.onCodeLens(guarded('codeLens', [], async (p) => {
    const a = workspace.analysis(p.textDocument.uri);
    const header = a?.parsed.ast.statements.find((s) => s.kind === 'scenario');
    if (!a || !header) return [];
    // The header's first line, `scenario NAME`: a lens range spans one line.
    const range = toLspRange({ ...header.range, endOffset: header.name.range.endOffset, endLine: header.name.range.endLine, endColumn: header.name.range.endColumn });
    const uri = p.textDocument.uri;
    const lens = (title: string, command: string): CodeLens => ({ range, command: { title, command, arguments: [uri] } });
    const lenses = [lens('▶ Run scenario', 'dsync.runScenario'), lens('Show timeline', 'dsync.showTimeline')];
    // The result of the last finished run (the server asks the client to refresh lenses after each run).
    const stage = a.peekSimulated;
    if (stage?.kind === 'done') {
      const v = verdict(stage.result);
      lenses.push(lens(`${v.kind === 'failed' ? '✗' : v.kind === 'undecided' ? '?' : '✓'} ${verdictHeadline(v)}`, 'dsync.showTimeline'));
    }
    if (a.checked.model) lenses.push(lens(`Explore ${EXPLORE_RUNS.toLocaleString('en-US')} schedules`, 'dsync.explore'));
    return lenses;
  }));

  connection.onRequest(RunScenarioRequest, guarded('runScenario', { ok: false, message: 'internal error' } as RunScenarioResult, async (params): Promise<RunScenarioResult> => {
    const analysis = workspace.analysis(params.uri);
    if (!analysis) return { ok: false, message: 'the document is not open' };
    const model = analysis.checked.model;
    if (!model || hasErrors(analysis.checked.diagnostics)) return { ok: false, message: 'the scenario has errors; see the Problems panel' };
    // With a seed: a run of its own, under the same budgets as the live one (never a blocking run).
    const stage = params.seed === undefined ? await analysis.simulated() : await analysis.simulateWith(params.seed);
    if (stage.kind !== 'done') return { ok: false, message: stage.kind === 'stale' ? 'the document changed; run again' : stage.reason };
    const result = stage.result;
    const v = verdict(result);
    const said = v.kind === 'failed' ? v.violations[0]!.message : v.kind === 'undecided' ? `not decided: ${verdictHeadline(v)} (the run stopped early)` : 'all checks hold';
    return { ok: true, timeline: buildTimeline(result), passed: v.kind === 'passed', summary: `${model.name} (seed ${result.seed}): ${said}` };
  }));

  registerExplore(connection, workspace);

  connection.onNotification(FollowTimelineNotification, (params) => {
    workspace.followedUri = params.uri ?? undefined;
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

function declaredNames(file: import('../core/syntax/ast').DsyncFile): string[] {
  return file.statements.flatMap((s) => (s.kind === 'nodes' ? s.refs.map((r) => r.first.text) : []));
}
