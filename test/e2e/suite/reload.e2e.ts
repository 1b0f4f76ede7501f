import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DsyncApi } from '../../../client/src/extension';
import type { HistoryRenderCounts } from '../../../client/src/historyMessages';
import { HISTORY_VIEW_TYPE } from '../../../client/src/historyPanel';
import { TIMELINE_VIEW_TYPE, type RenderCounts } from '../../../client/src/timelinePanel';
import { HISTORY } from './historyView.e2e';
import { LOG } from './logTimeline.e2e';
import { screenshot, sleep, until } from './util';

/**
 * The history and timeline panels come back after a window reload (issue 17),
 * in three runs of the suite in one window: the suite's last test opens both
 * panels (the history of a file, a log in the timeline), notes what they
 * drew in a file of the workspace and reloads the window; VS Code runs the
 * suite again, which finds the note (`reloadPhase`) and runs only the next
 * phase. Phase 2 checks both panels were restored and drew the same thing,
 * then deletes the history file and reloads again; phase 3 checks the
 * history panel says the file is gone. The note carries the passes of the
 * earlier runs, so the last run's count covers all three.
 */
const NOTE = '.dsync-e2e-reload.json';
const HISTORY_FILE = 'restore-stale-read.edn';
const LOG_FILE = 'restore.shiviz.log';

interface ReloadNote {
  readonly phase: 2 | 3;
  /** Tests passed in the runs before this one. */
  readonly passed: number;
  readonly history: HistoryRenderCounts;
  readonly timeline: RenderCounts;
}

function workspace(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri;
}

/** The note an earlier run left before reloading, or undefined in the first run. */
export async function reloadPhase(): Promise<ReloadNote | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, NOTE)))) as ReloadNote;
  } catch {
    return undefined;
  }
}

/** The tab of our panel of `viewType` (VS Code prefixes the extension's view type), and its group. */
function tabOf(viewType: string): { group: vscode.TabGroup; tab: vscode.Tab; index: number } | undefined {
  for (const group of vscode.window.tabGroups.all) {
    const index = group.tabs.findIndex((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));
    if (index >= 0) return { group, tab: group.tabs[index]!, index };
  }
  return undefined;
}

/** Brings the panel's tab to the front of its group, as a click on it would. */
async function showTab(viewType: string): Promise<void> {
  const found = await until(`the ${viewType} tab`, () => tabOf(viewType));
  const groups = ['First', 'Second', 'Third', 'Fourth'];
  await vscode.commands.executeCommand(`workbench.action.focus${groups[found.group.viewColumn - 1]}EditorGroup`);
  await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', found.index);
  await until(`the ${viewType} tab in front`, () => (tabOf(viewType)?.tab.isActive ? true : undefined));
}

async function dsync(): Promise<DsyncApi> {
  const extension = await until('the DSync extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync'));
  return (await extension.activate()) as DsyncApi;
}

/** Writes the note for the next run and reloads the window; this run ends with it (the test never returns). */
async function reloadInto(note: ReloadNote): Promise<never> {
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspace(), NOTE), new TextEncoder().encode(JSON.stringify(note)));
  void vscode.commands.executeCommand('workbench.action.reloadWindow');
  await sleep(90_000);
  throw new Error('the window did not reload');
}

/**
 * Registers the reload tests: in the first run (`note` undefined) the one
 * that opens the panels and reloads, registered last; after a reload, the
 * phase the note names. `progress` says how the run went so far.
 */
export function registerReloadTests(note: ReloadNote | undefined, progress: () => { passed: number; failed: number }): void {
  describe('panels after a window reload', function () {
    this.timeout(120_000);

    if (!note) {
      it('opens the history of a file and a log in the timeline, then reloads the window', async () => {
        const { passed, failed } = progress();
        // A reload would lose this run's failures: stop here and let the suite report them.
        assert.equal(failed, 0, 'not reloading: earlier tests failed');
        const api = await dsync();
        const historyUri = vscode.Uri.joinPath(workspace(), HISTORY_FILE);
        const logUri = vscode.Uri.joinPath(workspace(), LOG_FILE);
        await vscode.workspace.fs.writeFile(historyUri, new TextEncoder().encode(HISTORY));
        await vscode.workspace.fs.writeFile(logUri, new TextEncoder().encode(LOG));
        // A clean layout: the history file on the left; beside it one group holding both panels, the history
        // in front. After the reload VS Code restores the panel in front, and the other when its tab is shown.
        api.history()?.dispose();
        api.timeline()?.dispose();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(historyUri), vscode.ViewColumn.One);
        await vscode.commands.executeCommand('dsync.openLogInTimeline', logUri);
        const timeline = await until('the log drawn', () => (api.timeline()?.uri.toString() === logUri.toString() ? api.timeline()?.lastRender : undefined));
        assert.equal(timeline.events, 6);
        // Opens beside the timeline (a third group): moved into the timeline's group.
        await vscode.commands.executeCommand('dsync.checkHistory', { uri: historyUri, model: 'register' });
        const history = await until('the history drawn', () => api.history()?.lastRender);
        assert.equal(history.bars, 6);
        await vscode.commands.executeCommand('workbench.action.moveEditorToPreviousGroup');
        await until('both panels in one group', () => (tabOf(HISTORY_VIEW_TYPE)?.group === tabOf(TIMELINE_VIEW_TYPE)?.group ? true : undefined));
        await until('the history drawn again in front', () => (api.history()?.lastRender && tabOf(HISTORY_VIEW_TYPE)?.tab.isActive ? true : undefined));
        // Lets the pages save their state (the timeline saves 200 ms after a change).
        await screenshot('reload-before');
        await reloadInto({ phase: 2, passed: passed + 1, history, timeline });
      });
      return;
    }

    if (note.phase === 2) {
      it('restores the history panel (checked again) and the log timeline, drawing what they drew before', async () => {
        const api = await dsync();
        const historyUri = vscode.Uri.joinPath(workspace(), HISTORY_FILE);
        // The panel in front first, then the other, once its tab is shown (as a user's click would).
        const history = await until('the history panel restored and drawn', () => (api.history()?.payload ? api.history()?.lastRender : undefined), 60_000);
        const panel = api.history()!;
        assert.equal(panel.uri.toString(), historyUri.toString());
        assert.deepEqual(panel.source, { uri: historyUri.toString(), format: 'jepsen-edn', model: 'register' });
        assert.equal(panel.payload?.verdict, 'not linearizable');
        assert.deepEqual(history, note.history);
        await showTab(TIMELINE_VIEW_TYPE);
        const timeline = await until('the timeline panel restored and drawn', () => api.timeline()?.lastRender, 60_000);
        assert.equal(api.timeline()!.uri.toString(), vscode.Uri.joinPath(workspace(), LOG_FILE).toString());
        assert.deepEqual(api.timeline()!.payload.log, { file: LOG_FILE, lines: 8 });
        assert.deepEqual(timeline, note.timeline);
        // The log was read and checked again: its problem is back in the Problems panel, at its line.
        const logUri = vscode.Uri.joinPath(workspace(), LOG_FILE);
        const problem = await until('the log problem back', () => vscode.languages.getDiagnostics(logUri).find((d) => d.code === 'receive-not-dominating'));
        assert.equal(problem.range.start.line, 7);
        await screenshot('reload-restored');
        // Next: the history file is gone when the window comes back.
        for (const group of vscode.window.tabGroups.all) {
          for (const tab of group.tabs) {
            if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === historyUri.toString()) await vscode.window.tabGroups.close(tab);
          }
        }
        await vscode.workspace.fs.delete(historyUri);
        await reloadInto({ ...note, phase: 3, passed: note.passed + 1 });
      });
      return;
    }

    it('restores the history panel saying that its file is gone', async () => {
      const api = await dsync();
      await until('the timeline panel restored and drawn', () => api.timeline()?.lastRender, 60_000);
      await showTab(HISTORY_VIEW_TYPE);
      const notice = await until('the notice on the page', () => api.history()?.noticeOnPage, 60_000);
      assert.match(notice, new RegExp(`^${HISTORY_FILE.replace(/\./g, '\\.')} no longer exists, so its history cannot be checked again\\.`));
      const panel = api.history()!;
      assert.equal(panel.payload, undefined);
      // Kept, so that a reload once the file is back shows its history again.
      assert.equal(panel.source.uri, vscode.Uri.joinPath(workspace(), HISTORY_FILE).toString());
      await screenshot('reload-history-gone');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspace(), NOTE));
    });
  });
}
