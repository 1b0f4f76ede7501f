import type { NodeContext } from '../protocol';
import { draw, type DurationRange } from './optionValues';

export interface GossipSpec {
  /** Time between rounds by the node's local clock. */
  readonly period: DurationRange;
  /** Peers contacted per round (at most all of them). */
  readonly fanout: number;
  readonly peers: readonly string[];
}

/**
 * Anti-entropy by gossip: every round the node sends its whole state to
 * `fanout` distinct peers chosen with its own random stream. The receiver
 * merges; with a merge that is commutative, associative and idempotent
 * (a CRDT join) replicas converge whatever the order, loss or duplication.
 */
export class Gossip {
  static readonly TIMER = 'gossip';

  constructor(
    private readonly ctx: NodeContext,
    private readonly spec: GossipSpec,
    private readonly message: () => { readonly type: string; readonly payload: unknown; readonly summary: string },
  ) {}

  start(): void {
    this.schedule();
  }

  /** True when the timer was the gossip round's. */
  onTimer(name: string): boolean {
    if (name !== Gossip.TIMER) return false;
    const pool = [...this.spec.peers];
    const m = this.message();
    for (let i = 0; i < Math.min(this.spec.fanout, pool.length); i++) {
      const j = i + Math.floor(this.ctx.random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      this.ctx.send(pool[i]!, m.type, m.payload, { summary: m.summary });
    }
    this.schedule();
    return true;
  }

  private schedule(): void {
    if (this.spec.peers.length > 0) this.ctx.setTimer(Gossip.TIMER, draw(this.spec.period, () => this.ctx.random()), undefined);
  }
}
