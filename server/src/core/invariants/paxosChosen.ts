import type { PaxosNote } from '../protocols/replicationNotes';
import type { TraceEvent } from '../sim/trace';

export interface Chosen {
  readonly slot: number;
  readonly value: string;
  readonly ballot: number;
  readonly acceptors: readonly number[];
  readonly time: number;
}

/**
 * Which values are chosen, computed from the acceptors' `accept` notes rather
 * than trusted from the learners: a value is chosen in a slot once a majority
 * of acceptors accepted it in the same ballot (every acceptance counts, even
 * one later overwritten). One tracker per protocol instance.
 */
export class ChosenValues {
  private readonly votes = new Map<string, Set<number>>();
  private readonly first = new Map<number, Chosen>();

  /** Feeds a Paxos note; returns the (slot, value) it made chosen, the first time it becomes so. */
  observe(e: TraceEvent, n: PaxosNote): Chosen | undefined {
    if (n.paxos !== 'accept') return undefined;
    const key = `${n.slot}|${n.ballot}|${n.value}`;
    let acceptors = this.votes.get(key);
    if (!acceptors) this.votes.set(key, (acceptors = new Set()));
    if (acceptors.has(e.node)) return undefined;
    acceptors.add(e.node);
    if (acceptors.size !== n.quorum) return undefined;
    const chosen: Chosen = { slot: n.slot, value: n.value, ballot: n.ballot, acceptors: [...acceptors], time: e.time };
    if (!this.first.has(n.slot)) this.first.set(n.slot, chosen);
    return chosen;
  }

  /** The first value chosen in the slot. */
  chosen(slot: number): Chosen | undefined {
    return this.first.get(slot);
  }
}
