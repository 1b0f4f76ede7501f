/**
 * Leader leases (Raft thesis §6.4.1): a leader may answer reads from its own
 * state, without a round through the log, while no other leader can exist.
 *
 * The argument, all in local clocks: a follower that answered the leader's
 * AppendEntries sent at leader time `s` received it after `s` and refuses to
 * vote for anyone else for `lease` of its own time after that. If every clock
 * drifts by at most ρ, that refusal lasts at least lease/(1+ρ) of true time,
 * and `lease·(1−ρ)/(1+ρ)` of the leader's time covers at most lease/(1+ρ) of
 * true time. So once a majority answered messages sent at or after `s`, the
 * leader may serve reads until its clock reads s + lease·(1−ρ)/(1+ρ).
 *
 * The bound is the whole point: a clock that jumps, or drifts faster than ρ,
 * breaks it, and reads go stale (see samples/lease_read_clock_jump.dsync).
 */
export class LeaderLease {
  /** Per follower: the leader's send time of the latest AppendEntries it answered this term. */
  private readonly acked = new Map<string, number>();

  constructor(
    private readonly duration: number,
    driftBoundPpm: number,
    /** The bug switch `lease_no_drift_bound`: trust the lease for its full length. */
    ignoreDrift: boolean,
    private readonly majority: number,
  ) {
    const rho = driftBoundPpm * 1e-6;
    this.factor = ignoreDrift ? 1 : (1 - rho) / (1 + rho);
  }

  private readonly factor: number;

  get enabled(): boolean {
    return this.duration > 0;
  }

  /** A new term: earlier answers prove nothing about this one. */
  reset(): void {
    this.acked.clear();
  }

  answered(follower: string, sentAt: number): void {
    if (sentAt > (this.acked.get(follower) ?? -Infinity)) this.acked.set(follower, sentAt);
  }

  /** The leader's local time until which it holds the lease (−∞ without one). */
  expiry(now: number): number {
    if (!this.enabled) return -Infinity;
    // The leader counts itself as answering now; the majority-th latest answer dates the lease.
    const times = [now, ...this.acked.values()].sort((a, b) => b - a);
    const dated = times[this.majority - 1];
    return dated === undefined ? -Infinity : dated + Math.floor(this.duration * this.factor);
  }

  /** How long a follower refuses votes after hearing the leader (its own clock). */
  get followerWindow(): number {
    return this.duration;
  }
}
