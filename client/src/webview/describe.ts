/**
 * Words for events and messages: captions on the diagram and the rows of
 * the tooltip. Everything here is plain text; callers put it in textContent.
 */
import type { TimelineEvent, TimelineMessage, TimelinePayload } from '../../../server/src/core/sim/timeline';
import { formatTime, formatVectorClock } from './format';

export type Row = readonly [key: string, value: string];

export interface Description {
  readonly title: string;
  readonly rows: readonly Row[];
}

const name = (payload: TimelinePayload, node: number | undefined): string =>
  node === undefined ? '?' : node < 0 ? 'network' : (payload.nodes[node]?.name ?? `#${node}`);

/** A short caption drawn next to the mark, or undefined for kinds the arrows already tell. */
export function eventCaption(e: TimelineEvent): string | undefined {
  switch (e.kind) {
    case 'send':
    case 'receive':
    case 'duplicate':
    case 'drop':
      return undefined;
    case 'local':
    case 'timer':
      return e.label ?? e.kind;
    case 'crash':
      return 'crash';
    case 'restart':
      return 'restart';
    case 'skip':
      return 'skipped';
    case 'link-down':
      return `link ${e.detail ?? ''} down`;
    case 'link-up':
      return `link ${e.detail ?? ''} up`;
    default:
      return e.detail ?? e.label ?? e.kind;
  }
}

/** Protocol-note and clock-change values that are durations in ns or rates in ppm. */
const SIGNED_TIMES = new Set(['estimatedOffset', 'step', 'offset']);
const TIMES = new Set(['delay', 'leaseUntil', 'rtt']);

function formatData(key: string, v: number | string | boolean): string {
  if (typeof v !== 'number') return String(v);
  if (SIGNED_TIMES.has(key)) return formatTime(v, true);
  if (TIMES.has(key)) return formatTime(v);
  if (/ppm$/i.test(key)) return `${v}ppm`;
  return String(v);
}

/**
 * `state`: the node's whole protocol state right after the event (model.ts
 * stateAt), shown property by property with what the event changed marked
 * `←`; without it, only what the event changed.
 */
export function describeEvent(payload: TimelinePayload, e: TimelineEvent, state?: Readonly<Record<string, string>>): Description {
  const label = e.label !== undefined ? ` "${e.label}"` : '';
  let title: string;
  switch (e.kind) {
    case 'send': title = `send${label} → ${name(payload, e.peer)}`; break;
    case 'receive': title = `receive${label} ← ${name(payload, e.peer)}`; break;
    case 'drop': title = `dropped${label}`; break;
    case 'duplicate': title = `duplicated${label} → ${name(payload, e.peer)}`; break;
    default: title = `${e.kind}${label}`;
  }
  const rows: Row[] = [
    ['node', name(payload, e.node)],
    ['true time', formatTime(e.time)],
  ];
  if (e.node >= 0) {
    rows.push(['local clock', `${formatTime(e.local)}  (${formatTime(e.local - e.time, true)} from true)`]);
    rows.push(['Lamport', String(e.lamport)]);
    rows.push(['vector clock', formatVectorClock(e.vc, payload.nodes.map((n) => n.name))]);
  }
  if (e.detail) rows.push(['detail', e.detail]);
  if (e.data) for (const [k, v] of Object.entries(e.data)) rows.push([k, formatData(k, v)]);
  // The node's protocol state after the event, what the event changed marked (already display text).
  if (state) for (const [k, v] of Object.entries(state)) rows.push([e.state && k in e.state ? `${k} ←` : k, v]);
  else if (e.state) for (const [k, v] of Object.entries(e.state)) rows.push([`${k} ←`, v]);
  rows.push(['source', `line ${e.line}`]);
  return { title, rows };
}

export function describeMessage(payload: TimelinePayload, m: TimelineMessage): Description {
  const from = name(payload, m.from);
  const to = name(payload, m.to);
  const label = m.label ? `"${m.label}" ` : '';
  if (m.outcome === 'dropped') {
    return {
      title: `${label}${from} → ${to} dropped`,
      rows: [
        ['sent', formatTime(m.sendTime)],
        ['dropped', formatTime(m.endTime)],
        ['reason', m.reason ?? 'unknown'],
        ['message', `#${m.msg}`],
      ],
    };
  }
  return {
    title: `${label}${from} → ${to}${m.outcome === 'duplicate' ? ' (duplicate copy)' : ''}`,
    rows: [
      ['sent', formatTime(m.sendTime)],
      ['received', formatTime(m.endTime)],
      ['latency', formatTime(m.endTime - m.sendTime)],
      ['message', `#${m.msg}`],
    ],
  };
}
