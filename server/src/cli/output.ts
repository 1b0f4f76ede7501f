import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';

/** Where a command writes: one call per line (the shell adds the newline). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  /**
   * Standard output as a stream, for output too big to be one string (a
   * run's trace): `writeChunks` writes to it with backpressure. Without it
   * (tests), chunks are joined and given to `out`.
   */
  stdout?: NodeJS.WritableStream;
}

/** About this much text is handed to the stream per write. */
const WRITE_BYTES = 1 << 16;

/**
 * Writes the chunks in order to `io.stdout`, waiting for 'drain' whenever
 * the stream's buffer is full, so memory stays bounded whatever the size of
 * the output. Stops quietly when the stream is gone (a reader that went away).
 */
export async function writeChunks(io: Output, chunks: Iterable<string>): Promise<void> {
  const stream = io.stdout;
  if (!stream) {
    let all = '';
    for (const c of chunks) all += c;
    if (all.length > 0) io.out(all.replace(/\n$/, ''));
    return;
  }
  let pending = '';
  const flush = async (): Promise<boolean> => {
    const writable = stream as NodeJS.WritableStream & { destroyed?: boolean };
    if (writable.destroyed) return false;
    const ok = stream.write(pending);
    pending = '';
    if (!ok) await drained(stream);
    return true;
  };
  for (const c of chunks) {
    pending += c;
    if (pending.length >= WRITE_BYTES && !(await flush())) return;
  }
  if (pending.length > 0) await flush();
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

export function printDiagnostics(file: string, diagnostics: readonly Diagnostic[], io: Output): void {
  for (const d of diagnostics) io.err(formatDiagnostic(file, d));
}
