import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './util';
import { State } from 'vscode-languageclient/node';
import type { DsyncApi } from '../../../client/src/extension';

/**
 * The language server process dies (killed, out of memory) and the client
 * brings it back: vscode-languageclient's default error handler restarts a
 * server that closed, up to 4 times in 3 minutes (the 5th crash in that
 * window stops it, with a message). After the restart the open documents are
 * synced again and get their diagnostics back. Register from index.ts with
 * `registerRestartTests()`.
 */
/** The server's child process: not public API, so read defensively (vscode-languageclient 9 keeps it in `_serverProcess`). */
function serverPid(api: DsyncApi): number | undefined {
  const pid = (api.client as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;
  return typeof pid === 'number' ? pid : undefined;
}

const codes = (uri: vscode.Uri): string[] => vscode.languages.getDiagnostics(uri).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));

export function registerRestartTests(): void {
  describe('DSync language server restart', () => {
    let api: DsyncApi;
    let doc: vscode.TextDocument;

    before(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the tests need a workspace folder holding the samples');
      doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'causal_demo.dsync'));
      await vscode.window.showTextDocument(doc);
      const extension = await until('the DSync extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'dsync'));
      api = (await extension.activate()) as DsyncApi;
      await until('the server running', () => (api.client.state === State.Running && serverPid(api) !== undefined ? true : undefined));
      await until('causal_demo diagnostics', () => (codes(doc.uri).includes('DS201') ? true : undefined));
    });

    it('comes back after its process is killed, and analyses the open document again', async () => {
      const before = serverPid(api)!;
      process.kill(before, 'SIGKILL');
      const after = await until('a new server process', () => {
        const pid = serverPid(api);
        return pid !== undefined && pid !== before && api.client.state === State.Running ? pid : undefined;
      }, 60_000);
      assert.notEqual(after, before);
      // The restarted server publishes for the re-synced document: an edit that breaks it shows up…
      const editor = await vscode.window.showTextDocument(doc);
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      await editor.edit((e) => e.insert(end, '\nat 1ms Nobody -> A "x"'));
      await until('DS110 from the restarted server', () => (codes(doc.uri).includes('DS110') ? true : undefined));
      // …and undoing it brings back the run's result.
      await vscode.commands.executeCommand('undo');
      await until('DS201 again', () => (codes(doc.uri).includes('DS201') && !codes(doc.uri).includes('DS110') ? true : undefined));
    });
  });
}
