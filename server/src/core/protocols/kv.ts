import type { KvValue } from '../linearizability/history';
import { formatKvValue } from '../linearizability/history';
import type { NodeContext, PropertyValue } from './protocol';
import { mapValue } from './values';

/**
 * The client ↔ replicated-store message convention. Any protocol whose
 * definition says `serves: 'kv'` answers it, so one client workload drives
 * Raft, Multi-Paxos or anything added later:
 *
 *   client → server  `kv.request`  KvCommand
 *   server → client  `kv.reply`    KvReply
 *
 * A server answers `ok: true` once the command has taken effect (a put is
 * committed, a get has read a linearizable value), or `ok: false` with the
 * leader it knows of, so the client can follow the redirect. It may also stay
 * silent (a candidate, a minority leader); the client retries after its
 * timeout. Retries carry the same `opId`, and servers apply each opId once.
 */
export const KV_REQUEST = 'kv.request';
export const KV_REPLY = 'kv.reply';

export interface KvCommand {
  /** Unique per operation, e.g. `c1.4`; retries reuse it. */
  readonly opId: string;
  readonly client: string;
  readonly op: 'put' | 'get';
  readonly key: string;
  readonly value?: KvValue;
}

export type KvReply =
  | { readonly opId: string; readonly ok: true; readonly value?: KvValue }
  | { readonly opId: string; readonly ok: false; readonly leader?: string };

/** `put k=3` / `get k`, for trace summaries and log entries. */
export function describeCommand(c: KvCommand): string {
  return c.op === 'put' ? `put ${c.key}=${formatKvValue(c.value)}` : `get ${c.key}`;
}

/** The identity of a command in a replicated log: what state-machine safety compares. */
export function commandId(c: KvCommand | null): string {
  return c ? `${c.opId} ${describeCommand(c)}` : 'no-op';
}

/** The type of a replicated store's `kv` property (KvStore.value). */
export const KV_STORE_TYPE = 'map<string, string>';

export function isKvCommand(x: unknown): x is KvCommand {
  const c = x as KvCommand | undefined;
  return typeof c === 'object' && c !== null && typeof c.opId === 'string' && (c.op === 'put' || c.op === 'get') && typeof c.key === 'string';
}

export function replyOk(ctx: NodeContext, to: string, opId: string, value: KvValue | undefined, how: string): void {
  const reply: KvReply = value === undefined ? { opId, ok: true } : { opId, ok: true, value };
  ctx.send(to, KV_REPLY, reply, { summary: `${opId} ok${value === undefined ? '' : ` ${formatKvValue(value)}`}${how ? ` ${how}` : ''}` });
}

export function replyRedirect(ctx: NodeContext, to: string, opId: string, leader: string | undefined): void {
  const reply: KvReply = leader === undefined ? { opId, ok: false } : { opId, ok: false, leader };
  ctx.send(to, KV_REPLY, reply, { summary: `${opId} not leader${leader ? `, try ${leader}` : ''}` });
}

/**
 * The replicated state machine: a map of registers plus, per operation, the
 * result it gave the first time, so a retried command is answered again
 * instead of being applied twice (exactly-once semantics, as in Raft §8).
 */
/** A KvStore as plain data (a Raft snapshot's state machine): its values and the results of the operations it applied. */
export interface KvSnapshot {
  readonly data: readonly (readonly [string, KvValue])[];
  readonly results: readonly (readonly [string, KvValue | null])[];
}

export class KvStore {
  private readonly data = new Map<string, KvValue>();
  private readonly results = new Map<string, KvValue | null>();
  /** The `kv` property, kept until a put changes the data (see value()). */
  private shown: PropertyValue | undefined;

  /** A copy of the store as plain data, never changed afterwards. */
  snapshot(): KvSnapshot {
    return { data: [...this.data], results: [...this.results] };
  }

  /** Replaces the whole store by a snapshot's. */
  restore(s: KvSnapshot): void {
    this.data.clear();
    this.results.clear();
    for (const [k, v] of s.data) this.data.set(k, v);
    for (const [k, v] of s.results) this.results.set(k, v);
  }

  /** Applies a command once; returns what the operation returns (the value read for a get). */
  apply(c: KvCommand): KvValue | undefined {
    const seen = this.results.get(c.opId);
    if (seen !== undefined) return seen ?? undefined;
    let result: KvValue | undefined;
    if (c.op === 'put') {
      if (c.value !== undefined) {
        this.data.set(c.key, c.value);
        this.shown = undefined;
      }
    } else {
      result = this.data.get(c.key);
    }
    this.results.set(c.opId, result ?? null);
    return result;
  }

  has(opId: string): boolean {
    return this.results.has(opId);
  }

  result(opId: string): KvValue | undefined {
    return this.results.get(opId) ?? undefined;
  }

  /** Reads without going through the log (lease reads). */
  read(key: string): KvValue | undefined {
    return this.data.get(key);
  }

  /**
   * The store as a property value (KV_STORE_TYPE): key → the value as
   * written in a client statement, `3` or `"a"` with its quotes, so the
   * number 5 and the string "5" stay different values.
   */
  value(): PropertyValue {
    this.shown ??= mapValue([...this.data].map(([k, v]) => [k, formatKvValue(v)] as const));
    return this.shown;
  }
}
