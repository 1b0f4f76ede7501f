import type { NodeContext, PropertyValue, ProtocolNode } from './protocol';
import { noteStorageWrite } from './coordinationNotes';

export interface WriteRequest {
  readonly token: number;
  readonly value: string;
}

/**
 * The storage node a lock protects (a role of `lock_service`). With fencing
 * it remembers the largest token it has accepted and rejects any write with
 * a smaller one: a client whose lease ran out (paused, slow clock, delayed
 * message) can no longer overwrite the data of a newer holder. Without
 * fencing it accepts every write. Its data and the largest token are on disk.
 */
export class FencedStorage implements ProtocolNode {
  private accepted = 0;
  private rejected = 0;

  constructor(
    private readonly ctx: NodeContext,
    private readonly fencing: boolean,
  ) {}

  start(): void {}

  onMessage(from: string, type: string, payload: unknown): void {
    if (type !== 'write') return;
    const w = payload as WriteRequest;
    const highest = this.ctx.stable.get<number>('token') ?? 0;
    if (this.fencing && w.token < highest) {
      this.rejected++;
      noteStorageWrite(this.ctx, 'rejected', w.token, from, `rejected write "${w.value}" from ${from}: token ${w.token} < ${highest} (fenced)`);
      this.ctx.send(from, 'write_rejected', { token: w.token }, { summary: `token ${w.token} < ${highest}` });
      return;
    }
    this.ctx.stable.set('token', Math.max(highest, w.token));
    this.ctx.stable.set('value', w.value);
    this.accepted++;
    const stale = w.token < highest ? ` although token ${highest} was seen` : '';
    noteStorageWrite(this.ctx, 'accepted', w.token, from, `accepted write "${w.value}" from ${from} (token ${w.token}${stale})`);
    this.ctx.send(from, 'write_ok', { token: w.token }, { summary: `token ${w.token}` });
  }

  onTimer(): void {}

  inspect(): Record<string, PropertyValue> {
    return { token: this.ctx.stable.get<number>('token') ?? 0, value: this.ctx.stable.get<string>('value') ?? '', accepted: this.accepted, rejected: this.rejected };
  }
}
