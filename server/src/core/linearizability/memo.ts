/**
 * The memo cache of Lowe's algorithm: the configurations (set of linearized
 * operations, model state) the search has already explored. Looked up once
 * per search step, so it must not build a key proportional to the history:
 * the set is identified by two 32-bit Zobrist hashes kept up to date as bits
 * flip (O(1) per step), the state by the model's 32-bit hash. A chain holds
 * every configuration whose hashes share a slot, and membership is decided by
 * exact comparison (the hashes, then the set's words and `sameState`), so a
 * hash collision can cost time but never a wrong verdict.
 */
export class ConfigurationCache<S> {
  private readonly zobristA: Uint32Array;
  private readonly zobristB: Uint32Array;
  /** The set of linearized operations, one bit per operation. */
  readonly words: Uint32Array;
  private hashA = 0;
  private hashB = 0;
  /** Entries live in typed arrays (no object, no Map entry each): chained hashing, `heads` indexed by the low bits of the key. */
  private heads = new Int32Array(1 << 12).fill(-1);
  private next = new Int32Array(1 << 12);
  private keys = new Uint32Array(1 << 12);
  private hashesB = new Uint32Array(1 << 12);
  private stateHashes = new Uint32Array(1 << 12);
  /** Every entry's set, `words.length` words each, back to back. */
  private pool = new Uint32Array(1 << 14);
  private readonly states: S[] = [];
  size = 0;

  constructor(
    operations: number,
    private readonly hashState: (state: S) => number,
    private readonly sameState: (a: S, b: S) => boolean,
  ) {
    this.words = new Uint32Array(Math.max(1, (operations + 31) >>> 5));
    this.zobristA = new Uint32Array(operations);
    this.zobristB = new Uint32Array(operations);
    for (let i = 0; i < operations; i++) {
      this.zobristA[i] = mix32(2 * i + 1);
      this.zobristB[i] = mix32(2 * i + 2 + 0x51ed270b);
    }
  }

  /** Adds or removes operation `bit` from the current set. */
  flip(bit: number): void {
    this.words[bit >>> 5] = this.words[bit >>> 5]! ^ (1 << (bit & 31));
    this.hashA = (this.hashA ^ this.zobristA[bit]!) >>> 0;
    this.hashB = (this.hashB ^ this.zobristB[bit]!) >>> 0;
  }

  /** Whether operation `bit` is in the current set. */
  has(bit: number): boolean {
    return (this.words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /** Records (current set, `state`); false when it was already there. */
  add(state: S): boolean {
    const stateHash = this.hashState(state) >>> 0;
    const key = (this.hashA ^ Math.imul(stateHash, 0x9e3779b1)) >>> 0;
    const n = this.words.length;
    for (let e = this.heads[key & (this.heads.length - 1)]!; e >= 0; e = this.next[e]!) {
      if (this.keys[e] !== key || this.hashesB[e] !== this.hashB || this.stateHashes[e] !== stateHash) continue;
      if (this.sameSet(e * n) && this.sameState(this.states[e]!, state)) return false;
    }
    if (this.size === this.keys.length) this.grow();
    const e = this.size++;
    this.keys[e] = key;
    this.hashesB[e] = this.hashB;
    this.stateHashes[e] = stateHash;
    if ((e + 1) * n > this.pool.length) this.pool = grown(this.pool, Math.max(this.pool.length * 2, (e + 1) * n));
    this.pool.set(this.words, e * n);
    this.states.push(state);
    const slot = key & (this.heads.length - 1);
    this.next[e] = this.heads[slot]!;
    this.heads[slot] = e;
    return true;
  }

  /** Whether the set stored at `at` in the pool is the current one. */
  private sameSet(at: number): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.pool[at + i] !== this.words[i]) return false;
    return true;
  }

  /** Doubles the entry arrays and rehashes the chains (the table stays at one slot per entry). */
  private grow(): void {
    const capacity = this.keys.length * 2;
    this.keys = grown(this.keys, capacity);
    this.hashesB = grown(this.hashesB, capacity);
    this.stateHashes = grown(this.stateHashes, capacity);
    this.next = new Int32Array(capacity);
    this.heads = new Int32Array(capacity).fill(-1);
    for (let e = 0; e < this.size; e++) {
      const slot = this.keys[e]! & (capacity - 1);
      this.next[e] = this.heads[slot]!;
      this.heads[slot] = e;
    }
  }
}

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
