import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, sleep, until } from './util';
import type { RunScenarioResult } from '../../../server/src/shared/requests';

/**
 * The learning path: the walkthrough (package.json `contributes.walkthroughs`)
 * opens in the Welcome page; its "Open the sample" button opens a copy of a
 * sample shipped in the extension, and its "Run it" button, clicked while the
 * Welcome page has the focus, runs that copy. Register from index.ts with
 * `registerWalkthroughTests()`.
 */
const WALKTHROUGH = 'dsync.dsync#dsync.learn';

async function openWalkthrough(): Promise<string> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
  return until('the walkthrough in the active tab', () => {
    const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
    return label && /Welcome|Walkthrough/.test(label) ? label : undefined;
  }, 20_000);
}

export function registerWalkthroughTests(): void {
  describe('DSync walkthrough', () => {
    before(async () => {
      // A clean window for the screenshots: the earlier tests left editors (an unsaved counterexample among them), the Problems panel and notifications.
      for (const doc of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('notifications.clearAll');
    });

    it('opens in the Welcome page with its steps', async () => {
      const extension = vscode.extensions.getExtension('dsync.dsync');
      assert.ok(extension, 'the extension is known by its id dsync.dsync');
      const walkthroughs = extension.packageJSON.contributes.walkthroughs as { id: string; title: string; steps: unknown[] }[];
      assert.equal(walkthroughs[0]?.id, 'dsync.learn');
      // package.json holds %walkthrough.title%: VS Code resolved it from package.nls.json (the English UI).
      assert.equal(walkthroughs[0]?.title, 'Learn distributed time with DSync');
      await openWalkthrough();
      assert.equal(vscode.window.activeTextEditor, undefined, 'the Welcome page is not a text editor');
      await sleep(2000); // the page draws its steps a moment after it opens
      await screenshot('walkthrough');
    });

    it('"Open the sample" opens a copy of the shipped sample; "Run it" runs it from the Welcome page', async () => {
      const extension = vscode.extensions.getExtension('dsync.dsync')!;
      const shipped = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'samples', 'drift_breaks_skew.dsync')));
      const doc = await vscode.commands.executeCommand<vscode.TextDocument>('dsync.openSample', 'drift_breaks_skew.dsync');
      assert.equal(doc.uri.scheme, 'untitled');
      assert.equal(doc.languageId, 'dsync');
      assert.equal(doc.getText(), shipped);
      const again = await vscode.commands.executeCommand<vscode.TextDocument>('dsync.openSample', 'drift_breaks_skew.dsync');
      assert.equal(again.uri.toString(), doc.uri.toString(), 'a second click shows the same copy');

      await openWalkthrough();
      assert.ok(vscode.window.visibleTextEditors.some((e) => e.document === doc), 'the sample stays visible beside the walkthrough');
      const result = await vscode.commands.executeCommand<RunScenarioResult>('dsync.runScenario');
      assert.ok(result?.ok, JSON.stringify(result));
      assert.equal(result.passed, false, 'max_skew < 5ms breaks at 20s');
      assert.match(result.summary, /drift_breaks_skew/);
      await sleep(2000);
      await screenshot('walkthrough-run');
    });

    it('"Open the sample" refuses names that are not a sample', async () => {
      assert.equal(await vscode.commands.executeCommand('dsync.openSample', '../package.json'), undefined);
      assert.equal(await vscode.commands.executeCommand('dsync.openSample', 'no_such_sample.dsync'), undefined);
    });
  });
}
