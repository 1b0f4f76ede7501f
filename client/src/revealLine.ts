import * as vscode from 'vscode';

/**
 * Opens `uri` in an editor beside a panel (in `panelColumn`) and selects
 * from (line, column) to the end of that line, both 1-based and clamped to
 * the document: what a click on a drawn element does in the timeline and
 * history panels.
 */
export async function revealLine(uri: vscode.Uri, panelColumn: vscode.ViewColumn | undefined, line: number, column: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const beside = panelColumn ?? vscode.ViewColumn.Two;
  const viewColumn = visible?.viewColumn ?? (beside === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
  const l = Math.min(Math.max(0, line - 1), document.lineCount - 1);
  const text = document.lineAt(l);
  const c = Math.min(Math.max(0, column - 1), text.range.end.character);
  const selection = new vscode.Selection(l, c, l, text.range.end.character);
  const editor = await vscode.window.showTextDocument(document, { viewColumn, selection, preserveFocus: false });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
