import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, PublishDiagnosticsNotification, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../../server/src/lsp/server';
import type { WorkspaceOptions } from '../../server/src/lsp/workspace';

/** The bundled analysis worker (scripts/test.mjs builds dist/ before the tests): big documents go to it, as in the real server. */
export const ANALYSIS_WORKER = path.join(process.env['DSYNC_ROOT'] ?? process.cwd(), 'dist', 'analysisWorker.js');
export const EXPLORE_WORKER = path.join(process.env['DSYNC_ROOT'] ?? process.cwd(), 'dist', 'exploreJobWorker.js');

/**
 * A language server and a client talking real JSON-RPC over in-memory
 * streams, in this process. The client answers `workspace/configuration`
 * with `settings` and collects every publishDiagnostics.
 */
export class LspHarness {
  readonly client: ProtocolConnection;
  private readonly published: PublishDiagnosticsParams[] = [];
  /** What the server gets when it pulls its settings (on start, and after workspace/didChangeConfiguration). */
  settings: unknown;
  /** Called when the server pulls its settings (see initialize). */
  private settingsPulled: () => void = () => undefined;
  private readonly waiters: { match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  /** `options.analysisWorker: undefined` analyses every document on the server's main thread. */
  constructor(settings: unknown = { seed: null, simulation: { maxEvents: 200000, maxMilliseconds: 5000 } }, options: WorkspaceOptions = { analysisWorker: ANALYSIS_WORKER, exploreWorker: EXPLORE_WORKER }) {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    for (const script of [options.analysisWorker, options.exploreWorker]) if (script && !fs.existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
    startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), options);
    this.client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    this.settings = settings;
    this.client.onRequest('workspace/configuration', () => {
      this.settingsPulled();
      return [this.settings];
    });
    this.client.onRequest('client/registerCapability', () => null);
    this.client.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.match(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.client.listen();
  }

  /**
   * Initializes the server and returns once it works with `settings`: it
   * pulls them after 'initialized', and taking them re-analyses every open
   * document. Without this wait, a document opened at once could be analysed
   * and published with the defaults and then analysed again when the settings
   * arrive, which under load happens after a test has read the first result
   * (a code lens asked for then comes from the new, not yet simulated analysis).
   */
  async initialize(): Promise<void> {
    const pulled = new Promise<void>((resolve) => (this.settingsPulled = resolve));
    await this.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await this.client.sendNotification('initialized', {});
    await pulled;
    // The server handles messages in order: once this is answered, it has taken the settings (the answer to its pull came first).
    await this.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: 'file:///lsp-harness/not-open.dsync' } });
  }

  open(uri: string, text: string, version = 1): void {
    void this.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dsync', version, text } });
  }

  change(uri: string, version: number, text: string): void {
    void this.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** The next diagnostics for `uri` at `version` (or already published ones) that satisfy `match`. */
  diagnostics(uri: string, version: number, match: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const ok = (p: PublishDiagnosticsParams): boolean => p.uri === uri && p.version === version && match(p);
    const done = [...this.published].reverse().find(ok);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs}ms; got ${JSON.stringify(this.published.map((p) => [p.uri, p.version, p.diagnostics.length]))}`)), timeoutMs);
      this.waiters.push({ match: ok, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  allPublished(): readonly PublishDiagnosticsParams[] {
    return this.published;
  }

  dispose(): void {
    this.client.dispose();
  }
}
