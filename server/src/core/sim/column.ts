/**
 * A growable column of numbers for the columnar trace (traceStore.ts): a
 * typed array per chunk of CHUNK elements. The first chunk starts small and
 * doubles up to CHUNK (most runs are short: exploration and the editor run
 * many small simulations), later chunks are allocated whole, so growing a
 * column of ten million elements never copies it and never holds more than
 * one chunk of slack.
 *
 * Only two element types are used (Float64Array for times, Int32Array for
 * everything else), so the element reads and writes below stay fast
 * (two shapes at most at each access site).
 */
export type ColumnArray = Float64Array | Int32Array;

const SHIFT = 14;
/** Elements per chunk (16 Ki: a column holds at most 64 KB it does not use, which on a run of a few ten thousand events is a good part of its memory). */
export const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
const FIRST = 64;
const SMALL_COPY = 16;

export class Column {
  private readonly chunks: ColumnArray[];

  constructor(private readonly make: (length: number) => ColumnArray) {
    this.chunks = [make(FIRST)];
  }

  static float64(): Column {
    return new Column((n) => new Float64Array(n));
  }

  static int32(): Column {
    return new Column((n) => new Int32Array(n));
  }

  get(i: number): number {
    return this.chunks[i >>> SHIFT]![i & MASK]!;
  }

  /** Element `i`, or 0 when it was never written (past the end). */
  peek(i: number): number {
    const chunk = this.chunks[i >>> SHIFT];
    return chunk === undefined ? 0 : chunk[i & MASK] ?? 0;
  }

  set(i: number, value: number): void {
    const c = i >>> SHIFT;
    const o = i & MASK;
    let chunk = this.chunks[c];
    if (chunk === undefined || o >= chunk.length) chunk = this.grow(c, o);
    chunk[o] = value;
  }

  /** Writes `values` from element `at` on: one copy when they fall in one chunk. */
  setAll(at: number, values: Int32Array): void {
    const n = values.length;
    if (n === 0) return;
    this.set(at + n - 1, values[n - 1]!); // makes room up to the last one
    const o = at & MASK;
    if (o + n <= CHUNK) {
      const chunk = this.chunks[at >>> SHIFT]!;
      // A loop for a few values (a vector clock of a few nodes): TypedArray.set costs more than it copies.
      if (n <= SMALL_COPY) for (let i = 0; i < n - 1; i++) chunk[o + i] = values[i]!;
      else chunk.set(values, o);
    }
    else for (let i = 0; i < n - 1; i++) this.set(at + i, values[i]!);
  }

  /** Bytes the column's arrays hold (capacity, not only what is used). */
  get bytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) bytes += chunk.byteLength;
    return bytes;
  }

  private grow(c: number, o: number): ColumnArray {
    // Only the last chunk ever grows, and only elements at or past its end are asked for.
    while (this.chunks.length <= c) {
      const last = this.chunks[this.chunks.length - 1]!;
      if (last.length < CHUNK) this.chunks[this.chunks.length - 1] = this.copyInto(last, CHUNK);
      this.chunks.push(this.make(this.chunks.length === c ? Math.min(CHUNK, Math.max(FIRST, o + 1)) : CHUNK));
    }
    let chunk = this.chunks[c]!;
    if (o >= chunk.length) {
      let length = chunk.length;
      while (length <= o) length *= 2;
      chunk = this.copyInto(chunk, Math.min(CHUNK, length));
      this.chunks[c] = chunk;
    }
    return chunk;
  }

  private copyInto(from: ColumnArray, length: number): ColumnArray {
    const to = this.make(length);
    to.set(from as never);
    return to;
  }
}
