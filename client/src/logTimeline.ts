import * as vscode from 'vscode';
import { SHIVIZ_DEFAULT_REGEX } from '../../server/src/core/export/shiviz';
import { checkLog } from '../../server/src/core/logs/check';
import { compileLogRegex, LogError, readLog } from '../../server/src/core/logs/read';
import { logTimeline, textLines } from '../../server/src/core/logs/timeline';
import { TimelinePanel } from './timelinePanel';

/**
 * "DSync: Open Log in Timeline": a log in ShiViz's convention (dsync log's
 * core, run here: it is pure and reads only the text) shown in the timeline
 * panel, its vector-clock problems in the Problems panel at the log's lines.
 * A log in ShiViz's file layout (regex on line 1) opens as it is; any other
 * asks for the regular expression, ShiViz's default offered.
 */
export function registerLogTimeline(context: vscode.ExtensionContext): LogReviver {
  const problems = vscode.languages.createDiagnosticCollection('dsync-log');
  context.subscriptions.push(
    problems,
    vscode.commands.registerCommand('dsync.openLogInTimeline', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : await pickLog();
      if (!uri) return undefined;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      let regex: string | undefined;
      if (!hasLayout(text)) {
        regex = await vscode.window.showInputBox({
          title: vscode.l10n.t('Regular expression of the log'),
          prompt: vscode.l10n.t('Named groups host, clock (a JSON vector clock) and event; \\n matches a line break'),
          value: SHIVIZ_DEFAULT_REGEX,
          validateInput: (v) => {
            try {
              compileLogRegex(v);
              return undefined;
            } catch (error) {
              return error instanceof LogError ? error.message : String(error);
            }
          },
        });
        if (regex === undefined) return undefined;
      }
      try {
        const n = showLog(context, problems, uri, text, regex);
        if (n.problems > 0) void vscode.window.showWarningMessage(n.problems === 1 ? vscode.l10n.t('DSync: 1 vector-clock problem in the log (see Problems)') : vscode.l10n.t('DSync: {0} vector-clock problems in the log (see Problems)', n.problems));
        return n;
      } catch (error) {
        if (!(error instanceof LogError)) throw error;
        const where = error.line === 0 ? vscode.l10n.t('the regular expression') : `${vscode.workspace.asRelativePath(uri)}:${error.line}:${error.column}`;
        void vscode.window.showErrorMessage(vscode.l10n.t('DSync: {0}: {1}', where, error.message));
        return undefined;
      }
    }),
  );
  return (panel) => reviveLog(context, problems, panel);
}

/** Called with a timeline panel restored after a window reload that shows a log. */
export type LogReviver = (panel: TimelinePanel) => Promise<void>;

/**
 * Reads and checks a log (dsync log's core: pure, it reads only the text),
 * puts its vector-clock problems in the Problems panel at its lines and
 * shows it in the timeline. Throws LogError on a log or regex it cannot read.
 */
function showLog(context: vscode.ExtensionContext, problems: vscode.DiagnosticCollection, uri: vscode.Uri, text: string, regex: string | undefined, focus = true): { events: number; problems: number } {
  const log = readLog(text, regex);
  const checked = checkLog(log);
  problems.set(uri, checked.diagnostics.map((d) => {
    const at = new vscode.Position(d.line - 1, d.column - 1);
    const diagnostic = new vscode.Diagnostic(new vscode.Range(at, at.translate(0, 1)), d.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'dsync log';
    diagnostic.code = d.rule;
    if (d.related) diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Position(d.related.line - 1, d.related.column - 1)), d.related.message)];
    return diagnostic;
  }));
  TimelinePanel.show(context, uri, logTimeline(log, checked, vscode.workspace.asRelativePath(uri), textLines(text)), focus);
  return { events: log.events.length, problems: checked.diagnostics.length };
}

/**
 * A log's timeline after a window reload: its page restored the drawing it
 * saved; a log in ShiViz's file layout (its regex on line 1) is read and
 * checked again, which brings its problems back to the Problems panel. A log
 * read with a regex typed in the prompt, or one that is gone or no longer
 * reads, keeps the saved drawing, with a line saying why.
 */
async function reviveLog(context: vscode.ExtensionContext, problems: vscode.DiagnosticCollection, panel: TimelinePanel): Promise<void> {
  const uri = panel.uri;
  const file = vscode.workspace.asRelativePath(uri);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    if (TimelinePanel.current === panel) panel.setStatus(vscode.l10n.t('{0} no longer exists: the log as it was drawn before the reload', file));
    return;
  }
  if (TimelinePanel.current !== panel || panel.uri.toString() !== uri.toString()) return;
  if (!hasLayout(text)) {
    panel.setStatus(vscode.l10n.t('The log as it was drawn before the reload: run “DSync: Open Log in Timeline” to check {0} again', file));
    return;
  }
  try {
    showLog(context, problems, uri, text, undefined, false);
  } catch (error) {
    if (!(error instanceof LogError)) throw error;
    panel.setStatus(vscode.l10n.t('{0}:{1}:{2}: {3} (the log as it was drawn before the reload)', file, error.line, error.column, error.message));
  }
}

/** The active editor's file when it is not a scenario, else a file chosen in a dialog. */
async function pickLog(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.languageId !== 'dsync' && active.uri.scheme === 'file') return active.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Open Log in Timeline'), filters: { [vscode.l10n.t('Logs')]: ['log', 'txt', 'shiviz'], [vscode.l10n.t('All files')]: ['*'] } });
  return picked?.[0];
}

/** ShiViz's file layout: line 1 a regular expression with the named groups (or empty), line 2 empty. */
function hasLayout(text: string): boolean {
  const [first = '', second = ''] = text.replace(/^\uFEFF/, '').split('\n', 2).map((l) => l.replace(/\r$/, ''));
  if (second.trim() !== '') return false;
  if (first === '') return true;
  try {
    compileLogRegex(first);
    return true;
  } catch {
    return false;
  }
}
