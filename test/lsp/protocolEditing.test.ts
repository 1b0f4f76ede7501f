import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, CompletionList, Hover, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspHarness } from './lspClient';

const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const sample = fs.readFileSync(path.join(root, 'samples', 'protocols', 'leader_election.dsync'), 'utf8');
const URI = 'file:///work/leader_election.dsync';

/** The 0-based position of the first occurrence of `needle` (plus `delta` characters). */
function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `'${needle}' not in text`);
  const before = text.slice(0, offset + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

describe('protocol code over JSON-RPC (samples/protocols/leader_election.dsync)', () => {
  const lsp = new LspHarness();
  before(async () => {
    await lsp.initialize();
    lsp.open(URI, sample);
  });
  after(() => lsp.dispose());

  test('completion after `broadcast ` offers the message types of the protocol', async () => {
    const at = sample.indexOf('broadcast ') + 'broadcast '.length;
    const edited = `${sample.slice(0, at)}${sample.slice(at).replace(/^\w+/, '')}`;
    const uri = 'file:///work/completion.dsync';
    lsp.open(uri, edited);
    const result = (await lsp.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(edited, 'broadcast ', 'broadcast '.length) })) as CompletionItem[] | CompletionList;
    const labels = (Array.isArray(result) ? result : result.items).map((c) => c.label);
    const declared = [...sample.matchAll(/^\s*message (\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(labels, declared);
  });

  test('definition, references and rename of a state variable', async () => {
    const use = positionOf(sample, 'votes = ', 0);
    const defs = (await lsp.client.sendRequest('textDocument/definition', { textDocument: { uri: URI }, position: use })) as Location[];
    assert.equal(defs.length, 1);
    assert.equal(defs[0]!.range.start.line, positionOf(sample, 'var votes').line);
    const refs = (await lsp.client.sendRequest('textDocument/references', { textDocument: { uri: URI }, position: use, context: { includeDeclaration: true } })) as Location[];
    assert.equal(refs.length, (sample.match(/\bvotes\b/g) ?? []).length - (sample.match(/\/\/[^\n]*\bvotes\b/g) ?? []).length);
    const edit = (await lsp.client.sendRequest('textDocument/rename', { textDocument: { uri: URI }, position: use, newName: 'ballots' })) as WorkspaceEdit;
    assert.equal(edit.changes![URI]!.length, refs.length);
  });

  test('hover on a state variable shows its type and per-node end values', async () => {
    const h = (await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(sample, 'var role', 4) })) as Hover | null;
    const text = (h?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(text, /^\*\*var role\*\*/);
    assert.match(text, /\| n1 \| /);
  });
});
