import type { OptionSpec } from '../../check/options';
import { noteIncrement, noteReplica } from '../coordinationNotes';
import type { NodeContext, PropertySpec, PropertyValue, ProtocolNode } from '../protocol';
import { Gossip } from './gossip';
import { OptionValues } from './optionValues';
import { Workload } from './workload';

/** A G-counter: one monotonically growing count per node; merge takes the pointwise maximum. */
export type GCounter = Readonly<Record<string, number>>;

export function mergeG(a: GCounter, b: GCounter): GCounter {
  const out: Record<string, number> = { ...a };
  for (const [node, n] of Object.entries(b)) out[node] = Math.max(out[node] ?? 0, n);
  return out;
}

export function sumG(c: GCounter): number {
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** A PN-counter: increments and decrements as two G-counters; value = P − N. */
export interface PnState {
  readonly p: GCounter;
  readonly n: GCounter;
}

export const COUNTER_OPTIONS: readonly OptionSpec[] = [
  { key: 'increments', type: 'integer', min: 0, max: 100_000, doc: 'increments each node performs (default 10)', example: '10' },
  { key: 'every', type: 'duration-range', doc: 'time between two operations of a node (default 20ms..60ms)', example: '20ms..60ms' },
  { key: 'gossip', type: 'duration-range', doc: 'time between gossip rounds (default 50ms)', example: '50ms' },
  { key: 'fanout', type: 'integer', min: 1, max: 1000, doc: 'peers each gossip round goes to (default 1)', example: '1' },
];

/** The one message type replicas send: a gossip round's whole state (ProtocolDefinition.messages). */
export const COUNTER_STATE = 'state';

export const COUNTER_PROPERTIES: readonly PropertySpec[] = [
  { name: 'value', type: 'int', doc: "the counter's value at this replica" },
  { name: 'ops', type: 'int', doc: 'increments (and decrements) this node performed' },
];

/**
 * A replica of a state-based counter CRDT, shared by g_counter and
 * pn_counter. Each node counts its own operations in its entry, gossips its
 * whole state and merges what it receives by pointwise maximum. The state is
 * on disk, so a crash loses nothing the node had.
 */
export class CounterReplica implements ProtocolNode {
  private readonly workload: Workload;
  private readonly gossip: Gossip;
  private readonly decrements: number;
  private readonly total: number;

  constructor(
    private readonly ctx: NodeContext,
    private readonly name: string,
    allowDecrements: boolean,
  ) {
    const o = new OptionValues(ctx.options);
    const increments = o.number('increments', 10);
    this.decrements = allowDecrements ? o.number('decrements', 0) : 0;
    this.total = increments + this.decrements;
    this.workload = new Workload(ctx, 'op', { count: this.total, every: o.range('every', { low: 20_000_000, high: 60_000_000 }) }, () => this.operate());
    this.gossip = new Gossip(ctx, { period: o.range('gossip', { low: 50_000_000, high: 50_000_000 }), fanout: o.number('fanout', 1), peers: ctx.members.filter((m) => m !== ctx.self) }, () => ({
      type: COUNTER_STATE,
      payload: this.state,
      summary: this.describe(this.state),
    }));
  }

  private get state(): PnState {
    return this.ctx.stable.get<PnState>('counter') ?? { p: {}, n: {} };
  }

  start(): void {
    noteReplica(this.ctx, this.value(this.state), `${this.name} = ${this.value(this.state)}`);
    this.workload.start();
    this.gossip.start();
  }

  onMessage(_from: string, type: string, payload: unknown): void {
    if (type !== 'state') return;
    const incoming = payload as PnState;
    const before = this.state;
    const merged: PnState = { p: mergeG(before.p, incoming.p), n: mergeG(before.n, incoming.n) };
    this.ctx.stable.set('counter', merged);
    if (this.value(merged) !== this.value(before)) noteReplica(this.ctx, this.value(merged), `merged: ${this.name} = ${this.value(merged)}`);
  }

  onTimer(name: string): void {
    if (!this.workload.onTimer(name)) this.gossip.onTimer(name);
  }

  inspect(): Record<string, PropertyValue> {
    const s = this.state;
    return { value: this.value(s), ops: (s.p[this.ctx.self] ?? 0) + (s.n[this.ctx.self] ?? 0) };
  }

  /** One operation: a decrement with the probability of the decrements still to do. */
  private operate(): void {
    const s = this.state;
    const done = { p: s.p[this.ctx.self] ?? 0, n: s.n[this.ctx.self] ?? 0 };
    const left = { n: this.decrements - done.n, all: this.total - done.p - done.n };
    const down = left.n > 0 && this.ctx.random() * left.all < left.n;
    const key = down ? 'n' : 'p';
    const next: PnState = { ...s, [key]: { ...s[key], [this.ctx.self]: done[key] + 1 } };
    this.ctx.stable.set('counter', next);
    const v = this.value(next);
    noteIncrement(this.ctx, down ? -1 : 1, `${down ? 'decrement' : 'increment'}: ${this.name} = ${v}`, { replica: v });
  }

  private value(s: PnState): number {
    return sumG(s.p) - sumG(s.n);
  }

  private describe(s: PnState): string {
    const show = (c: GCounter) => Object.keys(c).sort().map((k) => `${k}:${c[k]}`).join(' ');
    return this.decrements > 0 || Object.keys(s.n).length ? `P[${show(s.p)}] N[${show(s.n)}]` : `[${show(s.p)}]`;
  }
}
