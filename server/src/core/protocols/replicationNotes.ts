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
 *   commit       { commitIndex }
 *   apply        { apply: index, entryTerm, command }
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
