import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { createTokenInstance, EOF, Lexer, type ILexingResult, type IToken } from 'chevrotain';
import fc from 'fast-check';
import { allTokens, KEYWORD_NAMES } from '../../server/src/core/syntax/lexer';
import { tokenize } from '../../server/src/core/syntax/scanner';
import { editorScenario } from '../../bench/support/scenarios';

/**
 * The hand-written scanner against its definition: a Chevrotain lexer built
 * from the token patterns of lexer.ts. Both must give the same tokens, images,
 * positions (start and end), comments and errors, on every sample and fixture
 * and on generated text full of the edge cases (units glued to names, strings
 * cut by line breaks, \r\n, unclosed comments, unknown characters, Unicode).
 */
const reference = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: true });

const tokenFields = (t: IToken): unknown[] => [t.tokenType.name, t.tokenTypeIdx, t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn];
const shape = (r: ILexingResult): unknown => ({
  tokens: r.tokens.map(tokenFields),
  comments: (r.groups['comments'] ?? []).map(tokenFields),
  groups: Object.keys(r.groups),
  errors: r.errors.map((e) => ({ ...e })),
});

function assertSame(text: string): void {
  assert.deepEqual(shape(tokenize(text)), shape(reference.tokenize(text)), `on ${JSON.stringify(text.slice(0, 400))}`);
}

function filesUnder(dir: string, ext: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

const pieces = [
  ...KEYWORD_NAMES, 'n1', 'Zürich', '北京', '_x', 'x1', 'ünï', 'µs', '𝒜b', 'forall', 'form', 'in_x', 'random', 'per', 'to',
  '10', '1.5', '+7', '-3', '1.', '.5', '1..2', '10ns', '5us', '7µs', '3ms', '2s', '1min', '10mins', '5sec', '10msx', '10ms北', '1ms\ufeff', '1s\u00a0',
  '50ppm', '50ppmx', '1%', '-3%', '+', '-', '->', '<->', '<-', '<=', '>=', '=>', '==', '==>', '!=', '!', '<', '>', '=', '/', '%', '|', '?',
  ',', ';', ':', '*', '{', '}', '(', ')', '[', ']', '.', '..', '...',
  '"', '"a"', '"a\\"b"', '"back\\\\"', '"esc\\', '"open', "'", "'a'", "'it\\'s'", "'open", '\\', '#', '$', '@', '~', '^', '&', '`', '€', '😀', '\u2028',
  '//', '// c', '/*', '*/', '/* c */', '/*/', '/* a\nb */', '/* a\r\nb */',
  ' ', '  ', '\t', '\n', '\r\n', '\r', '\n\n', '\u00a0', '\ufeff',
];
const generated = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 40 }).map((xs) => xs.join(''));

describe('scanner (the lexer) against the token patterns', () => {
  test('every sample, fixture and doc example lexes the same', () => {
    const files = [...filesUnder('samples', '.dsync'), ...filesUnder('test/fixtures', '.dsync')];
    assert.ok(files.length > 20, `only ${files.length} files found`);
    for (const f of files) assertSame(fs.readFileSync(f, 'utf8'));
  });

  test('generated text full of edge cases lexes the same', () => {
    fc.assert(fc.property(generated, (text) => assertSame(text)), { seed: 16, numRuns: 3000 });
  });

  test('line ends inside and at the end of comments and whitespace keep positions the same', () => {
    for (const text of ['/* a\n', '/* a\r\n', '/* a\n\n', '/* a\r', 'x /* a\nb */ y', 'x\r\ny\rz\n', '/* \r\n\r\n */x', '// a\r\nb', '$$\n$ x', "'a\nb'", 'x', '']) assertSame(text);
  });
});

describe('scanner tokens in memory', () => {
  test('a token holds its positions as small integers, even once a NaN-positioned Chevrotain token exists', () => {
    // The parser makes EOF and recovery tokens with NaN positions (createTokenInstance). Had the
    // scanner's tokens the hidden class of Chevrotain's, V8 would box every position of every token as a heap
    // number: with its image and its slot in the array, about 225 bytes a token instead of about 130 (the 20,000-line bench file: 22 MB more).
    createTokenInstance(EOF, '', NaN, NaN, NaN, NaN, NaN, NaN);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const text = editorScenario(5_000);
    tokenize(text);
    gc();
    const before = v8.getHeapStatistics().used_heap_size;
    const held = tokenize(text).tokens;
    gc();
    const perToken = (v8.getHeapStatistics().used_heap_size - before) / held.length;
    assert.ok(held.length > 25_000, `only ${held.length} tokens`);
    assert.ok(perToken < 170, `${perToken.toFixed(0)} bytes a token`);
  });
});
