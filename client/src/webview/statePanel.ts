/**
 * The side panel a click on a node's event opens: that node's whole
 * protocol state right after the event (every `stable`/`var` of a written
 * protocol, every property of a built-in one), what the event changed
 * marked `←`. It stays until another event is clicked, its close button is
 * pressed, Escape is pressed, or a new timeline arrives. Text only via
 * textContent (property values are user data).
 */
import type { TimelineEvent } from '../../../server/src/core/sim/timeline';
import { describeEvent } from './describe';
import { formatTime } from './format';
import { label } from './i18n';
import { stateAt, type Prepared } from './model';
import { html } from './svg';

export class StatePanel {
  private readonly el: HTMLElement;

  constructor(parent: HTMLElement) {
    this.el = html('aside', { class: 'state-panel', role: 'region', 'aria-label': label('node state at the selected event') }, parent);
    this.el.hidden = true;
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') this.hide();
    });
  }

  /** The selected event's node state; an event with no node (a partition) or a node without protocol state says so. */
  show(prepared: Prepared, e: TimelineEvent): void {
    const el = this.el;
    el.replaceChildren();
    const head = html('div', { class: 'state-panel-head' }, el);
    const node = prepared.names[e.node] ?? `#${e.node}`;
    html('span', { class: 'state-panel-title' }, head, label('{0} after #{1}: {2}', node, e.seq, describeEvent(prepared.payload, e).title));
    const close = html('button', { type: 'button', class: 'state-panel-close', title: label('Close'), 'aria-label': label('Close'), 'data-action': 'close-state' }, head, '×');
    close.addEventListener('click', () => this.hide());
    html('div', { class: 'state-panel-time' }, el, label('true time {0}, local clock {1}', formatTime(e.time), formatTime(e.local)));
    const state = stateAt(prepared, e.node, e.seq);
    const keys = Object.keys(state);
    if (keys.length === 0) html('div', { class: 'state-panel-empty' }, el, label('{0} has no protocol state at this event', node));
    else {
      const table = html('table', {}, el);
      for (const k of keys) {
        const changed = e.state !== undefined && k in e.state;
        const tr = html('tr', changed ? { class: 'changed' } : {}, table);
        html('th', {}, tr, changed ? `${k} ←` : k);
        html('td', {}, tr, state[k]!);
      }
    }
    el.hidden = false;
  }

  hide(): void {
    this.el.hidden = true;
  }

  get visible(): boolean {
    return !this.el.hidden;
  }
}
