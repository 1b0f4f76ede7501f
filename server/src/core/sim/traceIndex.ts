import type { SourceRange } from '../source';
import { EVENT_KINDS, type EventKind } from './trace';
import type { TraceStore } from './traceStore';

/**
 * A recorded trace's events grouped by (kind, site), built once per trace on
 * first use. A question about a statement's events ("which events did this
 * line cause?") then asks its predicate once per group, not once per event:
 * a run has a few hundred groups but can have a million events, whose
 * records would each be decoded to read their site (about 24 ms per hover on
 * the 100,000 events of bench/lsp.bench.ts's 20,000-line scenario).
 *
 * Contract: the index describes the trace as it was when built; it is rebuilt
 * when the trace has grown since (a finished run's trace never does).
 */
export class KindSiteIndex {
  /** Per group: its kind, its site, and where its seqs start in `seqs` (`starts` has one more entry). */
  private readonly kinds: EventKind[] = [];
  private readonly sites: number[] = [];
  private readonly starts: Int32Array;
  private readonly seqs: Int32Array;

  constructor(private readonly trace: TraceStore, readonly length: number) {
    const kindCodes = new Map<EventKind, number>(EVENT_KINDS.map((k, i) => [k, i]));
    const keyOf = new Int32Array(length);
    const groupOfKey = new Map<number, number>();
    const sizes: number[] = [];
    for (let seq = 0; seq < length; seq++) {
      const kind = trace.kindAt(seq);
      const site = trace.siteAt(seq);
      const key = site * EVENT_KINDS.length + kindCodes.get(kind)!;
      let group = groupOfKey.get(key);
      if (group === undefined) {
        group = sizes.length;
        groupOfKey.set(key, group);
        sizes.push(0);
        this.kinds.push(kind);
        this.sites.push(site);
      }
      sizes[group]!++;
      keyOf[seq] = group;
    }
    this.starts = new Int32Array(sizes.length + 1);
    for (let g = 0; g < sizes.length; g++) this.starts[g + 1] = this.starts[g]! + sizes[g]!;
    this.seqs = new Int32Array(length);
    const fill = this.starts.slice(0, sizes.length);
    // In trace order, so each group's seqs come out ascending.
    for (let seq = 0; seq < length; seq++) this.seqs[fill[keyOf[seq]!]!++] = seq;
  }

  /** The seqs of the events whose kind and statement range pass `test`, ascending. */
  where(test: (kind: EventKind, range: SourceRange) => boolean): Int32Array {
    const parts: Int32Array[] = [];
    let total = 0;
    for (let g = 0; g < this.kinds.length; g++) {
      if (!test(this.kinds[g]!, this.trace.siteRange(this.sites[g]!))) continue;
      const part = this.seqs.subarray(this.starts[g]!, this.starts[g + 1]!);
      parts.push(part);
      total += part.length;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Int32Array(total);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out.sort();
  }
}

const indexes = new WeakMap<TraceStore, KindSiteIndex>();

/** The (kind, site) index of `trace`, built on first use and kept while the trace lives and does not grow. */
export function kindSiteIndex(trace: TraceStore): KindSiteIndex {
  let index = indexes.get(trace);
  if (!index || index.length !== trace.length) {
    index = new KindSiteIndex(trace, trace.length);
    indexes.set(trace, index);
  }
  return index;
}
