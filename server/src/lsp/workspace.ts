import type { Connection } from 'vscode-languageserver';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hasErrors } from '../core/diagnostics';
import { allViolations, verdict, verdictHeadline } from '../core/sim/result';
import { buildTimeline } from '../core/sim/timeline';
import { DEFAULT_SETTINGS, StatusNotification, TimelineUpdateNotification, type DsyncSettings, type StatusParams } from '../shared/requests';
import { DocumentAnalysis, type SimulatedStage } from './analysis';
import { toLspDiagnostic, violationDiagnostic } from './convert';

/** How long a valid file's check-stage diagnostics wait for the simulation before being shown alone. */
const INTERIM_PUBLISH_MS = 250;

/**
 * How long a change waits for the next one before the document is analysed:
 * a burst of keystrokes (or queued versions) is analysed once, at its newest
 * version. Longer for big documents, whose analysis costs more.
 */
export function debounceMs(textLength: number): number {
  return Math.round(Math.min(75, 30 + textLength / 20_000));
}

/**
 * Open documents and their current analysis. Every change makes a new
 * DocumentAnalysis; the old one sees itself stale and stops. Results are
 * published only for the version they were computed from.
 */
export class Workspace {
  readonly documents = new TextDocuments(TextDocument);
  private readonly analyses = new Map<string, DocumentAnalysis>();
  /** Documents changed and waiting (debounced) to be analysed, by uri. */
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private settings: DsyncSettings = DEFAULT_SETTINGS;
  /** Whether the client re-asks for code lenses when told (they show each run's result). */
  codeLensRefresh = false;
  /** The document whose timeline the client shows, if any: it gets live timeline updates. */
  followedUri: string | undefined;

  constructor(private readonly connection: Connection) {
    this.documents.onDidChangeContent((e) => this.schedule(e.document));
    this.documents.onDidClose((e) => {
      this.cancelPending(e.document.uri);
      this.analyses.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    this.documents.listen(connection);
  }

  updateSettings(settings: DsyncSettings): void {
    this.settings = settings;
    // Analyses keep the settings they were made with: drop them so every document is re-analysed with the new ones.
    this.analyses.clear();
    for (const doc of this.documents.all()) this.schedule(doc);
  }

  get currentSettings(): DsyncSettings {
    return this.settings;
  }

  /** The analysis of the document's current version (created on demand). */
  analysis(uri: string): DocumentAnalysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const existing = this.analyses.get(uri);
    if (existing && existing.version === doc.version) return existing;
    const created: DocumentAnalysis = new DocumentAnalysis(uri, doc.version, doc.getText(), this.settings, (): boolean => this.documents.get(uri)?.version !== doc.version || this.analyses.get(uri) !== created);
    this.analyses.set(uri, created);
    return created;
  }

  /**
   * Analyses the document after a short pause (see debounceMs): versions that
   * arrive meanwhile replace it, so only the newest one is parsed, checked
   * and simulated. A request on the document does not wait for the pause:
   * `analysis()` computes the newest version on demand, and the publication
   * then reuses it.
   */
  private schedule(doc: TextDocument): void {
    const uri = doc.uri;
    this.cancelPending(uri);
    this.pending.set(uri, setTimeout(() => {
      this.pending.delete(uri);
      const analysis = this.analysis(uri);
      if (!analysis) return;
      void this.publish(analysis).catch((error: unknown) => this.connection.console.error(`dsync: analysing ${uri} failed: ${String(error)}`));
    }, debounceMs(doc.getText().length)));
  }

  private cancelPending(uri: string): void {
    const timer = this.pending.get(uri);
    if (timer) clearTimeout(timer);
    this.pending.delete(uri);
  }

  private async publish(analysis: DocumentAnalysis): Promise<void> {
    const { uri, version } = analysis;
    const checkDiagnostics = [...analysis.checked.diagnostics];
    const failure = analysis.internalFailure;
    if (failure) checkDiagnostics.push(failure);
    const staticDiagnostics = checkDiagnostics.map((d) => toLspDiagnostic(d, uri));
    if (hasErrors(checkDiagnostics)) {
      await this.connection.sendDiagnostics({ uri, version, diagnostics: staticDiagnostics });
      this.status({ uri, version, state: 'invalid', text: countText(checkDiagnostics.filter((d) => d.severity === 'error').length, 'error') });
      return;
    }
    this.status({ uri, version, state: 'simulating', text: 'simulating…' });
    // If the simulation is slow, show the static diagnostics meanwhile (no flicker when it is fast).
    const interim = setTimeout(() => {
      if (!isCurrent()) return;
      void this.connection.sendDiagnostics({ uri, version, diagnostics: staticDiagnostics });
    }, INTERIM_PUBLISH_MS);
    const isCurrent = (): boolean => this.analyses.get(uri) === analysis && this.documents.get(uri)?.version === version;
    let stage: SimulatedStage;
    try {
      stage = await analysis.simulated();
    } finally {
      clearTimeout(interim);
    }
    if (stage.kind === 'stale' || !isCurrent()) return;
    const diagnostics = [...staticDiagnostics];
    if (analysis.internalFailure && !failure) diagnostics.push(toLspDiagnostic(analysis.internalFailure, uri));
    if (stage.kind === 'done') {
      const violations = allViolations(stage.result);
      diagnostics.push(...violations.map((v) => violationDiagnostic(v, uri)));
      if (stage.budget) diagnostics.push(toLspDiagnostic(stage.budget, uri));
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
      if (this.codeLensRefresh) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
      // An expectation the run did not reach is never a pass (core verdict).
      const v = verdict(stage.result);
      this.status(
        v.kind === 'failed'
          ? { uri, version, state: 'failed', text: verdictHeadline(v) }
          : v.kind === 'undecided'
            ? { uri, version, state: 'stopped', text: verdictHeadline(v) }
            : stage.budget
              ? { uri, version, state: 'stopped', text: 'budget hit' }
              : { uri, version, state: 'passed', text: v.checks === 0 ? 'ran' : verdictHeadline(v) },
      );
      if (this.followedUri === uri) void this.connection.sendNotification(TimelineUpdateNotification, { uri, version, timeline: buildTimeline(stage.result) });
    } else {
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
      this.status({ uri, version, state: 'invalid', text: stage.reason });
    }
  }

  private status(params: StatusParams): void {
    void this.connection.sendNotification(StatusNotification, params);
  }
}

function countText(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
