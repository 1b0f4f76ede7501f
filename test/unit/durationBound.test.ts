import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { check } from '../../server/src/core/check/checker';
import { parseInPositionOrder, reparse } from '../../server/src/core/syntax/incremental';
import { parse, type ParseResult } from '../../server/src/core/syntax/parse';
import { anyInput } from '../fuzz/arbitraries';
import { repoPath } from './support/scenario';
import { sampleFiles } from './support/traceHashes';

/**
 * ParseResult.largestDurationNs lets check() skip its walk for too-long
 * durations (DS129). It is only right as an upper bound of every duration
 * value the AST holds, wherever it sits: found here by a walk of the AST
 * that knows nothing of the grammar.
 */

/** The largest |ns| of the AST's duration values, found by walking every object of it (NaN wins, as in Math.max). */
function largestInAst(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const node = value as { kind?: unknown; ns?: unknown };
  let largest = node.kind === 'duration' && typeof node.ns === 'number' ? Math.abs(node.ns) : 0;
  for (const key in value) largest = Math.max(largest, largestInAst((value as Record<string, unknown>)[key]));
  return largest;
}

function assertBounds(parsed: ParseResult, text: string): void {
  const bound = parsed.largestDurationNs;
  assert.notEqual(bound, undefined, `a parse knows its bound, for ${JSON.stringify(text.slice(0, 300))}`);
  const actual = largestInAst(parsed.ast);
  assert.ok(Number.isNaN(bound) || !(actual > bound!) && !Number.isNaN(actual), `largest duration ${actual} > bound ${bound} for ${JSON.stringify(text.slice(0, 300))}`);
}

const samples = sampleFiles(repoPath()).map((f) => fs.readFileSync(repoPath('samples', f), 'utf8'));

describe('ParseResult.largestDurationNs bounds every duration of the AST', () => {
  test('on every sample it is exactly the largest duration written', () => {
    for (const text of samples) {
      const parsed = parse(text);
      assertBounds(parsed, text);
      assert.equal(parsed.largestDurationNs, largestInAst(parsed.ast));
    }
  });

  test('durations in options, faults, schedules, rules, protocol declarations and the header all count', () => {
    const cases: [string, number][] = [
      ['scenario s { seed 1  run for 200000min }\nnodes A, B', 200_000 * 60e9],
      ['scenario s { seed 1  run for 1s }\nnodes A, B\nclock A { offset -150000min }', 150_000 * 60e9],
      ['scenario s { seed 1  run for 1s }\nnodes A, B\nnetwork { latency 1ms..150000min }', 150_000 * 60e9],
      ['scenario s { seed 1  run for 1s }\nnodes A, B\nfaults { at 1ms partition {A} | {B} for 150000min }', 150_000 * 60e9],
      ['scenario s { seed 1  run for 1s }\nnodes A, B\nevery 150000min A local "x"', 150_000 * 60e9],
      ['scenario s { seed 1  run for 1s }\nnodes A, B\non A receive "x" { after 150000min local "y" }', 150_000 * 60e9],
      ['scenario s { seed 1  run for 1s }\nnodes A, B\nsync ntp { poll 150000min }', 150_000 * 60e9],
      ['scenario s { seed 1  run for 1s }\nnodes A, B\nclock A { offset +99999999999999999999s }', 99999999999999999999 * 1e9],
    ];
    for (const [text, largest] of cases) {
      const parsed = parse(text);
      assertBounds(parsed, text);
      assert.equal(parsed.largestDurationNs, largest, text);
    }
  });

  test('random inputs, broken ones too: never below a duration the AST holds', () => {
    fc.assert(fc.property(anyInput(samples), (text) => assertBounds(parse(text), text)), { numRuns: 300 });
  });

  test('a re-parse keeps a bound of its pieces, and a too-long time typed into a long file is still DS129', () => {
    const lines = ['scenario s { seed 1  run for 1min }', 'nodes A, B'];
    for (let i = 1; i <= 200; i++) lines.push(`at ${i}ms A -> B "m${i}"`);
    const before = `${lines.join('\n')}\n`;
    let previous = { text: before, parsed: parseInPositionOrder(before) };
    assert.deepEqual(check(previous.parsed, before).diagnostics, []);
    // After line 102, a time past the 100-day limit (line 103): the re-parse reuses the statements around it.
    const after = before.replace('at 100ms A -> B', 'at 100ms A -> B "m100"\nevery 150000min A -> B');
    const reparsed = reparse(previous, after);
    assertBounds(reparsed, after);
    assert.deepEqual(check(reparsed, after).diagnostics.map((d) => [d.code, d.range.startLine]), check(parse(after), after).diagnostics.map((d) => [d.code, d.range.startLine]));
    assert.deepEqual(check(reparsed, after).diagnostics.filter((d) => d.code === 'DS129').map((d) => d.range.startLine), [103]);
    previous = { text: after, parsed: reparsed };
    // Removed again: the bound may stay high (an upper bound), and the file is clean again.
    const reparsedBack = reparse(previous, before);
    assertBounds(reparsedBack, before);
    assert.deepEqual(check(reparsedBack, before).diagnostics, []);
  });
});
