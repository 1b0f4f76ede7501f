import type { TraceEvent } from './trace';

/** What the array view reads events from (the recorded trace, traceStore.ts). */
export interface EventSource {
  readonly length: number;
  event(seq: number): TraceEvent | undefined;
}

/**
 * The trace as a read-only array: indexing, `length`, iteration and every
 * array method read events from the store, built on access (two reads of
 * one event give equal, not identical, objects; their ranges are the same
 * objects). Writes are refused.
 */
export function arrayView(store: EventSource): readonly TraceEvent[] {
  return new Proxy<TraceEvent[]>([], {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        if (key === 'length') return store.length;
        const index = arrayIndex(key);
        if (index >= 0) return store.event(index);
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === 'string') {
        const index = arrayIndex(key);
        if (index >= 0) return index < store.length;
      }
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') {
        if (key === 'length') return { value: store.length, writable: true, enumerable: false, configurable: false };
        const index = arrayIndex(key);
        if (index >= 0) return index < store.length ? { value: store.event(index), writable: false, enumerable: true, configurable: true } : undefined;
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys() {
      const keys: string[] = [];
      for (let i = 0; i < store.length; i++) keys.push(String(i));
      keys.push('length');
      return keys;
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/** The array index a property key names (a canonical non-negative integer), or −1. */
function arrayIndex(key: string): number {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return -1;
  const n = Number(key);
  return Number.isInteger(n) && n < 4294967295 && String(n) === key ? n : -1;
}

