/**
 * The history webview's entry point (bundled to dist/historyView.js): a
 * checked history drawn as Porcupine draws it (draw.ts), with the header of
 * header.ts. It reuses the timeline's pieces: the zoom and pan (zoom.ts),
 * the tooltip, the DOM helpers and the styles. Every message from the
 * extension is handled in one exhaustive switch.
 */
import '../webview.css';
import './history.css';
import type { HistoryViewPayload } from '../../../../server/src/core/history/view';
import type { FromHistoryWebview, HistoryWebviewState, ToHistoryWebview } from '../../historyMessages';
import { svg } from '../svg';
import { Tooltip } from '../tooltip';
import { attachZoomPan, View, ZOOM_STEP } from '../zoom';
import { drawHistory, fullWindow, type BarRef, type Drawn, type Stepping } from './draw';
import { Header } from './header';
import { label } from '../i18n';
import { NextFrame } from '../nextFrame';

/** The page keeps only what to check again (HistoryWebviewState); the extension sends the drawing on 'ready'. */
interface VsCodeApi {
  postMessage(message: FromHistoryWebview): void;
  setState(state: HistoryWebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

class HistoryApp {
  private readonly header: Header;
  private readonly root: SVGSVGElement;
  private readonly tooltip: Tooltip;
  private readonly view = new View();
  private readonly wasDrag: () => boolean;
  private history: HistoryViewPayload | undefined;
  private stepping: Stepping | undefined;
  private drawn: Drawn | undefined;
  private readonly frame = new NextFrame(() => this.render());

  constructor(private readonly vscode: VsCodeApi) {
    this.header = new Header(document.body, {
      zoomIn: () => this.zoomBy(1 / ZOOM_STEP),
      zoomOut: () => this.zoomBy(ZOOM_STEP),
      fit: () => {
        this.view.fit();
        this.frame.request();
      },
      step: (partition, step) => {
        this.stepping = partition === undefined ? undefined : { partition, step };
        this.frame.request();
      },
    });
    this.root = svg('svg', { class: 'diagram history-diagram', tabindex: 0, role: 'img', 'aria-label': label('history diagram') }, this.header.diagramHost);
    this.tooltip = new Tooltip(document.body);
    this.wasDrag = attachZoomPan(this.root, {
      view: this.view,
      timeAt: (clientX) => this.drawn?.timeAt(clientX - this.root.getBoundingClientRect().left),
      nsPerPx: () => this.drawn?.unitsPerPx ?? 0,
      changed: () => this.frame.request(),
    });
    this.root.addEventListener('pointermove', (ev) => this.hover(ev));
    this.root.addEventListener('pointerleave', () => this.tooltip.hide());
    this.root.addEventListener('click', (ev) => this.click(ev));
    new ResizeObserver(() => this.frame.request()).observe(this.header.diagramHost);
  }

  receive(message: ToHistoryWebview): void {
    switch (message.type) {
      case 'history':
        this.load(message.view);
        this.vscode.setState({ source: message.source });
        return;
      case 'notice':
        this.history = undefined;
        this.drawn = undefined;
        this.stepping = undefined;
        this.header.setNotice(message.source.uri, message.text);
        this.vscode.setState({ source: message.source });
        this.post({ type: 'noticeShown', text: message.text });
        return;
      default: {
        const unknown: never = message;
        console.warn('dsync history: unknown message', unknown);
      }
    }
  }

  post(message: FromHistoryWebview): void {
    this.vscode.postMessage(message);
  }

  private load(history: HistoryViewPayload): void {
    this.history = history;
    this.stepping = undefined;
    this.view.reset(fullWindow(history));
    this.header.setView(history);
    this.frame.request();
  }

  private zoomBy(factor: number): void {
    this.view.zoomCenter(factor);
    this.frame.request();
  }

  private render(): void {
    if (!this.history) return;
    const width = Math.max(320, Math.floor(this.header.diagramHost.clientWidth));
    this.drawn = drawHistory(this.root, this.history, this.view.window, width, this.stepping);
    this.post({ type: 'rendered', ...this.drawn.counts });
  }

  private barAt(ev: MouseEvent): BarRef | undefined {
    const el = (ev.target as Element | null)?.closest?.('[data-op]');
    if (!el) return undefined;
    return { partition: Number(el.getAttribute('data-partition')), op: Number(el.getAttribute('data-op')) };
  }

  private hover(ev: PointerEvent): void {
    const bar = this.barAt(ev);
    this.root.classList.toggle('pointing', bar !== undefined);
    const p = bar && this.history?.partitions[bar.partition];
    const op = bar && p?.ops[bar.op];
    if (!bar || !p || !op) return this.tooltip.hide();
    const lines = op.returnLine === null ? label('line {0} (no response)', op.line) : op.returnLine === op.line ? label('line {0}', op.line) : label('lines {0}–{1}', op.line, op.returnLine);
    const rows: [string, string][] = [
      [label('process'), op.client],
      [label('result'), op.result],
      [label('input'), lines],
      [label('called'), label('event {0}', op.call)],
      [label('returned'), op.ret === null ? label('never: its outcome is unknown') : label('event {0}', op.ret)],
    ];
    const f = p.failure;
    if (f?.prefixEnd === bar.op) rows.push(['', label('the history stops being linearizable when this returns')]);
    else if (f?.involved.includes(bar.op)) rows.push(['', label('involved in the smallest failing prefix')]);
    const placed = f?.longestOrder.indexOf(bar.op) ?? -1;
    if (placed >= 0) rows.push([label('longest order'), label('#{0} of {1}', placed + 1, f!.longestOrder.length)]);
    this.tooltip.show({ title: op.text, rows }, ev.clientX, ev.clientY, true);
  }

  private click(ev: MouseEvent): void {
    if (this.wasDrag()) return;
    const bar = this.barAt(ev);
    const op = bar && this.history?.partitions[bar.partition]?.ops[bar.op];
    if (op) this.post({ type: 'reveal', line: op.line, column: op.column });
  }
}

const vscode = acquireVsCodeApi();
const app = new HistoryApp(vscode);
window.addEventListener('message', (ev: MessageEvent<ToHistoryWebview>) => {
  if (ev.data && typeof ev.data === 'object' && typeof ev.data.type === 'string') app.receive(ev.data);
});
app.post({ type: 'ready' });
