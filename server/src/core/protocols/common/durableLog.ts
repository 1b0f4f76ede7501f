import type { StableStorage } from '../protocol';

/**
 * An append-only log in a node's stable storage (its disk). A crash discards
 * the ProtocolNode but not this log; the fresh node built on restart reads it
 * back in `start()` to recover. Appending is the "force write" of the
 * textbook protocols: do it before sending the message that depends on it.
 *
 * Records are stored one per key, so an append costs O(1) however long the
 * log grows. Records read back are copies owned by the caller.
 */
export class DurableLog<R> {
  constructor(
    private readonly stable: StableStorage,
    private readonly name = 'log',
  ) {}

  get length(): number {
    return this.stable.get<number>(`${this.name}:length`) ?? 0;
  }

  append(record: R): void {
    const n = this.length;
    this.stable.set(`${this.name}:${n}`, record);
    this.stable.set(`${this.name}:length`, n + 1);
  }

  records(): R[] {
    const out: R[] = [];
    for (let i = 0; i < this.length; i++) out.push(structuredClone(this.stable.get<R>(`${this.name}:${i}`)!));
    return out;
  }
}
