import { chainDigest, entryText, readAppend, readRole, readSnapshot, readTruncate, type EntryNote } from '../protocols/replicationNotes';
import type { TraceEvent } from '../sim/trace';

interface Replica {
  readonly entries: EntryNote[];
  /** digests[i] identifies entries 1..i+1 as a whole: equal digests, equal prefixes. */
  readonly digests: number[];
  term: number;
  role: string;
}

/**
 * Every node's replicated log, rebuilt from the `log` notes (replicationNotes.ts)
 * of one protocol instance, with a running digest per index so two logs can
 * be compared up to an index in O(1). Logs are on disk in Raft, so they
 * survive crashes here too. Also tracks each node's current term and role
 * from its role notes.
 *
 * Compaction (Raft §7) does not shorten a rebuilt log: a node's own
 * snapshot stands for the entries it replaced, which stay here. A node that
 * installs a snapshot gets, for 1..upTo, the entries of a log whose digest
 * at upTo is the snapshot's (any node's: the leader that sent it had them),
 * then keeps its own later entries if its entry at upTo has the snapshot's
 * term, as the node itself does. When no log has that prefix (the snapshot
 * stands for entries no node's notes show), the prefix is filled with
 * entries of id `(snapshot)`, which match nothing.
 */
export class ReplicaLogs {
  /** By node index; `order` lists the nodes in the order they were first seen (the order of `nodes()`). */
  private readonly replicas: (Replica | undefined)[] = [];
  private readonly order: number[] = [];

  /** Applies a note; returns what it appended (or replaced by an installed snapshot), if anything. */
  observe(e: TraceEvent): { node: number; from: number; count: number } | undefined {
    const r = this.replica(e.node);
    const role = readRole(e);
    if (role && role.term !== undefined) {
      r.term = role.term;
      r.role = role.role;
      return undefined;
    }
    const cut = readTruncate(e);
    if (cut !== undefined) {
      cutTo(r, Math.max(0, cut - 1));
      return undefined;
    }
    const snapshot = readSnapshot(e);
    if (snapshot) {
      if (snapshot.kind === 'snapshot') return undefined;
      this.install(r, snapshot.upTo, snapshot.term, snapshot.digest);
      return { node: e.node, from: 1, count: snapshot.upTo };
    }
    const append = readAppend(e);
    if (!append) return undefined;
    // Entries land at `from`; anything at or after it is replaced.
    cutTo(r, append.from - 1);
    for (const entry of append.entries) {
      r.digests.push(mix(r.digests[r.digests.length - 1] ?? 0, entry));
      r.entries.push(entry);
    }
    return { node: e.node, from: append.from, count: append.entries.length };
  }

  /** The nodes seen so far, in the order first seen. */
  nodes(): readonly number[] {
    return this.order;
  }

  entry(node: number, index: number): EntryNote | undefined {
    return this.replicas[node]?.entries[index - 1];
  }

  length(node: number): number {
    return this.replicas[node]?.entries.length ?? 0;
  }

  /** Whether the two logs hold identical entries 1..index (both must reach it). */
  samePrefix(a: number, b: number, index: number): boolean {
    const da = this.replicas[a]?.digests[index - 1];
    return da !== undefined && da === this.replicas[b]?.digests[index - 1];
  }

  /** The first index at which the two logs differ, up to `upTo`. */
  firstDifference(a: number, b: number, upTo: number): number {
    for (let i = 1; i <= upTo; i++) {
      const x = this.entry(a, i);
      const y = this.entry(b, i);
      if (!x || !y || x.term !== y.term || x.id !== y.id) return i;
    }
    return upTo + 1;
  }

  term(node: number): number {
    return this.replicas[node]?.term ?? 0;
  }

  role(node: number): string {
    return this.replicas[node]?.role ?? '';
  }

  private install(r: Replica, upTo: number, term: number, digest: number): void {
    const keep = r.entries[upTo - 1]?.term === term ? r.entries.slice(upTo) : [];
    const source = this.order.find((b) => this.replicas[b]!.digests[upTo - 1] === digest);
    const prefix = source !== undefined ? this.replicas[source]!.entries.slice(0, upTo) : Array.from({ length: upTo }, (_, i): EntryNote => ({ term: i === upTo - 1 ? term : 0, id: '(snapshot)' }));
    r.entries.length = 0;
    r.digests.length = 0;
    for (const entry of [...prefix, ...keep]) {
      r.digests.push(mix(r.digests[r.digests.length - 1] ?? 0, entry));
      r.entries.push(entry);
    }
  }

  private replica(node: number): Replica {
    let r = this.replicas[node];
    if (!r) {
      this.replicas[node] = r = { entries: [], digests: [], term: 0, role: '' };
      this.order.push(node);
    }
    return r;
  }
}

/** Shortens the log to `length` entries (setting an array's length is slow: only when it cuts). */
function cutTo(r: Replica, length: number): void {
  if (r.entries.length <= length) return;
  r.entries.length = length;
  r.digests.length = length;
}

/** `3:c1.4 put k=3 (t2)` for messages. */
export function describeEntry(index: number, e: EntryNote | undefined): string {
  return e ? `${index}:${e.id} (t${e.term})` : `${index}: nothing`;
}

/** The log digest after `e` (the same chain a compacting node computes). */
function mix(prev: number, e: EntryNote): number {
  return chainDigest(prev, entryText(e.term, e.id));
}
