/**
 * The webviews' own labels (toolbar, header, verdicts) in VS Code's display
 * language. The extension translates them (client/src/webviewLabels.ts,
 * through vscode.l10n.t) and puts the table, English → translated, in the
 * page's `<meta name="dsync-labels">`; without it (the browser tests, an
 * English VS Code) every label is its English text. `{0}`, `{1}` … are
 * replaced by the arguments, as in vscode.l10n.t.
 */
let table: Readonly<Record<string, string>> | undefined;

function labels(): Readonly<Record<string, string>> {
  if (table) return table;
  table = {};
  // Outside a page (unit tests that import the describing code): English.
  if (typeof document === 'undefined') return table;
  const content = document.querySelector('meta[name="dsync-labels"]')?.getAttribute('content');
  if (content) {
    try {
      const parsed: unknown = JSON.parse(content);
      if (parsed && typeof parsed === 'object') table = parsed as Record<string, string>;
    } catch {
      // A broken table: English.
    }
  }
  return table;
}

export function label(english: string, ...args: (string | number)[]): string {
  const text = labels()[english];
  return (typeof text === 'string' ? text : english).replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)])));
}

/** `one` for 1, else `many` with the number: labels keep whole phrases, so a translation can order them its way. */
export function count(n: number, one: string, many: string): string {
  return n === 1 ? label(one) : label(many, n);
}
