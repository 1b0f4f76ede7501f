import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection, PublishDiagnosticsNotification, StreamMessageReader, StreamMessageWriter, type CancellationToken, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../../server/src/shared/serverProcess';
import { StatusNotification, type StatusParams } from '../../server/src/shared/requests';

const root = process.env['DSYNC_ROOT'] ?? process.cwd();

/**
 * The bundled language server (dist/server.js) in its own process, started
 * as the extension starts it, and a client talking JSON-RPC to it over
 * stdio. Unlike the in-process LspHarness, a server that blocks its event
 * loop cannot hold up this side's clock, so waits measured here are real.
 */
export class ServerProcess {
  readonly process: ChildProcess;
  readonly client: ProtocolConnection;
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly settled = new Map<string, () => void>();
  private readonly settledKeys = new Set<string>();
  exitCode: number | null | undefined;

  constructor(settings: unknown, script = path.join(root, 'dist', 'server.js')) {
    if (!fs.existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
    this.process = spawn(process.execPath, [...SERVER_EXEC_ARGV, script, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...SERVER_ENV } });
    this.process.on('exit', (code) => (this.exitCode = code));
    this.client = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.client.onRequest('workspace/configuration', () => [settings]);
    this.client.onRequest('client/registerCapability', () => null);
    this.client.onRequest('workspace/codeLens/refresh', () => null);
    this.client.onNotification(PublishDiagnosticsNotification.type, (p) => void this.published.push(p));
    this.client.onNotification(StatusNotification, (p: StatusParams) => {
      if (p.state === 'simulating' || p.state === 'checking') return;
      const key = `${p.uri}@${p.version}`;
      this.settledKeys.add(key);
      this.settled.get(key)?.();
    });
    this.client.listen();
  }

  get pid(): number {
    return this.process.pid!;
  }

  async initialize(): Promise<void> {
    await this.client.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await this.client.sendNotification('initialized', {});
    // A round trip after the configuration is pulled: documents opened from here on use the settings.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await this.request('textDocument/documentSymbol', { textDocument: { uri: 'file:///not-open.dsync' } });
  }

  open(uri: string, text: string, version = 1): void {
    void this.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dsync', version, text } });
  }

  change(uri: string, version: number, contentChanges: unknown[]): void {
    void this.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): void {
    void this.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** A request that must be answered within `timeoutMs`. */
  request<R>(method: string, params: unknown, timeoutMs = 30_000, token?: CancellationToken): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${timeoutMs}ms`)), timeoutMs);
    });
    const sent = (token ? this.client.sendRequest(method, params, token) : this.client.sendRequest(method, params)) as Promise<R>;
    return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
  }

  /** The final diagnostics of `uri` at `version`: those published before its closing status. */
  async settle(uri: string, version: number, timeoutMs = 60_000): Promise<PublishDiagnosticsParams['diagnostics']> {
    const key = `${uri}@${version}`;
    if (!this.settledKeys.has(key)) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${uri} v${version} did not settle within ${timeoutMs}ms`)), timeoutMs);
        this.settled.set(key, () => {
          clearTimeout(timer);
          this.settled.delete(key);
          resolve();
        });
      });
    }
    const published = [...this.published].reverse().find((p) => p.uri === uri && p.version === version);
    if (!published) throw new Error(`${uri} v${version} settled without diagnostics`);
    return published.diagnostics;
  }

  allPublished(): readonly PublishDiagnosticsParams[] {
    return this.published;
  }

  /** Resident memory of the server process (its worker threads included), MB; Linux /proc. */
  residentMb(): number {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  }

  dispose(): void {
    this.client.dispose();
    this.process.kill();
  }
}
