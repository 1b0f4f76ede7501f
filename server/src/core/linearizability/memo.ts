/**
 * The memo cache of Lowe's algorithm: the configurations (set of linearized
 * operations, model state) the search has already explored. Looked up once
 * per search step, so it must not build a key proportional to the history:
 * the set is identified by two 32-bit Zobrist hashes kept up to date as bits
 * flip (O(1) per step), the state by the model's 32-bit hash. A chain holds
 * every configuration whose hashes share a slot, and membership is decided by
 * exact comparison (the hashes, then the set's words and `sameState`), so a
 * hash collision can cost time but never a wrong verdict.
 *
 * Operations of unknown outcome ("optional": they may take effect or not)
 * get a second rule, subsumption: a configuration is also known to fail when
 * a finished one (every continuation tried, none got through) has the same
 * state and a set that differs only by leaving out some optional operations.
 * Whatever order completes the larger set completes the smaller one too (the
 * optional operations it lacks simply never take effect), so the larger one
 * fails as well. Optional operations therefore do not enter the hashes:
 * configurations that differ only in them share a chain, where the rule can
 * find them. Only finished configurations subsume (one still being explored
 * on the search's own path has not failed yet).
 */
export class ConfigurationCache<S> {
  private readonly zobristA: Uint32Array;
  private readonly zobristB: Uint32Array;
  /** The linearized operations that returned, one bit per operation (by index). */
  private readonly words: Uint32Array;
  /** The linearized optional operations, one bit per optional operation (by `ordinal`). */
  private readonly optionalWords: Uint32Array;
  /** Operation index → its bit among the optional ones, or -1 for an operation that returned. */
  private readonly ordinal: Int32Array;
  private hashA = 0;
  private hashB = 0;
  /** Entries live in typed arrays (no object, no Map entry each): chained hashing, `heads` indexed by the low bits of the key. */
  private heads = new Int32Array(1 << 12).fill(-1);
  private next = new Int32Array(1 << 12);
  private keys = new Uint32Array(1 << 12);
  private hashesB = new Uint32Array(1 << 12);
  private stateHashes = new Uint32Array(1 << 12);
  private finished = new Uint8Array(1 << 12);
  /** Every entry's set, `stride` words each, back to back: the optional words, then the others. */
  private pool = new Uint32Array(1 << 14);
  private readonly stride: number;
  private readonly states: S[] = [];
  size = 0;

  /** `optional[i]`: operation i may or may not take effect (see above). */
  constructor(
    optional: readonly boolean[],
    private readonly hashState: (state: S) => number,
    private readonly sameState: (a: S, b: S) => boolean,
  ) {
    const operations = optional.length;
    this.ordinal = new Int32Array(operations).fill(-1);
    this.zobristA = new Uint32Array(operations);
    this.zobristB = new Uint32Array(operations);
    let optionals = 0;
    for (let i = 0; i < operations; i++) {
      if (optional[i]) {
        this.ordinal[i] = optionals++;
      } else {
        this.zobristA[i] = mix32(2 * i + 1);
        this.zobristB[i] = mix32(2 * i + 2 + 0x51ed270b);
      }
    }
    this.words = new Uint32Array(Math.max(1, (operations + 31) >>> 5));
    this.optionalWords = new Uint32Array((optionals + 31) >>> 5);
    this.stride = this.optionalWords.length + this.words.length;
  }

  /** Adds or removes operation `bit` from the current set. */
  flip(bit: number): void {
    const o = this.ordinal[bit]!;
    if (o >= 0) {
      this.optionalWords[o >>> 5] = this.optionalWords[o >>> 5]! ^ (1 << (o & 31));
      return;
    }
    this.words[bit >>> 5] = this.words[bit >>> 5]! ^ (1 << (bit & 31));
    this.hashA = (this.hashA ^ this.zobristA[bit]!) >>> 0;
    this.hashB = (this.hashB ^ this.zobristB[bit]!) >>> 0;
  }

  /** Whether operation `bit` is in the current set. */
  has(bit: number): boolean {
    const o = this.ordinal[bit]!;
    if (o >= 0) return (this.optionalWords[o >>> 5]! & (1 << (o & 31))) !== 0;
    return (this.words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /**
   * Records (current set, `state`) and returns its entry, or -1 when it is
   * already there or a finished entry subsumes it (it is known to fail).
   */
  add(state: S): number {
    const stateHash = this.hashState(state) >>> 0;
    const key = (this.hashA ^ Math.imul(stateHash, 0x9e3779b1)) >>> 0;
    if (this.find(state, stateHash, key)) return -1;
    if (this.size === this.keys.length) this.grow();
    const e = this.size++;
    this.keys[e] = key;
    this.hashesB[e] = this.hashB;
    this.stateHashes[e] = stateHash;
    const at = e * this.stride;
    if (at + this.stride > this.pool.length) this.pool = grown(this.pool, Math.max(this.pool.length * 2, at + this.stride));
    this.pool.set(this.optionalWords, at);
    this.pool.set(this.words, at + this.optionalWords.length);
    this.states.push(state);
    const slot = key & (this.heads.length - 1);
    this.next[e] = this.heads[slot]!;
    this.heads[slot] = e;
    return e;
  }

  /**
   * Whether (current set, `state`) is already recorded or subsumed by a
   * finished entry, without recording it: for configurations whose search
   * is restricted (search.ts: the step after an operation of unknown
   * outcome), which must not stand for the unrestricted one.
   */
  known(state: S): boolean {
    const stateHash = this.hashState(state) >>> 0;
    return this.find(state, stateHash, (this.hashA ^ Math.imul(stateHash, 0x9e3779b1)) >>> 0);
  }

  private find(state: S, stateHash: number, key: number): boolean {
    for (let e = this.heads[key & (this.heads.length - 1)]!; e >= 0; e = this.next[e]!) {
      if (this.keys[e] !== key || this.hashesB[e] !== this.hashB || this.stateHashes[e] !== stateHash) continue;
      const relation = this.compareOptional(e * this.stride);
      if (relation === DIFFERENT || (relation === FEWER_OPTIONAL && this.finished[e] === 0)) continue;
      if (this.sameWords(e * this.stride + this.optionalWords.length) && this.sameState(this.states[e]!, state)) return true;
    }
    return false;
  }

  /** Entry `e` has been explored to the end without success: from now on it subsumes (see above). */
  finish(e: number): void {
    this.finished[e] = 1;
  }

  /** How the optional operations stored at `at` in the pool relate to the current ones: the same, fewer, or neither. */
  private compareOptional(at: number): Relation {
    let relation: Relation = SAME;
    for (let i = 0; i < this.optionalWords.length; i++) {
      const stored = this.pool[at + i]!;
      const current = this.optionalWords[i]!;
      if (stored === current) continue;
      if ((stored & ~current) !== 0) return DIFFERENT;
      relation = FEWER_OPTIONAL;
    }
    return relation;
  }

  /** Whether the other operations stored at `at` in the pool are the current ones. */
  private sameWords(at: number): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.pool[at + i] !== this.words[i]) return false;
    return true;
  }

  /** Doubles the entry arrays and rehashes the chains (the table stays at one slot per entry). */
  private grow(): void {
    const capacity = this.keys.length * 2;
    this.keys = grown(this.keys, capacity);
    this.hashesB = grown(this.hashesB, capacity);
    this.stateHashes = grown(this.stateHashes, capacity);
    const finished = new Uint8Array(capacity);
    finished.set(this.finished);
    this.finished = finished;
    this.next = new Int32Array(capacity);
    this.heads = new Int32Array(capacity).fill(-1);
    for (let e = 0; e < this.size; e++) {
      const slot = this.keys[e]! & (capacity - 1);
      this.next[e] = this.heads[slot]!;
      this.heads[slot] = e;
    }
  }
}

type Relation = 0 | 1 | 2;
const DIFFERENT = 0;
const SAME = 1;
/** The stored set has some of the current optional operations, and no other. */
const FEWER_OPTIONAL = 2;

function grown<T extends Uint32Array>(a: T, length: number): T {
  const b = new Uint32Array(length);
  b.set(a);
  return b as T;
}

/** A fixed 32-bit mixer (murmur3's finalizer): deterministic pseudo-random words, no Math.random. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units: the state hash of string states. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
