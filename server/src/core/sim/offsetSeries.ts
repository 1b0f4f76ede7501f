import type { RunResult } from './result';

export interface OffsetPoint {
  /** True time, ns. */
  readonly time: number;
  /** The node's real offset then: its clock reading minus true time, ns. */
  readonly offset: number;
  /** What a synchronisation protocol estimated its offset to be then (a note's `estimatedOffset`), ns. */
  readonly estimated?: number;
}

export interface NodeOffsets {
  readonly node: string;
  /** In time order; a step appears as two points at the same time (before, after). */
  readonly points: readonly OffsetPoint[];
}

/**
 * Every node's offset from true time over a run, for the offset chart: one
 * point at the start, at each of the node's events (its clock reading in the
 * trace minus true time), two at each step (before and after), and one at
 * the end. Between consecutive points the clock runs at one rate, so
 * straight lines between them draw it exactly, up to the clock's resolution.
 * Notes with an `estimatedOffset` carry the protocol's estimate as well.
 * Needs a recorded trace.
 */
export function offsetSeries(result: RunResult): NodeOffsets[] {
  const points: OffsetPoint[][] = result.model.nodes.map((n) => [{ time: 0, offset: n.clock.offset }]);
  for (const e of result.events) {
    const list = points[e.node];
    if (!list) continue; // environment events have no clock
    const offset = e.local - e.time;
    const step = e.kind === 'clock-jump' || e.kind === 'clock-adjust' ? e.data?.['step'] : undefined;
    if (typeof step === 'number' && step !== 0) list.push({ time: e.time, offset: offset - step });
    const estimated = e.kind === 'note' ? e.data?.['estimatedOffset'] : undefined;
    list.push(typeof estimated === 'number' ? { time: e.time, offset, estimated } : { time: e.time, offset });
  }
  return result.model.nodes.map((n, i) => {
    const list = points[i]!;
    const last = list[list.length - 1]!;
    if (result.endTime > last.time) list.push({ time: result.endTime, offset: result.final[i]!.offset });
    return { node: n.name, points: list };
  });
}
