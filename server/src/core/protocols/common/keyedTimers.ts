import type { NodeContext } from '../protocol';

/**
 * At most one pending timer per key (e.g. per transaction): setting a key
 * again replaces its timer, and `cancel` removes it, so a decided transaction
 * leaves no stale timers firing in the trace. Volatile, like all timers.
 */
export class KeyedTimers<K> {
  private readonly ids = new Map<K, number>();

  constructor(private readonly ctx: NodeContext) {}

  set(key: K, name: string, localDelay: number, data?: unknown): void {
    this.cancel(key);
    this.ids.set(key, this.ctx.setTimer(name, localDelay, data));
  }

  cancel(key: K): void {
    const id = this.ids.get(key);
    if (id !== undefined) this.ctx.cancelTimer(id);
    this.ids.delete(key);
  }
}
