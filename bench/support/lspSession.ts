/**
 * A language server in its own process, driven over JSON-RPC on stdio the
 * way an editor drives it, for the benchmarks: notifications are recorded
 * with their arrival time, and the server's resident memory is sampled
 * while it works so the peak is seen, not only what is left after a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import {
  createProtocolConnection, PublishDiagnosticsNotification, StreamMessageReader, StreamMessageWriter,
  type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/** How often the resident set is sampled. */
const RSS_SAMPLE_MS = 10;

export interface Published {
  readonly params: PublishDiagnosticsParams;
  readonly at: number;
}

export class LspSession {
  readonly connection: ProtocolConnection;
  private readonly server: ChildProcess;
  private readonly sampler: NodeJS.Timeout;
  private peakRssKb = 0;
  private readonly listeners = new Set<(method: string, params: unknown, at: number) => void>();

  private constructor(command: string, args: readonly string[], configuration: unknown, notifications: readonly string[], env: Readonly<Record<string, string>>) {
    this.server = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    this.connection = createProtocolConnection(new StreamMessageReader(this.server.stdout!), new StreamMessageWriter(this.server.stdin!));
    const notify = (method: string, params: unknown): void => {
      const at = performance.now();
      for (const l of [...this.listeners]) l(method, params, at);
    };
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => notify(PublishDiagnosticsNotification.method, p));
    for (const method of notifications) this.connection.onNotification(method, (params: unknown) => notify(method, params));
    this.connection.onRequest('workspace/configuration', () => [configuration]);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
    this.sampler = setInterval(() => this.sample(), RSS_SAMPLE_MS);
  }

  /**
   * Starts a server and runs the LSP handshake. Diagnostics are always
   * recorded; `notifications` names the other server notifications to record;
   * `env` is added to this process's environment for the server.
   */
  static async start(command: string, args: readonly string[], { configuration = {} as unknown, notifications = [] as readonly string[], env = {} as Readonly<Record<string, string>> } = {}): Promise<LspSession> {
    const session = new LspSession(command, args, configuration, notifications, env);
    await session.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await session.connection.sendNotification('initialized', {});
    return session;
  }

  /** Resolves with the first notification (and its arrival time) for which `match` returns a value. */
  waitFor<T>(match: (method: string, params: unknown) => T | undefined, timeoutMs = 300_000): Promise<{ value: T; at: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no answer from the language server within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const listener = (method: string, params: unknown, at: number): void => {
        const value = match(method, params);
        if (value === undefined) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve({ value, at });
      };
      this.listeners.add(listener);
    });
  }

  /** Every notification until the returned function is called. */
  record(): () => { method: string; params: unknown; at: number }[] {
    const seen: { method: string; params: unknown; at: number }[] = [];
    const listener = (method: string, params: unknown, at: number): void => void seen.push({ method, params, at });
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      return seen;
    };
  }

  /** The largest resident set sampled so far, and the kernel's high-water mark (VmHWM), in MB. */
  memory(): { peakSampledMb: number; highWaterMb: number; nowMb: number } {
    const status = this.status();
    this.sample(status);
    const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { peakSampledMb: this.peakRssKb / 1024, highWaterMb: kb('VmHWM') / 1024, nowMb: kb('VmRSS') / 1024 };
  }

  dispose(): void {
    clearInterval(this.sampler);
    this.connection.dispose();
    this.server.kill();
  }

  private status(): string {
    try {
      return fs.readFileSync(`/proc/${this.server.pid}/status`, 'utf8');
    } catch {
      return '';
    }
  }

  private sample(status = this.status()): void {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    if (kb > this.peakRssKb) this.peakRssKb = kb;
  }
}
