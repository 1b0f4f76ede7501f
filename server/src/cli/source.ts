import * as fs from 'node:fs';
import { printable } from '../core/printable';
import { MAX_FILE_BYTES, sizeCapMessage } from '../core/syntax/parse';

/**
 * Reading a scenario for the CLI: a file named on the command line, or
 * standard input for `-`. The size cap counts bytes (MAX_FILE_BYTES, the
 * editor's rule too): a file is refused from its size alone, without reading
 * it; standard input is read until the cap is passed, no further.
 */
export const STDIN = '-';

/** How a source is named in messages: its path, or `<stdin>`. */
export function displayName(file: string): string {
  return file === STDIN ? '<stdin>' : file;
}

export type Source = { readonly text: string; readonly bom: boolean } | { readonly error: string; readonly code?: 'DS172' };

/** The text without a leading byte order mark (`bom` says whether there was one). */
export function readSource(file: string): Source {
  // Messages name the file: a path may hold control characters too.
  const name = printable(displayName(file));
  let bytes: Buffer;
  if (file === STDIN) {
    const read = readStdin();
    if (read === undefined) return { error: `${name}:1:1: DS172 standard input is over the limit of ${MAX_FILE_BYTES.toLocaleString('en-US')} bytes (8 MiB). Split the scenario.`, code: 'DS172' };
    bytes = read;
  } else {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return { error: `${name}:1:1: cannot read file: no such file` };
    }
    if (!stat.isFile()) return { error: `${name}:1:1: not a regular file` };
    if (stat.size > MAX_FILE_BYTES) return { error: `${name}:1:1: DS172 ${sizeCapMessage(stat.size)}`, code: 'DS172' };
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      return { error: `${name}:1:1: cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  }
  const text = bytes.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff;
  return { text: bom ? text.slice(1) : text, bom };
}

/** Standard input up to the cap; undefined past it. */
function readStdin(): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking pipe with nothing yet: wait a moment (no busy loop).
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_FILE_BYTES) return undefined;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}
