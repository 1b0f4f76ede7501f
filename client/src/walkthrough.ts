import * as vscode from 'vscode';

/** The walkthrough's id as VS Code knows it: `<publisher>.<name>#<id in package.json>`. */
export const WALKTHROUGH_ID = 'dsync.dsync#dsync.learn';

/** A sample's file name: letters, digits, `_` and `-`, ending in `.dsync` (no paths). */
const SAMPLE_NAME = /^[A-Za-z0-9_-]+\.dsync$/;

/**
 * `dsync.openSample` (the walkthrough's "Open the sample" buttons): opens a
 * copy of `samples/<name>` from the extension as an untitled document named
 * after the sample, beside the walkthrough. A copy, so a learner's edits never
 * change the installed extension; opening it again shows the copy already
 * open (with the learner's edits) instead of a second one.
 */
export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dsync.openSample', (name?: unknown) => openSample(context.extensionUri, name)),
    vscode.commands.registerCommand('dsync.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)),
  );
}

export async function openSample(extensionUri: vscode.Uri, name: unknown): Promise<vscode.TextDocument | undefined> {
  if (typeof name !== 'string' || !SAMPLE_NAME.test(name)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('DSync: no sample named {0}.', JSON.stringify(name) ?? String(name)));
    return undefined;
  }
  const copy = vscode.Uri.from({ scheme: 'untitled', path: name });
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === copy.toString());
  let doc = open;
  if (!doc) {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'samples', name));
    } catch {
      void vscode.window.showErrorMessage(vscode.l10n.t('DSync: no sample named {0}.', name));
      return undefined;
    }
    doc = await vscode.workspace.openTextDocument(copy);
    if (doc.languageId !== 'dsync') doc = await vscode.languages.setTextDocumentLanguage(doc, 'dsync');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(copy, new vscode.Position(0, 0), new TextDecoder().decode(bytes));
    await vscode.workspace.applyEdit(edit);
  }
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  return doc;
}
