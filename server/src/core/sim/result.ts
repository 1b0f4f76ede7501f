import type { Expectation, Model } from '../model';
import type { PropertyValue } from '../protocols/protocol';
import { firstDifference, formatValue } from '../protocols/values';
import type { SourceRange } from '../source';
import type { Simulation, StopReason } from './engine';
import type { ExpectationOutcome } from './expectations';
import type { Hlc } from './hlc';
import type { StateHistory } from './stateDiffs';
import type { Tallies } from './tallies';
import type { JsonValue } from './payloadJson';
import type { EventKind, TraceEvent, Violation } from './trace';
import type { TraceStore } from './traceStore';
import { kindSiteIndex } from './traceIndex';
import { formatDuration } from '../units';

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
  /** Which protocol properties each event changed, and any node's state at any event; absent when the run did not record. */
  readonly states?: StateHistory;
  /** The recorded trace's columns behind `events`, for readers that look for a few events among many (eventsWhere). */
  readonly trace?: TraceStore;
  /** Counts of handler runs, false guards and timers of written protocols, per node; absent when the run did not record. */
  readonly tallies?: Tallies;
  /** Each message's payload as JSON by message id (a sparse array); absent unless the run kept them (SimulationOptions.payloads). */
  readonly payloads?: readonly (JsonValue | undefined)[];
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
    ...(sim.states ? { states: sim.states } : {}),
    ...(sim.trace ? { trace: sim.trace } : {}),
    ...(sim.tallies ? { tallies: sim.tallies } : {}),
    ...(sim.payloads ? { payloads: sim.payloads } : {}),
    violations: sim.violations,
    expectations: sim.model.expectations.map((e, i) => ({ text: e.text, range: e.range, outcome: sim.expectationOutcomes[i], isTime: e.isTime })),
    final: sim.nodes.map((n, i) => ({
      name: n.model.name,
      alive: n.alive,
      lamport: n.lamport,
      vc: [...n.vc],
      hlc: n.hlc,
      clock: n.clock.read(t),
      offset: n.clock.read(t) - t,
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

/**
 * The events whose kind and statement range pass `test`, in trace order.
 * On a recorded trace only those events are built, and `test` is asked once
 * per (kind, site) group of traceIndex.ts, so a hover that looks for a
 * statement's few events in a run of a million stays quick.
 */
export function eventsWhere(result: RunResult, test: (kind: EventKind, range: SourceRange) => boolean): TraceEvent[] {
  const trace = result.trace;
  if (!trace) return result.events.filter((e) => test(e.kind, e.range));
  return Array.from(kindSiteIndex(trace).where(test), (seq) => trace.event(seq)!);
}

/** Failed expectations as violations (DS202), so every consumer treats both alike. */
export function expectationViolations(result: RunResult): Violation[] {
  return failedExpectations(result.model.expectations, result.expectations.map((e) => e.outcome));
}

/**
 * The expectations whose outcome failed, as DS202 violations (the
 * expectation's text is the `invariant`). Takes the outcomes alone, so
 * exploration, which does not summarize its runs, judges them the same way.
 */
export function failedExpectations(expectations: readonly Expectation[], outcomes: readonly (ExpectationOutcome | undefined)[]): Violation[] {
  const out: Violation[] = [];
  expectations.forEach((e, i) => {
    const outcome = outcomes[i];
    if (!outcome || outcome.passed) return;
    out.push({
      invariant: e.text,
      code: 'DS202',
      message: expectationMessage(e.text, outcome, e.isTime),
      time: outcome.time,
      seq: -1,
      range: e.range,
      causes: [],
    });
  });
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

function expectationMessage(text: string, o: ExpectationOutcome, isTime: boolean): string {
  const at = `at t=${formatDuration(o.time)}`;
  if (o.error) return `expected ${text}, but it could not be evaluated ${at}: ${o.error}`;
  if (o.right === undefined) return `expected ${text}, but it was false ${at}`;
  return `expected ${text}, but ${describeOutcome(o.left, o.right, isTime)} ${at}`;
}

function describeValue(v: PropertyValue | undefined, isTime: boolean): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && isTime) return formatDuration(v);
  return formatValue(v, { limit: SHOWN_ELEMENTS });
}

/** Everything that failed: invariants, then expectations. */
export function allViolations(result: RunResult): Violation[] {
  return [...result.violations, ...expectationViolations(result)];
}

/**
 * The verdict of one run, the one rule the CLI (exit code, summary line)
 * and the editor (status bar, code lens) share:
 * - `failed`: an invariant was violated or an expectation failed;
 * - `undecided`: nothing failed, but an expectation was not evaluated
 *   because the run stopped before its time (`--until`, the event or
 *   memory budget, a cancel). That is not a pass;
 * - `passed`: every invariant held and every expectation was evaluated and held.
 */
export type VerdictKind = 'failed' | 'undecided' | 'passed';

export interface Verdict {
  readonly kind: VerdictKind;
  readonly violations: readonly Violation[];
  /** Expectations the run did not reach. */
  readonly notEvaluated: readonly ExpectationResult[];
  /** Written properties whose deadline lies past the end of the run (DS206, among `violations`). */
  readonly notDecided: readonly Violation[];
  /** Invariants plus expectations. */
  readonly checks: number;
}

export function verdict(result: RunResult): Verdict {
  const violations = allViolations(result);
  const notEvaluated = result.expectations.filter((e) => e.outcome === undefined);
  // A written property whose deadline lies past the end of the run (DS206) is not decided, like an expectation not evaluated.
  const notDecided = violations.filter((v) => v.code === 'DS206');
  const failed = violations.length > notDecided.length;
  const kind: VerdictKind = failed ? 'failed' : notEvaluated.length + notDecided.length > 0 ? 'undecided' : 'passed';
  return { kind, violations, notEvaluated, notDecided, checks: result.model.invariants.length + result.expectations.length };
}

/** `2 violations`, `1 check not evaluated`, `3 checks hold`, `no checks`: the short form for a status bar or code lens. */
export function verdictHeadline(v: Verdict): string {
  const count = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  switch (v.kind) {
    case 'failed': return count(v.violations.length, 'violation');
    case 'undecided': return v.notDecided.length > 0 ? `${count(v.notEvaluated.length + v.notDecided.length, 'check')} not decided` : `${count(v.notEvaluated.length, 'check')} not evaluated`;
    case 'passed': return v.checks === 0 ? 'no checks' : `${count(v.checks, 'check')} hold`;
  }
}
