import { commandId, type KvCommand } from './kv';
import type { NodeContext, PropertyValue } from './protocol';
import { noteAppend, noteTruncate } from './replicationNotes';

export interface RaftEntry {
  readonly term: number;
  /** null for the empty entry a new leader appends (`noop`). */
  readonly command: KvCommand | null;
}

/**
 * A Raft log, 1-based (index 0 is the empty prefix, term 0). It lives on
 * the node's disk: every change is written to `ctx.stable` before anything
 * else happens, so a restart finds it intact. Every change is also noted
 * (see replicationNotes.ts): the log invariants rebuild each node's log from
 * those notes.
 */
/** The type of Raft's `log` property (RaftLog.value): `command` is the entry's identity, `c1.4 put k=3` or `no-op`. */
export const RAFT_LOG_TYPE = 'list<{ term: int, command: string }>';

export class RaftLog {
  private entries: RaftEntry[];
  /** The `log` property, built on demand and kept until the log changes (see value()). */
  private shown: PropertyValue | undefined;
  /** Each entry's value in `log`, built once and shared by every version of the property (state diffs keep them all). */
  private readonly records: PropertyValue[] = [];

  constructor(private readonly ctx: NodeContext) {
    const length = ctx.stable.get<number>('log.length') ?? 0;
    this.entries = Array.from({ length }, (_, i) => ctx.stable.get<RaftEntry>(`log.${i + 1}`)!);
  }

  get lastIndex(): number {
    return this.entries.length;
  }

  get lastTerm(): number {
    return this.entries[this.entries.length - 1]?.term ?? 0;
  }

  /** The term of the entry at `index`; 0 for index 0; undefined past the end. */
  term(index: number): number | undefined {
    if (index === 0) return 0;
    return this.entries[index - 1]?.term;
  }

  entry(index: number): RaftEntry | undefined {
    return this.entries[index - 1];
  }

  /** Entries `from` … `from + max - 1` (fewer at the end of the log). */
  slice(from: number, max: number): RaftEntry[] {
    return this.entries.slice(from - 1, from - 1 + max);
  }

  /** The first index holding the same term as `index`: where a conflict may begin. */
  firstIndexOfTerm(index: number): number {
    const t = this.term(index);
    let i = index;
    while (i > 1 && this.term(i - 1) === t) i--;
    return i;
  }

  /** Whether an uncommitted entry after `after` already carries this operation (a retried request). */
  holds(opId: string, after: number): boolean {
    for (let i = after; i < this.entries.length; i++) if (this.entries[i]!.command?.opId === opId) return true;
    return false;
  }

  append(entry: RaftEntry, why: string): number {
    this.shown = undefined;
    this.entries.push(entry);
    this.persist(this.entries.length);
    noteAppend(this.ctx, this.entries.length, [toNote(entry)], why);
    return this.entries.length;
  }

  /**
   * Stores `incoming` starting at index `from` (a follower handling
   * AppendEntries): entries it already has are kept, the log is cut at the
   * first entry whose term differs, and the rest is appended. Never cuts when
   * nothing conflicts, so a delayed or duplicated message cannot shorten it.
   */
  merge(from: number, incoming: readonly RaftEntry[], leader: string): void {
    this.shown = undefined;
    let k = 0;
    while (k < incoming.length && this.term(from + k) !== undefined) {
      if (this.term(from + k) !== incoming[k]!.term) {
        this.entries.length = from + k - 1;
        this.records.length = Math.min(this.records.length, this.entries.length);
        this.persist(this.entries.length + 1);
        const theirs = incoming[k]!.term;
        noteTruncate(this.ctx, from + k, () => `conflicts with ${leader}'s entry of term ${theirs}`);
        break;
      }
      k++;
    }
    const fresh = incoming.slice(k);
    if (fresh.length === 0) return;
    const start = this.entries.length + 1;
    this.entries.push(...fresh);
    this.persist(start);
    noteAppend(this.ctx, start, fresh.map(toNote), () => `from ${leader}`);
  }

  /**
   * The whole log as a property value (RAFT_LOG_TYPE). The same array is
   * returned until the log changes, so reading it at every event costs
   * nothing and an unchanged log compares equal at once.
   */
  value(): PropertyValue {
    if (!this.shown) {
      for (let i = this.records.length; i < this.entries.length; i++) this.records.push({ term: this.entries[i]!.term, command: commandId(this.entries[i]!.command) });
      this.shown = this.records.slice(0, this.entries.length);
    }
    return this.shown;
  }

  /** Writes entries `from`… and the length: one write per changed entry, not the whole log. */
  private persist(from: number): void {
    for (let i = from; i <= this.entries.length; i++) this.ctx.stable.set(`log.${i}`, this.entries[i - 1]);
    this.ctx.stable.set('log.length', this.entries.length);
  }
}

function toNote(e: RaftEntry): { term: number; id: string } {
  return { term: e.term, id: commandId(e.command) };
}
