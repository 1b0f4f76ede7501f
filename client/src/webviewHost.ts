/**
 * What the timeline and history panels share: one webview panel, the page
 * built with a fresh nonce under the strict CSP (webviewHtml.ts), messages
 * posted only once the page said 'ready' (earlier ones would be lost; its
 * 'ready' fetches the latest state instead), an event per render, and one
 * dispose that releases everything. Subclasses handle the page's messages
 * with an exhaustive switch in `receive`.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { timelineHtml } from './webviewHtml';
import { webviewLabels } from './webviewLabels';

/** The bundles of one webview page in dist/ and its document title. */
export interface WebviewPage {
  readonly script: string;
  readonly style: string;
  readonly title?: string;
}

export abstract class WebviewHost<ToPage, FromPage, RenderCounts> implements vscode.Disposable {
  private readonly renderedEmitter = new vscode.EventEmitter<RenderCounts>();
  /** Fires after every render of the webview, with what it drew. */
  readonly onDidRender = this.renderedEmitter.event;
  protected readonly disposables: vscode.Disposable[] = [];
  /** Set once the webview script has loaded; messages before that would be lost. */
  protected ready = false;
  private disposed = false;
  private lastRendered: RenderCounts | undefined;

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    page: WebviewPage,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
    panel.webview.html = this.html(page);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromPage) => void this.receive(m)),
      this.renderedEmitter,
    );
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

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposing();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()!.dispose();
  }

  /** Called once as the panel closes, before its resources are released (e.g. to forget `current`). */
  protected abstract disposing(): void;

  /** One message from the page (typed; an exhaustive switch). */
  protected abstract receive(message: FromPage): Promise<void>;

  /** Posts if the webview is listening; otherwise its 'ready' will fetch the latest state. */
  protected post(message: ToPage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  /** What the page drew last; undefined before its first render (e.g. a panel restored after a reload, still loading). */
  get lastRender(): RenderCounts | undefined {
    return this.lastRendered;
  }

  protected fireRendered(counts: RenderCounts): void {
    this.lastRendered = counts;
    this.renderedEmitter.fire(counts);
  }

  private html(page: WebviewPage): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    return timelineHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, page.script)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, page.style)).toString(),
      ...(page.title !== undefined ? { title: page.title } : {}),
      labels: webviewLabels(),
    });
  }
}
