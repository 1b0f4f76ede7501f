/**
 * The history view's header: the file, the verdict (with the budget when the
 * search could not decide), zoom buttons and the controls that step through
 * the longest linearizable order of a failing key. DOM calls only; user text
 * via textContent.
 */
import type { HistoryViewPayload } from '../../../../server/src/core/history/view';
import { html } from '../svg';
import { partitionTitle } from './draw';
import { count, label } from '../i18n';

export interface HeaderActions {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  /** Show (or hide, undefined) the longest order of failing partition `partition` up to `step` operations. */
  step(partition: number | undefined, step: number): void;
}

export class Header {
  readonly diagramHost: HTMLDivElement;
  private readonly title: HTMLSpanElement;
  private readonly controls: HTMLDivElement;
  private readonly meta: HTMLSpanElement;
  private readonly verdict: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly orderGroup: HTMLDivElement;
  private readonly orderToggle: HTMLButtonElement;
  private readonly orderKey: HTMLSelectElement;
  private readonly orderText: HTMLSpanElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private view: HistoryViewPayload | undefined;
  /** Failing partitions (indices into view.partitions), the selectable ones. */
  private failing: number[] = [];
  private shown: { partition: number; step: number } | undefined;

  constructor(root: HTMLElement, private readonly actions: HeaderActions) {
    const toolbar = html('header', { class: 'toolbar' }, root);
    const heading = html('div', { class: 'heading' }, toolbar);
    this.title = html('span', { class: 'title' }, heading, label('History'));
    this.meta = html('span', { class: 'meta' }, heading);
    const controls = (this.controls = html('div', { class: 'controls' }, toolbar));
    const zoom = html('div', { class: 'group', role: 'group', 'aria-label': label('zoom') }, controls);
    this.button(zoom, '−', label('Zoom out (−)'), 'zoom-out', () => actions.zoomOut());
    this.button(zoom, '+', label('Zoom in (+)'), 'zoom-in', () => actions.zoomIn());
    this.button(zoom, label('Fit'), label('Show the whole history (0)'), 'zoom-fit', () => actions.fit());
    this.orderGroup = html('div', { class: 'group order', role: 'group', 'aria-label': label('longest linearizable order') }, controls);
    this.orderToggle = this.button(this.orderGroup, label('Longest order'), label('Show the longest linearizable order the search found, step by step'), 'order-toggle', () => this.toggle());
    this.orderKey = html('select', { 'data-action': 'order-key', title: label('Which key') }, this.orderGroup);
    this.orderKey.addEventListener('change', () => this.select(Number(this.orderKey.value), this.lengthOf(Number(this.orderKey.value))));
    this.prev = this.button(this.orderGroup, '◀', label('One operation back (Shift+←)'), 'order-prev', () => this.move(-1));
    this.next = this.button(this.orderGroup, '▶', label('One operation on (Shift+→)'), 'order-next', () => this.move(1));
    this.orderText = html('span', { class: 'order-text' }, this.orderGroup);
    this.verdict = html('div', { class: 'verdict', role: 'status' }, root);
    this.empty = html('div', { class: 'empty' }, root, label('No history yet. Run “DSync: Check History…” on a history file.'));
    this.diagramHost = html('div', { class: 'diagram-host' }, root);
    this.diagramHost.hidden = true;
    window.addEventListener('keydown', (ev) => {
      if (!ev.shiftKey || !this.shown) return;
      if (ev.key === 'ArrowLeft') this.move(-1);
      else if (ev.key === 'ArrowRight') this.move(1);
      else return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }, { capture: true });
  }

  private button(parent: HTMLElement, text: string, title: string, action: string, onClick: () => void): HTMLButtonElement {
    const b = html('button', { type: 'button', title, 'aria-label': title, 'data-action': action }, parent, text);
    b.addEventListener('click', onClick);
    return b;
  }

  /** A line instead of a history (the check running again after a reload, the file gone); `uri` names the file. */
  setNotice(uri: string, text: string): void {
    this.view = undefined;
    this.failing = [];
    this.shown = undefined;
    this.empty.textContent = text;
    this.empty.hidden = false;
    this.diagramHost.hidden = true;
    this.title.textContent = fileName(uri);
    this.meta.textContent = '';
    this.verdict.textContent = '';
    this.verdict.className = 'verdict';
    this.verdict.hidden = true;
    this.controls.hidden = true;
    this.refresh();
  }

  setView(view: HistoryViewPayload): void {
    this.view = view;
    this.empty.hidden = true;
    this.diagramHost.hidden = false;
    this.verdict.hidden = false;
    this.controls.hidden = false;
    this.title.textContent = view.file;
    const keys = view.partitions.length;
    this.meta.textContent = [label('model {0}', view.model), label('format {0}', view.format), count(view.operations, '1 operation', '{0} operations'), count(keys, '1 key', '{0} keys')].join(' · ');
    const failing = view.partitions.filter((p) => p.verdict === 'not linearizable').length;
    const undecided = view.partitions.filter((p) => p.verdict === 'undecided');
    let text: string;
    if (view.verdict === 'linearizable') text = label('✓ linearizable');
    else if (view.verdict === 'not linearizable') text = keys === 1 ? label('✗ NOT linearizable: the key fails') : label('✗ NOT linearizable: {0} of {1} keys fail', failing, keys);
    else text = label('? not decided: the search ran out of budget before deciding');
    if (undecided.length > 0) {
      const steps = Math.max(...undecided.map((p) => p.undecidedSteps ?? 0));
      text += ` · ${label('{0} not decided within {1} search steps (raise the budget to search longer)', count(undecided.length, '1 key', '{0} keys'), steps.toLocaleString('en-US'))}`;
    }
    this.verdict.textContent = text;
    this.verdict.className = `verdict verdict-${view.verdict.replace(/ /g, '-')}`;
    this.failing = view.partitions.flatMap((p, i) => (p.failure ? [i] : []));
    this.orderKey.replaceChildren();
    for (const i of this.failing) html('option', { value: String(i) }, this.orderKey, partitionTitle(view.partitions[i]!));
    this.orderGroup.hidden = this.failing.length === 0;
    this.orderKey.hidden = this.failing.length < 2;
    this.shown = undefined;
    this.refresh();
  }

  private lengthOf(partition: number): number {
    return this.view?.partitions[partition]?.failure?.longestOrder.length ?? 0;
  }

  private toggle(): void {
    if (this.shown) this.shown = undefined;
    else {
      const partition = Number(this.orderKey.value || this.failing[0]);
      this.shown = { partition, step: Math.min(1, this.lengthOf(partition)) };
    }
    this.refresh();
    this.actions.step(this.shown?.partition, this.shown?.step ?? 0);
  }

  private select(partition: number, step: number): void {
    if (!this.shown) return this.refresh();
    this.shown = { partition, step };
    this.refresh();
    this.actions.step(partition, step);
  }

  private move(delta: number): void {
    if (!this.shown) return;
    const length = this.lengthOf(this.shown.partition);
    this.select(this.shown.partition, Math.max(0, Math.min(length, this.shown.step + delta)));
  }

  private refresh(): void {
    const shown = this.shown;
    this.orderToggle.classList.toggle('active', shown !== undefined);
    this.orderToggle.setAttribute('aria-pressed', String(shown !== undefined));
    this.prev.disabled = !shown || shown.step <= 0;
    this.next.disabled = !shown || shown.step >= this.lengthOf(shown.partition);
    if (!shown) {
      this.orderText.textContent = '';
      return;
    }
    const length = this.lengthOf(shown.partition);
    this.orderText.textContent =
      length === 0 ? label('not even the first operation can be placed') : shown.step === length ? label('{0} of {1} placed, then nothing fits', shown.step, length) : label('{0} of {1} placed', shown.step, length);
  }
}

/** The last segment of a file URI, decoded; the URI itself when it has none. */
function fileName(uri: string): string {
  const last = uri.split(/[\\/]/).pop() ?? '';
  try {
    return decodeURIComponent(last) || uri;
  } catch {
    return last || uri;
  }
}
