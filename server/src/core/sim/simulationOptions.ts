/** How a run is asked for (Simulation's options) and why it stopped. */
export interface SimulationOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Stops at this true time instead of the scenario's length. */
  readonly until?: number;
  /** Stops after this many trace events (default: the scenario's max_events or 1,000,000). */
  readonly maxEvents?: number;
  /** Keep every event (default true). Exploration turns it off and keeps only violations. */
  readonly record?: boolean;
  /**
   * Stops the run (as 'max-events', with `stoppedByMemory` set) once the
   * recorded trace, events and state diffs, would hold more than about this
   * many bytes (traceMemory.ts). Absent: no memory bound.
   */
  readonly maxTraceBytes?: number;
  /**
   * Keep each message's payload as JSON, taken when it is sent, for the
   * trace (`dsync run --json`; payloadJson.ts). Only with `record`; default
   * false: nothing else reads payloads, so other runs never convert them.
   */
  readonly payloads?: boolean;
}

/**
 * Why a run stopped: at the scenario's end, at `until` before that end (an
 * early stop like the others: end-of-run expectations are not evaluated),
 * at the event budget, cancelled, or failed (a written protocol's run-time
 * error, DS207/DS208, among the violations).
 */
export type StopReason = 'end' | 'until' | 'max-events' | 'cancelled' | 'failed';

export const DEFAULT_MAX_EVENTS = 1_000_000;
