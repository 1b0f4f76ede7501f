import type { RunResult } from './result';
import { formatValue } from '../protocols/values';
import { allViolations } from './result';

/**
 * The space-time diagram's data: plain JSON (no typed arrays, no ranges
 * beyond line/column) so it crosses the LSP connection and the webview
 * boundary unchanged, and exports as-is.
 */
export interface TimelinePayload {
  readonly version: 1;
  readonly scenario: string;
  readonly seed: number;
  /** Integer nanoseconds of true time. */
  readonly duration: number;
  readonly endTime: number;
  readonly nodes: readonly TimelineNode[];
  readonly events: readonly TimelineEvent[];
  /** Message arrows: one per delivered or dropped copy. */
  readonly messages: readonly TimelineMessage[];
  readonly crashes: readonly { readonly node: number; readonly from: number; readonly to: number }[];
  readonly partitions: readonly { readonly from: number; readonly to: number; readonly groups: string }[];
  readonly violations: readonly TimelineViolation[];
  /** Protocol roles over time (from notes with a `role`), per node. */
  readonly roles: readonly { readonly node: number; readonly from: number; readonly to: number; readonly role: string }[];
  readonly truncated: boolean;
  /**
   * Set when the payload is not a simulated run but a log read from a file
   * (dsync log, Open Log in Timeline): it has no seed and no true time (an
   * event's time is its causal depth, LOG_STEP per level), and the header
   * names the file and its length instead.
   */
  readonly log?: { readonly file: string; readonly lines: number };
}

export interface TimelineNode {
  readonly name: string;
  readonly offset: number;
  readonly driftPpm: number;
  readonly line: number;
}

export interface TimelineEvent {
  readonly seq: number;
  readonly time: number;
  /** −1 for environment events (partition, heal). */
  readonly node: number;
  readonly local: number;
  readonly kind: string;
  readonly label?: string;
  readonly peer?: number;
  readonly msg?: number;
  readonly detail?: string;
  readonly lamport: number;
  readonly vc: readonly number[];
  readonly line: number;
  readonly column: number;
  readonly data?: Readonly<Record<string, number | string | boolean>>;
  /** The protocol properties this event changed on its node, each as display text (long collections cut to their tail). */
  readonly state?: Readonly<Record<string, string>>;
}

export interface TimelineMessage {
  readonly msg: number;
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly sendSeq: number;
  readonly sendTime: number;
  /** Seq and time of the receive or drop event. */
  readonly endSeq: number;
  readonly endTime: number;
  readonly outcome: 'delivered' | 'dropped' | 'duplicate';
  readonly reason?: string;
}

export interface TimelineViolation {
  readonly invariant: string;
  readonly code: string;
  readonly message: string;
  readonly time: number;
  readonly seq: number;
  readonly line: number;
  readonly column: number;
}

/** Most events a payload carries; longer runs are cut (and say so). */
export const TIMELINE_MAX_EVENTS = 20_000;

/** Elements of a changed collection a tooltip shows (its last ones). */
const TOOLTIP_ELEMENTS = 6;

function stateText(result: RunResult, seq: number): { state?: Record<string, string> } {
  const diff = result.states?.diff(seq);
  if (!diff) return {};
  const state: Record<string, string> = {};
  for (const [key, value] of Object.entries(diff)) state[key] = formatValue(value, { limit: TOOLTIP_ELEMENTS, bare: true });
  return { state };
}

export function buildTimeline(result: RunResult, maxEvents = TIMELINE_MAX_EVENTS): TimelinePayload {
  const all = result.events;
  const events = all.length > maxEvents ? all.slice(0, maxEvents) : all;
  const sends = new Map<number, (typeof events)[number]>();
  const messages: TimelineMessage[] = [];
  const crashStart = new Map<number, number>();
  const crashes: { node: number; from: number; to: number }[] = [];
  const partitions: { from: number; to: number; groups: string }[] = [];
  let partitionStart: { time: number; groups: string } | undefined;
  const roleStart = new Map<number, { time: number; role: string }>();
  const roles: { node: number; from: number; to: number; role: string }[] = [];
  const seenCopy = new Set<number>();
  for (const e of events) {
    switch (e.kind) {
      case 'send':
        sends.set(e.msg!, e);
        break;
      case 'receive':
      case 'drop': {
        const s = sends.get(e.msg!);
        if (!s) break;
        const duplicate = e.kind === 'receive' && seenCopy.has(e.msg!);
        seenCopy.add(e.msg!);
        messages.push({
          msg: e.msg!, from: s.node, to: s.peer!, label: s.label ?? '', sendSeq: s.seq, sendTime: s.time, endSeq: e.seq, endTime: e.time,
          outcome: e.kind === 'drop' ? 'dropped' : duplicate ? 'duplicate' : 'delivered',
          ...(e.reason ? { reason: e.reason } : {}),
        });
        break;
      }
      case 'crash':
        crashStart.set(e.node, e.time);
        break;
      case 'restart': {
        const from = crashStart.get(e.node);
        if (from !== undefined) crashes.push({ node: e.node, from, to: e.time });
        crashStart.delete(e.node);
        break;
      }
      case 'partition':
        if (partitionStart) partitions.push({ from: partitionStart.time, to: e.time, groups: partitionStart.groups });
        partitionStart = { time: e.time, groups: e.detail ?? '' };
        break;
      case 'heal':
        if (partitionStart) partitions.push({ from: partitionStart.time, to: e.time, groups: partitionStart.groups });
        partitionStart = undefined;
        break;
      case 'note': {
        const role = e.data?.['role'];
        if (typeof role === 'string') {
          const prev = roleStart.get(e.node);
          if (prev) roles.push({ node: e.node, from: prev.time, to: e.time, role: prev.role });
          roleStart.set(e.node, { time: e.time, role });
        }
        break;
      }
      default:
        break;
    }
  }
  const end = result.endTime;
  for (const [node, from] of crashStart) crashes.push({ node, from, to: end });
  if (partitionStart) partitions.push({ from: partitionStart.time, to: end, groups: partitionStart.groups });
  for (const [node, r] of roleStart) roles.push({ node, from: r.time, to: end, role: r.role });
  return {
    version: 1,
    scenario: result.model.name,
    seed: result.seed,
    duration: result.model.duration,
    endTime: end,
    nodes: result.model.nodes.map((n) => ({ name: n.name, offset: n.clock.offset, driftPpm: n.clock.driftPpm, line: n.range.startLine })),
    events: events.map((e) => ({
      seq: e.seq, time: e.time, node: e.node, local: e.local, kind: e.kind,
      ...(e.label !== undefined ? { label: e.label } : {}),
      ...(e.peer !== undefined ? { peer: e.peer } : {}),
      ...(e.msg !== undefined ? { msg: e.msg } : {}),
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
      lamport: e.lamport, vc: Array.from(e.vc), line: e.range.startLine, column: e.range.startColumn,
      ...(e.data !== undefined ? { data: e.data } : {}),
      ...stateText(result, e.seq),
    })),
    messages,
    crashes,
    partitions,
    violations: allViolations(result).map((v) => ({ invariant: v.invariant, code: v.code, message: v.message, time: v.time, seq: v.seq, line: v.range.startLine, column: v.range.startColumn })),
    roles,
    truncated: all.length > events.length,
  };
}
