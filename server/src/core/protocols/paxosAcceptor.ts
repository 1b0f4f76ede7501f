import type { NodeContext } from './protocol';
import { formatBallot, notePaxos } from './replicationNotes';

export interface Accepted<V> {
  readonly ballot: number;
  readonly value: V;
}

export interface AcceptorOptions<V> {
  /** Acceptors of this many make a majority; written into the notes for the invariants. */
  readonly quorum: number;
  /** The bug `forget_promises`: promises and accepted values live only in memory. */
  readonly volatile: boolean;
  /** The bug `ignore_promises`: accept requests of ballots below the promise. */
  readonly ignorePromises: boolean;
  /** The value as the notes and the invariants compare it. */
  describe(v: V): string;
}

/**
 * A Paxos acceptor for any number of slots (one for single-decree Paxos,
 * one per log position for Multi-Paxos): a single promise covers every slot,
 * as Multi-Paxos' phase 1 does. Promise and accepted values are written to
 * the node's disk before it answers, so a restart cannot make it break a
 * promise — unless the `forget_promises` bug is on.
 */
export class PaxosAcceptor<V> {
  private promised: number;
  private readonly accepted: Map<number, Accepted<V>>;

  constructor(private readonly ctx: NodeContext, private readonly opts: AcceptorOptions<V>) {
    this.promised = opts.volatile ? 0 : (ctx.stable.get<number>('promised') ?? 0);
    const slots = opts.volatile ? [] : (ctx.stable.get<number[]>('accepted.slots') ?? []);
    this.accepted = new Map(slots.map((slot) => [slot, ctx.stable.get<Accepted<V>>(`accepted.${slot}`)!]));
  }

  get promisedBallot(): number {
    return this.promised;
  }

  acceptedAt(slot: number): Accepted<V> | undefined {
    return this.accepted.get(slot);
  }

  /** Phase 1b: promise to ignore lower ballots, and report what was accepted in slots ≥ `fromSlot`. */
  prepare(ballot: number, fromSlot: number): { ok: true; accepted: [number, Accepted<V>][] } | { ok: false; promised: number } {
    if (ballot < this.promised) return { ok: false, promised: this.promised };
    if (ballot > this.promised) {
      this.promised = ballot;
      this.persist(undefined);
    }
    return { ok: true, accepted: [...this.accepted].filter(([slot]) => slot >= fromSlot).sort((a, b) => a[0] - b[0]) };
  }

  /** Phase 2b: accept unless promised to a higher ballot. */
  accept(ballot: number, slot: number, value: V): boolean {
    if (ballot < this.promised && !this.opts.ignorePromises) return false;
    if (ballot > this.promised) this.promised = ballot;
    const isNew = !this.accepted.has(slot);
    this.accepted.set(slot, { ballot, value });
    this.persist(slot, isNew);
    const shown = this.opts.describe(value);
    const broke = ballot < this.promised ? ` despite its promise to ${formatBallot(this.promised, this.ctx.members)}` : '';
    notePaxos(this.ctx, { paxos: 'accept', slot, value: shown, ballot, quorum: this.opts.quorum }, `accepted ${shown} in ballot ${formatBallot(ballot, this.ctx.members)}${slot ? ` for slot ${slot}` : ''}${broke}`);
    return true;
  }

  /** Writes the promise and the slot that changed (and the slot list when the slot is new). */
  private persist(slot: number | undefined, isNew = false): void {
    if (this.opts.volatile) return;
    this.ctx.stable.set('promised', this.promised);
    if (slot === undefined) return;
    this.ctx.stable.set(`accepted.${slot}`, this.accepted.get(slot));
    if (isNew) this.ctx.stable.set('accepted.slots', [...this.accepted.keys()]);
  }
}
