import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DsyncApi } from '../../../client/src/extension';
import { screenshot, sleep, until } from './util';

/**
 * A protocol written in .dsync (issue 15) in a real VS Code: editing a
 * handler re-simulates the scenario as one types. Deleting the vote-once
 * check from the RequestVote guard of samples/protocols/election_slow_link.dsync
 * makes two leaders in one term at the file's seed (the sample's comment says
 * why), so a DS201 appears on the invariant's line, in the Problems panel;
 * putting the check back makes it go away. Register from index.ts first,
 * so the Problems panel in its screenshots holds only this file's problems.
 */

const SAMPLE = ['protocols', 'election_slow_link.dsync'];
const VOTE_ONCE = ' and voted_for in { none, p }';

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

export function registerProtocolTests(): void {
  describe('DSync written protocols', () => {
    it('editing a handler makes an invariant violation appear in the Problems panel, and editing it back makes it go', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the tests need a workspace folder holding the samples');
      // A clean window: the earlier tests left editors and panels open.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('notifications.clearAll');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, ...SAMPLE));
      const editor = await vscode.window.showTextDocument(doc);
      const extension = await until('the DSync extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync'));
      const api = (await extension.activate()) as DsyncApi;
      const lines = doc.getText().split('\n');
      const invariantLine = lines.findIndex((l) => l.startsWith('invariant one_leader_per_term'));
      const guardLine = lines.findIndex((l) => l.trimStart().startsWith('on RequestVote(m)'));
      assert.ok(invariantLine >= 0 && guardLine >= 0);
      const violations = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(doc.uri).filter((d) => codeOf(d) === 'DS201');
      /** The status of the document's current version, once its analysis has finished. */
      const settled = (): Promise<string> =>
        until(`the analysis of version ${doc.version}`, () => {
          const status = api.status(doc.uri);
          return status && status.version === doc.version && !['checking', 'simulating'].includes(status.state) ? status.state : undefined;
        }, 45_000);

      // As shipped, the protocol is correct: one leader per term.
      assert.equal(await settled(), 'passed');
      assert.deepEqual(violations().map((d) => d.message), []);

      // The bug: a node votes for every candidate of its term.
      const guard = lines[guardLine]!;
      const at = guard.indexOf(VOTE_ONCE);
      assert.ok(at > 0, `the guard holds '${VOTE_ONCE}': ${guard}`);
      const checkRange = new vscode.Range(guardLine, at, guardLine, at + VOTE_ONCE.length);
      assert.ok(await editor.edit((e) => e.delete(checkRange)));
      const violation = await until('the DS201 of one_leader_per_term', () => violations().find((d) => d.range.start.line === invariantLine), 45_000);
      assert.equal(await settled(), 'failed');
      assert.equal(violation.severity, vscode.DiagnosticSeverity.Error);
      // The witness: n1 and n2, at the two ends of the slow link, lead term 2 together.
      assert.match(violation.message, /^one_leader_per_term violated at t=176\.649ms: a = n1 \(role leader, term 2\), b = n2 \(role leader, term 2\)/);
      // voted_for is now written but never read: the checker says so.
      assert.ok(vscode.languages.getDiagnostics(doc.uri).some((d) => codeOf(d) === 'DS194' && d.message.includes("'voted_for'")));
      editor.selection = new vscode.Selection(guardLine, at, guardLine, at);
      // The edited guard at the top of the editor, the invariant (squiggled) below it.
      editor.revealRange(new vscode.Range(guardLine - 2, 0, guardLine - 2, 0), vscode.TextEditorRevealType.AtTop);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await sleep(500);
      await screenshot('protocol-violation');

      // Put the check back: the violation goes away.
      assert.ok(await editor.edit((e) => e.insert(new vscode.Position(guardLine, at), VOTE_ONCE)));
      assert.equal(doc.lineAt(guardLine).text, guard);
      assert.equal(await settled(), 'passed');
      await until('no DS201 left', () => (violations().length === 0 ? true : undefined), 45_000);
      assert.deepEqual(vscode.languages.getDiagnostics(doc.uri).map((d) => `${codeOf(d)} ${d.message}`), []);
      await sleep(500);
      await screenshot('protocol-fixed');
      // Leave no unsaved editor behind for the tests that follow.
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  });
}
