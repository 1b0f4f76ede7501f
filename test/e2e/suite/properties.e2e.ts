import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DsyncApi } from '../../../client/src/extension';
import type { RenderCounts } from '../../../client/src/timelinePanel';
import { screenshot, sleep, until } from './util';

/**
 * A written property (issue 14) in a real VS Code: its violation is a DS201
 * on the invariant's line whose message carries the witness (the bindings
 * of the quantified variables and the values they had), with related
 * information pointing at the option that caused it; hovering the invariant
 * shows its checked form and the violation. The timeline rings the event
 * at which a written property failed and, for one that failed between events
 * (a clock crossing its bound, seq -1), marks the instant with a line and its
 * time. Register from index.ts.
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

    it('the timeline rings the event of a written property and marks the instant of a clock crossing between events', async () => {
      const folder = vscode.workspace.workspaceFolders![0]!;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'props_clock_crossing.dsync'));
      await vscode.window.showTextDocument(doc);
      const extension = await until('the DSync extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync'));
      const api = (await extension.activate()) as DsyncApi;
      // skew_ok fails at exactly t=1s with no event there (seq -1); few_ticks at B's fifth receive.
      const skew = await until('the DS201 of skew_ok', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.message.startsWith('skew_ok violated at t=1s:')), 45_000);
      assert.equal(skew.range.start.line, doc.getText().split('\n').findIndex((l) => l.startsWith('invariant skew_ok')));
      // Wait for the render of this scenario's timeline: three lanes, two violation lines, one ring (the crossing has no event to ring).
      let last: RenderCounts | undefined;
      const rendered = new Promise<RenderCounts>((resolve) => {
        const poll = setInterval(() => {
          const panel = api.timeline();
          if (!panel) return;
          clearInterval(poll);
          panel.onDidRender((counts: RenderCounts) => {
            last = counts;
            if (counts.lanes === 3 && counts.violationLines === 2) resolve(counts);
          });
        }, 50);
      });
      await vscode.commands.executeCommand('dsync.runScenario', doc.uri);
      const counts = await Promise.race([rendered, sleep(30_000).then(() => undefined)]);
      assert.ok(counts, `the timeline never showed the two violations; last render: ${JSON.stringify(last)}`);
      assert.equal(counts.violationRings, 1);
      await sleep(1000);
      await screenshot('property-timeline');
    });
  });
}
