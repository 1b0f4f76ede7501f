/**
 * The HTML around the diagram: the toolbar (title, zoom buttons, the local
 * clocks toggle, exports), the status line, the list of violations and the
 * empty state. Built with DOM calls; user text only via textContent.
 */
import { LOG_STEP } from '../../../server/src/core/logs/timeline';
import type { TimelinePayload, TimelineViolation } from '../../../server/src/core/sim/timeline';
import { clip, formatTime, formatTimeShort } from './format';
import type { TimeWindow } from './scale';
import { count, label as text } from './i18n';
import { html } from './svg';

export interface ChromeActions {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  toggleLocal(on: boolean): void;
  exportSvg(): void;
  exportJson(): void;
  violation(v: TimelineViolation): void;
}

export class Chrome {
  readonly diagramHost: HTMLDivElement;
  private readonly title: HTMLSpanElement;
  private readonly meta: HTMLSpanElement;
  private readonly windowText: HTMLSpanElement;
  private readonly localToggle: HTMLInputElement;
  private readonly status: HTMLDivElement;
  private readonly violations: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly toolbar: HTMLElement;
  private readonly localLabel: HTMLLabelElement;
  /** The payload is a log (no seed, no true time: times are causal steps). */
  private isLog = false;

  constructor(root: HTMLElement, private readonly actions: ChromeActions) {
    this.toolbar = html('header', { class: 'toolbar' }, root);
    const heading = html('div', { class: 'heading' }, this.toolbar);
    this.title = html('span', { class: 'title' }, heading, text('Timeline'));
    this.meta = html('span', { class: 'meta' }, heading);
    const controls = html('div', { class: 'controls' }, this.toolbar);
    const zoom = html('div', { class: 'group', role: 'group', 'aria-label': text('zoom') }, controls);
    this.button(zoom, '−', text('Zoom out (−)'), () => actions.zoomOut(), 'zoom-out');
    this.button(zoom, '+', text('Zoom in (+)'), () => actions.zoomIn(), 'zoom-in');
    this.button(zoom, text('Fit'), text('Show the whole run (0)'), () => actions.fit(), 'zoom-fit');
    this.windowText = html('span', { class: 'window-text', title: text('visible time window') }, controls);
    const label = html('label', { class: 'toggle', title: text('Show each node’s own clock reading at its events, and a local-time ruler per lane') }, controls);
    this.localLabel = label;
    this.localToggle = html('input', { type: 'checkbox', 'data-action': 'local-clocks' }, label);
    this.localToggle.addEventListener('change', () => actions.toggleLocal(this.localToggle.checked));
    label.append(document.createTextNode(text('Local clocks')));
    const exports = html('div', { class: 'group' }, controls);
    this.button(exports, text('Export SVG'), text('Save the diagram as a standalone SVG'), () => actions.exportSvg(), 'export-svg');
    this.button(exports, text('Export JSON'), text('Save the timeline data as JSON'), () => actions.exportJson(), 'export-json');
    this.status = html('div', { class: 'status', role: 'status' }, root);
    this.status.hidden = true;
    this.violations = html('div', { class: 'violations' }, root);
    this.violations.hidden = true;
    this.empty = html('div', { class: 'empty' }, root, text('No simulation yet. Run a .dsync scenario to see its space-time diagram.'));
    this.diagramHost = html('div', { class: 'diagram-host' }, root);
    this.diagramHost.hidden = true;
  }

  private button(parent: HTMLElement, text: string, title: string, onClick: () => void, action: string): HTMLButtonElement {
    const b = html('button', { type: 'button', title, 'aria-label': title, 'data-action': action }, parent, text);
    b.addEventListener('click', onClick);
    return b;
  }

  setPayload(p: TimelinePayload): void {
    this.empty.hidden = true;
    this.diagramHost.hidden = false;
    this.title.textContent = p.scenario;
    const sent = p.messages.filter((m) => m.outcome !== 'duplicate').length;
    const dropped = p.messages.filter((m) => m.outcome === 'dropped').length;
    this.isLog = p.log !== undefined;
    // A log has no clocks of its own to show: its local times are its causal steps.
    this.localLabel.hidden = this.isLog;
    const parts = p.log
      ? [text('log'), count(p.log.lines, '1 line', '{0} lines'), count(causalSteps(p.endTime) - 1, '1 causal step', '{0} causal steps'), count(p.events.length, '1 event', '{0} events'), count(sent, '1 message', '{0} messages')]
      : [text('seed {0}', p.seed), formatTimeShort(p.endTime), text('{0} events', p.events.length), text('{0} messages', sent)];
    if (dropped) parts.push(text('{0} dropped', dropped));
    if (p.truncated) parts.push(text('first {0} events only', p.events.length));
    this.meta.textContent = parts.join(' · ');
    this.meta.classList.toggle('truncated', p.truncated);
    this.setViolations(p.violations);
  }

  setLocal(on: boolean): void {
    this.localToggle.checked = on;
  }

  setWindow(w: TimeWindow, fit: boolean): void {
    const at = (t: number): string => (Math.round(t) === 0 ? '0' : formatTime(Math.round(t)));
    if (this.isLog) {
      const step = (t: number): string => String(Math.max(0, Math.round(causalSteps(t))));
      this.windowText.textContent = fit ? text('whole log') : text('steps {0} – {1}', step(w.start), step(w.end));
      return;
    }
    this.windowText.textContent = fit ? text('whole run · {0}', formatTimeShort(w.end - w.start)) : `${at(w.start)} – ${at(w.end)}`;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }

  private setViolations(list: readonly TimelineViolation[]): void {
    this.violations.replaceChildren();
    this.violations.hidden = list.length === 0;
    if (list.length === 0) return;
    html('div', { class: 'violations-title' }, this.violations, count(list.length, '1 violation', '{0} violations'));
    const ul = html('ul', {}, this.violations);
    for (const v of list) {
      const li = html('li', {}, ul);
      const b = html('button', { type: 'button', class: 'violation', title: [v.message, text('(click to show line {0})', v.line)].join('\n') }, li);
      html('span', { class: 'violation-name' }, b, `${v.code === 'DS206' ? '?' : '✗'} ${v.invariant}`);
      html('span', { class: 'violation-time' }, b, text('at {0}', formatTime(v.time)));
      html('span', { class: 'violation-message' }, b, clip(v.message, 160));
      b.addEventListener('click', () => this.actions.violation(v));
    }
  }
}

/** A log's drawn time as causal steps (logs/timeline.ts draws one step per LOG_STEP). */
function causalSteps(t: number): number {
  return t / LOG_STEP;
}
