import type { TraceEvent } from '../sim/trace';
import type { NodeContext } from './protocol';

/**
 * The structured notes the transaction and coordination protocols write and
 * their invariants read. One module so writers and readers agree on the keys:
 *
 *   vote            { txn, vote: 'yes' | 'no' }           (also on recovery while uncertain)
 *   decision        { txn, decision: 'commit' | 'abort' }  applied at this node
 *   snapshot state  { snapshot, recorded: true, state, 'sent:B': n, 'recv:B': n, … }   the recording instant
 *   channel state   { snapshot, channel: 'A->B', inFlight, messages }
 *   lock            { lock: 'acquired' | 'released' | 'expired', token }  the client's belief
 *   storage write   { write: 'accepted' | 'rejected', token, client }
 *   counter op      { increment: delta }                   an acknowledged increment (or decrement)
 *   replica state   { replica: value }                     a replica's observable state changed
 *   store write     { wrote: value }                       a client write to a replicated register
 *   queue           { produced: id } (the queue has it)    { consumed: id } (a consumer processed it)
 *
 * A replica state that holds several values (siblings) lists them joined by '|'.
 */

export type Decision = 'commit' | 'abort';

const isNote = (e: TraceEvent): e is TraceEvent & { data: NonNullable<TraceEvent['data']> } => e.kind === 'note' && e.data !== undefined;

// ---- transactions ------------------------------------------------------------

export function noteVote(ctx: NodeContext, txn: number, yes: boolean, detail: string, extra: Record<string, string | boolean> = {}): void {
  ctx.note(detail, { txn, vote: yes ? 'yes' : 'no', ...extra });
}

export function noteDecision(ctx: NodeContext, txn: number, decision: Decision, why: string): void {
  ctx.note(`txn ${txn}: ${decision.toUpperCase()}${why ? ` (${why})` : ''}`, { txn, decision });
}

/** A yes vote: from here on the node is uncertain until it learns the decision. */
export function readYesVote(e: TraceEvent): number | undefined {
  return isNote(e) && typeof e.data['txn'] === 'number' && e.data['vote'] === 'yes' ? e.data['txn'] : undefined;
}

export function readDecision(e: TraceEvent): { txn: number; decision: Decision } | undefined {
  if (!isNote(e) || typeof e.data['txn'] !== 'number') return undefined;
  const d = e.data['decision'];
  return d === 'commit' || d === 'abort' ? { txn: e.data['txn'], decision: d } : undefined;
}

// ---- snapshots -----------------------------------------------------------------

/**
 * The recording instant of a node's local state. `sent` and `received` count
 * the application messages (not markers) sent to and delivered from each
 * peer before it: a cut is consistent when no channel has more received
 * than sent.
 */
export function noteSnapshotState(ctx: NodeContext, snapshot: number, state: number, sent: ReadonlyMap<string, number>, received: ReadonlyMap<string, number>, detail: string): void {
  const counts: Record<string, number> = {};
  for (const [peer, n] of [...sent].sort()) counts[`sent:${peer}`] = n;
  for (const [peer, n] of [...received].sort()) counts[`recv:${peer}`] = n;
  ctx.note(detail, { snapshot, recorded: true, state, ...counts });
}

export function noteChannelState(ctx: NodeContext, snapshot: number, from: string, inFlight: number, messages: number): void {
  ctx.note(`snapshot ${snapshot}: channel ${from}->${ctx.self} recorded: ${messages} message(s) in flight carrying ${inFlight}`, { snapshot, channel: `${from}->${ctx.self}`, inFlight, messages });
}

export function readSnapshotState(e: TraceEvent): { snapshot: number; state: number; sent: Map<string, number>; received: Map<string, number> } | undefined {
  if (!isNote(e) || typeof e.data['snapshot'] !== 'number' || e.data['recorded'] !== true) return undefined;
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  for (const [k, v] of Object.entries(e.data)) {
    if (typeof v !== 'number') continue;
    if (k.startsWith('sent:')) sent.set(k.slice(5), v);
    else if (k.startsWith('recv:')) received.set(k.slice(5), v);
  }
  return { snapshot: e.data['snapshot'], state: Number(e.data['state']), sent, received };
}

export function readChannelState(e: TraceEvent): { snapshot: number; channel: string; inFlight: number } | undefined {
  if (!isNote(e) || typeof e.data['snapshot'] !== 'number' || typeof e.data['channel'] !== 'string') return undefined;
  return { snapshot: e.data['snapshot'], channel: e.data['channel'], inFlight: Number(e.data['inFlight']) };
}

// ---- locks and fenced storage ------------------------------------------------------

export type LockEvent = 'acquired' | 'released' | 'expired';

export function noteLock(ctx: NodeContext, lock: LockEvent, token: number, detail: string): void {
  ctx.note(detail, { lock, token });
}

export function readLock(e: TraceEvent): { lock: LockEvent; token: number } | undefined {
  if (!isNote(e)) return undefined;
  const l = e.data['lock'];
  return (l === 'acquired' || l === 'released' || l === 'expired') && typeof e.data['token'] === 'number' ? { lock: l, token: e.data['token'] } : undefined;
}

export function noteStorageWrite(ctx: NodeContext, write: 'accepted' | 'rejected', token: number, client: string, detail: string): void {
  ctx.note(detail, { write, token, client });
}

export function readStorageWrite(e: TraceEvent): { write: 'accepted' | 'rejected'; token: number; client: string } | undefined {
  if (!isNote(e)) return undefined;
  const w = e.data['write'];
  return (w === 'accepted' || w === 'rejected') && typeof e.data['token'] === 'number' ? { write: w, token: e.data['token'], client: String(e.data['client']) } : undefined;
}

// ---- replicas: counters and registers ---------------------------------------------------

/** An acknowledged increment (delta −1 for a decrement); `extra` may carry the replica's new state in the same note. */
export function noteIncrement(ctx: NodeContext, delta: number, detail: string, extra: Record<string, number | string> = {}): void {
  ctx.note(detail, { increment: delta, ...extra });
}

export function readIncrement(e: TraceEvent): number | undefined {
  return isNote(e) && typeof e.data['increment'] === 'number' ? e.data['increment'] : undefined;
}

export function noteReplica(ctx: NodeContext, replica: number | string, detail: string, extra: Record<string, number | string> = {}): void {
  ctx.note(detail, { replica, ...extra });
}

export function readReplica(e: TraceEvent): number | string | undefined {
  if (!isNote(e)) return undefined;
  const r = e.data['replica'];
  return typeof r === 'number' || typeof r === 'string' ? r : undefined;
}

/** The values a replica state holds: one, or several siblings joined by '|'. */
export function replicaValues(replica: number | string): string[] {
  return typeof replica === 'number' ? [String(replica)] : replica === '' ? [] : replica.split('|');
}

export function noteWrote(ctx: NodeContext, value: string, detail: string, extra: Record<string, number> = {}): void {
  ctx.note(detail, { wrote: value, ...extra });
}

export function readWrote(e: TraceEvent): string | undefined {
  return isNote(e) && typeof e.data['wrote'] === 'string' ? e.data['wrote'] : undefined;
}

// ---- queues -------------------------------------------------------------------------

export function noteProduced(ctx: NodeContext, id: string, detail: string): void {
  ctx.note(detail, { produced: id });
}

export function noteConsumed(ctx: NodeContext, id: string, detail: string): void {
  ctx.note(detail, { consumed: id });
}

export function readProduced(e: TraceEvent): string | undefined {
  return isNote(e) && typeof e.data['produced'] === 'string' ? e.data['produced'] : undefined;
}

export function readConsumed(e: TraceEvent): string | undefined {
  return isNote(e) && typeof e.data['consumed'] === 'string' ? e.data['consumed'] : undefined;
}
