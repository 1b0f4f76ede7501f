/**
 * Runs the timeline webview in headless Chromium (playwright-core from the
 * code-server tools folder) the way VS Code would: the same HTML shell and
 * CSP (client/src/webviewHtml.ts), a fake `acquireVsCodeApi()` that records
 * posted messages in `window.__posted` and keeps get/setState in memory, the
 * theme's CSS variables on body, and payloads delivered with postMessage.
 * Pages are served from a fake origin by request interception: no server,
 * no network.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { timelineHtml } from '../../client/src/webviewHtml';
import type { FromWebview, ToWebview, WebviewState } from '../../client/src/webviewMessages';
import type { TimelinePayload } from '../../server/src/core/sim/timeline';
import { ROOT } from './timelines';

export const CHROMIUM = process.env.DSYNC_CHROMIUM || '/usr/bin/chromium';
export const TOOLS = process.env.DSYNC_CODE_SERVER_TOOLS ? path.resolve(process.env.DSYNC_CODE_SERVER_TOOLS) : path.join(ROOT, '.tools', 'code-server-4.99.4');
const ORIGIN = 'https://dsync-webview.test';

// The little of playwright's API used here (its types are not a dependency).
export interface Page {
  goto(url: string): Promise<unknown>;
  route(url: string, handler: (route: Route) => unknown): Promise<void>;
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, options?: { timeout?: number }): Promise<unknown>;
  screenshot(options: { path: string; fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } }): Promise<unknown>;
  on(event: 'dialog', handler: (dialog: { message(): string; dismiss(): Promise<void> }) => void): void;
  on(event: 'pageerror' | 'console', handler: (arg: { message?: string; text?: () => string; type?: () => string }) => void): void;
  mouse: { move(x: number, y: number, options?: { steps?: number }): Promise<void>; click(x: number, y: number): Promise<void>; wheel(dx: number, dy: number): Promise<void>; down(): Promise<void>; up(): Promise<void> };
  keyboard: { press(key: string): Promise<void> };
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  close(): Promise<void>;
}
export interface Route {
  request(): { url(): string };
  fulfill(response: { status?: number; contentType?: string; body: string }): Promise<void>;
}
export interface Browser {
  newPage(options?: { viewport?: { width: number; height: number }; deviceScaleFactor?: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (run scripts/setup-code-server.sh)`;
  if (!fs.existsSync(path.join(TOOLS, 'node_modules', 'playwright-core', 'package.json'))) return `no playwright-core under ${TOOLS} (run scripts/setup-code-server.sh)`;
  return undefined;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = createRequire(path.join(TOOLS, 'package.json'))('playwright-core') as { chromium: { launch(o: object): Promise<Browser> } };
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export type Theme = 'dark' | 'light';

/** VS Code's Dark Modern and Light Modern colours for the variables the webview reads. */
export const THEMES: Readonly<Record<Theme, { readonly bodyClass: string; readonly vars: Readonly<Record<string, string>> }>> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc', '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editorWidget-border': '#454545', '--vscode-editorWidget-background': '#202020',
      '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185',
      '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7',
      '--vscode-focusBorder': '#0078d4', '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c', '--vscode-button-border': '#ffffff12',
      '--vscode-editorHoverWidget-background': '#202020', '--vscode-editorHoverWidget-border': '#454545',
      '--vscode-inputValidation-errorBackground': '#5a1d1d', '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b', '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#6f6f6f', '--vscode-editorWidget-border': '#c8c8c8', '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-charts-red': '#e51400', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-green': '#388a34',
      '--vscode-charts-yellow': '#bf8803', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90',
      '--vscode-focusBorder': '#005fb8', '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc', '--vscode-button-border': '#0000001a',
      '--vscode-editorHoverWidget-background': '#f8f8f8', '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-inputValidation-errorBackground': '#f2dede', '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
    },
  },
};

export interface OpenOptions {
  readonly theme?: Theme;
  readonly width?: number;
  readonly height?: number;
  /** Device pixels per CSS pixel (2 for a close look). */
  readonly scale?: number;
  /** What getState() returns at load (a reload restoring its view). */
  readonly state?: WebviewState;
  /** Also puts an inline script WITHOUT the nonce on the page (it must not run). */
  readonly unsafeInlineProbe?: boolean;
  /** The labels table the extension would pass (English → translated); none: English. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The webview bundle; default dist/webview.js and dist/webview.css. */
  readonly assets?: { readonly js: string; readonly css: string };
}

export interface TimelinePage {
  readonly page: Page;
  readonly html: string;
  /** Dialogs (alert, confirm …) the page opened: there must be none. */
  readonly dialogs: string[];
  readonly errors: string[];
  posted(): Promise<FromWebview[]>;
  send(message: ToWebview): Promise<void>;
  /** Sends a timeline and waits until the webview reports the render. */
  show(timeline: TimelinePayload, uri?: string): Promise<Extract<FromWebview, { type: 'rendered' }>>;
  /** How many `rendered` messages the webview has posted so far. */
  renders(): Promise<number>;
  /** Waits until more than `after` renders were posted (take the count before acting, then act, then wait). */
  nextRender(after: number): Promise<Extract<FromWebview, { type: 'rendered' }>>;
  close(): Promise<void>;
}

/** A JSON literal that is safe inside an inline <script> (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function harnessHtml(nonce: string, options: OpenOptions): string {
  const theme = THEMES[options.theme ?? 'dark'];
  const shell = timelineHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/dist/webview.css`, ...(options.labels ? { labels: options.labels } : {}) });
  const fakeApi = `<script nonce="${nonce}">
window.__posted = [];
window.__state = ${scriptJson(options.state)};
window.acquireVsCodeApi = function () {
  if (window.__acquired) throw new Error('acquireVsCodeApi called twice');
  window.__acquired = true;
  return {
    postMessage: function (m) { window.__posted.push(JSON.parse(JSON.stringify(m))); },
    getState: function () { return window.__state === null ? undefined : window.__state; },
    setState: function (s) { window.__state = JSON.parse(JSON.stringify(s)); },
  };
};
</script>`;
  // Theme variables go on body, before the webview script runs (CSSOM, which the CSP allows).
  const themeScript = `<script nonce="${nonce}">
document.body.className = ${scriptJson(theme.bodyClass)};
for (const [k, v] of Object.entries(${scriptJson(theme.vars)})) document.body.style.setProperty(k, v);
</script>`;
  const probe = options.unsafeInlineProbe ? '<script>window.__inlineRan = true;</script>' : '';
  return shell.replace('</head>', `${fakeApi}\n</head>`).replace('<body>', `<body>\n${themeScript}\n${probe}`);
}

export async function openTimelinePage(browser: Browser, options: OpenOptions = {}): Promise<TimelinePage> {
  const js = fs.readFileSync(options.assets?.js ?? path.join(ROOT, 'dist', 'webview.js'), 'utf8');
  const cssPath = options.assets?.css ?? path.join(ROOT, 'dist', 'webview.css');
  const css = fs.existsSync(cssPath) ? fs.readFileSync(cssPath, 'utf8') : '';
  const nonce = randomBytes(16).toString('base64');
  const html = harnessHtml(nonce, options);
  const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 900 }, deviceScaleFactor: options.scale ?? 1 });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(String(e.message ?? e)));
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = route.request().url();
    if (url.endsWith('/dist/webview.js')) return route.fulfill({ contentType: 'text/javascript', body: js });
    if (url.endsWith('/dist/webview.css')) return route.fulfill({ contentType: 'text/css', body: css });
    if (url.endsWith('/index.html')) return route.fulfill({ contentType: 'text/html', body: html });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));

  const posted = (): Promise<FromWebview[]> => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted);
  const renderCount = async (): Promise<number> => (await posted()).filter((m) => m.type === 'rendered').length;
  const nextRender = async (after: number): Promise<Extract<FromWebview, { type: 'rendered' }>> => {
    await page.waitForFunction((count) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > count, after, { timeout: 15_000 });
    const all = (await posted()).filter((m): m is Extract<FromWebview, { type: 'rendered' }> => m.type === 'rendered');
    return all[all.length - 1]!;
  };
  // As a JSON string: playwright moves one big string far faster than the same object (5 MB: 50 ms vs 9 s).
  const send = (message: ToWebview): Promise<void> => page.evaluate((json) => void window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  return {
    page,
    html,
    dialogs,
    errors,
    posted,
    send,
    renders: renderCount,
    nextRender,
    async show(timeline, uri = 'file:///work/scenario.dsync') {
      const n = await renderCount();
      await send({ type: 'timeline', uri, timeline });
      return nextRender(n);
    },
    close: () => page.close(),
  };
}
