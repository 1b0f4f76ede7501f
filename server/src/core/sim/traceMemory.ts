/**
 * About how many bytes one recorded trace event holds: the event object and
 * its vector clock (4 bytes per node). With the state diffs' own estimate
 * (StateHistory.bytes) it bounds a recorded run's memory: the editor's
 * `dsync.simulation.maxTraceMegabytes` (SimulationOptions.maxTraceBytes).
 */
export function traceEventBytes(nodes: number): number {
  return 320 + 4 * nodes;
}
