import * as vscode from 'vscode';

/** The `.dsync` document whose editor was active last (still open), for commands run from elsewhere. */
let lastDsyncDocument: vscode.Uri | undefined;

/**
 * Remembers the last active `.dsync` editor. Commands run from the Welcome
 * page (the walkthrough's buttons) or from the timeline have no active text
 * editor; they mean the scenario the user was looking at last.
 */
export function trackLastDsyncEditor(context: vscode.ExtensionContext): void {
  const note = (editor: vscode.TextEditor | undefined): void => {
    if (editor?.document.languageId === 'dsync') lastDsyncDocument = editor.document.uri;
  };
  note(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(note));
}

/**
 * The `.dsync` document a command acts on: its argument (a Uri, or a Uri as a
 * string, as command links pass it), else the active editor's document, else,
 * when no text editor is active (a webview or the Welcome page is), the last
 * active `.dsync` document that is still open.
 */
export function documentUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor) return editor.document.languageId === 'dsync' ? editor.document.uri : undefined;
  const last = lastDsyncDocument?.toString();
  return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === last)?.uri;
}
