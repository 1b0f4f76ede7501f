/**
 * About how many bytes one recorded trace event holds in the columnar trace
 * (traceStore.ts), before it runs: its header word and its record (a
 * dozen bytes or so), its message's send seq, receiver and text position
 * (12 bytes a message, about 4 an event), and the node's full vector clock
 * (one to three bytes per node) written again when a receive changed entries
 * other than its own, on about half the events of a message-heavy run. The
 * editor turns `dsync.simulation.maxTraceMegabytes` into an event budget
 * with it; while a run records, the trace's own count (text, note data,
 * vector clocks as written) and the state diffs' (StateHistory.bytes) bound
 * it instead (Simulation.traceBytes, SimulationOptions.maxTraceBytes).
 */
export function traceEventBytes(nodes: number): number {
  return 24 + nodes;
}
