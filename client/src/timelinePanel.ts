/**
 * The timeline panel: a webview showing one document's space-time diagram.
 * One panel at a time (`TimelinePanel.current`); it follows the document it
 * was opened for, and restores after a window reload from the state the
 * webview saved (registerTimelineSerializer).
 *
 * Messages both ways are typed in webviewMessages.ts. Lines and columns in
 * them are 1-based, as in the core's source ranges.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TimelinePayload } from '../../server/src/core/sim/timeline';
import type { FromWebview, ToWebview, WebviewState } from './webviewMessages';
import { revealLine } from './revealLine';
import { timelineHtml } from './webviewHtml';
import { webviewLabels } from './webviewLabels';

export const TIMELINE_VIEW_TYPE = 'dsync.timeline';

/** What the webview reports after each render (the extension tests wait for it). */
export interface RenderCounts {
  readonly lanes: number;
  readonly arrows: number;
  readonly events: number;
  /** Lines at the instants of violations, and rings round the events that violated (none for one between events). */
  readonly violationLines: number;
  readonly violationRings: number;
}

export class TimelinePanel implements vscode.Disposable {
  /** The open panel, if any. */
  static current: TimelinePanel | undefined;

  private readonly renderedEmitter = new vscode.EventEmitter<RenderCounts>();
  /** Fires after every render of the webview, with what it drew. */
  readonly onDidRender = this.renderedEmitter.event;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the panel closes. */
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Set once the webview script has loaded; messages before that would be lost. */
  private ready = false;
  private status = '';
  private disposed = false;
  /** Callers of requestSvg() waiting for the webview's answer. */
  private svgWaiters: ((svg: string) => void)[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private documentUri: vscode.Uri,
    private timeline: TimelinePayload,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.receive(m)),
      this.renderedEmitter,
      this.disposeEmitter,
    );
    panel.title = titleFor(timeline);
  }

  /**
   * Shows `timeline` for `uri`: reuses the open panel or opens one beside the
   * editor. `focus` false shows it without taking focus from the editor.
   */
  static show(context: vscode.ExtensionContext, uri: vscode.Uri, timeline: TimelinePayload, focus = true): TimelinePanel {
    const existing = TimelinePanel.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, !focus);
      existing.update(uri, timeline);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      titleFor(timeline),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: !focus },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] },
    );
    return (TimelinePanel.current = new TimelinePanel(panel, context.extensionUri, uri, timeline));
  }

  /** Re-creates the panel VS Code restored after a reload, from the webview's saved state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: WebviewState): TimelinePanel {
    TimelinePanel.current?.dispose();
    return (TimelinePanel.current = new TimelinePanel(panel, extensionUri, vscode.Uri.parse(state.uri), state.timeline));
  }

  /** The document this panel shows. */
  get uri(): vscode.Uri {
    return this.documentUri;
  }

  get payload(): TimelinePayload {
    return this.timeline;
  }

  update(uri: vscode.Uri, timeline: TimelinePayload): void {
    this.documentUri = uri;
    this.timeline = timeline;
    this.panel.title = titleFor(timeline);
    this.post({ type: 'timeline', uri: uri.toString(), timeline });
  }

  /** A line under the toolbar ("simulating…", "3 errors: showing the last good run"); '' hides it. */
  setStatus(text: string): void {
    this.status = text;
    this.post({ type: 'status', text });
  }

  /** Resolves with the counts of the next render. */
  whenRendered(): Promise<RenderCounts> {
    return new Promise((resolve) => {
      const sub = this.onDidRender((counts) => {
        sub.dispose();
        resolve(counts);
      });
    });
  }

  /** The diagram as a standalone SVG, as drawn now (no save dialog). */
  requestSvg(): Promise<string> {
    return new Promise((resolve) => {
      this.svgWaiters.push(resolve);
      this.post({ type: 'requestSvg' });
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TimelinePanel.current === this) TimelinePanel.current = undefined;
    this.disposeEmitter.fire();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()!.dispose();
  }

  /** Posts if the webview is listening; otherwise its 'ready' will fetch the latest state. */
  private post(message: ToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The webview (re)loaded, e.g. shown again after being hidden: its saved state may be older than ours.
        this.ready = true;
        this.post({ type: 'timeline', uri: this.documentUri.toString(), timeline: this.timeline });
        if (this.status) this.post({ type: 'status', text: this.status });
        if (this.svgWaiters.length) this.post({ type: 'requestSvg' });
        return;
      case 'reveal':
        return revealLine(this.documentUri, this.panel.viewColumn, message.line, message.column);
      case 'exportSvg': {
        // Asked for by requestSvg(): hand it over; otherwise the user pressed Export SVG.
        const waiters = this.svgWaiters.splice(0);
        if (waiters.length) return waiters.forEach((w) => w(message.svg));
        return this.save('svg', message.svg);
      }
      case 'exportJson':
        return this.save('json', `${JSON.stringify(this.timeline, null, 2)}\n`);
      case 'rendered':
        this.renderedEmitter.fire({ lanes: message.lanes, arrows: message.arrows, events: message.events, violationLines: message.violationLines, violationRings: message.violationRings });
        return;
      default: {
        const unknown: never = message;
        console.warn('dsync timeline: unknown message from the webview', unknown);
      }
    }
  }

  private async save(kind: 'svg' | 'json', content: string): Promise<void> {
    const base = this.documentUri.scheme === 'file' || this.documentUri.scheme === 'vscode-remote' ? vscode.Uri.joinPath(this.documentUri, '..') : undefined;
    const name = `${this.timeline.scenario.replace(/[^\w.-]+/g, '_') || 'timeline'}.timeline.${kind}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
      filters: kind === 'svg' ? { [vscode.l10n.t('SVG image')]: ['svg'] } : { JSON: ['json'] },
      title: kind === 'svg' ? vscode.l10n.t('Export timeline as SVG') : vscode.l10n.t('Export timeline as JSON'),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    void vscode.window.showInformationMessage(vscode.l10n.t('DSync: saved {0}', vscode.workspace.asRelativePath(target)));
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    return timelineHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      labels: webviewLabels(),
    });
  }
}

function titleFor(timeline: TimelinePayload): string {
  return vscode.l10n.t('Timeline: {0}', timeline.scenario);
}

/** Restores the timeline panel after a window reload, from the state its webview saved. */
export function registerTimelineSerializer(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        if (!isWebviewState(state)) {
          // Nothing to show (saved before any run): close rather than show an empty panel.
          panel.dispose();
          return;
        }
        TimelinePanel.revive(panel, context.extensionUri, state);
      },
    }),
  );
}

function isWebviewState(state: unknown): state is WebviewState {
  if (typeof state !== 'object' || state === null) return false;
  const s = state as Partial<WebviewState>;
  return typeof s.uri === 'string' && typeof s.timeline === 'object' && s.timeline !== null && Array.isArray(s.timeline.nodes);
}
