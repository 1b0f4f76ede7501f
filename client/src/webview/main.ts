/**
 * The timeline webview's entry point (bundled to dist/webview.js). It owns
 * the state (payload, window, toggles), keeps it in vscode.setState so a
 * reload restores the same view, and handles every message from the
 * extension in one exhaustive switch.
 */
import './webview.css';
import type { TimelineViolation } from '../../../server/src/core/sim/timeline';
import type { FromWebview, ToWebview, WebviewState } from '../webviewMessages';
import { Chrome } from './chrome';
import { Diagram } from './diagram';
import { standaloneSvg } from './exportSvg';
import { hitTest } from './hitTest';
import { label } from './i18n';
import { FONT_FAMILY_FALLBACK, makeFonts, type Fonts } from './layout';
import { prepare, type Prepared } from './model';
import { StatePanel } from './statePanel';
import { describeHit, revealTarget, Tooltip } from './tooltip';
import { attachZoomPan, View, ZOOM_STEP } from './zoom';
import { NextFrame } from './nextFrame';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * setState serializes the whole state, payload included (megabytes for a
 * long run), so saving waits until the view has rested: longer while
 * zooming and panning, shorter after a new run or a toggle.
 */
const SAVE_AFTER_MOVE_MS = 800;
const SAVE_AFTER_CHANGE_MS = 200;

class App {
  private readonly chrome: Chrome;
  private readonly diagram: Diagram;
  private readonly tooltip: Tooltip;
  private readonly statePanel: StatePanel;
  private readonly view = new View();
  private readonly wasDrag: () => boolean;
  private uri = '';
  private prepared: Prepared | undefined;
  private showLocal = false;
  private fonts: Fonts | undefined;
  private readonly frame = new NextFrame(() => this.render());
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private pointer: { x: number; y: number } | undefined;

  constructor(private readonly vscode: VsCodeApi) {
    this.chrome = new Chrome(document.body, {
      zoomIn: () => this.zoomBy(1 / ZOOM_STEP),
      zoomOut: () => this.zoomBy(ZOOM_STEP),
      fit: () => {
        this.view.fit();
        this.changed();
      },
      toggleLocal: (on) => {
        this.showLocal = on;
        this.changed(true);
      },
      exportSvg: () => this.exportSvg(),
      exportJson: () => this.post({ type: 'exportJson' }),
      violation: (v) => this.showViolation(v),
    });
    this.diagram = new Diagram(this.chrome.diagramHost);
    this.tooltip = new Tooltip(document.body);
    this.statePanel = new StatePanel(document.body);
    this.wasDrag = attachZoomPan(this.diagram.root, {
      view: this.view,
      timeAt: (clientX) => {
        const frame = this.diagram.frame;
        if (!frame) return undefined;
        const px = clientX - this.diagram.root.getBoundingClientRect().left;
        return px >= frame.layout.plotX0 && px <= frame.layout.plotX1 ? frame.layout.time.invert(px) : undefined;
      },
      nsPerPx: () => {
        const k = this.diagram.frame?.layout.time.k;
        return k ? 1 / k : 0;
      },
      changed: () => this.changed(),
    });
    const root = this.diagram.root;
    root.addEventListener('pointermove', (ev) => this.hover(ev.clientX, ev.clientY));
    root.addEventListener('pointerleave', () => {
      this.pointer = undefined;
      this.hover(undefined, undefined);
    });
    root.addEventListener('click', (ev) => this.click(ev.clientX, ev.clientY));
    new ResizeObserver(() => this.frame.request()).observe(this.chrome.diagramHost);
  }

  // ---- messages ------------------------------------------------------------

  receive(message: ToWebview): void {
    switch (message.type) {
      case 'timeline': {
        const keep = message.uri === this.uri && this.prepared && !this.view.isFit ? this.view.window : undefined;
        this.load(message.uri, message.timeline, keep);
        this.changed(true);
        return;
      }
      case 'status':
        this.chrome.setStatus(message.text);
        return;
      case 'requestSvg':
        this.exportSvg();
        return;
      default: {
        const unknown: never = message;
        console.warn('dsync timeline: unknown message', unknown);
      }
    }
  }

  restore(state: WebviewState | undefined): void {
    if (!state?.timeline) return;
    this.showLocal = state.showLocal;
    this.chrome.setLocal(state.showLocal);
    this.load(state.uri, state.timeline, state.zoom);
    this.frame.request();
  }

  post(message: FromWebview): void {
    this.vscode.postMessage(message);
  }

  // ---- state ----------------------------------------------------------------

  private load(uri: string, timeline: WebviewState['timeline'], keep: WebviewState['zoom'] | undefined): void {
    this.uri = uri;
    const start = performance.now();
    this.prepared = prepare(timeline);
    // The panel showed an event of the previous timeline.
    this.statePanel.hide();
    // Visible in the devtools' performance panel and read by bench/webview.bench.ts.
    performance.clearMeasures('dsync:prepare');
    performance.measure('dsync:prepare', { start });
    this.view.reset(this.prepared.full, keep);
    this.chrome.setPayload(timeline);
  }

  /** Something changed: redraw on the next frame, save the state once things rest. */
  private changed(content = false): void {
    this.frame.request();
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), content ? SAVE_AFTER_CHANGE_MS : SAVE_AFTER_MOVE_MS);
  }

  /** Saves now if a save is pending (the page is being hidden). */
  flush(): void {
    if (this.saveTimer !== undefined) this.save();
  }

  private save(): void {
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.prepared) return;
    this.vscode.setState({ uri: this.uri, timeline: this.prepared.payload, zoom: this.view.window, showLocal: this.showLocal });
  }

  private zoomBy(factor: number): void {
    this.view.zoomCenter(factor);
    this.changed();
  }

  private showViolation(v: TimelineViolation): void {
    this.post({ type: 'reveal', line: v.line, column: v.column });
    this.view.reveal(v.time);
    this.changed();
  }

  // ---- drawing -------------------------------------------------------------

  private render(): void {
    const prepared = this.prepared;
    if (!prepared) return;
    const width = Math.max(320, Math.floor(this.chrome.diagramHost.clientWidth));
    this.fonts ??= resolveFonts();
    const start = performance.now();
    const counts = this.diagram.render(prepared, this.view.window, width, this.showLocal, this.fonts);
    performance.clearMeasures('dsync:render');
    performance.measure('dsync:render', { start });
    this.chrome.setWindow(this.view.window, this.view.isFit);
    if (this.pointer) this.hover(this.pointer.x, this.pointer.y);
    this.post({ type: 'rendered', lanes: counts.lanes, arrows: counts.arrows, events: counts.events, violationLines: counts.violationLines, violationRings: counts.violationRings });
  }

  private hitAt(clientX: number, clientY: number) {
    const frame = this.diagram.frame;
    if (!frame) return undefined;
    const r = this.diagram.root.getBoundingClientRect();
    return hitTest(frame, { x: clientX - r.left, y: clientY - r.top });
  }

  private hover(clientX: number | undefined, clientY: number | undefined): void {
    const hit = clientX === undefined || clientY === undefined ? undefined : this.hitAt(clientX, clientY);
    this.pointer = clientX === undefined || clientY === undefined ? undefined : { x: clientX, y: clientY };
    this.diagram.highlight(hit);
    this.diagram.root.classList.toggle('pointing', hit !== undefined);
    if (!hit || !this.prepared) return this.tooltip.hide();
    this.tooltip.show(describeHit(this.prepared, hit), clientX!, clientY!, revealTarget(this.prepared, hit) !== undefined);
  }

  private click(clientX: number, clientY: number): void {
    if (this.wasDrag() || !this.prepared) return;
    const hit = this.hitAt(clientX, clientY);
    // A node's event: its whole protocol state there, in the side panel.
    if (hit?.kind === 'event' && hit.event.node >= 0) this.statePanel.show(this.prepared, hit.event);
    const target = hit && revealTarget(this.prepared, hit);
    if (target) this.post({ type: 'reveal', line: target.line, column: target.column });
  }

  private exportSvg(): void {
    if (!this.prepared) return;
    // A timeline that just arrived is drawn on the next frame: draw it now, so the export shows it.
    if (this.frame.pending || !this.diagram.frame) this.render();
    this.diagram.highlight(undefined);
    this.post({ type: 'exportSvg', svg: standaloneSvg(this.diagram.root, label('Timeline: {0}', this.prepared.payload.scenario)) });
  }
}

/** The theme's fonts as canvas measures them (the same families webview.css uses). */
function resolveFonts(): Fonts {
  const cs = getComputedStyle(document.body);
  const family = cs.getPropertyValue('--dsync-font').trim() || cs.fontFamily || FONT_FAMILY_FALLBACK;
  const mono = cs.getPropertyValue('--dsync-mono').trim() || 'monospace';
  return makeFonts(family, mono);
}

const vscode = acquireVsCodeApi();
const app = new App(vscode);
window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  if (ev.data && typeof ev.data === 'object' && typeof ev.data.type === 'string') app.receive(ev.data);
});
window.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && app.flush());
window.addEventListener('pagehide', () => app.flush());
app.restore(vscode.getState());
app.post({ type: 'ready' });
