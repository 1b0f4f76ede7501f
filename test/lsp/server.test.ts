import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, Hover, Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspHarness } from './lspClient';

const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const demo = fs.readFileSync(path.join(root, 'samples', 'causal_demo.dsync'), 'utf8');
const URI = 'file:///work/causal_demo.dsync';

/** The 0-based position of the first occurrence of `needle` (plus `delta` characters). */
function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `'${needle}' not in text`);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

function markdown(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  const c = h.contents as { value: string };
  return c.value;
}

describe('language server over JSON-RPC', () => {
  const lsp = new LspHarness();
  before(async () => {
    await lsp.initialize();
    lsp.open(URI, demo);
  });
  after(() => lsp.dispose());

  test('publishes the invariant violation on the invariant line, with the clock jump as related information', async () => {
    const p = await lsp.diagnostics(URI, 1, (d) => d.diagnostics.some((x) => x.code === 'DS201'));
    const violation = p.diagnostics.find((d) => d.code === 'DS201')!;
    assert.equal(violation.range.start.line, positionOf(demo, 'invariant max_skew').line);
    assert.match(violation.message, /max_skew .* >= 10ms at t=1\.7s/);
    const related = violation.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.range.start.line === positionOf(demo, 'clock C jump').line), JSON.stringify(related));
    // causal_delivery and the expectation hold, so nothing else is reported.
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['DS201']);
  });

  test('hover on a message shows Lamport time and vector clock at send and at receive', async () => {
    const h = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(demo, 'A -> B "hello"', 9) }));
    // Hand-computed: A's first event is the send (A:1); B has sent "hi" (B:1) before receiving (B:2).
    assert.match(h, /send #0 \| A \|.*\| 1 \| `\[A:1 B:0 C:0\]`/);
    assert.match(h, /receive \| B \|.*\| 2 \| `\[A:1 B:2 C:0\]`/);
  });

  test('hover on a node shows its clock parameters and its state at the end', async () => {
    const h = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(demo, 'clock C {', 6) }));
    assert.match(h, /\*\*node C\*\*/);
    assert.match(h, /drift -120ppm/);
    assert.match(h, /vector clock \| `\[A:1 B:3 C:2\]`/);
  });

  test('a protocol written in the file: hover on a node shows its state at the end, hover on the binding the protocol', async () => {
    const uri = 'file:///work/leader_election.dsync';
    const text = fs.readFileSync(path.join(root, 'samples', 'protocols', 'leader_election.dsync'), 'utf8');
    lsp.open(uri, text);
    await lsp.diagnostics(uri, 1, () => true);
    const node = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'expect n1.term', 'expect '.length) }));
    assert.match(node, /\*\*node n1\*\*/);
    assert.match(node, /runs: leader_election/);
    for (const row of [/\| term \| \d+ \|/, /\| voted_for \| n\d \|/, /\| role \| (follower|candidate|leader) \|/, /\| votes \| \\\["n/]) assert.match(node, row);
    const binding = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'run leader_election', 'run '.length) }));
    assert.match(binding, /\*\*leader_election\*\*: protocol leader_election, written in this file/);
    assert.match(binding, /`timeout`: duration range option, default 150ms\.\.300ms/);
  });

  test('hover on an invariant says when it was violated', async () => {
    const h = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(demo, 'max_skew', 2) }));
    assert.match(h, /violated\*\* at t=1\.7s/);
    const held = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(demo, 'causal_delivery', 2) }));
    assert.match(held, /✓ held/);
  });

  test('completion offers invariants after `invariant` and node names after an arrow', async () => {
    const text = `${demo}\ninvariant `;
    lsp.change(URI, 2, text);
    const items = (await lsp.client.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: positionOf(text, 'invariant ', 10 + text.lastIndexOf('invariant ') - text.indexOf('invariant ')) })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label).filter((l) => l === 'causal_delivery' || l === 'max_skew').sort(), ['causal_delivery', 'max_skew']);
    const arrow = `${demo}\nat 1s A -> `;
    lsp.change(URI, 3, arrow);
    const nodes = (await lsp.client.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: arrow.split('\n').length - 1, character: 'at 1s A -> '.length } })) as CompletionItem[];
    assert.deepEqual(nodes.map((i) => i.label).sort(), ['A', 'B', 'C']);
    lsp.change(URI, 4, demo);
  });

  test('go to definition jumps from a use of a node to its declaration', async () => {
    const locations = (await lsp.client.sendRequest('textDocument/definition', { textDocument: { uri: URI }, position: positionOf(demo, 'crash B', 6) })) as Location[];
    assert.equal(locations.length, 1);
    assert.deepEqual(locations[0]!.range.start, positionOf(demo, 'nodes A, B, C', 9));
  });

  test('rename changes every use of the node and nothing else', async () => {
    const edit = (await lsp.client.sendRequest('textDocument/rename', { textDocument: { uri: URI }, position: positionOf(demo, 'nodes A, B', 9), newName: 'Bob' })) as WorkspaceEdit;
    const edits = edit.changes![URI]!;
    // B appears: nodes, at 12ms B ->, A -> B, on B receive, send B -> C, partition {A, B}, crash B, restart B, expect B.lamport.
    assert.equal(edits.length, 9);
    assert.ok(edits.every((e) => e.newText === 'Bob'));
    await assert.rejects(lsp.client.sendRequest('textDocument/rename', { textDocument: { uri: URI }, position: positionOf(demo, 'nodes A, B', 9), newName: 'at' }), /not a valid node name/);
  });

  test('formatting normalises spacing and indentation and keeps comments', async () => {
    const uri = 'file:///work/messy.dsync';
    const messy = 'scenario  m{seed 1   run for 1s}\nnodes A ,B\n// keep me\nat 1ms A->B "x"\nfaults{\nat 5ms crash B\n      }\n';
    lsp.open(uri, messy);
    const edits = (await lsp.client.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    assert.equal(edits.length, 1);
    assert.equal(edits[0]!.newText, 'scenario m { seed 1; run for 1s }\nnodes A, B\n// keep me\nat 1ms A -> B "x"\nfaults {\n  at 5ms crash B\n}\n');
  });

  test('syntax errors are reported as you type and stale versions are never published after newer ones', async () => {
    const uri = 'file:///work/typing.dsync';
    lsp.open(uri, demo, 1);
    const broken = demo.replace(/C local "commit"/, 'C lokal "commit"');
    assert.notEqual(broken, demo);
    for (let v = 2; v <= 6; v++) lsp.change(uri, v, v % 2 === 0 ? broken : demo);
    lsp.change(uri, 7, broken);
    const p = await lsp.diagnostics(uri, 7);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['DS102']);
    assert.equal(p.diagnostics[0]!.range.start.line, positionOf(demo, 'at 30ms').line);
    const versions = lsp.allPublished().filter((x) => x.uri === uri).map((x) => x.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published out of order: ${versions}`);
  });

  test('a diagnostic with a fix offers it as a quick fix, and the edit makes the file check', async () => {
    const uri = 'file:///work/fixes.dsync';
    const text = 'scenario f { seed 1  run for 2 s }\nnodes A, Bob\nat 1ms A -> Bobb "x"\n';
    lsp.open(uri, text);
    const p = await lsp.diagnostics(uri, 1, (d) => d.diagnostics.length >= 2);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['DS105', 'DS110']);
    const actions = (await lsp.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: p.diagnostics[0]!.range, context: { diagnostics: p.diagnostics } })) as { title: string; kind: string; edit: WorkspaceEdit }[];
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Write 2s', 'quickfix'], ["Change to 'Bob'", 'quickfix']]);
    // Apply both edits (they do not overlap; the later one first) and the file checks clean.
    const edits = actions.flatMap((a) => a.edit.changes![uri]!).sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    const lines = text.split('\n');
    for (const e of edits) {
      const line = lines[e.range.start.line]!;
      lines[e.range.start.line] = line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
    }
    assert.equal(lines.join('\n'), 'scenario f { seed 1  run for 2s }\nnodes A, Bob\nat 1ms A -> Bob "x"\n');
  });

  test('written properties: completion inside expressions, hover with the verdict and the witness', async () => {
    const uri = 'file:///work/props.dsync';
    const text = [
      'scenario props { seed 1  run for 1s }',
      'nodes n1, n2 run raft',
      'nodes c1',
      'invariant pings: never n1.lamport >= 0 and exists m in {n1, n2}: m.alive',
      'invariant one_leader: always forall a, b in raft: a.role == "leader" and b.role == "leader" and a.term == b.term implies a.',
    ].join('\n');
    lsp.open(uri, text);
    const at = (needle: string, delta: number) => positionOf(text, needle, delta);
    const props = (await lsp.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: at('implies a.', 'implies a.'.length) })) as CompletionItem[];
    const labels = props.map((i) => i.label);
    for (const p of ['role', 'term', 'log', 'lamport', 'clock']) assert.ok(labels.includes(p), `missing ${p} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('ballot'), 'a raft variable offers no paxos property');
    const names = (await lsp.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: at('forall a, b in raft: ', 'forall a, b in raft: '.length) })) as CompletionItem[];
    const words = names.map((i) => i.label);
    for (const w of ['a', 'b', 'n1', 'c1', 'raft', 'nodes', 'count', 'prefix_agrees', 'exists']) assert.ok(words.includes(w), `missing ${w} in ${words.join(', ')}`);
    // The finished file: the `never` property is violated at once, with its witness; hover says so.
    const done = text.replace('implies a.', 'implies a == b');
    lsp.change(uri, 2, done);
    const p = await lsp.diagnostics(uri, 2, (d) => d.diagnostics.some((x) => x.code === 'DS201'));
    const v = p.diagnostics.find((d) => d.code === 'DS201')!;
    assert.equal(v.range.start.line, 3);
    assert.match(v.message, /pings violated at t=0ns: m = n1 \(lamport 0, alive true\)/);
    const h = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(done, 'pings', 1) }));
    assert.match(h, /\*\*invariant pings\*\*: never/);
    assert.match(h, /binds `m in …`/);
    assert.match(h, /held from t=0 until t=0ns/);
    assert.match(h, /m = n1/);
    const held = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(done, 'one_leader', 1) }));
    assert.match(held, /binds `a in raft`, `b in raft`/);
    assert.match(held, /✓ held for the whole run/);
    // On a property inside the formula: its type and what it is.
    const role = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(done, 'a.role', 3) }));
    assert.match(role, /\*\*role\*\*: `string` \(raft\)/);
    const fn = markdown(await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(done, 'exists m', 2) }));
    assert.match(fn, /\*\*invariant pings\*\*/);
  });
});
