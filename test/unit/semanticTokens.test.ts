import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { semanticTokens } from '../../server/src/lsp/features/semanticTokens';
import { parse } from '../../server/src/core/syntax/parse';

/** The semantic tokens of `text` as [line, character, text covered], decoded from LSP's relative encoding. */
function tokensOf(text: string): [number, number, string][] {
  const data = semanticTokens(parse(text)).data;
  const lines = text.split(/\r\n|\r|\n/);
  const out: [number, number, string][] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
    const length = data[i + 2]!;
    const lineText = lines[line];
    assert.ok(lineText !== undefined, `token on line ${line}, past the last line`);
    assert.ok(char + length <= lineText.length, `token ${line}:${char}+${length} runs past the end of line ${JSON.stringify(lineText)}`);
    out.push([line, char, lineText.slice(char, char + length)]);
  }
  return out;
}

describe('semantic tokens stay on their line (issue 13 item 13)', () => {
  test('a string missing its closing quote ends at the end of its line', () => {
    const tokens = tokensOf('scenario s { seed 1  run for 1s }\nnodes A, B\nat 1ms A -> B "open\nat 2ms A -> B "x"\n');
    assert.deepEqual(tokens.find(([l, , t]) => l === 2 && t.startsWith('"')), [2, 14, '"open']);
  });

  test('a string missing its quote on the last line, with no newline after it', () => {
    const tokens = tokensOf('scenario s { seed 1  run for 1s }\nnodes A, B\nat 1ms A -> B "open');
    assert.deepEqual(tokens[tokens.length - 1], [2, 14, '"open']);
  });

  for (const [name, eol] of [['\\r', '\r'], ['\\r\\n', '\r\n'], ['\\n', '\n']] as const) {
    test(`a block comment over lines ending in ${name}: one token per line, none holding a line end`, () => {
      const text = ['scenario s { seed 1  run for 1s }', '/* one', 'two', '', 'three */ nodes A, B', 'at 1ms A -> B "x"', ''].join(eol);
      const comments = tokensOf(text).filter(([, , t]) => /one|two|three/.test(t));
      assert.deepEqual(comments, [[1, 0, '/* one'], [2, 0, 'two'], [4, 0, 'three */']]);
      // The tokens after the comment are on the right lines too.
      assert.ok(tokensOf(text).some(([l, c, t]) => l === 4 && c === 15 && t === 'A'));
    });
  }
});
