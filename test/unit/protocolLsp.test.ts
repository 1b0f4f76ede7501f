import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError, type DocumentSymbol } from 'vscode-languageserver';
import { parse } from '../../server/src/core/syntax/parse';
import { SEMANTIC_LEGEND, semanticTokens } from '../../server/src/lsp/features/semanticTokens';
import { documentSymbols, foldingRanges } from '../../server/src/lsp/features/symbols';
import { DEFAULT_SETTINGS } from '../../server/src/shared/requests';
import { DocumentAnalysis } from '../../server/src/lsp/analysis';
import { complete } from '../../server/src/lsp/features/completion';
import { answerQuery } from '../../server/src/lsp/queries';
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

describe('language server features on a file with a written protocol (before the checker knows protocols)', () => {
  test('every query at every token answers without throwing, and the protocol does not break the rest of the file', async () => {
    const text = `scenario s { seed 1  run for 1s }\n${LEADER_ELECTION}`;
    const analysis = new DocumentAnalysis('file:///protocol.dsync', 1, text, DEFAULT_SETTINGS, () => false);
    assert.equal(analysis.parsed.ast.statements[1]?.kind, 'protocol');
    const lines = text.split('\n');
    const positions = lines.flatMap((line, i) => [...line.matchAll(/\S+/g)].map((m) => ({ line: i, character: m.index })));
    for (const position of positions) {
      for (const kind of ['hover', 'completion', 'definition', 'references', 'prepareRename'] as const) {
        const query = kind === 'references' ? { kind, position, includeDeclaration: true } : { kind, position };
        // A refusal meant for the user (renaming inside a numbered range) is an answer, not a crash.
        await answerQuery(analysis, query, () => false).catch((e: unknown) => {
          if (!(e instanceof ResponseError)) throw e;
        });
      }
    }
    for (const kind of ['documentSymbol', 'foldingRange', 'semanticTokens', 'formatting', 'codeLens'] as const) await answerQuery(analysis, { kind }, () => false);
    assert.equal(analysis.internalFailure, undefined);
  });
});

/** A snippet with every placeholder at its default (`${1:x}` and later `$1` both `x`, `$0` nothing). */
function expand(snippet: string): string {
  const defaults = new Map<string, string>();
  return snippet
    .replace(/\$\{(\d+):([^}]*)\}/g, (_, n: string, d: string) => {
      defaults.set(n, d);
      return d;
    })
    .replace(/\$(\d+)/g, (_, n: string) => defaults.get(n) ?? '');
}

describe('protocol snippets', () => {
  test('the completion snippet and the editor snippet both expand to a protocol that parses cleanly', () => {
    const root = process.env['DSYNC_ROOT'] ?? process.cwd();
    const snippets = JSON.parse(fs.readFileSync(path.join(root, 'grammar', 'snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const editor = Object.values(snippets).find((s) => s.prefix === 'protocol');
    assert.ok(editor, 'no protocol snippet in grammar/snippets.json');
    const completion = complete('', 0, []).find((c) => c.label === 'protocol');
    assert.ok(completion?.insertText, 'no protocol statement in completion');
    for (const body of [editor.body.join('\n'), completion.insertText]) {
      const text = expand(body);
      const parsed = parse(text);
      assert.deepEqual(parsed.diagnostics.map((d) => d.message), [], text);
      assert.equal(parsed.ast.statements[0]?.kind, 'protocol');
    }
  });
});
