/**
 * The hover card: what the pointer is on, in words, and where in the source
 * it came from (the target a click reveals).
 */
import type { TimelineEvent } from '../../../server/src/core/sim/timeline';
import { describeEvent, describeMessage, type Description } from './describe';
import { formatTime, formatTimeShort } from './format';
import type { Hit } from './hitTest';
import { label } from './i18n';
import { stateAt, type Prepared } from './model';
import { html } from './svg';

export function describeHit(prepared: Prepared, hit: Hit): Description {
  const payload = prepared.payload;
  const nodeName = (i: number): string => prepared.names[i] ?? `#${i}`;
  switch (hit.kind) {
    case 'event':
      return describeEvent(payload, hit.event, hit.event.node >= 0 ? stateAt(prepared, hit.event.node, hit.event.seq) : undefined);
    case 'message':
      return describeMessage(payload, hit.message);
    case 'drop':
      return describeMessage(payload, hit.drop.message);
    case 'violation':
      return { title: `✗ ${hit.violation.invariant}`, rows: [[label('at'), formatTime(hit.violation.time)], [label('code'), hit.violation.code], ['', hit.violation.message]] };
    case 'estimate':
      return {
        title: label('{0} estimated its offset', nodeName(hit.estimate.node)),
        rows: [[label('estimate'), formatTime(hit.estimate.value, true)], [label('actual'), formatTime(hit.estimate.event.local - hit.estimate.event.time, true)], [label('true time'), formatTime(hit.estimate.time)]],
      };
    case 'node': {
      const n = payload.nodes[hit.node]!;
      return { title: n.name, rows: [[label('clock offset'), formatTime(n.offset, true)], [label('drift'), `${n.driftPpm}ppm`], [label('declared'), label('line {0}', n.line)]] };
    }
    case 'role':
      return { title: `${nodeName(hit.role.node)}: ${hit.role.role}`, rows: [[label('from'), formatTime(hit.role.from)], [label('to'), formatTime(hit.role.to)], [label('for'), formatTime(hit.role.to - hit.role.from)]] };
    case 'crash':
      return { title: label('{0} down', nodeName(hit.crash.node)), rows: [[label('crashed'), formatTime(hit.crash.from)], [label('back'), hit.crash.to >= payload.endTime ? label('not before the end') : formatTime(hit.crash.to)], [label('down for'), formatTimeShort(hit.crash.to - hit.crash.from)]] };
    case 'partition':
      return { title: label('partition {0}', hit.partition.groups), rows: [[label('from'), formatTime(hit.partition.from)], [label('to'), formatTime(hit.partition.to)]] };
  }
}

function eventAt(prepared: Prepared, node: number, time: number, kind: string): TimelineEvent | undefined {
  const source = node >= 0 ? prepared.lanes[node] ?? [] : prepared.payload.events;
  return source.find((e) => e.time === time && e.kind === kind && e.node === node);
}

/** The source position a click on the hit reveals, if it has one. */
export function revealTarget(prepared: Prepared, hit: Hit): { line: number; column: number } | undefined {
  const at = (e: TimelineEvent | undefined) => (e ? { line: e.line, column: e.column } : undefined);
  switch (hit.kind) {
    case 'event': return at(hit.event);
    case 'message': return at(prepared.bySeq.get(hit.message.sendSeq));
    case 'drop': return at(hit.drop.event ?? prepared.bySeq.get(hit.drop.message.sendSeq));
    case 'violation': return { line: hit.violation.line, column: hit.violation.column };
    case 'estimate': return at(hit.estimate.event);
    case 'node': return { line: prepared.payload.nodes[hit.node]!.line, column: 1 };
    case 'role': return undefined;
    case 'crash': return at(eventAt(prepared, hit.crash.node, hit.crash.from, 'crash'));
    case 'partition': return at(eventAt(prepared, -1, hit.partition.from, 'partition'));
  }
}

export class Tooltip {
  private readonly el: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.el = html('div', { class: 'tooltip', role: 'tooltip' }, parent);
    this.el.hidden = true;
  }

  show(d: Description, clientX: number, clientY: number, clickable: boolean): void {
    const el = this.el;
    el.replaceChildren();
    html('div', { class: 'tooltip-title' }, el, d.title);
    const table = html('table', {}, el);
    for (const [k, v] of d.rows) {
      const tr = html('tr', {}, table);
      html('th', {}, tr, k);
      html('td', {}, tr, v);
    }
    if (clickable) html('div', { class: 'tooltip-hint' }, el, label('click to show in source'));
    el.hidden = false;
    const pad = 14;
    const { width, height } = el.getBoundingClientRect();
    const left = clientX + pad + width > window.innerWidth ? Math.max(4, clientX - pad - width) : clientX + pad;
    const top = clientY + pad + height > window.innerHeight ? Math.max(4, clientY - pad - height) : clientY + pad;
    // CSSOM, not a style attribute: the CSP allows the former only.
    el.style.left = `${left}px`;
    el.style.top = `${top}px`;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
