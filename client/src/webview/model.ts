/**
 * The payload rearranged for drawing: events per lane in time order, message
 * arrows sorted by send time, drop points, snapshot cuts, role colours and
 * each node's clock-offset curve. Built once per payload; every frame then
 * only binary-searches the visible window.
 */
import type { TimelineEvent, TimelineMessage, TimelinePayload } from '../../../server/src/core/sim/timeline';
import { buildClockCurve, type ClockCurve } from './clockCurve';
import type { TimeWindow } from './scale';

export type Hue = 'blue' | 'green' | 'yellow' | 'orange' | 'purple' | 'red';

/** Offset-chart line colours, by node index (red is kept for violations and drops). */
export const NODE_HUES: readonly Hue[] = ['blue', 'orange', 'green', 'purple', 'yellow'];
const KNOWN_ROLE_HUES: Readonly<Record<string, Hue>> = { leader: 'green', follower: 'blue', candidate: 'yellow', primary: 'green', backup: 'blue' };
const OTHER_ROLE_HUES: readonly Hue[] = ['purple', 'orange', 'blue', 'green', 'yellow'];

export interface Arrow {
  readonly message: TimelineMessage;
}

/** Where a dropped message's ✕ goes: a point along the arrow it would have drawn. */
export interface DropMark {
  readonly message: TimelineMessage;
  readonly event: TimelineEvent | undefined;
  /** True time of the ✕. */
  readonly time: number;
  /** 0 = at the sender's lane, 1 = at the receiver's lane. */
  readonly along: number;
}

export interface CutLine {
  readonly id: string;
  /** One recorded event per node, in lane order. */
  readonly events: readonly TimelineEvent[];
}

export interface OffsetEstimate {
  readonly node: number;
  readonly time: number;
  readonly value: number;
  readonly event: TimelineEvent;
}

export interface Prepared {
  readonly payload: TimelinePayload;
  readonly names: readonly string[];
  readonly full: TimeWindow;
  /** Events on each lane (node ≥ 0, drops excluded: they sit on their arrow), by time. */
  readonly lanes: readonly (readonly TimelineEvent[])[];
  readonly bySeq: ReadonlyMap<number, TimelineEvent>;
  /** Delivered and duplicate copies, by send time. */
  readonly arrows: readonly Arrow[];
  /** The longest arrow in time, so a window search can start early enough. */
  readonly longestArrow: number;
  readonly drops: readonly DropMark[];
  readonly longestDrop: number;
  readonly cuts: readonly CutLine[];
  readonly roleHues: ReadonlyMap<string, Hue>;
  readonly clocks: readonly ClockCurve[];
  readonly estimates: readonly OffsetEstimate[];
  /** False when every clock reads true time throughout and nothing estimated an offset. */
  readonly hasOffsets: boolean;
  readonly violationSeqs: ReadonlySet<number>;
  readonly kinds: ReadonlySet<string>;
  /** Per node, its events that changed its protocol state (`state` set), in seq order: stateAt folds them. */
  readonly stateChanges: readonly (readonly TimelineEvent[])[];
}

const byTime = (a: { time: number; seq: number }, b: { time: number; seq: number }): number => a.time - b.time || a.seq - b.seq;

export function prepare(payload: TimelinePayload): Prepared {
  const names = payload.nodes.map((n) => n.name);
  const lanes: TimelineEvent[][] = names.map(() => []);
  const stateChanges: TimelineEvent[][] = names.map(() => []);
  const bySeq = new Map<number, TimelineEvent>();
  const kinds = new Set<string>();
  const estimates: OffsetEstimate[] = [];
  const cutEvents = new Map<string, TimelineEvent[]>();
  // A drop is drawn as the ✕ on its message's arrow; one without a message (cut off) stays on its lane.
  const pairedDrops = new Set(payload.messages.filter((m) => m.outcome === 'dropped').map((m) => m.endSeq));
  for (const e of payload.events) {
    bySeq.set(e.seq, e);
    if (e.node < 0 || e.node >= names.length) continue;
    kinds.add(e.kind);
    if (e.state) stateChanges[e.node]!.push(e);
    if (!pairedDrops.has(e.seq)) lanes[e.node]!.push(e);
    const est = e.data?.['estimatedOffset'];
    if (typeof est === 'number' && Number.isFinite(est)) estimates.push({ node: e.node, time: e.time, value: est, event: e });
    const snap = e.data?.['snapshot'];
    if (snap !== undefined && snap !== false && e.data?.['recorded'] !== undefined && e.data['recorded'] !== false) {
      const id = String(snap);
      const list = cutEvents.get(id) ?? [];
      list.push(e);
      cutEvents.set(id, list);
    }
  }
  for (const lane of lanes) lane.sort(byTime);

  const arrows: Arrow[] = [];
  const dropped: TimelineMessage[] = [];
  let longestArrow = 0;
  const latencies: number[] = [];
  for (const m of payload.messages) {
    if (m.outcome === 'dropped') {
      dropped.push(m);
      continue;
    }
    arrows.push({ message: m });
    longestArrow = Math.max(longestArrow, m.endTime - m.sendTime);
    latencies.push(m.endTime - m.sendTime);
  }
  arrows.sort((a, b) => a.message.sendTime - b.message.sendTime || a.message.sendSeq - b.message.sendSeq);
  latencies.sort((a, b) => a - b);
  const endTime = Math.max(payload.endTime, 1);
  // A message lost at send time never travelled; its stub borrows a typical latency.
  const typical = latencies.length > 0 ? Math.max(latencies[latencies.length >> 1]!, 1) : Math.max(1, Math.round(endTime / 100));
  const drops: DropMark[] = dropped.map((m) => dropMark(m, bySeq.get(m.endSeq), typical));
  drops.sort((a, b) => a.message.sendTime - b.message.sendTime);
  const longestDrop = drops.reduce((max, d) => Math.max(max, d.time - d.message.sendTime), 0);

  const cuts: CutLine[] = [...cutEvents].map(([id, events]) => {
    // One point per lane: the first recording of each node for this snapshot.
    const first = new Map<number, TimelineEvent>();
    for (const e of events) if (!first.has(e.node) || byTime(e, first.get(e.node)!) < 0) first.set(e.node, e);
    return { id, events: [...first.values()].sort((a, b) => a.node - b.node) };
  });

  const roleHues = new Map<string, Hue>();
  let other = 0;
  for (const r of payload.roles) {
    if (roleHues.has(r.role)) continue;
    roleHues.set(r.role, KNOWN_ROLE_HUES[r.role.toLowerCase()] ?? OTHER_ROLE_HUES[other++ % OTHER_ROLE_HUES.length]!);
  }

  const clocks = payload.nodes.map((n, i) => buildClockCurve(n, lanes[i]!, endTime));
  const hasOffsets = estimates.length > 0 || clocks.some((c) => !c.flat);

  return {
    payload,
    names,
    full: { start: 0, end: endTime },
    lanes,
    bySeq,
    arrows,
    longestArrow,
    drops,
    longestDrop,
    cuts,
    roleHues,
    clocks,
    estimates,
    hasOffsets,
    violationSeqs: new Set(payload.violations.map((v) => v.seq).filter((s) => s >= 0)),
    kinds,
    stateChanges,
  };
}

function dropMark(m: TimelineMessage, event: TimelineEvent | undefined, typical: number): DropMark {
  const reason = m.reason ?? '';
  // The receiver was down or had no handler: it reached the node.
  if (reason === 'node-down' || reason === 'no-handler') return { message: m, event, time: m.endTime, along: 1 };
  // Refused on arrival (a partition that formed in flight): most of the way there.
  if (m.endTime > m.sendTime) return { message: m, event, time: m.endTime, along: 0.8 };
  // Lost when sent: halfway along a typical flight.
  return { message: m, event, time: m.sendTime + typical / 2, along: 0.5 };
}

/**
 * A node's protocol state right after event `seq` (display text by
 * property): the `state` diffs of its events up to `seq` folded together,
 * as the core's StateHistory.stateAt does (a node's first event carries its
 * whole state). Empty when the node runs no protocol or nothing changed yet.
 */
export function stateAt(prepared: Prepared, node: number, seq: number): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of prepared.stateChanges[node] ?? []) {
    if (e.seq > seq) break;
    Object.assign(out, e.state);
  }
  return out;
}
