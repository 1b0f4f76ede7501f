import { readAppend, readRole, readTruncate, type EntryNote } from '../protocols/replicationNotes';
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
 */
export class ReplicaLogs {
  private readonly replicas = new Map<number, Replica>();

  /** Applies a note; returns what it appended, if anything. */
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
      r.entries.length = Math.max(0, cut - 1);
      r.digests.length = r.entries.length;
      return undefined;
    }
    const append = readAppend(e);
    if (!append) return undefined;
    // Entries land at `from`; anything at or after it is replaced.
    r.entries.length = Math.min(r.entries.length, append.from - 1);
    r.digests.length = r.entries.length;
    for (const entry of append.entries) {
      r.digests.push(mix(r.digests[r.digests.length - 1] ?? 0, entry));
      r.entries.push(entry);
    }
    return { node: e.node, from: append.from, count: append.entries.length };
  }

  nodes(): number[] {
    return [...this.replicas.keys()];
  }

  entry(node: number, index: number): EntryNote | undefined {
    return this.replicas.get(node)?.entries[index - 1];
  }

  length(node: number): number {
    return this.replicas.get(node)?.entries.length ?? 0;
  }

  /** Whether the two logs hold identical entries 1..index (both must reach it). */
  samePrefix(a: number, b: number, index: number): boolean {
    const da = this.replicas.get(a)?.digests[index - 1];
    return da !== undefined && da === this.replicas.get(b)?.digests[index - 1];
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
    return this.replicas.get(node)?.term ?? 0;
  }

  role(node: number): string {
    return this.replicas.get(node)?.role ?? '';
  }

  private replica(node: number): Replica {
    let r = this.replicas.get(node);
    if (!r) this.replicas.set(node, (r = { entries: [], digests: [], term: 0, role: '' }));
    return r;
  }
}

/** `3:c1.4 put k=3 (t2)` for messages. */
export function describeEntry(index: number, e: EntryNote | undefined): string {
  return e ? `${index}:${e.id} (t${e.term})` : `${index}: nothing`;
}

/** A 53-bit digest of (previous digest, entry): two FNV-1a lanes. */
function mix(prev: number, e: EntryNote): number {
  const text = `${e.term}|${e.id}`;
  let a = (0x811c9dc5 ^ (prev % 0x100000000)) >>> 0;
  let b = (0x01000193 ^ Math.floor(prev / 0x100000000)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return (b & 0x1fffff) * 0x100000000 + a;
}
