import { commandId, describeCommand, KvStore, replyOk, type KvCommand } from './kv';
import type { NodeContext, PropertyValue } from './protocol';
import { noteApply, notePaxos } from './replicationNotes';

/**
 * The chosen slots of a Multi-Paxos node (its learner) and the key-value
 * state machine they drive. Chosen values are on disk; the state machine is
 * rebuilt after a restart by applying the chosen prefix again. Slots are
 * numbered from 1 and applied strictly in order: a gap waits until the slot
 * is chosen (a new leader fills gaps with no-ops).
 */
/** The type of Multi-Paxos' `log` property (ChosenLog.value): `command` is the slot's identity, `c1.4 put k=3` or `no-op`. */
export const CHOSEN_LOG_TYPE = 'list<{ slot: int, command: string }>';

export class ChosenLog {
  private readonly chosen: Map<number, KvCommand | null>;
  private applied = 0;
  readonly store = new KvStore();
  /** opId → client to answer once applied (leader only). */
  readonly waiting = new Map<string, string>();
  /** The `log` property, built on demand and kept until a slot is learned. */
  private shown: PropertyValue | undefined;
  /** Each chosen slot's value in `log`, built once and shared by every version of the property. */
  private readonly records = new Map<number, PropertyValue>();

  constructor(private readonly ctx: NodeContext) {
    this.chosen = new Map((ctx.stable.get<number[]>('chosen.slots') ?? []).map((slot) => [slot, ctx.stable.get<KvCommand | null>(`chosen.${slot}`) ?? null]));
  }

  /** The first slot not known to be chosen. */
  get firstUnchosen(): number {
    let s = 1;
    while (this.chosen.has(s)) s++;
    return s;
  }

  /** The highest slot known to be chosen (0 when none). */
  get maxChosen(): number {
    let max = 0;
    for (const s of this.chosen.keys()) if (s > max) max = s;
    return max;
  }

  has(slot: number): boolean {
    return this.chosen.has(slot);
  }

  get(slot: number): KvCommand | null | undefined {
    return this.chosen.get(slot);
  }

  /** Records a chosen value (once), then applies whatever became contiguous. */
  learn(slot: number, value: KvCommand | null, ballotText: string, isLeader: boolean): void {
    if (this.chosen.has(slot)) return;
    this.shown = undefined;
    this.chosen.set(slot, value);
    this.ctx.stable.set(`chosen.${slot}`, value);
    this.ctx.stable.set('chosen.slots', [...this.chosen.keys()]);
    notePaxos(this.ctx, { paxos: 'learn', slot, value: commandId(value) }, `learned slot ${slot}: ${value ? describeCommand(value) : 'no-op'} (${ballotText})`);
    this.apply(isLeader);
  }

  /** Applies the chosen prefix to the store, answering waiting clients when leading. */
  apply(isLeader: boolean): void {
    while (this.chosen.has(this.applied + 1)) {
      const slot = ++this.applied;
      const c = this.chosen.get(slot)!;
      const result = c ? this.store.apply(c) : undefined;
      noteApply(this.ctx, slot, 0, commandId(c), c?.op === 'get' ? String(result ?? 'nothing') : '');
      const client = c ? this.waiting.get(c.opId) : undefined;
      if (c && client !== undefined) {
        this.waiting.delete(c.opId);
        if (isLeader) replyOk(this.ctx, client, c.opId, result, `(slot ${slot})`);
      }
    }
  }

  get appliedUpTo(): number {
    return this.applied;
  }

  /**
   * Every chosen slot as a property value (CHOSEN_LOG_TYPE), lowest slot
   * first (slots after a gap included). The same array is returned until a
   * slot is learned.
   */
  value(): PropertyValue {
    this.shown ??= [...this.chosen.keys()].sort((a, b) => a - b).map((slot) => {
      let record = this.records.get(slot);
      if (!record) this.records.set(slot, (record = { slot, command: commandId(this.chosen.get(slot)!) }));
      return record;
    });
    return this.shown;
  }
}
