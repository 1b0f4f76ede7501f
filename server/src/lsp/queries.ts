import type {
  CodeLens, CompletionItem, DocumentSymbol, FoldingRange, Hover, Location, Range, SemanticTokens, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver';
import { hasErrors } from '../core/diagnostics';
import { format } from '../core/format/formatter';
import { verdict, verdictHeadline } from '../core/sim/result';
import { buildTimeline } from '../core/sim/timeline';
import type { DsyncFile } from '../core/syntax/ast';
import { EXPLORE_RUNS, type RunScenarioResult } from '../shared/requests';
import type { DocumentAnalysis } from './analysis';
import { offsetAt, toLspRange } from './convert';
import { complete } from './features/completion';
import { hover } from './features/hover';
import { navigationAt, type NodeNavigation, type ProtocolNavigation } from './features/navigation';
import { semanticTokens } from './features/semanticTokens';
import { documentSymbols, foldingRanges } from './features/symbols';
import { t } from './l10n';

/** A 0-based LSP position. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/**
 * A language feature asked of one document, as plain data: answered on the
 * main thread for a small document, and by the document's analysis worker
 * for a big one (see workspace.ts), with the same code either way.
 */
export type DocumentQuery =
  | { readonly kind: 'hover'; readonly position: Position }
  | { readonly kind: 'completion'; readonly position: Position }
  | { readonly kind: 'definition'; readonly position: Position }
  | { readonly kind: 'references'; readonly position: Position; readonly includeDeclaration: boolean }
  | { readonly kind: 'prepareRename'; readonly position: Position }
  | { readonly kind: 'rename'; readonly position: Position; readonly newName: string }
  | { readonly kind: 'documentSymbol' }
  | { readonly kind: 'foldingRange' }
  | { readonly kind: 'semanticTokens' }
  | { readonly kind: 'formatting' }
  | { readonly kind: 'codeLens' }
  | { readonly kind: 'runScenario'; readonly seed?: number };

/** What each query answers. */
export interface QueryResults {
  hover: Hover | null;
  completion: CompletionItem[];
  definition: Location[];
  references: Location[];
  prepareRename: { range: Range; placeholder: string } | null;
  rename: WorkspaceEdit | null;
  documentSymbol: DocumentSymbol[];
  foldingRange: FoldingRange[];
  semanticTokens: SemanticTokens;
  formatting: TextEdit[];
  codeLens: CodeLens[];
  runScenario: RunScenarioResult;
}

export type QueryKind = DocumentQuery['kind'];
export type QueryOf<K extends QueryKind> = Extract<DocumentQuery, { kind: K }>;

/**
 * Answers `query` from `analysis` (computing the stages it needs).
 * `isCancelled` is polled after waiting for the simulation. Throws what
 * the feature throws (a ResponseError is a refusal meant for the user).
 */
export async function answerQuery<K extends QueryKind>(analysis: DocumentAnalysis, query: QueryOf<K>, isCancelled: () => boolean): Promise<QueryResults[K]> {
  return (await answer(analysis, query as DocumentQuery, isCancelled)) as QueryResults[K];
}

async function answer(analysis: DocumentAnalysis, query: DocumentQuery, isCancelled: () => boolean): Promise<QueryResults[QueryKind]> {
  const offset = (position: Position): number => offsetAt(analysis.text, position.line, position.character);
  const navigation = (at: number): NodeNavigation | ProtocolNavigation => navigationAt(analysis.parsed.ast, analysis.uri, at);
  switch (query.kind) {
    case 'hover': {
      const stage = analysis.checked.model ? await analysis.simulated() : undefined;
      if (isCancelled()) return null;
      return hover(analysis.parsed, analysis.text, analysis.checked, stage?.kind === 'done' ? stage.result : undefined, offset(query.position));
    }
    case 'completion': {
      const names = analysis.checked.model?.nodes.map((n) => n.name) ?? declaredNames(analysis.parsed.ast);
      return complete(analysis.text, offset(query.position), names);
    }
    case 'definition':
      return navigation(offset(query.position)).definition(offset(query.position));
    case 'references':
      return navigation(offset(query.position)).references(offset(query.position), query.includeDeclaration);
    case 'prepareRename':
      return navigation(offset(query.position)).prepareRename(offset(query.position));
    case 'rename':
      return navigation(offset(query.position)).rename(offset(query.position), query.newName);
    case 'documentSymbol':
      return documentSymbols(analysis.parsed, analysis.text);
    case 'foldingRange':
      return foldingRanges(analysis.parsed);
    case 'semanticTokens':
      return semanticTokens(analysis.parsed);
    case 'formatting':
      return formatting(analysis.text);
    case 'codeLens':
      return codeLenses(analysis);
    case 'runScenario':
      return runScenario(analysis, query.seed);
  }
}

function formatting(text: string): TextEdit[] {
  const formatted = format(text);
  if (formatted === undefined || formatted === text) return [];
  const lines = text.split('\n');
  return [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }, newText: formatted }];
}

function codeLenses(analysis: DocumentAnalysis): CodeLens[] {
  const header = analysis.parsed.ast.statements.find((s) => s.kind === 'scenario');
  if (!header) return [];
  // The header's first line, `scenario NAME`: a lens range spans one line.
  const range = toLspRange({ ...header.range, endOffset: header.name.range.endOffset, endLine: header.name.range.endLine, endColumn: header.name.range.endColumn });
  const lens = (title: string, command: string): CodeLens => ({ range, command: { title, command, arguments: [analysis.uri] } });
  const lenses = [lens(t('▶ Run scenario'), 'dsync.runScenario'), lens(t('Show timeline'), 'dsync.showTimeline')];
  // The result of the last finished run (the server asks the client to refresh lenses after each run).
  const stage = analysis.peekSimulated;
  if (stage?.kind === 'done') {
    const v = verdict(stage.result);
    lenses.push(lens(`${v.kind === 'failed' ? '✗' : v.kind === 'undecided' ? '?' : '✓'} ${verdictHeadline(v)}`, 'dsync.showTimeline'));
  }
  if (analysis.checked.model) lenses.push(lens(t('Explore {0} schedules', EXPLORE_RUNS.toLocaleString('en-US')), 'dsync.explore'));
  return [...lenses, ...protocolLenses(analysis)];
}

/**
 * Over each written `protocol NAME`: "Explore 1,000 schedules" when the
 * file's scenario binds it (the exploration runs that scenario, so it
 * explores this protocol), else a lens without a command that says it is
 * not used, instead of exploring a scenario that never runs it. None while
 * the file has errors (no model to explore).
 */
function protocolLenses(analysis: DocumentAnalysis): CodeLens[] {
  const model = analysis.checked.model;
  if (!model) return [];
  return analysis.parsed.ast.statements.flatMap((s): CodeLens[] => {
    if (s.kind !== 'protocol') return [];
    const range = toLspRange({ ...s.range, endOffset: s.name.range.endOffset, endLine: s.name.range.endLine, endColumn: s.name.range.endColumn });
    const used = model.protocols.some((p) => p.definition.name === s.name.text && p.nodes.length > 0);
    const command = used
      ? { title: t('Explore {0} schedules', EXPLORE_RUNS.toLocaleString('en-US')), command: 'dsync.explore', arguments: [analysis.uri, EXPLORE_RUNS] }
      : { title: t('Not used: no nodes run {0} in this file (bind it with `nodes … run {0} { … }` to explore it)', s.name.text), command: '' };
    return [{ range, command }];
  });
}

async function runScenario(analysis: DocumentAnalysis, seed: number | undefined): Promise<RunScenarioResult> {
  const model = analysis.checked.model;
  if (!model || hasErrors(analysis.checked.diagnostics)) return { ok: false, message: t('the scenario has errors; see the Problems panel') };
  // With a seed: a run of its own, under the same budgets as the live one (never a blocking run).
  const stage = seed === undefined ? await analysis.simulated() : await analysis.simulateWith(seed);
  if (stage.kind !== 'done') return { ok: false, message: stage.kind === 'stale' ? t('the document changed; run again') : stage.reason };
  const result = stage.result;
  const v = verdict(result);
  const said = v.kind === 'failed' ? v.violations[0]!.message : v.kind === 'undecided' ? t('not decided: {0} (the run stopped early)', verdictHeadline(v)) : t('all checks hold');
  return { ok: true, timeline: buildTimeline(result), passed: v.kind === 'passed', summary: t('{0} (seed {1}): {2}', model.name, result.seed, said) };
}

function declaredNames(file: DsyncFile): string[] {
  return file.statements.flatMap((s) => (s.kind === 'nodes' ? s.refs.map((r) => r.first.text) : []));
}
