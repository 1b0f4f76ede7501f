import type { SourceRange } from '../source';

/**
 * The few distinct (statement range, label, protocol) triples a run's events
 * have, each stored once and named by a number (a "site"): a run has as
 * many sites as its file has statements times their labels, however many
 * events it records. Ranges are told apart by identity (the model's range
 * objects), so an event built back from the trace holds the very range
 * object the engine gave it.
 */
export class TraceInterner {
  private readonly ranges: SourceRange[] = [];
  private readonly rangeIds = new Map<SourceRange, number>();
  private readonly labels: string[] = [];
  private readonly labelIds = new Map<string, number>();
  private readonly protocols: string[] = [];
  private readonly protocolIds = new Map<string, number>();
  private readonly siteRanges: number[] = [];
  private readonly siteLabels: number[] = [];
  private readonly siteProtocols: number[] = [];
  /** Per range id, its sites so far: [label, protocol, site] triples (a statement has one label or a few). */
  private readonly sitesOfRange: (string | number | undefined)[][] = [];
  /**
   * Sites asked for lately, direct-mapped by their range's start offset:
   * a run's events cycle through a few sites (each message's send and
   * receive share one, but events of different messages interleave), and a
   * hit here costs three identity comparisons instead of a map lookup.
   */
  private readonly cacheRanges: (SourceRange | undefined)[] = new Array<SourceRange | undefined>(CACHE_SLOTS).fill(undefined);
  private readonly cacheLabels: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);
  private readonly cacheProtocols: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);
  private readonly cacheSites = new Int32Array(CACHE_SLOTS);
  private textBytes = 0;

  /** The site number of this triple. */
  site(range: SourceRange, label: string | undefined, protocol: string | undefined): number {
    const slot = range.startOffset & CACHE_MASK;
    if (this.cacheRanges[slot] === range && this.cacheLabels[slot] === label && this.cacheProtocols[slot] === protocol) return this.cacheSites[slot]!;
    const r = this.id(this.rangeIds, this.ranges, range, 0);
    const known = (this.sitesOfRange[r] ??= []);
    let site = -1;
    for (let i = 0; i < known.length; i += 3) {
      if (known[i] === label && known[i + 1] === protocol) {
        site = known[i + 2] as number;
        break;
      }
    }
    if (site < 0) {
      site = this.siteRanges.length;
      this.siteRanges.push(r);
      this.siteLabels.push(label === undefined ? 0 : this.id(this.labelIds, this.labels, label, 2 * label.length) + 1);
      this.siteProtocols.push(protocol === undefined ? 0 : this.id(this.protocolIds, this.protocols, protocol, 2 * protocol.length) + 1);
      known.push(label, protocol, site);
    }
    this.cacheRanges[slot] = range;
    this.cacheLabels[slot] = label;
    this.cacheProtocols[slot] = protocol;
    this.cacheSites[slot] = site;
    return site;
  }

  siteRange(site: number): SourceRange {
    return this.ranges[this.siteRanges[site]!]!;
  }

  siteLabel(site: number): string | undefined {
    const l = this.siteLabels[site]!;
    return l === 0 ? undefined : this.labels[l - 1];
  }

  siteProtocol(site: number): string | undefined {
    const p = this.siteProtocols[site]!;
    return p === 0 ? undefined : this.protocols[p - 1];
  }

  /** About how many bytes the tables hold. */
  get bytes(): number {
    return ENTRY_BYTES * (this.ranges.length + this.labels.length + this.protocols.length + 2 * this.siteRanges.length) + this.textBytes;
  }

  private id<T>(ids: Map<T, number>, values: T[], value: T, textBytes: number): number {
    let id = ids.get(value);
    if (id === undefined) {
      id = values.length;
      values.push(value);
      ids.set(value, id);
      this.textBytes += textBytes;
    }
    return id;
  }
}

const CACHE_SLOTS = 256;
const CACHE_MASK = CACHE_SLOTS - 1;
/** About what one table entry costs (slots and map entry). */
const ENTRY_BYTES = 48;
