import { addCounters, type Counters } from './coverage';
import type { RunRecord } from './runner';
import { StateSet } from './stateSet';

/** The outcome of an exploration, before shrinking. */
export interface ExploreSummary {
  readonly runs: number;
  readonly events: number;
  readonly distinctStates: number;
  readonly counters: Counters;
  /** Runs in which nothing failed but an expectation was not evaluated (stopped at the event budget). */
  readonly undecided: number;
  /** The failing run with the lowest index, if any run failed (without `newStates`, which depend on the worker that ran it). */
  readonly failure?: Omit<RunRecord, 'newStates'>;
}

/**
 * Merges run records from any number of workers into one deterministic
 * summary: the reported failure is the failing run with the lowest index,
 * and the totals count exactly the runs with an index up to it, whatever
 * order the records arrived in. Workers run their indices in increasing
 * order, so once a failure at index f is known, a worker may stop as soon
 * as its next index is past `limit()`.
 *
 * Records are folded in index order as soon as every lower index is in,
 * so memory stays bounded by how far the workers are apart.
 */
export class ExploreAggregate {
  private readonly pending = new Map<number, RunRecord>();
  private nextIndex = 0;
  private folded = { runs: 0, events: 0, undecided: 0 };
  private readonly states = new StateSet();
  private readonly counters: Counters = {};
  private failure: RunRecord | undefined;

  /** No run past this index can change the result. */
  limit(): number {
    return this.failure ? this.failure.index : Infinity;
  }

  add(record: RunRecord): void {
    if (record.failure && record.index < this.limit()) this.failure = record;
    if (record.index > this.limit()) return;
    this.pending.set(record.index, record);
    for (let r = this.pending.get(this.nextIndex); r && r.index <= this.limit(); r = this.pending.get(this.nextIndex)) {
      this.fold(r);
      this.pending.delete(this.nextIndex++);
    }
  }

  /** Runs folded or pending (for progress reports: may count a few runs past the limit). */
  runs(): number {
    return this.folded.runs + this.pending.size;
  }

  events(): number {
    let events = this.folded.events;
    for (const r of this.pending.values()) events += r.events;
    return events;
  }

  /** The summary of every run added so far up to the limit (the runs need not be contiguous when a time budget cut them). */
  summary(): ExploreSummary {
    const limit = this.limit();
    for (const [index, r] of [...this.pending].sort((x, y) => x[0] - y[0])) {
      if (index <= limit) this.fold(r);
      this.pending.delete(index);
    }
    return {
      runs: this.folded.runs,
      events: this.folded.events,
      undecided: this.folded.undecided,
      distinctStates: this.states.size,
      counters: sortedCounters(this.counters),
      ...(this.failure ? { failure: withoutStates(this.failure) } : {}),
    };
  }

  private fold(r: RunRecord): void {
    this.folded.runs++;
    this.folded.events += r.events;
    if (r.undecided) this.folded.undecided++;
    for (const h of r.newStates) this.states.add(h);
    addCounters(this.counters, r.counters);
  }
}

function withoutStates(record: RunRecord): Omit<RunRecord, 'newStates'> {
  const { newStates: _states, ...rest } = record;
  return rest;
}

function sortedCounters(c: Counters): Counters {
  return Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
