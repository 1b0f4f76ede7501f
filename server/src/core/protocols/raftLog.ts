import { commandId, type KvCommand, type KvSnapshot } from './kv';
import type { NodeContext, PropertyValue, TraceText } from './protocol';
import { chainDigest, entryText, noteAppend, noteSnapshot, noteTruncate } from './replicationNotes';

export interface RaftEntry {
  readonly term: number;
  /** null for the empty entry a new leader appends (`noop`). */
  readonly command: KvCommand | null;
}

/**
 * A snapshot (Raft §7): the state machine after applying entries 1..index,
 * the index and term of the last entry it replaces, and the digests that
 * identify those entries (for the invariants; see replicationNotes.ts).
 * Plain data, never changed after it is made: it is stored on disk and sent
 * in InstallSnapshot as it is.
 */
export interface RaftSnapshot {
  readonly index: number;
  readonly term: number;
  /** chainDigest of entryText(term, command id) over entries 1..index. */
  readonly logDigest: number;
  /** chainDigest of the command ids applied at 1..index. */
  readonly appliedDigest: number;
  readonly store: KvSnapshot;
}

const NO_SNAPSHOT: RaftSnapshot = { index: 0, term: 0, logDigest: 0, appliedDigest: 0, store: { data: [], results: [] } };

/** The type of Raft's `log` property (RaftLog.value): `command` is the entry's identity, `c1.4 put k=3` or `no-op`. */
export const RAFT_LOG_TYPE = 'list<{ term: int, command: string }>';

/**
 * A Raft log, 1-based (index 0 is the empty prefix, term 0), whose prefix
 * may have been replaced by a snapshot (`snapshot.index`; entries up to it
 * are gone, only the last one's term is kept). It lives on the node's disk:
 * every change is written to `ctx.stable` before anything else happens, so
 * a restart finds it intact. Every change is also noted (see
 * replicationNotes.ts): the log invariants rebuild each node's log from
 * those notes.
 */
export class RaftLog {
  /** Entries snapshot.index + 1 … lastIndex. */
  private entries: RaftEntry[];
  private snap: RaftSnapshot;
  /** The `log` property, built on demand and kept until the log changes (see value()). */
  private shown: PropertyValue | undefined;
  /** Each entry's value in `log`, built once and shared by every version of the property (state diffs keep them all). */
  private readonly records: PropertyValue[] = [];

  constructor(private readonly ctx: NodeContext) {
    this.snap = ctx.stable.get<RaftSnapshot>('snapshot') ?? NO_SNAPSHOT;
    const length = ctx.stable.get<number>('log.length') ?? 0;
    const base = this.snap.index;
    this.entries = Array.from({ length: Math.max(0, length - base) }, (_, i) => ctx.stable.get<RaftEntry>(`log.${base + i + 1}`)!);
  }

  /** The latest snapshot (index 0 when there is none). */
  get snapshot(): RaftSnapshot {
    return this.snap;
  }

  get lastIndex(): number {
    return this.snap.index + this.entries.length;
  }

  get lastTerm(): number {
    return this.entries[this.entries.length - 1]?.term ?? this.snap.term;
  }

  /** The term of the entry at `index`; 0 for index 0; undefined past the end and inside the snapshot (but its last index). */
  term(index: number): number | undefined {
    if (index === this.snap.index) return this.snap.term;
    if (index < this.snap.index) return undefined;
    return this.entries[index - this.snap.index - 1]?.term;
  }

  /** The entry at `index`; undefined past the end and inside the snapshot. */
  entry(index: number): RaftEntry | undefined {
    return index > this.snap.index ? this.entries[index - this.snap.index - 1] : undefined;
  }

  /** Entries `from` … `from + max - 1` (fewer at the end of the log); `from` must be after the snapshot. */
  slice(from: number, max: number): RaftEntry[] {
    const at = from - this.snap.index - 1;
    return this.entries.slice(at, at + max);
  }

  /** The first index holding the same term as `index`: where a conflict may begin (never inside the snapshot). */
  firstIndexOfTerm(index: number): number {
    const t = this.term(index);
    let i = index;
    while (i > this.snap.index + 1 && this.term(i - 1) === t) i--;
    return i;
  }

  /** Whether an uncommitted entry after `after` already carries this operation (a retried request). */
  holds(opId: string, after: number): boolean {
    for (let i = Math.max(0, after - this.snap.index); i < this.entries.length; i++) if (this.entries[i]!.command?.opId === opId) return true;
    return false;
  }

  append(entry: RaftEntry, why: string): number {
    this.shown = undefined;
    this.entries.push(entry);
    this.persist(this.lastIndex);
    noteAppend(this.ctx, this.lastIndex, [toNote(entry)], why);
    return this.lastIndex;
  }

  /**
   * Replaces entries 1..upTo (applied to `store`, whose applied digest at
   * upTo is `appliedDigest`) by a snapshot, and discards them (§7). Noted.
   */
  compact(upTo: number, appliedDigest: number, store: KvSnapshot): void {
    if (upTo <= this.snap.index || upTo > this.lastIndex) return;
    let logDigest = this.snap.logDigest;
    for (let i = this.snap.index + 1; i <= upTo; i++) {
      const e = this.entry(i)!;
      logDigest = chainDigest(logDigest, entryText(e.term, commandId(e.command)));
    }
    const term = this.term(upTo)!;
    this.dropFront(upTo - this.snap.index);
    this.setSnapshot({ index: upTo, term, logDigest, appliedDigest, store });
    noteSnapshot(this.ctx, 'snapshot', upTo, term, logDigest, '');
  }

  /**
   * Installs a leader's snapshot (InstallSnapshot, §7): entries after it are
   * kept if this log has the snapshot's last entry (same index and term),
   * else the whole log is discarded. Noted.
   */
  install(s: RaftSnapshot, why: TraceText): void {
    const keep = this.term(s.index) === s.term && s.index <= this.lastIndex ? this.entries.slice(s.index - this.snap.index) : [];
    if (keep.length > 0) this.dropFront(this.entries.length - keep.length);
    else {
      this.entries = [];
      this.records.length = 0;
    }
    this.setSnapshot(s);
    this.ctx.stable.set('log.length', this.lastIndex);
    noteSnapshot(this.ctx, 'install', s.index, s.term, s.logDigest, why);
  }

  /** Drops the first `n` entries (and their property values). */
  private dropFront(n: number): void {
    this.entries = this.entries.slice(n);
    this.records.splice(0, Math.min(n, this.records.length));
  }

  private setSnapshot(s: RaftSnapshot): void {
    const old = this.snap.index;
    this.shown = undefined;
    this.snap = s;
    this.ctx.stable.set('snapshot', s);
    // The disk no longer holds the replaced entries.
    for (let i = old + 1; i <= s.index; i++) this.ctx.stable.set(`log.${i}`, undefined);
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
        this.entries.length = from + k - 1 - this.snap.index;
        this.records.length = Math.min(this.records.length, this.entries.length);
        this.persist(this.lastIndex + 1);
        const theirs = incoming[k]!.term;
        noteTruncate(this.ctx, from + k, () => `conflicts with ${leader}'s entry of term ${theirs}`);
        break;
      }
      k++;
    }
    const fresh = incoming.slice(k);
    if (fresh.length === 0) return;
    const start = this.lastIndex + 1;
    this.entries.push(...fresh);
    this.persist(start);
    noteAppend(this.ctx, start, fresh.map(toNote), () => `from ${leader}`);
  }

  /**
   * The log after the snapshot as a property value (RAFT_LOG_TYPE). The same array is
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
    for (let i = from; i <= this.lastIndex; i++) this.ctx.stable.set(`log.${i}`, this.entry(i));
    this.ctx.stable.set('log.length', this.lastIndex);
  }
}

function toNote(e: RaftEntry): { term: number; id: string } {
  return { term: e.term, id: commandId(e.command) };
}
