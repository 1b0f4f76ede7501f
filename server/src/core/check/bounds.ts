import { diagnostic, type Diagnostic } from '../diagnostics';
import type { ClockModel, FaultModel } from '../model';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';
import { MINUTE } from '../units';

/**
 * Every simulated time, true or local, must stay below 2^53 ns (about 104.2
 * days): up to there a float64 holds every integer nanosecond, so times,
 * timer instants and clock readings are exact. Past it `t + 1` is `t` and
 * a run goes wrong silently (`every 1ns` once fired a million times at one
 * instant).
 */
export const SIMULATED_TIME_LIMIT_NS = 2 ** 53;

/** One day, for the limits below (DSync has no day unit: 100 days is 144000min). */
const DAY = 24 * 60 * MINUTE;

/**
 * The longest time a scenario may write anywhere (`run for`, a period, a
 * delay, an offset, a jump): 100 days, safely below 2^53 ns. Larger values
 * (`1e400ms` is Infinity, `99999999999999999999s` is past 2^53 ns) would
 * make the simulator's integer-nanosecond arithmetic inexact or unbounded.
 * Sums of allowed values are checked separately (reportClockReach).
 */
export const MAX_WRITTEN_NS = 100 * DAY;

/** How the limit reads in messages. */
export const WRITTEN_LIMIT_TEXT = '100 days (144000min)';

/** A written duration as the AST has it (`kind: 'duration'`), wherever it sits. */
interface WrittenDuration {
  readonly ns: number;
  readonly text?: unknown;
  readonly range: A.Located['range'];
}

/**
 * Reports DS129 for every written duration beyond MAX_WRITTEN_NS, wherever it
 * appears in the file. Returns whether it found one (then sums of them are
 * not worth checking).
 */
export function reportHugeDurations(statements: readonly A.Statement[], diagnostics: Diagnostic[]): boolean {
  let tooLong = false;
  for (const statement of statements) {
    for (const node of hugeDurationsOf(statement)) {
      const text = String(node.text);
      diagnostics.push(diagnostic('DS129', `${text.length > 24 ? `${text.slice(0, 24)}…` : text} is too long: times are limited to ${WRITTEN_LIMIT_TEXT}`, node.range));
      tooLong = true;
    }
  }
  return tooLong;
}

/**
 * The too-long durations of each statement, found by one walk and kept: the
 * editor re-parses only the statements an edit touched and reuses the others
 * (the same objects, their ranges moved in place), so re-checking a
 * 20,000-line file walks only the new ones. The AST is never changed but for
 * those moves, and the durations are kept as the nodes themselves, so a
 * report always has the statement's current range.
 */
const hugeDurations = new WeakMap<A.Statement, readonly WrittenDuration[]>();
const NONE: readonly WrittenDuration[] = [];

function hugeDurationsOf(statement: A.Statement): readonly WrittenDuration[] {
  let found = hugeDurations.get(statement);
  if (!found) {
    const list: WrittenDuration[] = [];
    collectHugeDurations(statement, list);
    hugeDurations.set(statement, (found = list.length ? list : NONE));
  }
  return found;
}

function collectHugeDurations(value: unknown, found: WrittenDuration[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) collectHugeDurations(v, found);
    return;
  }
  const node = value as { kind?: unknown; ns?: unknown; text?: unknown; range?: A.Located['range'] };
  if (node.kind === 'duration' && typeof node.ns === 'number' && node.range) {
    if (!(Math.abs(node.ns) <= MAX_WRITTEN_NS)) found.push(node as WrittenDuration);
    return;
  }
  // The header's `run for` has its own, more specific DS129.
  const skip = node.kind === 'scenario' ? 'duration' : undefined;
  // for…in, not Object.entries: a file's first check walks every node of it (20,000 statements in a big one).
  for (const key in value) if (key !== 'range' && key !== skip) collectHugeDurations((value as Record<string, unknown>)[key], found);
}

/**
 * DS129 when some node's clock could read 2^53 ns or more (in either
 * direction) during the run, although each written time is within its own
 * limit: the worst case of its offset, the run at its fastest drift and
 * every jump written for it. Reported once, on `run for`, naming the node.
 * (A timer set past 2^53 ns never fires within the run, so its inexact
 * deadline does not matter.) Protocol
 * adjustments (NTP, PTP, …) are not counted: they steer a clock towards
 * other clocks, which are bounded the same way.
 */
export function reportClockReach(
  scenario: { readonly duration: number; readonly range: SourceRange },
  nodes: readonly { readonly name: string; readonly clock: ClockModel }[],
  faults: readonly FaultModel[],
  diagnostics: Diagnostic[],
): void {
  // One pass over the faults for every node (in the order given, so each node's sum adds up as before).
  const jumpsOf = new Array<number>(nodes.length).fill(0);
  const fastestDriftOf = new Array<number>(nodes.length).fill(-Infinity);
  for (const f of faults) {
    if (f.kind === 'clock-jump' && f.node < nodes.length) jumpsOf[f.node]! += Math.abs(f.amount);
    if (f.kind === 'clock-drift' && f.node < nodes.length) fastestDriftOf[f.node] = Math.max(fastestDriftOf[f.node]!, f.ppm);
  }
  for (const [index, node] of nodes.entries()) {
    // Only a fast clock reads ahead of true time; a slow one stays behind it.
    const drift = Math.max(0, node.clock.driftPpm, fastestDriftOf[index]!);
    const jumps = jumpsOf[index]!;
    const reach = Math.abs(node.clock.offset) + scenario.duration * (1 + drift / 1e6) + jumps;
    if (reach < SIMULATED_TIME_LIMIT_NS) continue;
    const related = node.clock.range ? [{ message: `${node.name}'s clock`, range: node.clock.range }] : [];
    diagnostics.push(diagnostic(
      'DS129',
      `${node.name}'s clock could reach ${(reach / DAY).toFixed(1)} days in this run (offset, run length at its fastest drift and jumps added up): simulated times must stay below 2^53 ns (about 104 days) to be exact; shorten the run, the offset or the jumps`,
      scenario.range,
      related,
    ));
    return;
  }
}
