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
  /** The linearized operations that returned, one bit each, at their rank by call time among them (`position`). */
  private readonly words: WindowedBits;
  /** The linearized optional operations, one bit each, at their rank by call time among them (`position`). */
  private readonly optionalWords: WindowedBits;
  /** Operation index → its bit in `words` or `optionalWords`. */
  private readonly position: Int32Array;
  private readonly optional: Uint8Array;
  private hashA = 0;
  private hashB = 0;
  /** Entries live in typed arrays (no object, no Map entry each): chained hashing, `heads` indexed by the low bits of the key. */
  private heads = new Int32Array(1 << 12).fill(-1);
  private next = new Int32Array(1 << 12);
  private keys = new Uint32Array(1 << 12);
  private hashesB = new Uint32Array(1 << 12);
  private stateHashes = new Uint32Array(1 << 12);
  private finished = new Uint8Array(1 << 12);
  /**
   * Every entry's set, stored as the two windows (see WindowedBits) back to
   * back in one shared arena: `at[e]` is where entry e starts; its optional
   * window covers words [optionalFrom, optionalTo), then its window of the
   * others words [from, to). The search is depth-first in time order, so
   * the window of a configuration is the few words around its frontier, not
   * the whole history: a few words per entry instead of one bit per operation.
   */
  private arena = new Uint32Array(1 << 14);
  private arenaUsed = 0;
  private at = new Int32Array(1 << 12);
  private optionalFrom = new Int32Array(1 << 12);
  private optionalTo = new Int32Array(1 << 12);
  private from = new Int32Array(1 << 12);
  private to = new Int32Array(1 << 12);
  private readonly states: S[] = [];
  size = 0;

  /**
   * `optional[i]`: operation i may or may not take effect (see above).
   * `callTimes[i]`: when operation i was called; bits are laid out in call
   * order so that the linearized set is a run of full words, a short window,
   * then empty words (only the window is stored per entry). Any layout is
   * correct; this one is compact.
   */
  constructor(
    optional: readonly boolean[],
    callTimes: readonly number[],
    private readonly hashState: (state: S) => number,
    private readonly sameState: (a: S, b: S) => boolean,
  ) {
    const operations = optional.length;
    this.position = new Int32Array(operations);
    this.optional = new Uint8Array(operations);
    this.zobristA = new Uint32Array(operations);
    this.zobristB = new Uint32Array(operations);
    const byCall = [...optional.keys()].sort((a, b) => callTimes[a]! - callTimes[b]! || a - b);
    let optionals = 0;
    let returned = 0;
    for (const i of byCall) {
      if (optional[i]) {
        this.optional[i] = 1;
        this.position[i] = optionals++;
      } else {
        this.position[i] = returned++;
        this.zobristA[i] = mix32(2 * i + 1);
        this.zobristB[i] = mix32(2 * i + 2 + 0x51ed270b);
      }
    }
    // Below the window: every returned operation is linearized (full words); no optional one needs to be.
    this.words = new WindowedBits(returned, true);
    this.optionalWords = new WindowedBits(optionals, false);
  }

  /** Adds or removes operation `bit` from the current set. */
  flip(bit: number): void {
    if (this.optional[bit] === 1) {
      this.optionalWords.flip(this.position[bit]!);
      return;
    }
    this.words.flip(this.position[bit]!);
    this.hashA = (this.hashA ^ this.zobristA[bit]!) >>> 0;
    this.hashB = (this.hashB ^ this.zobristB[bit]!) >>> 0;
  }

  /** Whether operation `bit` is in the current set. */
  has(bit: number): boolean {
    return (this.optional[bit] === 1 ? this.optionalWords : this.words).has(this.position[bit]!);
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
    const optional = this.optionalWords;
    const words = this.words;
    const length = optional.to - optional.from + (words.to - words.from);
    if (this.arenaUsed + length > this.arena.length) this.arena = grown(this.arena, Math.max(this.arena.length * 2, this.arenaUsed + length));
    const at = this.arenaUsed;
    this.at[e] = at;
    this.optionalFrom[e] = optional.from;
    this.optionalTo[e] = optional.to;
    this.from[e] = words.from;
    this.to[e] = words.to;
    this.arena.set(optional.words.subarray(optional.from, optional.to), at);
    this.arena.set(words.words.subarray(words.from, words.to), at + optional.to - optional.from);
    this.arenaUsed = at + length;
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
      if (this.from[e] !== this.words.from || this.to[e] !== this.words.to) continue;
      const relation = this.compareOptional(e);
      if (relation === DIFFERENT || (relation === FEWER_OPTIONAL && this.finished[e] === 0)) continue;
      if (this.sameWords(this.at[e]! + this.optionalTo[e]! - this.optionalFrom[e]!) && this.sameState(this.states[e]!, state)) return true;
    }
    return false;
  }

  /** Entry `e` has been explored to the end without success: from now on it subsumes (see above). */
  finish(e: number): void {
    this.finished[e] = 1;
  }

  /** How entry e's optional operations relate to the current ones: the same, fewer, or neither (outside both windows every word is 0). */
  private compareOptional(e: number): Relation {
    const current = this.optionalWords;
    const from = this.optionalFrom[e]!;
    const to = this.optionalTo[e]!;
    const base = this.at[e]! - from;
    let relation: Relation = SAME;
    for (let i = Math.min(from, current.from), end = Math.max(to, current.to); i < end; i++) {
      const stored = i >= from && i < to ? this.arena[base + i]! : 0;
      const now = current.words[i]!;
      if (stored === now) continue;
      if ((stored & ~now) !== 0) return DIFFERENT;
      relation = FEWER_OPTIONAL;
    }
    return relation;
  }

  /** Whether the window stored at `at` in the arena is the current one (the bounds were compared already). */
  private sameWords(at: number): boolean {
    const { words, from, to } = this.words;
    for (let i = from; i < to; i++) if (this.arena[at + i - from] !== words[i]) return false;
    return true;
  }

  /** Doubles the entry arrays and rehashes the chains (the table stays at one slot per entry). */
  private grow(): void {
    const capacity = this.keys.length * 2;
    this.keys = grown(this.keys, capacity);
    this.hashesB = grown(this.hashesB, capacity);
    this.stateHashes = grown(this.stateHashes, capacity);
    this.at = grownInt(this.at, capacity);
    this.optionalFrom = grownInt(this.optionalFrom, capacity);
    this.optionalTo = grownInt(this.optionalTo, capacity);
    this.from = grownInt(this.from, capacity);
    this.to = grownInt(this.to, capacity);
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

/**
 * A bitset with its window kept up to date as bits flip: the words before
 * `from` all equal their fill (every bit set when `filledBelow`, else 0) and
 * the words from `to` on are all 0, so the words in [from, to) determine the
 * set. Canonical (same set, same window), so two sets are equal exactly when
 * their windows and the words in them are. Flips near the window cost O(1);
 * the window moves by scanning over words that changed state.
 */
class WindowedBits {
  readonly words: Uint32Array;
  /** Per word, its value below the window. */
  private readonly fill: Uint32Array;
  /** The first word that differs from its fill (words.length when none). */
  private first: number;
  /** One past the last word that is not 0. */
  to = 0;

  constructor(bits: number, filledBelow: boolean) {
    const count = (bits + 31) >>> 5;
    this.words = new Uint32Array(count);
    this.fill = new Uint32Array(count);
    if (filledBelow) {
      this.fill.fill(0xffffffff);
      if (bits & 31) this.fill[count - 1] = (1 << (bits & 31)) - 1;
    }
    this.first = filledBelow ? 0 : count;
  }

  /** Where the window starts (an empty set has the empty window [0, 0)). */
  get from(): number {
    return Math.min(this.first, this.to);
  }

  has(bit: number): boolean {
    return (this.words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  flip(bit: number): void {
    const { words, fill } = this;
    const w = bit >>> 5;
    const value = (words[w]! ^ (1 << (bit & 31))) >>> 0;
    words[w] = value;
    if (value === fill[w]) {
      if (w === this.first) while (this.first < words.length && words[this.first] === fill[this.first]) this.first++;
    } else if (w < this.first) {
      this.first = w;
    }
    if (value !== 0) {
      if (w >= this.to) this.to = w + 1;
    } else if (w === this.to - 1) {
      while (this.to > 0 && words[this.to - 1] === 0) this.to--;
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

function grownInt(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
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
