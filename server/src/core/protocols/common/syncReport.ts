import type { NodeContext, NoteValue, PropertySpec, PropertyValue } from '../protocol';
import { formatDuration } from '../../units';

/**
 * What every clock synchronisation protocol reports, the same way, so the
 * editor's offset chart and hovers read them all alike:
 *
 * - an estimate note `offset -1.2ms delay 4ms from S` with data
 *   `{ estimatedOffset, delay, peer }`. `estimatedOffset` is this node's
 *   clock minus its time source's, as the protocol estimates it: the same
 *   sign as the real offset (local − true), so the two plot side by side.
 *   (NTP's θ is the opposite: server minus client.)
 * - a state note on every change, with data `{ syncState, … }`.
 */
export const SYNC_PROPERTIES: readonly PropertySpec[] = [
  { name: 'sync_state', deprecatedAliases: ['syncState'], type: 'string', doc: 'where clock synchronisation stands on this node, e.g. unsynced, synced, master, slave' },
  { name: 'offset_estimate', deprecatedAliases: ['offsetEstimate'], type: 'time', doc: "the last estimate of this node's clock minus its time source's (same sign as `offset`)" },
  { name: 'delay', type: 'time', doc: 'the network delay measured with the last estimate (round trip for NTP, mean path delay for PTP)' },
];

export class SyncReport {
  private syncState: string;
  /** The state and its data as last noted, so a change of either (a new master, say) is noted. */
  private noted = '';
  private offset: number | undefined;
  private lastDelay: number | undefined;

  /**
   * With `combined`, per-source `estimate` notes do not set the properties:
   * a protocol that steers by a combination of sources (NTP's system offset)
   * reports that with `system` instead.
   */
  constructor(
    private readonly ctx: Pick<NodeContext, 'note'>,
    initialState: string,
    private readonly combined = false,
  ) {
    this.syncState = initialState;
  }

  get state(): string {
    return this.syncState;
  }

  /** Records the initial state as a note, so charts know the state from the start. */
  start(detail: string, data: Readonly<Record<string, NoteValue>> = {}): void {
    this.noted = JSON.stringify([this.syncState, data]);
    this.ctx.note(detail, { syncState: this.syncState, ...data });
  }

  estimate(peer: string, offset: number, delay: number, data: Readonly<Record<string, NoteValue>> = {}): void {
    const estimatedOffset = offset + 0; // no −0 (from negating a 0 estimate)
    if (!this.combined) this.system(estimatedOffset, delay);
    this.ctx.note(`offset ${formatDuration(Math.round(estimatedOffset), true)} delay ${formatDuration(Math.round(delay))} from ${peer}`, { estimatedOffset, delay, peer, ...data });
  }

  /** The estimate the node acts on (this node's clock minus its source's), as the properties report it. */
  system(offset: number, delay: number): void {
    this.offset = offset + 0;
    this.lastDelay = delay;
  }

  /** Notes the state when it or its data (stratum, master, …) differ from what was last noted. */
  setState(state: string, detail: string, data: Readonly<Record<string, NoteValue>> = {}): void {
    const key = JSON.stringify([state, data]);
    if (key === this.noted) return;
    this.noted = key;
    this.syncState = state;
    this.ctx.note(detail, { syncState: state, ...data });
  }

  properties(): Record<string, PropertyValue> {
    const out: Record<string, PropertyValue> = { sync_state: this.syncState };
    if (this.offset !== undefined) out['offset_estimate'] = Math.round(this.offset);
    if (this.lastDelay !== undefined) out['delay'] = Math.round(this.lastDelay);
    return out;
  }
}
