import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspHarness } from './lspClient';

const URI = 'file:///work/deprecated.dsync';
const TEXT = `scenario s { seed 1  run for 300ms }
nodes n1..n3 run raft
expect n1.commitIndex >= 0
`;

/** Applies one code action's edits (single-line ranges) to `text`. */
function applyEdits(text: string, action: CodeAction): string {
  const lines = text.split('\n');
  for (const e of action.edit!.changes![URI]!) {
    const line = lines[e.range.start.line]!;
    lines[e.range.start.line] = line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
  }
  return lines.join('\n');
}

describe('quick fixes over JSON-RPC', () => {
  const lsp = new LspHarness();
  before(async () => {
    await lsp.initialize();
    lsp.open(URI, TEXT);
  });
  after(() => lsp.dispose());

  test('DS138 (a camelCase property name) offers the rename to its snake_case name, and the renamed file is clean', async () => {
    const published = await lsp.diagnostics(URI, 1, (p) => p.diagnostics.some((d) => d.code === 'DS138'));
    const warning = published.diagnostics.find((d) => d.code === 'DS138') as Diagnostic;
    assert.equal(warning.severity, 2, 'a warning');
    assert.deepEqual(warning.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 21 } });
    const actions = (await lsp.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: warning.range,
      context: { diagnostics: [warning] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [["Rename to 'commit_index'", 'quickfix']]);
    const fixed = applyEdits(TEXT, actions[0]!);
    assert.equal(fixed.split('\n')[2], 'expect n1.commit_index >= 0');
    lsp.change(URI, 2, fixed);
    const after = await lsp.diagnostics(URI, 2);
    assert.deepEqual(after.diagnostics.map((d) => d.code), []);
  });

  test('a diagnostic without a fix gets no code action', async () => {
    const actions = (await lsp.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      context: { diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', code: 'DS133' }] },
    })) as CodeAction[];
    assert.deepEqual(actions, []);
  });
});
