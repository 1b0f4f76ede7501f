import type { NodeContext } from '../protocol';

interface Envelope {
  readonly seq: number;
  readonly body: unknown;
}

/**
 * FIFO channels over a network that may reorder or duplicate: each message
 * carries a per-link sequence number and the receiver holds back anything
 * that arrives early, dropping copies it has already delivered. Loss is not
 * repaired (protocols that need FIFO, like Chandy–Lamport, also assume no
 * loss). Volatile: the counters are lost on a crash like any other memory.
 */
export class FifoChannels {
  private readonly nextOut = new Map<string, number>();
  private readonly nextIn = new Map<string, number>();
  private readonly held = new Map<string, Map<number, { type: string; body: unknown }>>();

  constructor(private readonly ctx: NodeContext) {}

  send(to: string, type: string, body: unknown, summary?: string): void {
    const seq = this.nextOut.get(to) ?? 0;
    this.nextOut.set(to, seq + 1);
    const envelope: Envelope = { seq, body };
    this.ctx.send(to, type, envelope, summary === undefined ? undefined : { summary });
  }

  /** Hands every message that is now in order to `deliver`, in order. */
  receive(from: string, type: string, payload: unknown, deliver: (type: string, body: unknown) => void): void {
    const envelope = payload as Envelope;
    const expected = this.nextIn.get(from) ?? 0;
    if (envelope.seq < expected) return; // a duplicate copy
    let buffer = this.held.get(from);
    if (!buffer) this.held.set(from, (buffer = new Map()));
    buffer.set(envelope.seq, { type, body: envelope.body });
    let next = expected;
    for (let m = buffer.get(next); m; m = buffer.get(next)) {
      buffer.delete(next);
      this.nextIn.set(from, ++next);
      deliver(m.type, m.body);
    }
  }
}
