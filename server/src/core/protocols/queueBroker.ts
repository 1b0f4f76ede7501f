import type { NodeContext, PropertyValue, ProtocolNode } from './protocol';
import { KeyedTimers } from './common/keyedTimers';
import { formatDuration } from '../units';

/** The replicated queue state: two grow-only sets (enqueued in arrival order, acknowledged), merged by union. */
export interface QueueState {
  readonly view: number;
  readonly enqueued: readonly string[];
  readonly acked: readonly string[];
}

export interface QueueConfig {
  readonly brokers: readonly string[];
  readonly visibility: number;
  readonly failover: number;
}

export const primaryOf = (brokers: readonly string[], view: number): string => brokers[view % brokers.length]!;

/**
 * A broker of `replicated_queue`. The primary (brokers[view mod n]) takes
 * messages from producers and acknowledges each only once a backup has it;
 * it hands the oldest message that is neither acknowledged nor out to a
 * consumer, and if the consumer does not acknowledge within `visibility`
 * (crashed, slow) hands it out again: at-least-once delivery. Its state goes
 * to the backups on every change and as a heartbeat. A backup that hears
 * nothing from the primary for `failover` (times its distance in the ring,
 * so the next one in line goes first) takes over with the next view. States
 * are grow-only sets merged by union in both directions, so a new primary
 * learns what any broker it talks to knew; what was out at a failover is
 * handed out again. State is on disk.
 */
export class QueueBroker implements ProtocolNode {
  private readonly out = new Map<string, string>(); // message → consumer holding it
  private readonly timers: KeyedTimers<string>;
  private readonly waitingProducers = new Map<string, string>(); // message → producer awaiting its ack
  private lastHeard = 0;
  /** After a restart: serve nobody until the other brokers had a chance to say who is primary now. */
  private recovering = false;
  private delivered = 0;
  private redelivered = 0;
  /** Messages this broker handed out (volatile: a new primary hands out again what was out at a failover). */
  private readonly handedOut = new Set<string>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly cfg: QueueConfig,
  ) {
    this.timers = new KeyedTimers(ctx);
  }

  private get state(): QueueState {
    return this.ctx.stable.get<QueueState>('queue') ?? { view: 0, enqueued: [], acked: [] };
  }
  private get primary(): boolean {
    return primaryOf(this.cfg.brokers, this.state.view) === this.ctx.self;
  }
  private get backups(): string[] {
    return this.cfg.brokers.filter((b) => b !== this.ctx.self);
  }

  start(): void {
    this.lastHeard = this.ctx.now();
    this.ctx.setTimer('tick', this.cfg.failover / 3);
    this.recovering = this.ctx.stable.get<QueueState>('queue') !== undefined;
    if (this.recovering) this.ctx.note('restarted: asking the other brokers for their state before serving');
    if (this.primary || this.recovering) this.replicate();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    const p = payload as { id: string } & Partial<QueueState>;
    if (type === 'sync' || type === 'synced') return this.onSync(from, type, payload as QueueState);
    if (this.recovering) return;
    if (!this.primary) {
      // Point clients at the primary only while it is alive as far as we know; else let them time out and move on.
      const primary = primaryOf(this.cfg.brokers, this.state.view);
      if (this.ctx.now() - this.lastHeard <= this.cfg.failover / 2) this.ctx.send(from, 'redirect', { primary }, { summary: primary });
      return;
    }
    switch (type) {
      case 'enqueue':
        if (!this.state.enqueued.includes(p.id)) this.save({ ...this.state, enqueued: [...this.state.enqueued, p.id] });
        this.waitingProducers.set(p.id, from);
        if (this.backups.length === 0) this.ackProducers(this.state.enqueued);
        else this.replicate();
        return;
      case 'pull':
        return this.handOut(from);
      case 'ack':
        this.out.delete(p.id);
        this.timers.cancel(p.id);
        if (!this.state.acked.includes(p.id)) this.save({ ...this.state, acked: [...this.state.acked, p.id] });
        this.replicate();
        return;
    }
  }

  onTimer(name: string, data: unknown): void {
    if (name === 'visibility') {
      const id = data as string;
      const consumer = this.out.get(id);
      if (consumer === undefined) return;
      this.out.delete(id);
      this.ctx.note(`${id} not acknowledged by ${consumer} within ${formatDuration(this.cfg.visibility)}: back in the queue`);
      return;
    }
    if (name !== 'tick') return;
    this.ctx.setTimer('tick', this.cfg.failover / 3);
    this.recovering = false;
    if (this.primary) return this.replicate(); // the heartbeat
    const s = this.state;
    const distance = (this.cfg.brokers.indexOf(this.ctx.self) - (s.view % this.cfg.brokers.length) + this.cfg.brokers.length) % this.cfg.brokers.length;
    if (this.ctx.now() - this.lastHeard <= this.cfg.failover * distance) return;
    const silent = primaryOf(this.cfg.brokers, s.view);
    let view = s.view + 1;
    while (primaryOf(this.cfg.brokers, view) !== this.ctx.self) view++;
    this.save({ ...s, view });
    this.out.clear();
    this.ctx.note(`became primary (view ${view}): nothing from ${silent} for ${formatDuration(this.ctx.now() - this.lastHeard)}`, { role: 'leader', term: view });
    this.replicate();
  }

  inspect(): Record<string, PropertyValue> {
    const s = this.state;
    const acked = new Set(s.acked);
    return { queued: s.enqueued.length - s.acked.length, queue: s.enqueued.filter((id) => !acked.has(id)), acked: s.acked.length, delivered: this.delivered, redelivered: this.redelivered, primary: this.primary };
  }

  private onSync(from: string, type: string, incoming: QueueState): void {
    const mine = this.state;
    const merged: QueueState = {
      view: Math.max(mine.view, incoming.view),
      enqueued: [...mine.enqueued, ...incoming.enqueued.filter((id) => !mine.enqueued.includes(id))],
      acked: [...mine.acked, ...incoming.acked.filter((id) => !mine.acked.includes(id))],
    };
    const wasPrimary = this.primary;
    this.save(merged);
    if (incoming.view >= mine.view && primaryOf(this.cfg.brokers, incoming.view) === from) this.lastHeard = this.ctx.now();
    if (wasPrimary && !this.primary) {
      this.out.clear();
      this.ctx.note(`stepped down: ${from} is primary in view ${merged.view}`, { role: 'follower', term: merged.view });
    }
    if (type === 'sync') this.ctx.send(from, 'synced', merged, { summary: summarize(merged) });
    else if (this.primary) this.ackProducers(incoming.enqueued);
  }

  /** A backup holds these: their producers may stop retrying. */
  private ackProducers(held: readonly string[]): void {
    for (const id of held) {
      const producer = this.waitingProducers.get(id);
      if (producer === undefined) continue;
      this.waitingProducers.delete(id);
      this.ctx.send(producer, 'enqueued', { id }, { summary: id });
    }
  }

  private handOut(consumer: string): void {
    const s = this.state;
    const id = s.enqueued.find((m) => !s.acked.includes(m) && !this.out.has(m));
    if (id === undefined) {
      this.ctx.send(consumer, 'empty', undefined);
      return;
    }
    this.out.set(id, consumer);
    this.delivered++;
    if (this.handedOut.has(id)) {
      this.redelivered++;
      this.ctx.note(`redelivering ${id} to ${consumer}`);
    }
    this.handedOut.add(id);
    this.timers.set(id, 'visibility', this.cfg.visibility, id);
    this.ctx.send(consumer, 'deliver', { id }, { summary: id });
  }

  private replicate(): void {
    for (const b of this.backups) this.ctx.send(b, 'sync', this.state, { summary: summarize(this.state) });
  }

  private save(s: QueueState): void {
    this.ctx.stable.set('queue', s);
  }
}

function summarize(s: QueueState): string {
  return `view ${s.view}, ${s.enqueued.length} in, ${s.acked.length} acked`;
}
