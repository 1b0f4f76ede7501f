import type { LatencyModel } from '../check/options';
import type { FaultModel, LinkParams, Model } from '../model';
import type { DropReason } from './trace';
import { Rng } from './rng';

/**
 * The network's state over a run: per-link parameters and random streams,
 * the partition in force, and link windows (drop, extra delay). Each
 * directed link draws from its own seeded stream.
 */
export class Network {
  private readonly n: number;
  private readonly params: LinkParams[];
  private readonly streams: (Rng | undefined)[];
  /** Partition group of each node while a partition is in force; -1 for nodes not listed. */
  private groupOf: Int32Array | undefined;
  private partitionId = 0;
  private readonly down: Int32Array;
  private readonly extraDelay: Float64Array;

  constructor(model: Model, private readonly seed: number) {
    this.n = model.nodes.length;
    const size = this.n * this.n;
    this.params = new Array<LinkParams>(size);
    for (let i = 0; i < size; i++) this.params[i] = model.links.get(i) ?? model.network;
    this.streams = new Array<Rng | undefined>(size);
    this.down = new Int32Array(size);
    this.extraDelay = new Float64Array(size);
  }

  /**
   * The delay of a duplicate copy of the message `transmit` just let
   * through, or -1 when the network did not duplicate it. Valid until the
   * next `transmit` (a field, not a returned pair: messages are the hot path).
   */
  duplicateDelay = -1;

  /**
   * Decides what happens to a message sent now from → to: a drop reason, or
   * its delay (and `duplicateDelay` when the network also duplicates it).
   */
  transmit(from: number, to: number): DropReason | number {
    this.duplicateDelay = -1;
    const key = from * this.n + to;
    if (this.isPartitioned(from, to)) return 'partition';
    if (this.down[key]! > 0) return 'link-down';
    const p = this.params[key]!;
    const rng = this.stream(key);
    if (p.loss > 0 && rng.next() < p.loss) return 'loss';
    const extra = this.extraDelay[key]!;
    const first = this.sample(p.latency, rng) + extra;
    if (p.duplicate > 0 && rng.next() < p.duplicate) this.duplicateDelay = this.sample(p.latency, rng) + extra;
    return first;
  }

  isPartitioned(a: number, b: number): boolean {
    const g = this.groupOf;
    return g !== undefined && g[a] !== g[b];
  }

  /** Starts a partition; returns its id so a timed heal ends only this one. */
  partition(groups: readonly (readonly number[])[]): number {
    const g = new Int32Array(this.n).fill(-1);
    groups.forEach((members, i) => members.forEach((m) => (g[m] = i)));
    this.groupOf = g;
    return ++this.partitionId;
  }

  heal(id?: number): boolean {
    if (this.groupOf === undefined || (id !== undefined && id !== this.partitionId)) return false;
    this.groupOf = undefined;
    return true;
  }

  /** Applies (sign +1) or ends (sign −1) a drop or delay window. */
  window(fault: Extract<FaultModel, { kind: 'drop' | 'delay' }>, sign: 1 | -1): void {
    for (const [a, b] of fault.links) {
      const key = a * this.n + b;
      if (fault.kind === 'drop') this.down[key]! += sign;
      else this.extraDelay[key]! += sign * fault.extra;
    }
  }

  private stream(key: number): Rng {
    let s = this.streams[key];
    if (!s) {
      s = new Rng(this.seed, `link:${Math.floor(key / this.n)}:${key % this.n}`);
      this.streams[key] = s;
    }
    return s;
  }

  private sample(l: LatencyModel, rng: Rng): number {
    switch (l.kind) {
      case 'fixed': return l.ns;
      case 'uniform': return l.low + Math.floor(rng.next() * (l.high - l.low + 1));
      case 'normal': return Math.max(0, Math.round(l.mean + l.sd * rng.normal()));
      case 'exponential': return Math.round(rng.exponential(l.mean));
    }
  }
}
