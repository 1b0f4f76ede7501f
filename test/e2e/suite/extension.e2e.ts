import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, sleep, until } from './util';
import type { DsyncApi } from '../../../client/src/extension';
import type { ExploreResult } from '../../../server/src/shared/requests';

function sampleUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder holding the samples');
  return vscode.Uri.joinPath(folder.uri, name);
}

function positionOf(doc: vscode.TextDocument, needle: string, delta: number): vscode.Position {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `'${needle}' not found`);
  return doc.positionAt(offset + delta);
}

export function registerExtensionTests(): void {
  describe('DSync in a real VS Code', () => {
    let api: DsyncApi;
    let doc: vscode.TextDocument;

    before(async () => {
      doc = await vscode.workspace.openTextDocument(sampleUri('causal_demo.dsync'));
      await vscode.window.showTextDocument(doc);
      const extension = await until('the DSync extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync'));
      api = (await extension.activate()) as DsyncApi;
    });

    it('activates on a .dsync file and gives it the dsync language', () => {
      assert.equal(doc.languageId, 'dsync');
      const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync');
      assert.ok(extension?.isActive);
    });

    it('shows the violated invariant in the Problems panel, on the invariant line', async () => {
      const diagnostics = await until('a DS201 diagnostic', () => {
        const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'DS201');
        return d.length > 0 ? d : undefined;
      });
      const line = positionOf(doc, 'invariant max_skew', 0).line;
      assert.equal(diagnostics[0]!.range.start.line, line);
      assert.match(diagnostics[0]!.message, /max_skew/);
      assert.ok((diagnostics[0]!.relatedInformation ?? []).some((r) => r.location.range.start.line === positionOf(doc, 'clock C jump', 0).line));
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await until('status of the document', () => api.status(doc.uri)?.state === 'failed' ? true : undefined);
      await screenshot('editor-with-problems');
    });

    it('hover on a message shows the vector clocks at send and receive', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'A -> B "hello"', 9));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /`\[A:1 B:0 C:0\]`/);
      assert.match(text, /`\[A:1 B:2 C:0\]`/);
    });

    it('code lens over the scenario offers Run and Show timeline, and the result', async () => {
      const titles = await until('code lenses with the run result', async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        const t = lenses.map((l) => l.command?.title ?? '');
        return t.some((x) => x.includes('violation')) ? t : undefined;
      });
      assert.deepEqual(titles, ['▶ Run scenario', 'Show timeline', '✗ 1 violation', 'Explore 1,000 schedules']);
      assert.equal((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri))[0]!.range.start.line, positionOf(doc, 'scenario causal_demo', 0).line);
      await vscode.window.showTextDocument(doc);
      await sleep(3000); // the editor draws lenses a moment after they arrive
      await screenshot('code-lens');
    });

    it('Run Scenario opens the timeline with one lane per node', async () => {
      await vscode.window.showTextDocument(doc);
      const rendered = new Promise<{ lanes: number; arrows: number; events: number }>((resolve) => {
        const poll = setInterval(() => {
          const panel = api.timeline();
          if (!panel) return;
          clearInterval(poll);
          panel.onDidRender((counts: { lanes: number; arrows: number; events: number }) => resolve(counts));
        }, 50);
      });
      await vscode.commands.executeCommand('dsync.runScenario', doc.uri);
      const counts = await Promise.race([rendered, sleep(30_000).then(() => undefined)]);
      assert.ok(counts, 'the timeline webview never reported a render');
      assert.equal(counts.lanes, 3);
      assert.equal(counts.arrows, 3);
      await screenshot('timeline');
    });

    it('Explore finds the bug of the buggy sample; its shrunk counterexample opens with diagnostics and a timeline', async () => {
      const buggy = await vscode.workspace.openTextDocument(sampleUri('explore_raft_forget_vote.dsync'));
      await vscode.window.showTextDocument(buggy, vscode.ViewColumn.One);
      const result = await vscode.commands.executeCommand<ExploreResult>('dsync.explore', buggy.uri);
      assert.ok(result?.ok, JSON.stringify(result));
      assert.equal(result.failure?.invariant, 'election_safety');
      const shrunk = result.failure?.shrunk;
      assert.ok(shrunk, 'the failure is shrunk');
      assert.ok(result.failure?.shrinking && result.failure.shrinking.faultsAfter < result.failure.shrinking.faultsBefore, JSON.stringify(result.failure?.shrinking));
      await screenshot('explore-found');

      // The timeline panel of the earlier test is reused: wait for a render of the counterexample (six lanes).
      let lastLanes = -1;
      const rendered = new Promise<{ lanes: number; arrows: number; events: number }>((resolve) => {
        const poll = setInterval(() => {
          const panel = api.timeline();
          if (!panel) return;
          clearInterval(poll);
          panel.onDidRender((counts: { lanes: number; arrows: number; events: number }) => {
            lastLanes = counts.lanes;
            if (counts.lanes === 6) resolve(counts);
          });
        }, 50);
      });
      await vscode.commands.executeCommand('dsync.openCounterexample');
      const opened = await until('the counterexample editor', () => {
        const d = vscode.window.visibleTextEditors.map((e) => e.document).find((x) => x.isUntitled && x.languageId === 'dsync');
        return d?.getText() === shrunk ? d : undefined;
      });
      const violation = await until('the counterexample fails election_safety in the Problems panel', () => {
        const d = vscode.languages.getDiagnostics(opened.uri).find((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'DS201');
        return d;
      });
      assert.equal(violation.range.start.line, positionOf(opened, 'invariant election_safety', 0).line);
      assert.match(violation.message, /two leaders in term/);
      // The cause lines point into the counterexample: its crash and the bug switch.
      const causes = (violation.relatedInformation ?? []).map((r) => opened.lineAt(r.location.range.start.line).text);
      assert.ok(causes.some((l) => /crash n\d/.test(l)), causes.join(' | '));
      assert.ok(causes.some((l) => l.includes('bugs forget_vote')), causes.join(' | '));
      const counts = await Promise.race([rendered, sleep(30_000).then(() => undefined)]);
      assert.ok(counts, `the timeline never showed the counterexample's six lanes (five Raft nodes and the client); last render: ${lastLanes} lanes`);
      assert.ok(counts.arrows > 10, `${counts.arrows} message arrows`);
      await sleep(1000);
      await screenshot('counterexample');
    });
  });
}
