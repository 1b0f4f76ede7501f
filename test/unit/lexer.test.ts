import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Lexer } from 'chevrotain';
import { allTokens, KEYWORD_NAMES } from '../../server/src/core/syntax/lexer';
import { dsyncLexer } from '../../server/src/core/syntax/scanner';
import { parseDuration, parsePercent, parsePpm } from '../../server/src/core/units';

/** `Type:image` for every token, comments and whitespace left out. */
function lex(text: string): string[] {
  const r = dsyncLexer.tokenize(text);
  assert.deepEqual(r.errors, [], `lex errors in ${JSON.stringify(text)}`);
  return r.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe('lexer', () => {
  test('durations in every unit, signed and fractional', () => {
    assert.deepEqual(lex('10ns 5us 7µs 3ms 2s 1min 1.5s +3ms -40us'), [
      'Duration:10ns', 'Duration:5us', 'Duration:7µs', 'Duration:3ms', 'Duration:2s', 'Duration:1min', 'Duration:1.5s', 'Duration:+3ms', 'Duration:-40us',
    ]);
    // The values, by hand: 1 ns is the unit; us and µs are the same unit.
    assert.deepEqual(
      ['10ns', '5us', '7µs', '3ms', '2s', '1min', '1.5s', '+3ms', '-40us', '0.25ms'].map(parseDuration),
      [10, 5_000, 7_000, 3_000_000, 2_000_000_000, 60_000_000_000, 1_500_000_000, 3_000_000, -40_000, 250_000],
    );
  });

  test('parseDuration refuses what is not a number then a unit (its regex-free path included)', () => {
    for (const text of ['5mins', '1.ms', '.5s', 'ms', '5', '+s', '1..2ms', '1.5.2s', '--3ms', '5 ms', '5m', '3ms ']) {
      assert.throws(() => parseDuration(text), /not a duration/, text);
    }
  });

  test('a unit glued to more letters is a number then a name, not a duration', () => {
    assert.deepEqual(lex('10msx 10ms北 5minutes 50ppmx'), [
      'NumberLiteral:10', 'Identifier:msx', 'NumberLiteral:10', 'Identifier:ms北', 'NumberLiteral:5', 'Identifier:minutes', 'NumberLiteral:50', 'Identifier:ppmx',
    ]);
  });

  test('numbers, percentages and ppm, with signs', () => {
    assert.deepEqual(lex('10 1.5 +7 -3 1% 0.5% -3% 150% +50ppm -120ppm 0ppm'), [
      'NumberLiteral:10', 'NumberLiteral:1.5', 'NumberLiteral:+7', 'NumberLiteral:-3',
      'Percent:1%', 'Percent:0.5%', 'Percent:-3%', 'Percent:150%', 'Ppm:+50ppm', 'Ppm:-120ppm', 'Ppm:0ppm',
    ]);
    assert.deepEqual(['1%', '0.5%', '-3%', '150%'].map(parsePercent), [0.01, 0.005, -0.03, 1.5]);
    assert.deepEqual(['+50ppm', '-120ppm', '0ppm'].map(parsePpm), [50, -120, 0]);
  });

  test('ranges: node ranges, duration ranges, a property dot', () => {
    assert.deepEqual(lex('n1..n5 5ms..20ms 1..2 A.lamport'), [
      'Identifier:n1', 'DotDot:..', 'Identifier:n5', 'Duration:5ms', 'DotDot:..', 'Duration:20ms',
      'NumberLiteral:1', 'DotDot:..', 'NumberLiteral:2', 'Identifier:A', 'Dot:.', 'Identifier:lamport',
    ]);
  });

  test('calls such as normal(10ms, 2ms)', () => {
    assert.deepEqual(lex('normal(10ms, 2ms)'), ['Identifier:normal', 'LParen:(', 'Duration:10ms', 'Comma:,', 'Duration:2ms', 'RParen:)']);
  });

  test('strings with escapes; an unterminated string stops at the end of its line', () => {
    assert.deepEqual(lex(String.raw`"plain" "a\"b" "back\\slash" "tab\t"`), [
      'StringLiteral:"plain"', String.raw`StringLiteral:"a\"b"`, String.raw`StringLiteral:"back\\slash"`, String.raw`StringLiteral:"tab\t"`,
    ]);
    assert.deepEqual(lex('"open\nnodes'), ['UnterminatedString:"open', 'Kw_nodes:nodes']);
  });

  test('comments // and /* */ go to their own group, spanning lines', () => {
    const r = dsyncLexer.tokenize('// one\nnodes /* two\nlines */ A // three');
    assert.deepEqual(r.tokens.map((t) => t.image), ['nodes', 'A']);
    assert.deepEqual(r.groups['comments']!.map((t) => t.image), ['// one', '/* two\nlines */', '// three']);
    // The token after a multi-line comment is on the right line and column.
    assert.deepEqual([r.tokens[1]!.startLine, r.tokens[1]!.startColumn], [3, 10]);
    assert.deepEqual(lex('/* never closed\nnodes A'), ['UnterminatedComment:/* never closed\nnodes A']);
  });

  test('Unicode names', () => {
    assert.deepEqual(lex('Zürich 北京 _x x1 ünïcödé Ωmega'), ['Identifier:Zürich', 'Identifier:北京', 'Identifier:_x', 'Identifier:x1', 'Identifier:ünïcödé', 'Identifier:Ωmega']);
  });

  test('keywords, and names that merely start with one', () => {
    assert.deepEqual(lex('nodes nodesX at atx run running'), ['Kw_nodes:nodes', 'Identifier:nodesX', 'Kw_at:at', 'Identifier:atx', 'Kw_run:run', 'Identifier:running']);
    for (const k of KEYWORD_NAMES) assert.deepEqual(lex(k), [`Kw_${k}:${k}`]);
  });

  test('punctuation, longest match first', () => {
    assert.deepEqual(lex('<-> -> <= >= == != < > = | , ; : * { } ( ) [ ]').map((t) => t.split(':')[0]), [
      'BiArrow', 'Arrow', 'LessEqual', 'GreaterEqual', 'EqualEqual', 'NotEqual', 'Less', 'Greater', 'Equals', 'Pipe',
      'Comma', 'Semicolon', 'Colon', 'Star', 'LCurly', 'RCurly', 'LParen', 'RParen', 'LBracket', 'RBracket',
    ]);
    assert.deepEqual(lex('A->B A<->B'), ['Identifier:A', 'Arrow:->', 'Identifier:B', 'Identifier:A', 'BiArrow:<->', 'Identifier:B']);
  });

  test('an unknown character is a lex error at its position, and lexing goes on', () => {
    const r = dsyncLexer.tokenize('nodes A\nat $ 10ms');
    assert.deepEqual(r.errors.map((e) => [e.line, e.column, e.length]), [[2, 4, 1]]);
    assert.deepEqual(r.tokens.map((t) => t.image), ['nodes', 'A', 'at', '10ms']);
  });

  test('every token can be dispatched by its first character (Chevrotain otherwise tries every token at every offset)', () => {
    // A custom token without start_chars_hint, or a regex with the `u` flag, silently turns the optimisation off.
    assert.doesNotThrow(() => new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: true }));
  });

  test('token positions are 1-based lines and columns', () => {
    const r = dsyncLexer.tokenize('nodes A,\n  B');
    assert.deepEqual(r.tokens.map((t) => [t.image, t.startLine, t.startColumn, t.startOffset]), [['nodes', 1, 1, 0], ['A', 1, 7, 6], [',', 1, 8, 7], ['B', 2, 3, 11]]);
  });
});
