import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import type { IToken } from 'chevrotain';
import { parseInPositionOrder, reparse, type ParsedText, type ReparseWay } from '../../server/src/core/syntax/incremental';
import type { ParseResult } from '../../server/src/core/syntax/parse';
import { check } from '../../server/src/core/check/checker';
import { DocumentAnalysis } from '../../server/src/lsp/analysis';
import { DEFAULT_SETTINGS } from '../../server/src/shared/requests';
import { anyInput, edits } from '../fuzz/arbitraries';
import { repoPath } from './support/scenario';
import { sampleFiles } from './support/traceHashes';

/**
 * The incremental re-parse (core/syntax/incremental.ts) must equal a full
 * parse of the edited text: AST with every range, diagnostics (in position
 * order), tokens and comments. Random edits of random files (the fuzz
 * generators), and edits of a large file that must stay incremental.
 */

const samples = sampleFiles(repoPath()).map((f) => fs.readFileSync(repoPath('samples', f), 'utf8'));

function tokenView(t: IToken): unknown {
  return [t.tokenType.name, t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn];
}

function assertSameParse(actual: ParseResult, expected: ParseResult, text: string): void {
  const context = `for ${JSON.stringify(text.length > 2000 ? `${text.slice(0, 2000)}…` : text)}`;
  assert.deepEqual(actual.ast, expected.ast, `AST ${context}`);
  assert.deepEqual(actual.diagnostics, expected.diagnostics, `diagnostics ${context}`);
  assert.deepEqual(actual.tokens.map(tokenView), expected.tokens.map(tokenView), `tokens ${context}`);
  assert.deepEqual(actual.comments.map(tokenView), expected.comments.map(tokenView), `comments ${context}`);
}

/** Applies editor edits one by one, re-parsing incrementally from the previous version each time and checking against a full parse. */
function editAndCompare(base: string, changes: readonly { at: number; length: number; insert: string }[], ways: ReparseWay[]): void {
  let previous: ParsedText = { text: base, parsed: parseInPositionOrder(base) };
  for (const c of changes) {
    const text = previous.text;
    const from = Math.min(text.length, Math.floor(c.at * (text.length + 1)));
    const next = text.slice(0, from) + c.insert + text.slice(from + c.length);
    const incremental = reparse(previous, next, (w) => ways.push(w));
    assertSameParse(incremental, parseInPositionOrder(next), next);
    previous = { text: next, parsed: incremental };
  }
}

/** A scenario of about `statements` top-level statements of every common kind. */
function largeScenario(statements: number): string {
  const lines = ['scenario large {', '  seed 3', '  run for 2s', '}', 'nodes A, B, C', 'network { latency 1ms..5ms }'];
  for (let i = 0; lines.length < statements; i++) {
    lines.push(`at ${i % 1900}ms A -> B "m${i}"`);
    if (i % 5 === 0) lines.push(`on B receive "m${i}" { send C "r${i}" }`);
    if (i % 7 === 0) lines.push('// a comment', `clock C { drift +${i % 90}ppm }`);
    if (i % 11 === 0) lines.push('faults {', `  at ${i % 1900}ms crash C`, `  at ${(i % 1900) + 50}ms restart C`, '}');
  }
  lines.push('invariant causal_delivery', '');
  return lines.join('\n');
}

describe('incremental re-parse', () => {
  test('random edits of random files: incremental equals full parse (AST, ranges, diagnostics, tokens, comments)', () => {
    const ways: ReparseWay[] = [];
    fc.assert(
      fc.property(anyInput(samples), edits, (base, changes) => editAndCompare(base, changes, ways)),
      { seed: 20261207, numRuns: 250 },
    );
    // Not vacuous: most re-parses reuse the rest of the file.
    const regions = ways.filter((w) => w.kind === 'region').length;
    assert.ok(regions > ways.length / 3, `${regions} of ${ways.length} re-parses were incremental`);
  });

  test('edits of a large file re-parse only a small region and equal the full parse', () => {
    const base = largeScenario(3000);
    const at = (needle: string): number => base.indexOf(needle) / (base.length + 1);
    const ways: ReparseWay[] = [];
    editAndCompare(base, [
      { at: at('"m700"'), length: 0, insert: ' x ->' }, // a syntax error in one statement
      { at: at('"m700"'), length: 5, insert: '' }, // and back
      { at: at('at 800ms'), length: 0, insert: 'on A receive "z" {\n' }, // an unclosed block: DS106 before the next statement
      { at: at('at 810ms'), length: 0, insert: '\n\n' }, // lines move: the suffix's DS106 line numbers move with them
      { at: at('"m1200"'), length: 0, insert: '"' }, // a string left open on its line
      { at: at('faults {'), length: 0, insert: 'expect A.lamport >= 1\n' }, // a statement that could run on into the next line's `at`
      { at: at('"m1000"'), length: 0, insert: '/* unclosed' }, // comments out the rest of the file
    ], ways);
    assert.equal(ways.length, 7);
    const regions = ways.slice(0, 6).filter((w): w is Extract<ReparseWay, { kind: 'region' }> => w.kind === 'region');
    assert.equal(regions.length, 6, `incremental: ${JSON.stringify(ways)}`);
    for (const r of regions) assert.ok(r.regionChars < base.length / 20, `a region of ${r.regionChars} of ${base.length} characters`);
  });

  test('an edit that joins two statements, or splits one, re-parses their neighbours too', () => {
    const base = ['scenario s { seed 1  run for 1s }', 'nodes A, B', 'expect A.lamport >= 1', 'at 10ms A -> B "x"', 'at 20ms B -> A "y"', 'invariant causal_delivery', ''].join('\n');
    const ways: ReparseWay[] = [];
    // `expect … at 10ms` then reads the next line's `at` as its own: the statement after the edit changes.
    editAndCompare(base, [{ at: base.indexOf('= 1\nat') / (base.length + 1), length: 4, insert: '= 1 ' }, { at: 0.5, length: 0, insert: '\n' }], ways);
    assert.equal(ways.length, 2);
  });

  test('a document version re-parses from the version before it, which hands its parse over once', () => {
    const v1 = largeScenario(400);
    const v2 = v1.replace('"m100"', '"m100" x ->');
    const v3 = v1.replace('"m200"', '"m201"');
    const version = (n: number, text: string, from?: DocumentAnalysis): DocumentAnalysis =>
      new DocumentAnalysis('file:///t.dsync', n, text, DEFAULT_SETTINGS, () => false, from?.handOverBase());
    const a1 = version(1, v1);
    const first = a1.parsed.ast.statements[0];
    const a2 = version(2, v2, a1);
    // a2 is never parsed (a newer version came first): a3 re-parses from a1's parse, and a2 has nothing left to hand over.
    const a3 = version(3, v3, a2);
    assert.equal(a2.handOverBase(), undefined);
    assertSameParse(a3.parsed, parseInPositionOrder(v3), v3);
    assert.equal(a3.parsed.ast.statements[0], first, 'the statements before the edit are reused, not parsed again');
    assert.deepEqual(a3.checked.diagnostics, check(parseInPositionOrder(v3), v3).diagnostics);
    // The stale version still parses right if asked: in full.
    assertSameParse(a2.parsed, parseInPositionOrder(v2), v2);
  });

  test('checking a re-parsed version equals checking its full parse: reused statements report at their moved place', () => {
    // The checker keeps per-statement results (DS129's too-long durations) for statements the
    // re-parse reuses; their reports must follow the statements as edits above them move them.
    let text = [largeScenario(120), 'at 200000min A -> B "far"', 'every 150000min C -> A "late"', 'faults { at 145000min crash C }', 'on C receive "never" { send A "x" }', ''].join('\n');
    let parsed = parseInPositionOrder(text);
    const edits = [
      (t: string) => t.replace('"m3"', '"m3"\nat 5ms A -> C "inserted"\n'),
      (t: string) => t.replace('"far"', '"farther"'),
      (t: string) => t.replace('at 1ms A -> B "m1"\n', ''),
      (t: string) => t.replace("150000min", "151000min"),
      (t: string) => `// a first line\n${t}`,
    ];
    assert.equal(check(parsed, text).diagnostics.filter((d) => d.code === 'DS129').length, 3);
    for (const edit of edits) {
      const next = edit(text);
      assert.notEqual(next, text);
      parsed = reparse({ text, parsed }, next);
      text = next;
      const expected = check(parseInPositionOrder(text), text).diagnostics;
      assert.equal(expected.filter((d) => d.code === 'DS129').length, 3);
      assert.deepEqual(check(parsed, text).diagnostics, expected);
    }
  });

  test('the same text is the same parse', () => {
    const text = largeScenario(50);
    const previous = { text, parsed: parseInPositionOrder(text) };
    assert.equal(reparse(previous, text), previous.parsed);
  });
});
