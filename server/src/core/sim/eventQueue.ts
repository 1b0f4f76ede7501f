/**
 * A binary min-heap of scheduled events ordered by (time, phase, seq):
 * equal times keep insertion order, and phase 1 (observations such as
 * `expect … at 1s`) runs after everything else scheduled for that instant.
 * Stored in parallel arrays to keep the hot loop free of allocation.
 */
export class EventQueue<T> {
  private times: number[] = [];
  private keys: number[] = [];
  private items: T[] = [];
  private counter = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, item: T, phase: 0 | 1 = 0): void {
    const key = phase * 2 ** 50 + this.counter++;
    let i = this.items.length;
    this.times.push(time);
    this.keys.push(key);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(time, key, this.times[parent]!, this.keys[parent]!)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, time, key, item);
  }

  peekTime(): number {
    return this.items.length > 0 ? this.times[0]! : Infinity;
  }

  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0]!;
    const lastTime = this.times.pop()!;
    const lastKey = this.keys.pop()!;
    const lastItem = this.items.pop()!;
    if (n > 1) {
      let i = 0;
      const size = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && this.less(this.times[r]!, this.keys[r]!, this.times[l]!, this.keys[l]!) ? r : l;
        if (!this.less(this.times[c]!, this.keys[c]!, lastTime, lastKey)) break;
        this.move(c, i);
        i = c;
      }
      this.set(i, lastTime, lastKey, lastItem);
    }
    return top;
  }

  private less(t1: number, k1: number, t2: number, k2: number): boolean {
    return t1 < t2 || (t1 === t2 && k1 < k2);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.keys[to] = this.keys[from]!;
    this.items[to] = this.items[from]!;
  }

  private set(i: number, time: number, key: number, item: T): void {
    this.times[i] = time;
    this.keys[i] = key;
    this.items[i] = item;
  }
}
