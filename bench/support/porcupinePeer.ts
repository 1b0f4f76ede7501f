import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';

/**
 * The Porcupine checker (github.com/anishathalye/porcupine, Go) run beside
 * ours by bench/linPorcupine.bench.ts. It is not part of this repository:
 * the bench's header comment says how to build it outside. This is the
 * contract the built harness keeps, in its `-serve` mode: one JSON request
 * a line on standard input,
 *   {"file": "/abs/path", "model": "cas-register" | "append-kv", "timeoutMs": 60000}
 * and one JSON answer a line on standard output, in order,
 *   {"verdict": "Ok" | "Illegal" | "Unknown", "operations": N,
 *    "checkCpuMs": ms, "checkWallMs": ms, "parseCpuMs": ms, "error"?: "..."}
 * where the CPU times are user + system time of the harness process (every
 * thread: Porcupine checks partitions in parallel goroutines, and Go's
 * collector runs beside them) over the check alone and the parse alone.
 */
export interface PeerAnswer {
  readonly verdict: 'Ok' | 'Illegal' | 'Unknown';
  readonly operations: number;
  readonly checkCpuMs: number;
  readonly checkWallMs: number;
  readonly parseCpuMs: number;
  readonly error?: string;
}

/** One long-lived harness process: the Go runtime and its heap stay warm between checks. */
export class PorcupinePeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (a: PeerAnswer) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';
  private exited: Error | undefined;

  constructor(binary: string) {
    this.child = spawn(binary, ['-serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    this.child.on('error', (error) => this.fail(new Error(`Porcupine peer ${binary}: ${error.message}`)));
    this.child.on('exit', (code, signal) => this.fail(new Error(`Porcupine peer ${binary} exited (${code ?? signal})${this.stderr ? `: ${this.stderr.trim()}` : ''}`)));
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (!next) return;
      try {
        next.resolve(parseAnswer(line));
      } catch (error) {
        next.reject(error as Error);
      }
    });
  }

  /** Porcupine's verdict and times for one file (rejects when the harness reports an error or dies). */
  check(file: string, model: 'cas-register' | 'append-kv', timeoutMs: number): Promise<PeerAnswer> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ file, model, timeoutMs })}\n`);
    });
  }

  close(): void {
    this.exited ??= new Error('Porcupine peer closed');
    this.child.stdin.end();
  }

  private fail(error: Error): void {
    if (this.exited) return;
    this.exited = error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}

function parseAnswer(line: string): PeerAnswer {
  const a = JSON.parse(line) as Partial<PeerAnswer>;
  if (a.error) throw new Error(`Porcupine peer: ${a.error}`);
  if ((a.verdict !== 'Ok' && a.verdict !== 'Illegal' && a.verdict !== 'Unknown') || typeof a.checkCpuMs !== 'number' || typeof a.checkWallMs !== 'number') {
    throw new Error(`Porcupine peer: not an answer of the expected form: ${line.slice(0, 200)}`);
  }
  return { verdict: a.verdict, operations: a.operations ?? 0, checkCpuMs: a.checkCpuMs, checkWallMs: a.checkWallMs, parseCpuMs: a.parseCpuMs ?? 0 };
}
