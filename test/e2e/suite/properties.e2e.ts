import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, until } from './util';

/**
 * A written property (issue 14) in a real VS Code: its violation is a DS201
 * on the invariant's line whose message carries the witness (the bindings
 * of the quantified variables and the values they had), with related
 * information pointing at the option that caused it; hovering the invariant
 * shows its checked form and the violation. Register from index.ts.
 */
export function registerPropertyTests(): void {
  describe('DSync written properties', () => {
    it('a violated whenever … then within shows its witness in the Problems panel and on hover', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the tests need a workspace folder holding the samples');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'props_split_votes.dsync'));
      await vscode.window.showTextDocument(doc);
      const line = doc.getText().split('\n').findIndex((l) => l.startsWith('invariant candidates_resolve'));
      assert.ok(line >= 0);
      const found = await until('the DS201 of candidates_resolve', () => {
        const d = vscode.languages.getDiagnostics(doc.uri).find((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'DS201' && x.range.start.line === line);
        return d;
      }, 45_000);
      // The witness: which node was a candidate, and its role then.
      assert.match(found.message, /candidates_resolve violated: the trigger held at t=\S+ \(n = n\d \(role candidate\)\)/);
      const timeoutLine = doc.getText().split('\n').findIndex((l) => l.startsWith('nodes ') && l.includes('election_timeout 150ms'));
      assert.ok((found.relatedInformation ?? []).some((r) => r.location.range.start.line === timeoutLine), JSON.stringify(found.relatedInformation));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 12));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /candidates_resolve/);
      assert.match(text, /role candidate/);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await screenshot('property-witness');
    });
  });
}
