import { ByteArena, CHUNK, unzigzag, WORD_BYTES } from './byteArena';

/**
 * The vector clocks of a recorded trace (traceStore.ts). A node's entries
 * other than its own change only when it receives news, so a node's full
 * vector is written again only then (sends, local events and notes reuse the
 * last one, and the event stores its own entry apart). A vector is written
 * as its entries' variable-length zigzag codes in a byte arena (one to three
 * bytes an entry instead of four) and named by its position there.
 */
export class TraceVectors {
  private readonly arena: ByteArena;
  /** Per node, where its last written vector starts (−1: none yet), and that vector's own entry. */
  private readonly last: Float64Array;
  private readonly lastOwn: Int32Array;
  /**
   * Per node, a copy of that vector, so that the comparison every event
   * makes reads a plain array instead of decoding; kept up to COPIED_WIDTH
   * nodes (it holds width² entries), past that the arena is read.
   */
  private readonly copies: Int32Array[] | undefined;

  constructor(private readonly width: number) {
    // A vector is never split across chunks: a chunk holds at least one.
    this.arena = new ByteArena(Math.max(CHUNK, width * WORD_BYTES));
    this.last = new Float64Array(width).fill(-1);
    this.lastOwn = new Int32Array(width);
    this.copies = width <= COPIED_WIDTH ? Array.from({ length: width }, () => new Int32Array(width)) : undefined;
  }

  /** About how many bytes the vectors hold. */
  get bytes(): number {
    return this.arena.used;
  }

  /**
   * Where a vector with `vc`'s entries other than `node`'s starts: the
   * node's last one when those are unchanged, else `vc` written now.
   */
  vectorFor(node: number, vc: Int32Array): number {
    const last = this.last[node]!;
    const copy = this.copies?.[node];
    if (last >= 0 && (copy ? sameOthers(copy, vc, node) : this.sameWritten(last, vc, node))) return last;
    const a = this.arena;
    a.reserve(this.width * WORD_BYTES);
    const at = a.position;
    a.putZigzags(vc);
    if (copy) for (let i = 0; i < this.width; i++) copy[i] = vc[i]!;
    this.last[node] = at;
    this.lastOwn[node] = vc[node]!;
    return at;
  }

  /** The own entry of the vector `vectorFor(node, …)` last returned. */
  lastOwnOf(node: number): number {
    return this.lastOwn[node]!;
  }

  /** Entry `node` of the vector at `at`. */
  entry(at: number, node: number): number {
    const a = this.arena;
    a.seek(at);
    for (let i = 0; i < node; i++) a.getUvarint();
    return unzigzag(a.getUvarint());
  }

  /** The vector at `at`, with entry `node` set to `own`: a new array. */
  vector(at: number, own: number, node: number): Int32Array {
    const a = this.arena;
    a.seek(at);
    const vc = new Int32Array(this.width);
    for (let i = 0; i < this.width; i++) vc[i] = unzigzag(a.getUvarint());
    vc[node] = own;
    return vc;
  }

  /** Whether the vector written at `at` has `vc`'s entries other than `node`'s. */
  private sameWritten(at: number, vc: Int32Array, node: number): boolean {
    const a = this.arena;
    a.seek(at);
    for (let i = 0; i < this.width; i++) if (unzigzag(a.getUvarint()) !== vc[i] && i !== node) return false;
    return true;
  }
}

/**
 * Whether `copy` (a node's last written vector clock) has `vc`'s entries
 * other than `node`'s. The node's own entry in the copy is overwritten
 * first, so the loop compares every entry without a test for the node.
 */
function sameOthers(copy: Int32Array, vc: Int32Array, node: number): boolean {
  copy[node] = vc[node]!;
  for (let i = 0; i < copy.length; i++) if (copy[i] !== vc[i]) return false;
  return true;
}

/** Most nodes for which the store keeps a copy of each node's last vector clock (4 MB of copies at most). */
const COPIED_WIDTH = 1024;
