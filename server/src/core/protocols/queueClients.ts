import type { NodeContext, PropertyValue, ProtocolNode } from './protocol';
import { noteConsumed, noteProduced } from './coordinationNotes';
import { KeyedTimers } from './common/keyedTimers';
import { draw, type DurationRange } from './common/optionValues';
import { Workload, type WorkloadSpec } from './common/workload';

/**
 * Producers and consumers of `replicated_queue`. Both talk to the broker
 * they believe is primary, follow a `redirect`, and move on to the next
 * broker in the ring when one stays silent for `timeout`.
 */
class BrokerChoice {
  private index = 0;
  constructor(private readonly brokers: readonly string[]) {}
  get current(): string {
    return this.brokers[this.index]!;
  }
  follow(primary: string): void {
    this.index = Math.max(0, this.brokers.indexOf(primary));
  }
  next(): void {
    this.index = (this.index + 1) % this.brokers.length;
  }
}

/**
 * Sends `messages` messages (ids `P1-1`, `P1-2`, …) and resends each until
 * the queue acknowledges it; from then on the queue answers for it, which
 * the producer notes (`{ produced }`). Unacknowledged ids are on disk, so a
 * restarted producer resends them.
 */
export class QueueProducer implements ProtocolNode {
  private readonly broker: BrokerChoice;
  private readonly workload: Workload;
  /** One resend timer for everything unacknowledged: silence means the broker is gone, not one message. */
  private readonly timers: KeyedTimers<'resend'>;

  constructor(
    private readonly ctx: NodeContext,
    brokers: readonly string[],
    workload: WorkloadSpec,
    private readonly timeout: number,
  ) {
    this.broker = new BrokerChoice(brokers);
    this.timers = new KeyedTimers(ctx);
    this.workload = new Workload(ctx, 'produce', workload, (k) => {
      const id = `${ctx.self}-${k}`;
      this.ctx.stable.set('pending', [...this.pending, id]);
      this.send(id);
    });
  }

  private get pending(): readonly string[] {
    return this.ctx.stable.get<string[]>('pending') ?? [];
  }

  start(): void {
    for (const id of this.pending) this.send(id);
    this.workload.start();
  }

  onMessage(_from: string, type: string, payload: unknown): void {
    if (type === 'redirect') {
      const primary = (payload as { primary: string }).primary;
      if (primary === this.broker.current) return; // already on our way there
      this.broker.follow(primary);
      for (const id of this.pending) this.send(id);
      return;
    }
    if (type !== 'enqueued') return;
    const { id } = payload as { id: string };
    if (!this.pending.includes(id)) return;
    this.ctx.stable.set('pending', this.pending.filter((p) => p !== id));
    if (this.pending.length === 0) this.timers.cancel('resend');
    else this.timers.set('resend', 'resend', this.timeout);
    noteProduced(this.ctx, id, `${id} is in the queue`);
  }

  onTimer(name: string): void {
    if (this.workload.onTimer(name) || name !== 'resend') return;
    this.broker.next();
    for (const id of this.pending) this.send(id);
  }

  inspect(): Record<string, PropertyValue> {
    return { produced: this.workload.issued - this.pending.length };
  }

  private send(id: string): void {
    this.ctx.send(this.broker.current, 'enqueue', { id }, { summary: id });
    this.timers.set('resend', 'resend', this.timeout);
  }
}

/**
 * Pulls a message, processes it for `process`, notes it (`{ consumed }`:
 * the side effect happened) and acknowledges it, then pulls again; polls
 * every `timeout` while the queue is empty. A crash while processing
 * leaves the message unacknowledged, so the broker hands it out again; a
 * crash after the side effect and before the acknowledgement arrives
 * makes a duplicate.
 */
export class QueueConsumer implements ProtocolNode {
  private readonly broker: BrokerChoice;
  private readonly timers: KeyedTimers<'wait'>;
  private processing: string | undefined;
  private consumed = 0;

  constructor(
    private readonly ctx: NodeContext,
    brokers: readonly string[],
    private readonly process: DurationRange,
    private readonly timeout: number,
  ) {
    this.broker = new BrokerChoice(brokers);
    this.timers = new KeyedTimers(ctx);
  }

  start(): void {
    this.pull();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    if (this.processing !== undefined) return;
    switch (type) {
      case 'redirect':
        this.broker.follow((payload as { primary: string }).primary);
        return this.pull();
      case 'empty':
        return this.timers.set('wait', 'poll', this.timeout);
      case 'deliver':
        this.broker.follow(from);
        this.processing = (payload as { id: string }).id;
        return this.timers.set('wait', 'processed', draw(this.process, () => this.ctx.random()));
    }
  }

  onTimer(name: string): void {
    if (name === 'processed' && this.processing !== undefined) {
      const id = this.processing;
      this.processing = undefined;
      this.consumed++;
      noteConsumed(this.ctx, id, `processed ${id}`);
      this.ctx.send(this.broker.current, 'ack', { id }, { summary: id });
      return this.pull();
    }
    if (name === 'silent') this.broker.next();
    if (name === 'poll' || name === 'silent') this.pull();
  }

  inspect(): Record<string, PropertyValue> {
    return { consumed: this.consumed, processing: this.processing ?? '' };
  }

  private pull(): void {
    this.ctx.send(this.broker.current, 'pull', undefined);
    this.timers.set('wait', 'silent', this.timeout);
  }
}
