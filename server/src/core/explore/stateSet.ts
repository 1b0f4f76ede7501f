/**
 * A set of state hashes (integers in [0, 2^53)), for exploration coverage.
 * Open addressing with linear probing over a Float64Array, kept at most
 * half full. A Set<number> would hold each such hash as a heap object (they
 * are past the small-integer range): with tens of thousands of states it
 * cost more than hashing them.
 */
export class StateSet {
  /** hash + 1 per slot; 0 marks an empty slot. */
  private table = new Float64Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `hash`; true when it was not in the set. */
  add(hash: number): boolean {
    const stored = hash + 1;
    const table = this.table;
    const mask = table.length - 1;
    // `hash & mask`: the low bits (ToInt32 takes the hash modulo 2^32).
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = table[i]!;
      if (slot === stored) return false;
      if (slot === 0) {
        table[i] = stored;
        if (++this.count * 2 > table.length) this.grow();
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    const table = new Float64Array(old.length * 2);
    const mask = table.length - 1;
    for (const stored of old) {
      if (stored === 0) continue;
      let i = (stored - 1) & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = stored;
    }
    this.table = table;
  }
}
