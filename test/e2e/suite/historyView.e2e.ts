import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckHistoryOutcome } from '../../../client/src/historyCommand';
import type { DsyncApi } from '../../../client/src/extension';
import type { HistoryRenderCounts } from '../../../client/src/historyMessages';
import { screenshot, sleep, until } from './util';

/**
 * "DSync: Check History…" (issue 17) in a real VS Code: a non-linearizable
 * Jepsen history opened in the editor is checked by the language server and
 * drawn in the history panel: the verdict, the bars of the operations of the
 * smallest failing prefix marked, the unknown outcome open-ended. Register
 * from index.ts.
 */
export const HISTORY = [
  '{:process 0, :type :invoke, :f :write, :key "x", :value 1}',
  '{:process 0, :type :ok, :f :write, :key "x", :value 1}',
  '{:process 1, :type :invoke, :f :write, :key "x", :value 2}',
  '{:process 2, :type :invoke, :f :read, :key "x", :value nil}',
  '{:process 2, :type :ok, :f :read, :key "x", :value 2}',
  '{:process 1, :type :info, :f :write, :key "x", :value 2}',
  '{:process 2, :type :invoke, :f :read, :key "x", :value nil}',
  '{:process 2, :type :ok, :f :read, :key "x", :value 1}',
  '{:process 0, :type :invoke, :f :write, :key "y", :value 5}',
  '{:process 0, :type :ok, :f :write, :key "y", :value 5}',
  '{:process 3, :type :invoke, :f :read, :key "y", :value nil}',
  '{:process 3, :type :ok, :f :read, :key "y", :value 5}',
  '',
].join('\n');

export function registerHistoryViewTests(): void {
  describe('DSync: Check History…', () => {
    it('checks a bad history from the editor and draws it with the failing operations marked', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the tests need a workspace folder');
      const extension = await until('the DSync extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync'));
      const api = (await extension.activate()) as DsyncApi;
      const uri = vscode.Uri.joinPath(folder.uri, 'stale-read.edn');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(HISTORY));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      // Listen for the first render of the panel as soon as it exists (it opens inside the command).
      const rendered = new Promise<HistoryRenderCounts>((resolve) => {
        const poll = setInterval(() => {
          const panel = api.history();
          if (!panel) return;
          clearInterval(poll);
          panel.onDidRender((counts) => resolve(counts));
        }, 20);
      });
      const outcome = await vscode.commands.executeCommand<CheckHistoryOutcome>('dsync.checkHistory', { uri, model: 'register' });
      assert.ok(outcome, 'the command checked nothing');
      assert.equal(outcome.verdict, 'not linearizable');
      assert.deepEqual([...outcome.markedLines].sort((a, b) => a - b), [1, 3, 4, 7]);
      const counts = await Promise.race([rendered, sleep(30_000).then(() => undefined)]);
      assert.ok(counts, 'the history webview never reported a render');
      assert.equal(counts.partitions, 2);
      assert.equal(counts.bars, 6);
      assert.equal(counts.open, 1, "process 1's write never answered: one open-ended bar");
      assert.deepEqual([...counts.markedLines].sort((a, b) => a - b), [1, 3, 4, 7]);
      const panel = await until('the history panel', () => api.history());
      assert.equal(panel.uri.toString(), uri.toString());
      assert.equal(panel.payload?.verdict, 'not linearizable');
      assert.equal(panel.payload?.format, 'jepsen-edn');
      await screenshot('history-view');
    });
  });
}
