/**
 * The timeline webview's HTML shell, shared by the extension's panel and the
 * browser test harness so both run the same page under the same CSP. It
 * carries no data: the payload arrives by postMessage and every user-written
 * string is put into the page with textContent by the webview script.
 */

export interface WebviewHtmlParts {
  /** `webview.cspSource`: the origin the script and stylesheet are served from. */
  readonly cspSource: string;
  /** Fresh per page: only scripts and styles carrying it run. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The page's title (the timeline's by default; the history view passes its own). */
  readonly title?: string;
  /** The webview's labels in the display language, English → translated (webview/i18n.ts reads them); none: English. */
  readonly labels?: Readonly<Record<string, string>>;
}

export function timelineCsp(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
}

const ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

/** For attribute values (URIs, the nonce): they never come from the user, but stay inert if they did. */
export function escapeAttr(value: string): string {
  return value.replace(/[&"<>]/g, (c) => ATTR_ESCAPES[c]!);
}

export function timelineHtml(parts: WebviewHtmlParts): string {
  const nonce = escapeAttr(parts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(timelineCsp(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.labels ? `<meta name="dsync-labels" content="${escapeAttr(JSON.stringify(parts.labels))}">\n` : ''}<link rel="stylesheet" href="${escapeAttr(parts.styleUri)}" nonce="${nonce}">
<title>${escapeAttr(parts.title ?? 'DSync Timeline')}</title>
</head>
<body>
<script nonce="${nonce}" src="${escapeAttr(parts.scriptUri)}"></script>
</body>
</html>
`;
}
