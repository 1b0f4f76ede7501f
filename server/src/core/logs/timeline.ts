import type { TimelineEvent, TimelineMessage, TimelinePayload } from '../sim/timeline';
import type { LogCheck } from './check';
import type { ParsedLog } from './read';

/** How far apart (ns) consecutive causal steps are drawn: a log has no time, only order. */
export const LOG_STEP = 1_000_000;
const STEP = LOG_STEP;

/**
 * A log's run as the space-time diagram's payload, so the timeline shows it
 * as it shows a simulated run: a lane per host, the messages the clocks imply
 * as arrows, the consistency problems as violations at their events. A log
 * has no true time, so an event's time is its causal depth (1 + the deepest
 * of its host's previous event and its sends), in steps of 1 ms: every arrow
 * points forward and concurrent events line up. Its line and column are the
 * log's. `name` names the file and `lines` is its length in lines (the header shows both).
 */
export function logTimeline(log: ParsedLog, checked: LogCheck, name: string, lines: number): TimelinePayload {
  const hostIndex = new Map(log.hosts.map((h, i) => [h, i]));
  const sendsOf = new Map<number, number[]>();
  for (const m of checked.messages) sendsOf.set(m.to, [...(sendsOf.get(m.to) ?? []), m.from]);
  const isSend = new Set(checked.messages.map((m) => m.from));
  const depth = causalDepths(log, checked);
  const events: TimelineEvent[] = log.events.map((e) => {
    const vc = log.hosts.map((h) => e.clock.get(h) ?? 0);
    const received = sendsOf.get(e.index);
    const kind = received ? 'receive' : isSend.has(e.index) ? 'send' : 'local';
    return {
      seq: e.index, time: depth[e.index]! * STEP, node: hostIndex.get(e.host)!, local: depth[e.index]! * STEP, kind, label: e.text,
      ...(received ? { peer: hostIndex.get(log.events[received[0]!]!.host)! } : {}),
      lamport: depth[e.index]!, vc, line: e.line, column: e.column,
    };
  });
  const messages: TimelineMessage[] = checked.messages.map((m, i) => {
    const from = log.events[m.from]!;
    const to = log.events[m.to]!;
    return { msg: i, from: hostIndex.get(from.host)!, to: hostIndex.get(to.host)!, label: from.text, sendSeq: m.from, sendTime: depth[m.from]! * STEP, endSeq: m.to, endTime: depth[m.to]! * STEP, outcome: 'delivered' };
  });
  const end = Math.max(0, ...depth) * STEP + STEP;
  return {
    version: 1,
    scenario: name,
    seed: 0,
    duration: end,
    endTime: end,
    nodes: log.hosts.map((h) => ({ name: h, offset: 0, driftPpm: 0, line: log.events.find((e) => e.host === h)!.line })),
    events,
    messages,
    crashes: [],
    partitions: [],
    violations: checked.diagnostics.map((d) => ({ invariant: d.rule, code: d.rule, message: d.message, time: depth[d.event]! * STEP, seq: d.event, line: d.line, column: d.column })),
    roles: [],
    truncated: false,
    log: { file: name, lines },
  };
}

/** Lines in a text as an editor counts them: a final line break ends the last line rather than starting an empty one. */
export function textLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /(\r\n|\r|\n)$/.test(text) ? breaks : breaks + 1;
}

/**
 * Each event's causal depth: 1 + the deepest of its host's previous event
 * and the sends it received, in one pass over the events in causal order
 * (Kahn's algorithm; a log may list a receive before its send). Events on a
 * cycle (an inconsistent log) are placed after everything else, in log order.
 */
function causalDepths(log: ParsedLog, checked: LogCheck): number[] {
  const n = log.events.length;
  const next: number[][] = Array.from({ length: n }, () => []);
  const waiting = new Array<number>(n).fill(0);
  const edge = (from: number, to: number): void => {
    next[from]!.push(to);
    waiting[to]!++;
  };
  const lastOfHost = new Map<string, number>();
  for (const e of log.events) {
    const before = lastOfHost.get(e.host);
    if (before !== undefined) edge(before, e.index);
    lastOfHost.set(e.host, e.index);
  }
  for (const m of checked.messages) if (m.from !== m.to) edge(m.from, m.to);
  const depth = new Array<number>(n).fill(1);
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) ready.push(i);
  let done = 0;
  let deepest = 0;
  while (ready.length > 0) {
    const i = ready.pop()!;
    done++;
    deepest = Math.max(deepest, depth[i]!);
    for (const j of next[i]!) {
      depth[j] = Math.max(depth[j]!, depth[i]! + 1);
      if (--waiting[j]! === 0) ready.push(j);
    }
  }
  if (done < n) for (let i = 0; i < n; i++) if (waiting[i]! > 0) depth[i] = ++deepest;
  return depth;
}
