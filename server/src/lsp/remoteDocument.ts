import { Worker } from 'node:worker_threads';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { DocumentState, DsyncSettings, TimelinePayload } from '../shared/requests';
import type { DocumentQuery } from './queries';

export interface AnalysisWorkerData {
  readonly uri: string;
}

/** Main thread → a document's analysis worker (dist/analysisWorker.js). */
export type ToAnalysisWorker =
  /** Analyse this version (replacing any older one: its simulation stops, its results are dropped). */
  | { readonly type: 'analyse'; readonly version: number; readonly text: string; readonly settings: DsyncSettings }
  | { readonly type: 'query'; readonly id: number; readonly query: DocumentQuery }
  /** Whether the client shows this document's timeline (the worker then sends it after each run). */
  | { readonly type: 'follow'; readonly followed: boolean };

/** A document's analysis worker → the main thread; `version` says which version a result belongs to. */
export type FromAnalysisWorker =
  /** Parsed and checked: the worker takes the next version from here on. */
  | { readonly type: 'checked'; readonly version: number }
  | { readonly type: 'diagnostics'; readonly version: number; readonly diagnostics: LspDiagnostic[] }
  | { readonly type: 'status'; readonly version: number; readonly state: DocumentState; readonly text: string }
  | { readonly type: 'ran'; readonly version: number; readonly timeline?: TimelinePayload }
  | { readonly type: 'answer'; readonly id: number; readonly result: unknown }
  /** The query threw; `code` is set for a ResponseError (a refusal meant for the user, e.g. an invalid rename). */
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly code?: number };

/** What the worker reports, for the workspace to forward while `version` is still the document's. */
export interface RemoteEvents {
  message(message: Extract<FromAnalysisWorker, { version: number }>): void;
  /** The worker died (out of memory, or a crash outside any guarded stage). */
  died(reason: string): void;
}

export class QueryFailure extends Error {
  constructor(message: string, readonly code: number | undefined) {
    super(message);
  }
}

/** The heap a document's worker may use: a file that needs more is refused with DS204, the server lives on. */
const WORKER_HEAP_MB = 2048;

/**
 * A big document analysed in a worker thread of its own, so that parsing,
 * checking and simulating it never blocks the requests of other documents.
 * Versions are coalesced: while the worker parses one, newer ones replace
 * each other here and only the newest is sent when it is done. A query is
 * sent after the text of its version (messages reach the worker in order),
 * so it is answered from that version or a newer one. Closing the document
 * terminates the worker, which frees everything it held.
 */
export class RemoteDocument {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly answers = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  /** The newest version sent, and whether the worker is still parsing it. */
  private sent = -1;
  private parsing = false;
  private waiting: Extract<ToAnalysisWorker, { type: 'analyse' }> | undefined;
  private queued: { readonly version: number; readonly message: ToAnalysisWorker }[] = [];
  private dead = false;

  constructor(uri: string, script: string, private readonly events: RemoteEvents, followed: boolean) {
    const data: AnalysisWorkerData = { uri };
    this.worker = new Worker(script, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.worker.on('message', (m: FromAnalysisWorker) => this.receive(m));
    this.worker.on('error', (e: Error & { code?: string }) => this.die(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needs more than ${WORKER_HEAP_MB} MB of memory` : e.message));
    this.worker.on('exit', () => this.die('the analysis stopped unexpectedly'));
    // The connection keeps the server alive, not its workers (an in-process server's host may end).
    this.worker.unref();
    if (followed) this.follow(true);
  }

  /** The newest version handed over (sent or waiting to be sent), -1 before any. */
  get latest(): number {
    return this.waiting?.version ?? this.sent;
  }

  get alive(): boolean {
    return !this.dead;
  }

  analyse(version: number, text: string, settings: DsyncSettings): void {
    this.waiting = { type: 'analyse', version, text, settings };
    if (!this.parsing) this.sendWaiting();
  }

  /** Answers `query` from version `version` (or a newer one); rejects with QueryFailure when it threw or the worker died. */
  query(version: number, query: DocumentQuery): Promise<unknown> {
    if (this.dead) return Promise.reject(new QueryFailure('the document could not be analysed', undefined));
    const id = this.nextId++;
    const message: ToAnalysisWorker = { type: 'query', id, query };
    const answer = new Promise<unknown>((resolve, reject) => this.answers.set(id, { resolve, reject }));
    if (version <= this.sent) this.worker.postMessage(message);
    else this.queued.push({ version, message });
    return answer;
  }

  follow(followed: boolean): void {
    if (!this.dead) this.worker.postMessage({ type: 'follow', followed } satisfies ToAnalysisWorker);
  }

  dispose(): void {
    this.dead = true;
    this.failAll('the document was closed');
    void this.worker.terminate();
  }

  private sendWaiting(): void {
    const next = this.waiting;
    if (!next || this.dead) return;
    this.waiting = undefined;
    this.sent = next.version;
    this.parsing = true;
    this.worker.postMessage(next);
    const ready = this.queued.filter((q) => q.version <= next.version);
    this.queued = this.queued.filter((q) => q.version > next.version);
    for (const q of ready) this.worker.postMessage(q.message);
  }

  private receive(m: FromAnalysisWorker): void {
    switch (m.type) {
      case 'answer':
      case 'failed': {
        const waiter = this.answers.get(m.id);
        this.answers.delete(m.id);
        if (m.type === 'answer') waiter?.resolve(m.result);
        else waiter?.reject(new QueryFailure(m.message, m.code));
        return;
      }
      case 'checked':
        if (m.version === this.sent) {
          this.parsing = false;
          this.sendWaiting();
        }
        return;
      default:
        this.events.message(m);
    }
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.failAll(reason);
    void this.worker.terminate();
    this.events.died(reason);
  }

  private failAll(reason: string): void {
    for (const waiter of this.answers.values()) waiter.reject(new QueryFailure(reason, undefined));
    this.answers.clear();
    this.queued = [];
  }
}
