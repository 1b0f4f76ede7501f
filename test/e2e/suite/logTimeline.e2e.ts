import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DsyncApi } from '../../../client/src/extension';
import { screenshot, sleep, until } from './util';

/**
 * "DSync: Open Log in Timeline" (issue 17) in a real VS Code: a log in
 * ShiViz's file layout opens in the timeline panel (a lane per host, an
 * arrow per message the clocks imply) and its vector-clock problem is in the
 * Problems panel at the log's line. Register from index.ts.
 */
export const LOG = [
  '(?<host>\\w+) "(?<event>.*)" (?<clock>\\{.*\\})',
  '',
  'client1 "message 1 sent" {"client1":1}',
  'client2 "message 2 sent" {"client2":1}',
  'server "message 2 received" {"server":1, "client2":1}',
  'server "message 1 received" {"client1":1, "server":2, "client2":1}',
  'server "ack message 1" {"client1":1, "server":3, "client2":1}',
  'client1 "receive ack" {"client1":2, "server":3}',
  '',
].join('\n');

export function registerLogTimelineTests(): void {
  describe('DSync: Open Log in Timeline', () => {
    it('draws a ShiViz-style log in the timeline and puts its clock problems in the Problems panel', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the tests need a workspace folder');
      const extension = await until('the DSync extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync'));
      const api = (await extension.activate()) as DsyncApi;
      const uri = vscode.Uri.joinPath(folder.uri, 'hello.shiviz.log');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(LOG));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      // The panel opens (or, after earlier tests, is reused) inside the command:
      // listen as soon as it exists, and take the first render of THIS log, not
      // a late render of a scenario an earlier test showed in the same panel.
      const rendered = new Promise<{ lanes: number; arrows: number; events: number }>((resolve) => {
        const seen = new Set<unknown>();
        const poll = setInterval(() => {
          const panel = api.timeline();
          if (!panel || seen.has(panel)) return;
          seen.add(panel);
          panel.onDidRender((counts: { lanes: number; arrows: number; events: number }) => {
            // The log has 6 events (the command's result says so below).
            if (api.timeline()?.uri.toString() !== uri.toString() || counts.events !== 6) return;
            clearInterval(poll);
            resolve(counts);
          });
        }, 50);
      });
      const result = await vscode.commands.executeCommand<{ events: number; problems: number }>('dsync.openLogInTimeline', uri);
      assert.deepEqual(result, { events: 6, problems: 1 });
      const counts = await Promise.race([rendered, sleep(30_000).then(() => undefined)]);
      assert.ok(counts, 'the timeline webview never reported a render');
      assert.equal(counts.lanes, 3);
      assert.equal(counts.arrows, 3);
      const panel = await until('the timeline panel', () => api.timeline());
      assert.equal(panel.uri.toString(), uri.toString());
      assert.deepEqual(panel.payload.nodes.map((n) => n.name), ['client1', 'client2', 'server']);
      assert.equal(panel.payload.messages.length, 3);
      // A log has no seed: the header names the file and its length (test/webview/logHeader.test.ts draws it).
      assert.deepEqual(panel.payload.log, { file: 'hello.shiviz.log', lines: 8 });
      // client1 receives the server's ack (which knows client2's send) without taking client2's entry: line 8.
      const problem = await until('the receive-not-dominating problem', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'receive-not-dominating'));
      assert.equal(problem.range.start.line, 7);
      assert.match(problem.message, /its entry for client2 is 0, the send's 1/);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await screenshot('log-timeline');
    });
  });
}
