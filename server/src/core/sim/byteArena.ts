/**
 * A growable byte arena for the recorded trace (traceStore.ts): numbers
 * written as variable-length integers (7 bits a byte, low bits first), in
 * chunks of CHUNK bytes (unless told otherwise). The first chunk starts small and doubles up to
 * CHUNK (most runs are short), later ones are allocated whole, so growing
 * never copies more than one chunk.
 *
 * A position is `chunk index × chunk bytes + offset` and stays valid for good.
 * Writers `reserve` the most bytes they will write before writing; a
 * reservation that does not fit the current chunk starts the next one (the
 * rest of the current one is left unused), so what is written after one
 * reservation is never split across chunks and reads need no chunk test.
 *
 * `putNumber(base, value)` stores any number exactly, as its difference
 * from `base` when that is an integer of at most 50 bits (one byte for a
 * difference within ±31), else as its float64 bits: the trace stores most
 * fields as a small difference from a value the reader already has.
 *
 * One read cursor: `seek`, then `getUvarint` / `getNumber` in the order the
 * values were written.
 */
export class ByteArena {
  private readonly chunks: Uint8Array[];
  /** The chunk written to, its index and the offset of the next byte. */
  private chunk: Uint8Array;
  private chunkIndex = 0;
  private at = 0;
  /** The read cursor: its chunk and offset. */
  private readChunk: Uint8Array;
  private readIndex = 0;
  private readAt = 0;
  private readonly f64 = new Float64Array(1);
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);

  /** `chunkBytes`: bytes per chunk, the most one reservation can take (CHUNK unless told). */
  constructor(private readonly chunkBytes = CHUNK) {
    this.chunk = new Uint8Array(Math.min(FIRST, chunkBytes));
    this.chunks = [this.chunk];
    this.readChunk = this.chunk;
  }

  /** Where the next byte goes. */
  get position(): number {
    return this.chunkIndex * this.chunkBytes + this.at;
  }

  /** Bytes written (including what reservations skipped at the ends of chunks). */
  get used(): number {
    return this.position;
  }

  /** Bytes the arena's chunks hold (capacity). */
  get bytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) bytes += chunk.byteLength;
    return bytes;
  }

  /** Makes room for `n` more bytes (n ≤ this.chunkBytes) in the current chunk, or starts the next one. */
  reserve(n: number): void {
    if (this.at + n <= this.chunk.length) return;
    if (n > this.chunkBytes) throw new Error(`a byte arena reservation of ${n} bytes exceeds its chunk of ${this.chunkBytes}`);
    if (this.chunk.length < this.chunkBytes && this.at + n <= this.chunkBytes) {
      let length = this.chunk.length * 2;
      while (length < this.at + n) length *= 2;
      const grown = new Uint8Array(Math.min(this.chunkBytes, length));
      grown.set(this.chunk);
      this.chunk = grown;
      this.chunks[this.chunkIndex] = grown;
      return;
    }
    this.chunk = new Uint8Array(this.chunkBytes);
    this.chunks.push(this.chunk);
    this.chunkIndex++;
    this.at = 0;
  }

  /** Writes a non-negative integer of at most 53 bits. */
  putUvarint(u: number): void {
    if (u < 0x80) this.chunk[this.at++] = u;
    else this.putLong(u);
  }

  /**
   * Writes `value` exactly, as its difference from `base` when that is a
   * small enough integer (at most NUMBER_BYTES bytes). Kept small so that it
   * is inlined where the trace records (a few calls per event).
   */
  putNumber(base: number, value: number): void {
    const d = value - base;
    // The difference must give `value` back exactly (floats, −0: 0 − 0 loses the sign).
    if ((d | 0) === d && d < SMALL_DIFF && d > -SMALL_DIFF && base + d === value && (value !== 0 || 1 / value > 0)) {
      const u = d >= 0 ? d << 2 : (-d << 2) - 2;
      if (u < 0x80) this.chunk[this.at++] = u;
      else this.putLong(u);
    } else this.putWide(base, value, d);
  }

  /** `putNumber(bases[i], values[i])` for i < n (the trace writes a record's numbers in one call; the common case inline). */
  putNumbers(bases: Float64Array, values: Float64Array, n: number): void {
    const c = this.chunk;
    let a = this.at;
    for (let i = 0; i < n; i++) {
      const base = bases[i]!;
      const value = values[i]!;
      const d = value - base;
      if ((d | 0) === d && d < SMALL_DIFF && d > -SMALL_DIFF && base + d === value && (value !== 0 || 1 / value > 0)) {
        let u = d >= 0 ? d << 2 : (-d << 2) - 2;
        while (u >= 0x80) {
          c[a++] = (u & 0x7f) | 0x80;
          u >>>= 7;
        }
        c[a++] = u;
      } else {
        this.at = a;
        this.putNumber(base, value);
        a = this.at;
      }
    }
    this.at = a;
  }

  /** The zigzag codes of `words` (zigzag), one after another. */
  putZigzags(words: Int32Array): void {
    const c = this.chunk;
    let a = this.at;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let u = ((w << 1) ^ (w >> 31)) >>> 0;
      while (u >= 0x80) {
        c[a++] = (u & 0x7f) | 0x80;
        u >>>= 7;
      }
      c[a++] = u;
    }
    this.at = a;
  }

  /** putNumber for a difference of 29 bits or more, a fraction, or −0. */
  private putWide(base: number, value: number, d: number): void {
    if (Number.isSafeInteger(d) && d <= DIFF_LIMIT && d >= -DIFF_LIMIT && base + d === value && (value !== 0 || 1 / value > 0)) {
      this.putLong(d >= 0 ? d * 4 : -d * 4 - 2);
      return;
    }
    this.chunk[this.at++] = 1;
    this.f64[0] = value;
    this.chunk.set(this.f64Bytes, this.at);
    this.at += 8;
  }

  /** putUvarint for 0x80 and above. */
  private putLong(u: number): void {
    const c = this.chunk;
    let a = this.at;
    if (u < 0x80000000) {
      while (u >= 0x80) {
        c[a++] = (u & 0x7f) | 0x80;
        u >>>= 7;
      }
    } else {
      while (u >= 0x80) {
        c[a++] = (u % 128) | 0x80;
        u = Math.floor(u / 128);
      }
    }
    c[a++] = u;
    this.at = a;
  }

  /** Moves the read cursor to `position`. */
  seek(position: number): void {
    const index = Math.floor(position / this.chunkBytes);
    this.readChunk = this.chunks[index]!;
    this.readIndex = index;
    this.readAt = position - index * this.chunkBytes;
  }

  /** Where the read cursor is. */
  get readPosition(): number {
    return this.readIndex * this.chunkBytes + this.readAt;
  }

  getUvarint(): number {
    const c = this.readChunk;
    let b = c[this.readAt++]!;
    if (b < 0x80) return b;
    let u = b & 0x7f;
    let scale = 128;
    do {
      b = c[this.readAt++]!;
      u += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    return u;
  }

  /** Moves the read cursor past a number written by `putNumber`. */
  skipNumber(): void {
    if (this.getUvarint() & 1) this.readAt += 8;
  }

  /** The number written by `putNumber(base, …)`. */
  getNumber(base: number): number {
    const u = this.getUvarint();
    if (u & 1) {
      for (let i = 0; i < 8; i++) this.f64Bytes[i] = this.readChunk[this.readAt++]!;
      return this.f64[0]!;
    }
    return base + (u % 4 === 0 ? u / 4 : -(u + 2) / 4);
  }
}

/** Bytes per chunk (64 KiB). */
export const CHUNK = 1 << 16;
const FIRST = 256;
/** Differences below this (in magnitude) take the fast path: their code fits a positive int32. */
const SMALL_DIFF = 1 << 29;
/** Largest difference stored as an integer (its code, 4 × 2^50, is a safe integer). */
const DIFF_LIMIT = 2 ** 50;
/** Most bytes `putNumber` writes: an escape byte and a float64 (a difference takes at most 8). */
export const NUMBER_BYTES = 9;
/** Most bytes `putUvarint` writes for a 32-bit word. */
export const WORD_BYTES = 5;

/** A 32-bit integer's zigzag code (small negative numbers get small codes too), for `putUvarint`. */
export function zigzag(w: number): number {
  return ((w << 1) ^ (w >> 31)) >>> 0;
}

/** The 32-bit integer whose zigzag code is `u`. */
export function unzigzag(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}
