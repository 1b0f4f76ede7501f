import type { Diagnostic as LspDiagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { StatusNotification, type StatusParams } from '../../server/src/shared/requests';
import type { WorkspaceOptions } from '../../server/src/lsp/workspace';
import { LspHarness } from '../lsp/lspClient';

/**
 * An LspHarness that also knows when a document version is settled (the
 * server sent its final status for it) and collects every error the server
 * logged: `guarded` handlers answer with an empty result after an
 * exception, so without the log a crashing feature would look like an
 * empty answer.
 */
export class SettlingLsp {
  readonly harness: LspHarness;
  readonly errors: string[] = [];
  private readonly settled = new Set<string>();
  private readonly waiters = new Map<string, () => void>();

  constructor(settings: unknown, options?: WorkspaceOptions) {
    this.harness = new LspHarness(settings, options);
    this.harness.client.onNotification(StatusNotification, (p: StatusParams) => {
      if (p.state === 'simulating' || p.state === 'checking') return;
      const key = `${p.uri}@${p.version}`;
      this.settled.add(key);
      this.waiters.get(key)?.();
    });
    this.harness.client.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) this.errors.push(p.message);
    });
  }

  /** Initializes and returns once the server has applied the settings (documents opened later use them). */
  async initialize(): Promise<void> {
    await this.harness.initialize();
  }

  open(uri: string, text: string, version = 1): void {
    this.harness.open(uri, text, version);
  }

  /** Sends ranged (incremental) changes for one new version. */
  changeIncrementally(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void {
    void this.harness.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  /** New settings, announced as VS Code does (the server pulls them); forgets what had settled, since everything is re-analysed. */
  changeSettings(settings: unknown): void {
    this.harness.settings = settings;
    this.settled.clear();
    void this.harness.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  close(uri: string): void {
    void this.harness.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Whether the server has sent its final status for `uri` at `version`. */
  isSettled(uri: string, version: number): boolean {
    return this.settled.has(`${uri}@${version}`);
  }

  /** The final diagnostics of `uri` at `version`: those published before its closing status. */
  async settle(uri: string, version: number, timeoutMs = 30_000): Promise<LspDiagnostic[]> {
    const key = `${uri}@${version}`;
    if (!this.settled.has(key)) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${uri} v${version} did not settle within ${timeoutMs}ms`)), timeoutMs);
        this.waiters.set(key, () => {
          clearTimeout(timer);
          this.waiters.delete(key);
          resolve();
        });
      });
    }
    const published = [...this.harness.allPublished()].reverse().find((p) => p.uri === uri && p.version === version);
    if (!published) throw new Error(`${uri} v${version} settled without diagnostics`);
    return published.diagnostics;
  }

  /** A request that must be answered within `timeoutMs` (a hung server fails the property). */
  request<R>(method: string, params: unknown, timeoutMs = 30_000): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${timeoutMs}ms`)), timeoutMs);
    });
    return Promise.race([this.harness.client.sendRequest(method, params) as Promise<R>, timeout]).finally(() => clearTimeout(timer));
  }

  dispose(): void {
    this.harness.dispose();
  }
}
