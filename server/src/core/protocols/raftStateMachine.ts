import type { KvValue } from '../linearizability/history';
import { commandId, KvStore, type KvCommand } from './kv';
import type { NodeContext } from './protocol';
import type { RaftLog, RaftSnapshot } from './raftLog';
import { chainDigest, noteApplied, noteApply } from './replicationNotes';

/**
 * A Raft server's state machine side: committed entries applied in order,
 * each once, to the key-value store, and snapshots of it (Raft §7).
 *
 * The trace stays linear in the run's length: entries this server applied
 * before it crashed (the disk remembers how far, `applied`) are re-applied
 * after a restart with one note for all of them, not one per entry, and an
 * installed snapshot is one note too. Each such note carries the digest of
 * the commands applied so far (replicationNotes.ts `noteApplied`), so
 * state_machine_safety still compares every index.
 */
export class RaftStateMachine {
  readonly store = new KvStore();
  private applied = 0;
  /** chainDigest of the command ids applied at 1..applied. */
  private digest = 0;

  constructor(private readonly ctx: NodeContext) {}

  get lastApplied(): number {
    return this.applied;
  }

  /** The state as of a snapshot (a restart from disk, or an installed one): nothing is applied again up to it. */
  restore(s: RaftSnapshot): void {
    this.store.restore(s.store);
    this.applied = s.index;
    this.digest = s.appliedDigest;
    this.remember();
  }

  /** One note for the entries an installed snapshot stands for. */
  noteInstalled(s: RaftSnapshot, from: string): void {
    noteApplied(this.ctx, 'installed', 1, s.index, s.appliedDigest, () => `from ${from}'s snapshot`);
  }

  /**
   * Applies entries lastApplied + 1 … commitIndex of `log`, calling
   * `answered` for each command applied for the first time by this
   * server (whose client may be waiting); then takes a snapshot and
   * compacts the log when `snapshotEvery` entries were applied since the
   * last one.
   */
  apply(log: RaftLog, commitIndex: number, snapshotEvery: number, answered: (c: KvCommand, index: number, result: KvValue | undefined) => void): void {
    if (this.applied >= commitIndex) return;
    const before = this.ctx.stable.get<number>('applied') ?? 0;
    const again = Math.min(before, commitIndex);
    if (this.applied < again) {
      const from = this.applied + 1;
      while (this.applied < again) this.step(log);
      noteApplied(this.ctx, 're-applied', from, again, this.digest, 'from the log after a restart');
    }
    while (this.applied < commitIndex) {
      const index = this.applied + 1;
      const { entry, result } = this.step(log);
      const c = entry.command;
      noteApply(this.ctx, index, entry.term, commandId(c), c?.op === 'get' ? String(result ?? 'nothing') : '');
      if (c) answered(c, index, result);
    }
    this.remember();
    if (this.applied - log.snapshot.index >= snapshotEvery) log.compact(this.applied, this.digest, this.store.snapshot());
  }

  private step(log: RaftLog): { entry: NonNullable<ReturnType<RaftLog['entry']>>; result: KvValue | undefined } {
    const index = ++this.applied;
    const entry = log.entry(index)!;
    const c = entry.command;
    this.digest = chainDigest(this.digest, commandId(c));
    return { entry, result: c ? this.store.apply(c) : undefined };
  }

  /** How far this server has applied, on disk: what a restart re-applies silently. */
  private remember(): void {
    if ((this.ctx.stable.get<number>('applied') ?? 0) < this.applied) this.ctx.stable.set('applied', this.applied);
  }
}
