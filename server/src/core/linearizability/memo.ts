/**
 * The memo cache of Lowe's algorithm: the configurations (set of linearized
 * operations, model state) the search has already explored. Looked up once
 * per search step, so it must not build a key proportional to the history:
 * the set is identified by two 32-bit Zobrist hashes kept up to date as bits
 * flip (O(1) per step), the state by the model's 32-bit hash. A bucket holds
 * every configuration with the same hashes, and membership is decided by
 * exact comparison (the set's words and `sameState`), so a hash collision
 * can cost time but never a wrong verdict.
 */
export class ConfigurationCache<S> {
  private readonly buckets = new Map<number, Stored<S>[]>();
  private readonly zobristA: Uint32Array;
  private readonly zobristB: Uint32Array;
  /** The set of linearized operations, one bit per operation. */
  readonly words: Uint32Array;
  private hashA = 0;
  private hashB = 0;
  size = 0;

  constructor(
    operations: number,
    private readonly hashState: (state: S) => number,
    private readonly sameState: (a: S, b: S) => boolean,
  ) {
    this.words = new Uint32Array((operations + 31) >>> 5);
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

  /** Records (current set, `state`); false when it was already there. */
  add(state: S): boolean {
    const stateHash = this.hashState(state) >>> 0;
    const key = (this.hashA ^ Math.imul(stateHash, 0x9e3779b1)) >>> 0;
    const bucket = this.buckets.get(key);
    if (bucket) {
      for (const c of bucket) if (c.hashB === this.hashB && c.stateHash === stateHash && sameWords(c.words, this.words) && this.sameState(c.state, state)) return false;
    }
    const stored: Stored<S> = { hashB: this.hashB, stateHash, words: this.words.slice(), state };
    if (bucket) bucket.push(stored);
    else this.buckets.set(key, [stored]);
    this.size++;
    return true;
  }
}

interface Stored<S> {
  readonly hashB: number;
  readonly stateHash: number;
  readonly words: Uint32Array;
  readonly state: S;
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
