import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';

/**
 * The language server's user-facing strings that are not diagnostics (code
 * lens titles, status texts, messages to the client) go through `t`, which
 * looks them up in the bundle the client passes at start
 * (initializationOptions.l10nBundle: the path of VS Code's bundle for the
 * display language, l10n/bundle.l10n.<locale>.json; none for English).
 * Diagnostics stay English: they are the CLI's messages too.
 *
 * Worker threads (analysis, exploration) run this module afresh: the path is
 * kept in the environment, which every worker inherits, and each thread
 * loads the bundle on its first `t`.
 */
const ENV = 'DSYNC_L10N_BUNDLE';
let loaded = false;

/** Called once by the server on initialize; undefined or an unreadable file: English. */
export function configureL10n(bundlePath: unknown): void {
  if (typeof bundlePath === 'string' && bundlePath !== '') process.env[ENV] = bundlePath;
  else delete process.env[ENV];
  loaded = false;
}

export function t(message: string, ...args: (string | number)[]): string {
  if (!loaded) {
    loaded = true;
    const path = process.env[ENV];
    let contents = '{}';
    try {
      if (path) contents = fs.readFileSync(path, 'utf8');
    } catch {
      // No bundle: English.
    }
    try {
      l10n.config({ contents });
    } catch {
      l10n.config({ contents: '{}' });
    }
  }
  return l10n.t(message, ...args);
}
