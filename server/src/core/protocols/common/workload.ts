import type { NodeContext } from '../protocol';
import { draw, type DurationRange } from './optionValues';

export interface WorkloadSpec {
  /** How many operations in all (1-based indices 1..count). */
  readonly count: number;
  /** Time between operations by the node's local clock; drawn afresh for each gap. */
  readonly every: DurationRange;
  /** Local time after the node's first start at which operation 1 is due (default: one `every`). */
  readonly first?: DurationRange;
}

interface Progress {
  readonly next: number;
  readonly due: number;
}

/**
 * A finite series of client operations driven by the node's local clock,
 * e.g. `transactions 3 every 300ms`. Progress lives in stable storage, so a
 * restarted node neither repeats an operation nor starts over; operations
 * that fell due while the node was down are skipped (a crashed client issues
 * nothing). The schedule starts when the node first starts, so a clock offset
 * shifts the timestamps a node sees but not when its operations happen.
 */
export class Workload {
  private readonly key: string;

  constructor(
    private readonly ctx: NodeContext,
    /** Also the timer's name in the trace: choose one the protocol uses for nothing else. */
    private readonly name: string,
    private readonly spec: WorkloadSpec,
    private readonly run: (index: number) => void,
  ) {
    this.key = `workload:${name}`;
  }

  start(): void {
    if (this.spec.count <= 0) return;
    const now = this.ctx.now();
    let p = this.ctx.stable.get<Progress>(this.key) ?? { next: 1, due: now + draw(this.spec.first ?? this.spec.every, () => this.ctx.random()) };
    while (p.next <= this.spec.count && p.due < now) p = { next: p.next + 1, due: p.due + draw(this.spec.every, () => this.ctx.random()) };
    this.save(p);
  }

  /** True when the timer was this workload's (and the operation ran). */
  onTimer(name: string): boolean {
    if (name !== this.name) return false;
    const p = this.ctx.stable.get<Progress>(this.key)!;
    this.save({ next: p.next + 1, due: p.due + draw(this.spec.every, () => this.ctx.random()) });
    this.run(p.next);
    return true;
  }

  /** Operations issued so far (including any skipped while down). */
  get issued(): number {
    return (this.ctx.stable.get<Progress>(this.key)?.next ?? 1) - 1;
  }

  private save(p: Progress): void {
    this.ctx.stable.set(this.key, p);
    if (p.next <= this.spec.count) this.ctx.setTimer(this.name, Math.max(0, p.due - this.ctx.now()), undefined);
  }
}
