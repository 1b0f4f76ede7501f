import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DocumentSymbol } from 'vscode-languageserver';
import { parse } from '../../server/src/core/syntax/parse';
import { SEMANTIC_LEGEND, semanticTokens } from '../../server/src/lsp/features/semanticTokens';
import { documentSymbols, foldingRanges } from '../../server/src/lsp/features/symbols';
import { LEADER_ELECTION } from './support/protocols';

/** The semantic tokens of `text` as `text:type`, decoded from LSP's relative encoding. */
function tokenTypes(text: string): string[] {
  const data = semanticTokens(parse(text)).data;
  const lines = text.split('\n');
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
    out.push(`${lines[line]!.slice(char, char + data[i + 2]!)}:${SEMANTIC_LEGEND.tokenTypes[data[i + 3]!]}`);
  }
  return out;
}

const names = (symbols: readonly DocumentSymbol[]): unknown => symbols.map((s) => (s.children ? [s.name, s.detail, names(s.children)] : [s.name, s.detail]));

describe('editor features for written protocols', () => {
  test('outline: protocol, then its members with their types and triggers', () => {
    const symbols = documentSymbols(parse(LEADER_ELECTION), LEADER_ELECTION);
    assert.deepEqual(names(symbols.slice(0, 1)), [
      ['leader_election', 'protocol', [
        ['timeout', 'option: duration range'],
        ['RequestVote', 'message', [['term', 'int']]],
        ['Vote', 'message', [['term', 'int']]],
        ['term', 'stable: int'],
        ['voted_for', 'stable: node?'],
        ['role', 'var: "follower" | "candidate" | "leader"'],
        ['votes', 'var: set<node>'],
        ['on start', 'handler'],
        ['on timer election', 'handler'],
        ['on RequestVote(m) from p', 'handler · when …'],
        ['on Vote(m) from p', 'handler · when …'],
      ]],
    ]);
    assert.equal(symbols[0]!.selectionRange.start.line, 0);
    assert.equal(symbols[0]!.children![8]!.range.start.line, 11);
  });

  test('folding: the protocol body and every multi-line block', () => {
    const folds = foldingRanges(parse(LEADER_ELECTION)).map((f) => [f.startLine, f.endLine]);
    assert.deepEqual(folds, [[11, 14], [16, 18], [20, 22], [0, 23]]);
  });

  test('semantic tokens: member and statement words are keywords there, names keep their kinds', () => {
    const types = tokenTypes('protocol p serves kv {\n  var note: int = 0\n  message Ping { timer: int }\n  on timer t { note = note + 1; timer t after 5ms }\n  on Ping(m) { note "n {m.timer}" }\n}\nnodes var, timer');
    for (const expected of ['protocol:keyword', 'p:type', 'serves:keyword', 'var:keyword', 'note:variable', 'message:keyword', 'Ping:type', 'timer:property', 'on:keyword', 'timer:keyword', 'note:keyword', 'm:parameter']) {
      assert.ok(types.includes(expected), `${expected} in ${types.join(' ')}`);
    }
    // A context word used as a name is not a keyword; outside protocols they are plain names.
    assert.equal(types.filter((t) => t === 'note:keyword').length, 1);
    assert.deepEqual(types.slice(-2), ['var:variable', 'timer:variable']);
  });
});
