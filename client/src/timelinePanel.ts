/**
 * The timeline panel: a webview showing one document's space-time diagram.
 * One panel at a time (`TimelinePanel.current`); it follows the document it
 * was opened for, and restores after a window reload from the state the
 * webview saved (registerTimelineSerializer).
 *
 * Messages both ways are typed in webviewMessages.ts. Lines and columns in
 * them are 1-based, as in the core's source ranges.
 */
import * as vscode from 'vscode';
import type { TimelinePayload } from '../../server/src/core/sim/timeline';
import type { FromWebview, ToWebview, WebviewState } from './webviewMessages';
import { revealLine } from './revealLine';
import { WebviewHost } from './webviewHost';

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

export class TimelinePanel extends WebviewHost<ToWebview, FromWebview, RenderCounts> {
  /** The open panel, if any. */
  static current: TimelinePanel | undefined;

  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the panel closes. */
  readonly onDidDispose = this.disposeEmitter.event;
  private status = '';
  /** Callers of requestSvg() waiting for the webview's answer. */
  private svgWaiters: ((svg: string) => void)[] = [];

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private documentUri: vscode.Uri,
    private timeline: TimelinePayload,
  ) {
    super(panel, extensionUri, { script: 'webview.js', style: 'webview.css' });
    this.disposables.push(this.disposeEmitter);
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
    // The status spoke of what was shown before.
    if (this.status) this.setStatus('');
  }

  /** A line under the toolbar about what is shown ("… as drawn before the reload"), until the next update; '' hides it. */
  setStatus(text: string): void {
    this.status = text;
    this.post({ type: 'status', text });
  }

  /** The diagram as a standalone SVG, as drawn now (no save dialog). */
  requestSvg(): Promise<string> {
    return new Promise((resolve) => {
      this.svgWaiters.push(resolve);
      this.post({ type: 'requestSvg' });
    });
  }

  protected disposing(): void {
    if (TimelinePanel.current === this) TimelinePanel.current = undefined;
    this.disposeEmitter.fire();
  }

  protected async receive(message: FromWebview): Promise<void> {
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
        this.fireRendered({ lanes: message.lanes, arrows: message.arrows, events: message.events, violationLines: message.violationLines, violationRings: message.violationRings });
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
}

function titleFor(timeline: TimelinePayload): string {
  return vscode.l10n.t('Timeline: {0}', timeline.scenario);
}

/** Restores the timeline panel after a window reload, from the state its webview saved; `revived` may then refresh it. */
export function registerTimelineSerializer(context: vscode.ExtensionContext, revived: (panel: TimelinePanel) => void = () => undefined): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        if (!isWebviewState(state)) {
          // Nothing to show (saved before any run): close rather than show an empty panel.
          panel.dispose();
          return;
        }
        revived(TimelinePanel.revive(panel, context.extensionUri, state));
      },
    }),
  );
}

function isWebviewState(state: unknown): state is WebviewState {
  if (typeof state !== 'object' || state === null) return false;
  const s = state as Partial<WebviewState>;
  return typeof s.uri === 'string' && typeof s.timeline === 'object' && s.timeline !== null && Array.isArray(s.timeline.nodes);
}
