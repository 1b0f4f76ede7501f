import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError, type Location, type WorkspaceEdit } from 'vscode-languageserver';
import type * as A from '../../server/src/core/syntax/ast';
import { DocumentAnalysis } from '../../server/src/lsp/analysis';
import { answerQuery } from '../../server/src/lsp/queries';
import { DEFAULT_SETTINGS } from '../../server/src/shared/requests';
import { LEADER_ELECTION } from './support/protocols';

const URI = 'file:///nav.dsync';
const analysisOf = (text: string): DocumentAnalysis => new DocumentAnalysis(URI, 1, text, DEFAULT_SETTINGS, () => false);

/** The position of the `nth` (0-based) whole-word occurrence of `word` in `text`. */
function position(text: string, word: string, nth = 0): { line: number; character: number } {
  const matches = [...text.matchAll(new RegExp(`(?<![\\w])${word}(?![\\w])`, 'g'))];
  const m = matches[nth];
  assert.ok(m, `${word} #${nth}`);
  const before = text.slice(0, m.index);
  return { line: before.split('\n').length - 1, character: m.index - before.lastIndexOf('\n') - 1 };
}

/** What each location spells, with its line, e.g. `term@5`. */
function spelled(text: string, locations: readonly Location[]): string[] {
  const lines = text.split('\n');
  return locations.map((l) => `${lines[l.range.start.line]!.slice(l.range.start.character, l.range.end.character)}@${l.range.start.line}`);
}

async function refs(text: string, word: string, nth: number, includeDeclaration = true): Promise<string[]> {
  const locations = await answerQuery(analysisOf(text), { kind: 'references', position: position(text, word, nth), includeDeclaration }, () => false);
  return spelled(text, locations);
}

async function definition(text: string, word: string, nth: number): Promise<string[]> {
  return spelled(text, await answerQuery(analysisOf(text), { kind: 'definition', position: position(text, word, nth) }, () => false));
}

async function rename(text: string, word: string, nth: number, newName: string): Promise<string> {
  const edit: WorkspaceEdit | null = await answerQuery(analysisOf(text), { kind: 'rename', position: position(text, word, nth), newName }, () => false);
  assert.ok(edit?.changes);
  const offsets = edit.changes[URI]!.map((e) => {
    const lines = text.split('\n');
    const start = lines.slice(0, e.range.start.line).reduce((n, l) => n + l.length + 1, 0) + e.range.start.character;
    const end = lines.slice(0, e.range.end.line).reduce((n, l) => n + l.length + 1, 0) + e.range.end.character;
    return { start, end, newText: e.newText };
  }).sort((a, b) => b.start - a.start);
  return offsets.reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

const T = LEADER_ELECTION;

describe('navigation in written protocols', () => {
  test('a state variable: its declaration, its reads and writes in handlers and guards, and property reads in the invariant', async () => {
    // `stable term` is the 3rd `term` (after the two message fields).
    assert.deepEqual(await definition(T, 'term', 3), ['term@5']);
    const all = await refs(T, 'term', 2);
    assert.ok(all.includes('term@5'));
    assert.ok(all.includes('term@12'), 'term = term + 1');
    assert.ok(all.includes('term@16'), 'the guard m.term > term');
    assert.ok(all.includes('term@26'), 'a.term in the invariant');
    assert.ok(all.includes('term@22'), 'the {term} in a note');
    // `broadcast RequestVote { term: term }`: the value is the state variable, the field name is not.
    assert.ok(!all.includes('term@2'));
    assert.equal(all.filter((r) => r === 'term@13').length, 1);
    // Field names of messages that spell `term` are other symbols.
    assert.ok(!(await refs(T, 'term', 1)).includes('term@5'));
  });

  test('a message field: its declaration, `M { term: … }` and `m.term` in handlers of that message only', async () => {
    // `message RequestVote { term: int }` is the 1st `term` (index 0).
    const fieldRefs = await refs(T, 'term', 0);
    assert.deepEqual(fieldRefs.map((r) => r.split('@')[1]), ['2', '13', '16', '16', '17', '18']);
    assert.deepEqual(await definition(T, 'term', 0), ['term@2']);
  });

  test('messages, timers, payload and sender names, and the protocol name across bindings and quantifiers', async () => {
    assert.deepEqual(await refs(T, 'Vote', 0), ['Vote@3', 'Vote@18', 'Vote@20']);
    assert.deepEqual(await refs(T, 'election', 0), ['election@11', 'election@10', 'election@14']);
    assert.deepEqual(await definition(T, 'election', 0), ['election@11']);
    assert.deepEqual((await refs(T, 'p', 0)).map((r) => r.split('@')[1]), ['16', '16', '17']);
    assert.deepEqual(await refs(T, 'leader_election', 0), ['leader_election@0', 'leader_election@25', 'leader_election@26']);
  });

  test('locals are scoped: a let in one handler is not the same-named let in another, a for variable only in its loop', async () => {
    const text = 'protocol p {\n  var total: int = 0\n  var peers: set<node> = {}\n  on start {\n    let x = 1\n    for q in peers { total = total + x }\n    total = x\n  }\n  on timer t {\n    let x = 2\n    total = x\n  }\n}\n';
    assert.deepEqual(await refs(text, 'x', 0), ['x@4', 'x@5', 'x@6']);
    assert.deepEqual(await refs(text, 'x', 3), ['x@9', 'x@10']);
    assert.deepEqual(await definition(text, 'q', 0), ['q@5']);
  });

  test('rename changes every occurrence of that symbol and nothing else; a sibling name is refused', async () => {
    const renamed = await rename(T, 'votes', 0, 'ballots');
    assert.equal((renamed.match(/\bballots\b/g) ?? []).length, (T.match(/\bvotes\b/g) ?? []).length);
    const field = await rename(T, 'term', 0, 'round');
    assert.ok(field.includes('message RequestVote { round: int }'));
    assert.ok(field.includes('broadcast RequestVote { round: term }'));
    assert.ok(field.includes('message Vote { term: int }'));
    assert.ok(field.includes('m.round > term'));
    const protocol = await rename(T, 'leader_election', 0, 'elect');
    assert.ok(protocol.includes('run elect {') && protocol.includes('forall a, b in elect:'));
    await assert.rejects(() => rename(T, 'role', 0, 'term'), ResponseError);
  });

  test('node names outside protocol code still navigate as nodes', async () => {
    const text = `${T}nodes A, B\nat 1ms A -> B "x"\n`;
    assert.deepEqual(await refs(text, 'A', 0), ['A@27', 'A@28']);
  });
});

describe('navigation on the written protocol samples', () => {
  const dir = path.join(process.env['DSYNC_ROOT'] ?? process.cwd(), 'samples', 'protocols');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.dsync'))) {
    test(`${file}: every use of a member, message or timer name in the protocol goes to a declaration`, async () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const analysis = analysisOf(text);
      const protocols = analysis.parsed.ast.statements.filter((s): s is A.ProtocolDecl => s.kind === 'protocol');
      assert.ok(protocols.length > 0);
      let checked = 0;
      for (const p of protocols) {
        const declared = new Set(p.members.flatMap((m) => (m.kind === 'handler' ? [] : [m.name.text])));
        const tokens = analysis.parsed.tokens;
        for (const [i, t] of tokens.entries()) {
          if (t.startOffset <= p.bodyRange.startOffset || t.startOffset >= p.bodyRange.endOffset || !declared.has(t.image)) continue;
          // Not uses: a trigger word (`on start` beside an option named start), a field or record key before `:`, a record field after `.`.
          if (['Kw_on', 'Dot'].includes(tokens[i - 1]?.tokenType.name ?? '') || tokens[i + 1]?.tokenType.name === 'Colon') continue;
          const before = text.slice(0, t.startOffset);
          const position = { line: before.split('\n').length - 1, character: t.startOffset - before.lastIndexOf('\n') - 1 };
          const found = await answerQuery(analysis, { kind: 'definition', position }, () => false);
          assert.ok(found.length > 0, `${file}:${position.line + 1}:${position.character + 1} ${t.image}`);
          checked++;
        }
      }
      assert.ok(checked > 10);
    });
  }
});
