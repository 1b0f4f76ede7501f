import type { Model } from '../model';
import type { PropertyValue } from '../protocols/protocol';
import { firstDifference, formatValue } from '../protocols/values';
import type { SourceRange } from '../source';
import type { Simulation, StopReason } from './engine';
import type { ExpectationOutcome } from './expectations';
import type { Hlc } from './hlc';
import type { TraceEvent, Violation } from './trace';

/** What one run produced, in the form the CLI, the server and the webview share. */
export interface RunResult {
  readonly model: Model;
  readonly seed: number;
  readonly endTime: number;
  readonly stopReason: StopReason;
  readonly events: readonly TraceEvent[];
  readonly violations: readonly Violation[];
  readonly expectations: readonly ExpectationResult[];
  readonly final: readonly NodeSummary[];
  readonly stats: RunStats;
}

export interface ExpectationResult {
  readonly text: string;
  readonly range: SourceRange;
  readonly outcome: ExpectationOutcome | undefined;
  readonly isTime: boolean;
}

export interface NodeSummary {
  readonly name: string;
  readonly alive: boolean;
  readonly lamport: number;
  readonly vc: readonly number[];
  readonly hlc: Hlc;
  readonly clock: number;
  readonly offset: number;
  readonly driftPpm: number;
  readonly sent: number;
  readonly received: number;
  readonly properties: Readonly<Record<string, PropertyValue>>;
}

export interface RunStats {
  readonly events: number;
  readonly messagesSent: number;
  readonly messagesDelivered: number;
  readonly messagesDropped: number;
  readonly messagesDuplicated: number;
}

export function summarize(sim: Simulation): RunResult {
  const t = sim.now();
  return {
    model: sim.model,
    seed: sim.seed,
    endTime: t,
    stopReason: sim.stopReason ?? 'cancelled',
    events: sim.events,
    violations: sim.violations,
    expectations: sim.model.expectations.map((e, i) => ({ text: e.text, range: e.range, outcome: sim.expectationOutcomes[i], isTime: e.isTime })),
    final: sim.nodes.map((n, i) => ({
      name: n.model.name,
      alive: n.alive,
      lamport: n.lamport,
      vc: [...n.vc],
      hlc: n.hlc,
      clock: n.clock.read(t),
      offset: Math.round(n.clock.offset(t)),
      driftPpm: n.clock.totalRatePpm,
      sent: n.sent,
      received: n.received,
      properties: sim.inspect(i),
    })),
    stats: {
      events: sim.eventCount,
      messagesSent: sim.messagesSent,
      messagesDelivered: sim.messagesDelivered,
      messagesDropped: sim.messagesDropped,
      messagesDuplicated: sim.messagesDuplicated,
    },
  };
}

/** Failed expectations as violations (DS202), so every consumer treats both alike. */
export function expectationViolations(result: RunResult): Violation[] {
  const out: Violation[] = [];
  for (const e of result.expectations) {
    if (!e.outcome || e.outcome.passed) continue;
    out.push({
      invariant: e.text,
      code: 'DS202',
      message: `expected ${e.text}, but ${describeOutcome(e.outcome.left, e.outcome.right, e.isTime)} at t=${(e.outcome.time / 1e9).toFixed(3)}s`,
      time: e.outcome.time,
      seq: -1,
      range: e.range,
      causes: [],
    });
  }
  return out;
}

/** Long collections show their last few elements (the first difference is named instead when there is one). */
const SHOWN_ELEMENTS = 6;

function describeOutcome(left: PropertyValue | undefined, right: PropertyValue | undefined, isTime: boolean): string {
  const difference = left !== undefined && right !== undefined ? firstDifference(left, right) : undefined;
  if (difference) return `they differ at ${difference} (${sizeOf(left!)} and ${sizeOf(right!)})`;
  return `${describeValue(left, isTime)} vs ${describeValue(right, isTime)}`;
}

function sizeOf(v: PropertyValue): string {
  const n = Array.isArray(v) ? v.length : Object.keys(v as object).length;
  const unit = Array.isArray(v) ? 'element' : 'key';
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function describeValue(v: PropertyValue | undefined, isTime: boolean): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && isTime) return `${(v / 1e6).toFixed(3)}ms`;
  return formatValue(v, { limit: SHOWN_ELEMENTS });
}

/** Everything that failed: invariants, then expectations. */
export function allViolations(result: RunResult): Violation[] {
  return [...result.violations, ...expectationViolations(result)];
}
