import type { KvValue } from '../linearizability/history';
import { formatKvValue } from '../linearizability/history';
import type { TraceEvent } from '../sim/trace';
import type { NodeContext, PropertyValue, TraceText } from './protocol';

/**
 * The structured notes consensus protocols and clients write, and the
 * invariants read. One module so writers and readers agree on the keys:
 *
 *   role change  { role, term }                 (Paxos: { role, ballot })
 *   log append   { log: 'append', from, entries }   entries: JSON [[term, id], …]
 *   log truncate { log: 'truncate', from }
 *   snapshot     { log: 'snapshot' | 'install', upTo, term, digest }   (Raft §7, below)
 *   commit       { commitIndex }
 *   apply        { apply: index, entryTerm, command }
 *   applied      { applied: to, from, appliedDigest }   many entries at once (below)
 *   Paxos        { paxos: 'input' | 'accept' | 'learn', slot, value, ballot?, quorum? }
 *   client op    { op, key, value?, phase: 'invoke' | 'return' | 'fail', opId, client, source }
 *
 * The timeline draws roles over time from notes with a `role` key.
 */

/** Raft's three roles; Paxos proposers use them for their phases (candidate: prepare, leader: accept) plus idle and decided. */
export type Role = 'leader' | 'follower' | 'candidate' | 'idle' | 'decided';

export function noteRole(ctx: NodeContext, role: Role, term: number, why: TraceText = ''): void {
  ctx.note(() => `became ${role} (term ${term})${suffix(': ', why)}`, { role, term });
}

export function noteBallotRole(ctx: NodeContext, role: Role, ballot: number, why = ''): void {
  ctx.note(() => `${role} at ballot ${formatBallot(ballot, ctx.members)}${why ? `: ${why}` : ''}`, { role, ballot });
}

/** `why` after `separator`, or nothing when it is empty. */
function suffix(separator: string, why: TraceText): string {
  const text = typeof why === 'string' ? why : why();
  return text ? `${separator}${text}` : '';
}

// ---- replicated logs (Raft) ------------------------------------------------

/** A log entry as the invariants see it: its term and the identity of its command. */
export interface EntryNote {
  readonly term: number;
  readonly id: string;
}

export function noteAppend(ctx: NodeContext, from: number, entries: readonly EntryNote[], why: TraceText): void {
  if (entries.length === 0) return;
  const text = (): string => {
    const to = from + entries.length - 1;
    const shown = entries.length <= 3 ? entries.map((e, i) => `${from + i}:${e.id} (t${e.term})`).join(', ') : `${from}..${to} (terms ${entries[0]!.term}..${entries[entries.length - 1]!.term})`;
    return `log += ${shown}${suffix(' ', why)}`;
  };
  let json = '[';
  for (let i = 0; i < entries.length; i++) json += `${i > 0 ? ',' : ''}[${entries[i]!.term},${JSON.stringify(entries[i]!.id)}]`;
  ctx.note(text, { log: 'append', from, entries: `${json}]`, [APPENDED]: { from, entries } });
}

export function noteTruncate(ctx: NodeContext, from: number, why: TraceText): void {
  ctx.note(() => `log truncated from ${from}${suffix(': ', why)}`, { log: 'truncate', from });
}

export function noteCommit(ctx: NodeContext, index: number, why: TraceText = ''): void {
  ctx.note(() => `committed up to ${index}${suffix(' ', why)}`, { commitIndex: index });
}

export function noteApply(ctx: NodeContext, index: number, entryTerm: number, command: string, result: string): void {
  ctx.note(() => `applied ${index}: ${command}${result ? ` → ${result}` : ''}`, { apply: index, entryTerm, command });
}

/**
 * A 53-bit digest of (previous digest, text): two FNV-1a lanes. Chained
 * over a sequence it identifies the whole sequence: the log digest chains
 * `entryText(term, id)` over entries 1..i, the applied digest chains the
 * command ids applied at 1..i. Writers (a node compacting its log) and
 * readers (the invariants) chain the same way, so a snapshot can say which
 * prefix it stands for without listing it.
 */
export function chainDigest(prev: number, text: string): number {
  let a = (0x811c9dc5 ^ (prev % 0x100000000)) >>> 0;
  let b = (0x01000193 ^ Math.floor(prev / 0x100000000)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return (b & 0x1fffff) * 0x100000000 + a;
}

/** What the log digest chains for one entry. */
export function entryText(term: number, id: string): string {
  return `${term}|${id}`;
}

/**
 * Log compaction (Raft §7). `snapshot`: the node replaced entries 1..upTo
 * of its log by a snapshot of its state machine (its log is unchanged as
 * far as the invariants are concerned). `install`: the node installed a
 * leader's snapshot of 1..upTo, the entries whose log digest is `digest`;
 * it keeps the entries after upTo only if its entry at upTo has the
 * snapshot's term.
 */
export function noteSnapshot(ctx: NodeContext, kind: 'snapshot' | 'install', upTo: number, term: number, digest: number, why: TraceText): void {
  const what = kind === 'snapshot' ? `log compacted: entries 1..${upTo} replaced by a snapshot (last term ${term})` : `installed a snapshot of entries 1..${upTo} (last term ${term})`;
  ctx.note(() => `${what}${suffix(' ', why)}`, { log: kind, upTo, term, digest });
}

export function readSnapshot(e: TraceEvent): { kind: 'snapshot' | 'install'; upTo: number; term: number; digest: number } | undefined {
  const d = e.data;
  if (e.kind !== 'note' || !d || (d['log'] !== 'snapshot' && d['log'] !== 'install')) return undefined;
  return { kind: d['log'], upTo: Number(d['upTo']), term: Number(d['term']), digest: Number(d['digest']) };
}

/**
 * Entries from..to applied at once, in one note instead of one per entry:
 * a restarted node re-applying what it had applied before it crashed, or a
 * node installing a snapshot. `appliedDigest` chains (chainDigest) the
 * command ids applied at 1..to, so state_machine_safety can compare the
 * whole prefix with what was applied there first.
 */
export function noteApplied(ctx: NodeContext, how: 're-applied' | 'installed', from: number, to: number, appliedDigest: number, why: TraceText): void {
  ctx.note(() => `${how} ${from === to ? `${to}` : `${from}..${to}`}${suffix(' ', why)}`, { applied: to, from, appliedDigest });
}

export function readApplied(e: TraceEvent): { from: number; to: number; appliedDigest: number } | undefined {
  const d = e.data;
  if (e.kind !== 'note' || !d || typeof d['applied'] !== 'number') return undefined;
  return { from: Number(d['from']), to: d['applied'], appliedDigest: Number(d['appliedDigest']) };
}

/**
 * The entries of an append note as written, under a symbol key of its data:
 * readers in the same run never parse the JSON (which is for the trace),
 * and JSON, Object.keys and for…in never see it. A note that comes from
 * elsewhere (a trace read back) is parsed.
 */
const APPENDED = Symbol('appended entries');

interface AppendNote {
  readonly from: number;
  readonly entries: readonly EntryNote[];
}

export function readAppend(e: TraceEvent): AppendNote | undefined {
  const d = e.data as (Readonly<Record<string, PropertyValue>> & { readonly [APPENDED]?: AppendNote }) | undefined;
  if (e.kind !== 'note' || !d || d['log'] !== 'append') return undefined;
  const written = d[APPENDED];
  if (written) return written;
  const raw = JSON.parse(String(d['entries'])) as [number, string][];
  return { from: Number(d['from']), entries: raw.map(([term, id]) => ({ term, id })) };
}

export function readTruncate(e: TraceEvent): number | undefined {
  const d = e.data;
  return e.kind === 'note' && d && d['log'] === 'truncate' ? Number(d['from']) : undefined;
}

export function readCommit(e: TraceEvent): number | undefined {
  const d = e.data;
  return e.kind === 'note' && d && typeof d['commitIndex'] === 'number' ? d['commitIndex'] : undefined;
}

export function readApply(e: TraceEvent): { index: number; term: number; command: string } | undefined {
  const d = e.data;
  if (e.kind !== 'note' || !d || typeof d['apply'] !== 'number') return undefined;
  return { index: d['apply'], term: Number(d['entryTerm']), command: String(d['command']) };
}

export function readRole(e: TraceEvent): { role: string; term: number | undefined; ballot: number | undefined } | undefined {
  const d = e.data;
  if (e.kind !== 'note' || !d || typeof d['role'] !== 'string') return undefined;
  return { role: d['role'], term: typeof d['term'] === 'number' ? d['term'] : undefined, ballot: typeof d['ballot'] === 'number' ? d['ballot'] : undefined };
}

// ---- Paxos ----------------------------------------------------------------

/**
 * Ballots are numbers ordered by (round, proposer): round · 1000 + the
 * proposer's position among the members + 1. Unique per proposer, so two
 * proposers never share a ballot.
 */
const BALLOT_STRIDE = 1000;

export function makeBallot(round: number, memberIndex: number): number {
  return round * BALLOT_STRIDE + memberIndex + 1;
}

export function ballotRound(ballot: number): number {
  return Math.floor(ballot / BALLOT_STRIDE);
}

/** `3.n2`: round 3 of proposer n2; `0` for "none yet". */
export function formatBallot(ballot: number, members: readonly string[]): string {
  if (ballot <= 0) return '0';
  return `${ballotRound(ballot)}.${members[(ballot % BALLOT_STRIDE) - 1] ?? '?'}`;
}

export type PaxosNote =
  | { readonly paxos: 'input'; readonly slot: number; readonly value: string }
  | { readonly paxos: 'accept'; readonly slot: number; readonly value: string; readonly ballot: number; readonly quorum: number }
  | { readonly paxos: 'learn'; readonly slot: number; readonly value: string };

export function notePaxos(ctx: NodeContext, note: PaxosNote, detail: TraceText): void {
  ctx.note(detail, { ...note });
}

export function readPaxos(e: TraceEvent): PaxosNote | undefined {
  const d = e.data;
  if (e.kind !== 'note' || !d || typeof d['paxos'] !== 'string') return undefined;
  const slot = Number(d['slot']);
  const value = String(d['value']);
  switch (d['paxos']) {
    case 'input': return { paxos: 'input', slot, value };
    case 'learn': return { paxos: 'learn', slot, value };
    case 'accept': return { paxos: 'accept', slot, value, ballot: Number(d['ballot']), quorum: Number(d['quorum']) };
    default: return undefined;
  }
}

// ---- client operations ----------------------------------------------------

export type OpPhase = 'invoke' | 'return' | 'fail';

export interface ClientOpNote {
  readonly op: 'put' | 'get';
  readonly key: string;
  /** The value written (put invoke) or read (get return); absent when a get found nothing. */
  readonly value?: KvValue;
  readonly phase: OpPhase;
  readonly opId: string;
  readonly client: string;
  /** Index of the operation's statement in its client block. */
  readonly source: number;
}

export function noteClientOp(ctx: NodeContext, n: ClientOpNote, extra = ''): void {
  const text = (): string => {
    const what = n.op === 'put' ? `put ${n.key} = ${formatKvValue(n.value)}` : `get ${n.key}`;
    const result = n.phase === 'return' && n.op === 'get' ? ` → ${formatKvValue(n.value)}` : n.phase === 'return' ? ' → ok' : '';
    return `${n.phase} ${what}${result} [${n.opId}]${extra ? ` ${extra}` : ''}`;
  };
  ctx.note(text, { ...n });
}

export function readClientOp(e: TraceEvent): ClientOpNote | undefined {
  const d = e.data;
  if (e.kind !== 'note' || !d || (d['op'] !== 'put' && d['op'] !== 'get') || typeof d['phase'] !== 'string') return undefined;
  const value = d['value'];
  return {
    op: d['op'],
    key: String(d['key']),
    ...(typeof value === 'number' || typeof value === 'string' ? { value } : {}),
    phase: d['phase'] as OpPhase,
    opId: String(d['opId']),
    client: String(d['client']),
    source: Number(d['source']),
  };
}
