/**
 * Words for events and messages: captions on the diagram and the rows of
 * the tooltip. Everything here is plain text; callers put it in textContent.
 */
import type { TimelineEvent, TimelineMessage, TimelinePayload } from '../../../server/src/core/sim/timeline';
import { formatTime, formatVectorClock } from './format';
import { label } from './i18n';

export type Row = readonly [key: string, value: string];

export interface Description {
  readonly title: string;
  readonly rows: readonly Row[];
}

const name = (payload: TimelinePayload, node: number | undefined): string =>
  node === undefined ? '?' : node < 0 ? label('network') : (payload.nodes[node]?.name ?? `#${node}`);

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
      return label('crash');
    case 'restart':
      return label('restart');
    case 'skip':
      return label('skipped');
    case 'link-down':
      return label('link {0} down', e.detail ?? '');
    case 'link-up':
      return label('link {0} up', e.detail ?? '');
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
  const quoted = e.label !== undefined ? ` "${e.label}"` : '';
  let title: string;
  switch (e.kind) {
    case 'send': title = label('send{0} → {1}', quoted, name(payload, e.peer)); break;
    case 'receive': title = label('receive{0} ← {1}', quoted, name(payload, e.peer)); break;
    case 'drop': title = label('dropped{0}', quoted); break;
    case 'duplicate': title = label('duplicated{0} → {1}', quoted, name(payload, e.peer)); break;
    default: title = `${e.kind}${quoted}`;
  }
  const rows: Row[] = [
    [label('node'), name(payload, e.node)],
    [label('true time'), formatTime(e.time)],
  ];
  if (e.node >= 0) {
    rows.push([label('local clock'), label('{0}  ({1} from true)', formatTime(e.local), formatTime(e.local - e.time, true))]);
    rows.push([label('Lamport'), String(e.lamport)]);
    rows.push([label('vector clock'), formatVectorClock(e.vc, payload.nodes.map((n) => n.name))]);
  }
  if (e.detail) rows.push([label('detail'), e.detail]);
  if (e.data) for (const [k, v] of Object.entries(e.data)) rows.push([k, formatData(k, v)]);
  // The node's protocol state after the event, what the event changed marked (already display text).
  if (state) for (const [k, v] of Object.entries(state)) rows.push([e.state && k in e.state ? `${k} ←` : k, v]);
  else if (e.state) for (const [k, v] of Object.entries(e.state)) rows.push([`${k} ←`, v]);
  rows.push([label('source'), label('line {0}', e.line)]);
  return { title, rows };
}

export function describeMessage(payload: TimelinePayload, m: TimelineMessage): Description {
  const from = name(payload, m.from);
  const to = name(payload, m.to);
  const quoted = m.label ? `"${m.label}" ` : '';
  if (m.outcome === 'dropped') {
    return {
      title: label('{0}{1} → {2} dropped', quoted, from, to),
      rows: [
        [label('sent'), formatTime(m.sendTime)],
        [label('dropped'), formatTime(m.endTime)],
        [label('reason'), m.reason ?? label('unknown')],
        [label('message'), `#${m.msg}`],
      ],
    };
  }
  return {
    title: m.outcome === 'duplicate' ? label('{0}{1} → {2} (duplicate copy)', quoted, from, to) : `${quoted}${from} → ${to}`,
    rows: [
      [label('sent'), formatTime(m.sendTime)],
      [label('received'), formatTime(m.endTime)],
      [label('latency'), formatTime(m.endTime - m.sendTime)],
      [label('message'), `#${m.msg}`],
    ],
  };
}
