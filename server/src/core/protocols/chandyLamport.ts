import type { NodeContext, ProtocolDefinition, ProtocolNode } from './protocol';
import { noteChannelState, noteSnapshotState } from './coordinationNotes';
import { FifoChannels } from './common/fifoChannels';
import { OptionValues, pick } from './common/optionValues';
import { Workload } from './common/workload';

/**
 * The Chandy–Lamport snapshot (1985) over a money-transfer workload. Every
 * node starts with `balance` and keeps sending random amounts to random
 * peers. To take snapshot k, its initiator records its own balance and sends
 * a marker on every outgoing channel; a node receiving its first marker for
 * k records its balance, records that channel as empty and sends markers
 * on; afterwards it records, per incoming channel, the transfers that arrive
 * until that channel's marker: the money in flight. Money is conserved, so
 * recorded balances plus recorded in-flight amounts equal the true total.
 * Each node then reports its part to the initiator, which notes the global
 * total.
 *
 * The algorithm needs FIFO channels; the network may reorder, so by default
 * messages carry per-channel sequence numbers and are delivered in order
 * (`fifo false` turns that off: a marker can then overtake a transfer, and
 * the cut is inconsistent or money goes missing). It also assumes no loss
 * and no crashes: balances are volatile.
 *
 * Messages: transfer {amount}, marker {snapshot}, report {snapshot, part}.
 */
export const chandyLamport: ProtocolDefinition = {
  name: 'chandy_lamport',
  summary: 'Chandy–Lamport global snapshot of a money-transfer workload: markers, recorded channel state, the recorded cut',
  binding: 'nodes',
  messages: ['transfer', 'marker', 'report'],
  reports: ['snapshots'],
  options: [
    { key: 'balance', type: 'integer', min: 0, max: 1e9, doc: 'money each node starts with (default 100)', example: '100' },
    { key: 'transfers', type: 'integer', min: 0, max: 100_000, doc: 'transfers each node sends (default 20)', example: '20' },
    { key: 'every', type: 'duration-range', doc: 'time between two transfers of a node (default 10ms..40ms)', example: '10ms..40ms' },
    { key: 'max_amount', type: 'integer', min: 1, max: 1e9, doc: 'largest single transfer (default 10)', example: '10' },
    { key: 'initiator', type: 'nodes', doc: 'who starts the snapshots, in turn (default the first bound node)', example: 'A' },
    { key: 'snapshot_at', type: 'duration', doc: 'how long after starting the initiator takes the first snapshot, by its own clock (default 200ms)', example: '200ms' },
    { key: 'snapshots', type: 'integer', min: 0, max: 1000, doc: 'how many snapshots (default 1)', example: '1' },
    { key: 'snapshot_every', type: 'duration-range', doc: 'time between snapshots (default 300ms)', example: '300ms' },
    { key: 'fifo', type: 'bool', doc: 'deliver each channel in order (default true); the algorithm is only correct with it', example: 'true' },
  ],
  properties: [
    { name: 'balance', type: 'int', doc: "the node's money now" },
    { name: 'recorded', type: 'int', doc: 'the balance this node recorded in the latest snapshot (-1 before any)' },
    { name: 'snapshot_total', type: 'int', doc: 'on an initiator: the global total of its latest complete snapshot (-1 before any)' },
  ],
  createNode: (ctx) => new SnapshotNode(ctx),
};

interface LocalSnapshot {
  readonly state: number;
  /** Incoming channels still recording, with the money and messages seen on each so far. */
  readonly open: Map<string, { amount: number; count: number }>;
  inFlight: number;
  reported: boolean;
}

class SnapshotNode implements ProtocolNode {
  private readonly peers: readonly string[];
  private readonly fifo: FifoChannels | undefined;
  private readonly transfers: Workload;
  private readonly snapshotRuns: Workload | undefined;
  private readonly initiators: readonly string[];
  private readonly maxAmount: number;
  private balance: number;
  private readonly sent = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private readonly snapshots = new Map<number, LocalSnapshot>();
  /** On the initiator: parts reported per snapshot. */
  private readonly reports = new Map<number, Map<string, number>>();
  private lastRecorded = -1;
  private lastTotal = -1;

  constructor(private readonly ctx: NodeContext) {
    const o = new OptionValues(ctx.options);
    this.peers = ctx.members.filter((m) => m !== ctx.self);
    this.fifo = o.bool('fifo', true) ? new FifoChannels(ctx) : undefined;
    this.balance = o.number('balance', 100);
    this.maxAmount = o.number('max_amount', 10);
    this.initiators = o.nodes('initiator').length ? o.nodes('initiator') : ctx.members.slice(0, 1);
    this.transfers = new Workload(ctx, 'transfer', { count: o.number('transfers', 20), every: o.range('every', { low: 10_000_000, high: 40_000_000 }) }, () => this.transfer());
    const count = o.number('snapshots', 1);
    const mine = Array.from({ length: count }, (_, i) => i + 1).filter((k) => this.initiatorOf(k) === ctx.self);
    const at = o.number('snapshot_at', 200_000_000);
    // Every node runs the same schedule; only the initiator of snapshot k acts on it.
    this.snapshotRuns = mine.length ? new Workload(ctx, 'snapshot', { count, first: { low: at, high: at }, every: o.range('snapshot_every', { low: 300_000_000, high: 300_000_000 }) }, (k) => {
      if (this.initiatorOf(k) === ctx.self) this.record(k, undefined);
    }) : undefined;
  }

  start(): void {
    this.transfers.start();
    this.snapshotRuns?.start();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    if (type === 'report') return this.collect(from, payload as { snapshot: number; part: number });
    if (this.fifo) this.fifo.receive(from, type, payload, (t, body) => this.deliver(from, t, body));
    else this.deliver(from, type, payload);
  }

  onTimer(name: string): void {
    if (!this.transfers.onTimer(name)) this.snapshotRuns?.onTimer(name);
  }

  inspect() {
    return { balance: this.balance, recorded: this.lastRecorded, snapshot_total: this.lastTotal };
  }

  private initiatorOf(k: number): string {
    return this.initiators[(k - 1) % this.initiators.length]!;
  }

  private transfer(): void {
    if (this.balance <= 0 || this.peers.length === 0) return;
    const to = pick(this.peers, () => this.ctx.random());
    const amount = 1 + Math.floor(this.ctx.random() * Math.min(this.maxAmount, this.balance));
    this.balance -= amount;
    this.sent.set(to, (this.sent.get(to) ?? 0) + 1);
    this.sendApp(to, 'transfer', { amount }, `${amount}`);
  }

  private deliver(from: string, type: string, body: unknown): void {
    if (type === 'transfer') {
      const { amount } = body as { amount: number };
      this.balance += amount;
      this.received.set(from, (this.received.get(from) ?? 0) + 1);
      for (const s of this.snapshots.values()) {
        const channel = s.open.get(from);
        if (channel) {
          channel.amount += amount;
          channel.count++;
        }
      }
      return;
    }
    if (type === 'marker') {
      const { snapshot } = body as { snapshot: number };
      if (!this.snapshots.has(snapshot)) this.record(snapshot, from);
      else this.closeChannel(snapshot, from);
    }
  }

  /** Records the local state (the cut passes here) and sends markers on every outgoing channel. */
  private record(snapshot: number, markerFrom: string | undefined): void {
    const s: LocalSnapshot = { state: this.balance, open: new Map(this.peers.map((p) => [p, { amount: 0, count: 0 }])), inFlight: 0, reported: false };
    this.snapshots.set(snapshot, s);
    this.lastRecorded = this.balance;
    const why = markerFrom ? `first marker, from ${markerFrom}` : 'initiator';
    noteSnapshotState(this.ctx, snapshot, this.balance, this.sent, this.received, `snapshot ${snapshot}: recorded balance ${this.balance} (${why})`);
    if (markerFrom) this.closeChannel(snapshot, markerFrom);
    for (const p of this.peers) this.sendApp(p, 'marker', { snapshot }, `snapshot ${snapshot}`);
    if (s.open.size === 0) this.report(snapshot);
  }

  private closeChannel(snapshot: number, from: string): void {
    const s = this.snapshots.get(snapshot)!;
    const channel = s.open.get(from);
    if (!channel) return;
    s.open.delete(from);
    s.inFlight += channel.amount;
    noteChannelState(this.ctx, snapshot, from, channel.amount, channel.count);
    if (s.open.size === 0) this.report(snapshot);
  }

  /** Local part done: tell the initiator what this node recorded. */
  private report(snapshot: number): void {
    const s = this.snapshots.get(snapshot)!;
    if (s.reported) return;
    s.reported = true;
    const part = s.state + s.inFlight;
    const initiator = this.initiatorOf(snapshot);
    if (initiator === this.ctx.self) this.collect(this.ctx.self, { snapshot, part });
    else this.ctx.send(initiator, 'report', { snapshot, part }, { summary: `snapshot ${snapshot}: ${part}` });
  }

  private collect(from: string, r: { snapshot: number; part: number }): void {
    let parts = this.reports.get(r.snapshot);
    if (!parts) this.reports.set(r.snapshot, (parts = new Map()));
    parts.set(from, r.part);
    if (parts.size < this.ctx.members.length) return;
    this.lastTotal = [...parts.values()].reduce((a, b) => a + b, 0);
    const shown = this.ctx.members.map((m) => `${m} ${parts!.get(m)}`).join(', ');
    this.ctx.note(`snapshot ${r.snapshot} complete: total ${this.lastTotal} (${shown}; balance + money in flight to each)`, { snapshotTotal: this.lastTotal, snapshotId: r.snapshot });
  }

  private sendApp(to: string, type: string, body: unknown, summary: string): void {
    if (this.fifo) this.fifo.send(to, type, body, summary);
    else this.ctx.send(to, type, body, { summary });
  }
}
