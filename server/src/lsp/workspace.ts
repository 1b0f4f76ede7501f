import type { CancellationToken, Connection } from 'vscode-languageserver';
import { ResponseError, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnostic } from '../core/diagnostics';
import { NO_RANGE } from '../core/source';
import { buildTimeline } from '../core/sim/timeline';
import { DEFAULT_SETTINGS, StatusNotification, TimelineUpdateNotification, type DsyncSettings, type StatusParams } from '../shared/requests';
import { DocumentAnalysis } from './analysis';
import { toLspDiagnostic } from './convert';
import { publishAnalysis, type PublishSink } from './publish';
import { answerQuery, type QueryKind, type QueryOf, type QueryResults } from './queries';
import { QueryFailure, RemoteDocument } from './remoteDocument';

/**
 * How long a change waits for the next one before the document is analysed:
 * a burst of keystrokes (or queued versions) is analysed once, at its newest
 * version. The same for every size: a version is re-parsed from the one
 * before it (only the statements the edit touched), a newer version stops an
 * older one's simulation, and a big document's worker takes only the newest
 * of the versions that came while it was busy.
 */
export const DEBOUNCE_MS = 30;

/**
 * Documents from this many characters on are analysed in a worker thread of
 * their own (parsing and checking take tens of milliseconds per 100 KB, so a
 * bigger one would hold up every other request); smaller ones on the main
 * thread, where the simulation runs in short slices.
 */
export const WORKER_MIN_CHARS = 128 * 1024;

/**
 * Scenarios with this many nodes are analysed in a worker too, however short
 * their text (`nodes n1..n1000` is one line): setting up their simulation
 * (per-link network tables) and summarising it are single steps that take
 * hundreds of milliseconds, which no slicing of the run loop can split.
 */
export const WORKER_MIN_NODES = 200;

export interface WorkspaceOptions {
  /** dist/analysisWorker.js; without it every document is analysed on the main thread. */
  readonly analysisWorker?: string;
  /** dist/exploreJobWorker.js; without it explorations run on the main thread, in slices. */
  readonly exploreWorker?: string;
  /** dist/historyJobWorker.js; without it history checks (dsync/checkHistory) run on the main thread. */
  readonly historyWorker?: string;
  /** Times the pause before an analysis (DEBOUNCE_MS); default: a real timer. Tests hold it to make a burst's timing irrelevant. */
  readonly pauseTimer?: PauseTimer;
}

/** Starts a pause that runs `done` after `ms` unless cancelled first. */
export type PauseTimer = (done: () => void, ms: number) => { cancel(): void };

const realPause: PauseTimer = (done, ms) => {
  const timer = setTimeout(done, ms);
  return { cancel: () => clearTimeout(timer) };
};

/**
 * Open documents and their current analysis. Every change makes a new
 * analysis (after a short pause, see DEBOUNCE_MS); the old one sees itself
 * stale and stops. Results are published only for the version they were
 * computed from. Language features are asked as DocumentQuery values and
 * answered wherever the document is analysed.
 */
export class Workspace {
  readonly documents = new TextDocuments(TextDocument);
  private readonly analyses = new Map<string, DocumentAnalysis>();
  private readonly remotes = new Map<string, RemoteDocument>();
  /** Documents changed and waiting (debounced) to be analysed, by uri. */
  private readonly pending = new Map<string, { cancel(): void }>();
  private settings: DsyncSettings = DEFAULT_SETTINGS;
  /** Whether the client re-asks for code lenses when told (they show each run's result). */
  codeLensRefresh = false;
  /** The document whose timeline the client shows, if any: it gets live timeline updates. */
  private followedUri: string | undefined;
  /** Per document, whether its version declares WORKER_MIN_NODES nodes or more (see isBig). */
  private readonly largeModels = new Map<string, { readonly version: number; readonly large: boolean }>();

  constructor(private readonly connection: Connection, private readonly options: WorkspaceOptions = {}) {
    this.documents.onDidChangeContent((e) => this.schedule(e.document));
    this.documents.onDidClose((e) => {
      const uri = e.document.uri;
      this.cancelPending(uri);
      this.analyses.delete(uri);
      this.largeModels.delete(uri);
      this.dropRemote(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
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

  get exploreWorker(): string | undefined {
    return this.options.exploreWorker;
  }

  follow(uri: string | undefined): void {
    this.followedUri = uri;
    for (const [remoteUri, remote] of this.remotes) remote.follow(remoteUri === uri);
  }

  /**
   * The analysis of a small document's current version on this thread
   * (created on demand); undefined when the document is not open or is
   * analysed by a worker.
   */
  analysis(uri: string): DocumentAnalysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc || this.isBig(doc)) return undefined;
    return this.localAnalysis(doc);
  }

  private localAnalysis(doc: TextDocument): DocumentAnalysis {
    const uri = doc.uri;
    const existing = this.analyses.get(uri);
    if (existing && existing.version === doc.version) return existing;
    const isStale = (): boolean => this.documents.get(uri)?.version !== doc.version || this.analyses.get(uri) !== created;
    const created: DocumentAnalysis = new DocumentAnalysis(uri, doc.version, doc.getText(), this.settings, isStale, existing?.handOverBase());
    this.analyses.set(uri, created);
    return created;
  }

  /**
   * Answers a language feature on the document's current version: on this
   * thread, or by its worker (this thread stays free meanwhile). Undefined
   * when the document is not open or the request was cancelled while the
   * worker computed. A refusal (ResponseError) is rethrown as such.
   */
  async query<K extends QueryKind>(uri: string, query: QueryOf<K>, token: CancellationToken): Promise<QueryResults[K] | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    if (!this.isBig(doc)) return answerQuery(this.analysis(uri)!, query, () => token.isCancellationRequested);
    let remote = this.remotes.get(uri);
    if (!remote?.alive || remote.latest < doc.version) {
      this.analyseNow(uri);
      remote = this.remotes.get(uri);
    }
    if (!remote) return undefined;
    let stopWaiting: { dispose(): void } | undefined;
    const cancelled = new Promise<undefined>((resolve) => (stopWaiting = token.onCancellationRequested(() => resolve(undefined))));
    try {
      return (await Promise.race([remote.query(doc.version, query), cancelled])) as QueryResults[K] | undefined;
    } catch (error) {
      if (error instanceof QueryFailure && error.code !== undefined) throw new ResponseError(error.code, error.message);
      throw error;
    } finally {
      stopWaiting?.dispose();
    }
  }

  /**
   * Whether the document is analysed by a worker: a long text (parsing it
   * would hold this thread up), or a short one whose scenario declares many
   * nodes. The node count needs the checked model; for a short text that is
   * cheap, and the analysis made for it is kept for the features when the
   * model turns out small.
   */
  private isBig(doc: TextDocument): boolean {
    if (this.options.analysisWorker === undefined) return false;
    if (doc.getText().length >= WORKER_MIN_CHARS) return true;
    const known = this.largeModels.get(doc.uri);
    if (known?.version === doc.version) return known.large;
    const large = (this.localAnalysis(doc).checked.model?.nodes.length ?? 0) >= WORKER_MIN_NODES;
    if (large) this.analyses.delete(doc.uri);
    this.largeModels.set(doc.uri, { version: doc.version, large });
    return large;
  }

  /**
   * Analyses the document after a short pause (see DEBOUNCE_MS): versions that
   * arrive meanwhile replace it, so only the newest one is parsed, checked
   * and simulated. A request on the document does not wait for the pause:
   * it is answered from the newest version, whose publication reuses it.
   */
  private schedule(doc: TextDocument): void {
    const uri = doc.uri;
    this.cancelPending(uri);
    this.pending.set(uri, (this.options.pauseTimer ?? realPause)(() => this.analyseNow(uri), DEBOUNCE_MS));
  }

  private cancelPending(uri: string): void {
    this.pending.get(uri)?.cancel();
    this.pending.delete(uri);
  }

  /** Starts analysing the document's current version, here or in its worker. */
  private analyseNow(uri: string): void {
    this.cancelPending(uri);
    const doc = this.documents.get(uri);
    if (!doc) return;
    if (this.isBig(doc)) {
      this.analyses.delete(uri);
      this.remoteFor(uri).analyse(doc.version, doc.getText(), this.settings);
      return;
    }
    this.dropRemote(uri);
    const analysis = this.analysis(uri)!;
    const version = analysis.version;
    const sink: PublishSink = {
      isCurrent: () => this.analyses.get(uri) === analysis && this.documents.get(uri)?.version === version,
      diagnostics: (diagnostics) => this.connection.sendDiagnostics({ uri, version, diagnostics }),
      status: (state, text) => this.status({ uri, version, state, text }),
      ran: (result) => this.ran(uri, version, () => buildTimeline(result)),
    };
    void publishAnalysis(analysis, sink).catch((error: unknown) => this.connection.console.error(`dsync: analysing ${uri} failed: ${String(error)}`));
  }

  private remoteFor(uri: string): RemoteDocument {
    const existing = this.remotes.get(uri);
    if (existing?.alive) return existing;
    const isCurrent = (version: number): boolean => this.remotes.get(uri) === remote && this.documents.get(uri)?.version === version;
    const remote: RemoteDocument = new RemoteDocument(uri, this.options.analysisWorker!, {
      message: (m) => {
        if (!isCurrent(m.version)) return;
        const version = m.version;
        switch (m.type) {
          case 'diagnostics':
            return void this.connection.sendDiagnostics({ uri, version, diagnostics: m.diagnostics });
          case 'status':
            return this.status({ uri, version, state: m.state, text: m.text });
          case 'ran':
            return this.ran(uri, version, () => m.timeline);
          case 'checked':
            return;
        }
      },
      died: (reason) => {
        const doc = this.documents.get(uri);
        if (this.remotes.get(uri) !== remote || !doc) return;
        this.remotes.delete(uri);
        const failure = diagnostic('DS204', `DSync could not analyse this file: ${reason}. Other files are unaffected`, NO_RANGE);
        void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: [toLspDiagnostic(failure, uri)] });
        this.status({ uri, version: doc.version, state: 'invalid', text: 'analysis failed' });
      },
    }, this.followedUri === uri);
    this.remotes.set(uri, remote);
    return remote;
  }

  private dropRemote(uri: string): void {
    this.remotes.get(uri)?.dispose();
    this.remotes.delete(uri);
  }

  /** A simulation of the current version finished: code lenses show its result, a followed timeline updates. */
  private ran(uri: string, version: number, timeline: () => ReturnType<typeof buildTimeline> | undefined): void {
    if (this.codeLensRefresh) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    if (this.followedUri !== uri) return;
    const payload = timeline();
    if (payload) void this.connection.sendNotification(TimelineUpdateNotification, { uri, version, timeline: payload });
  }

  private status(params: StatusParams): void {
    void this.connection.sendNotification(StatusNotification, params);
  }
}
