import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse, withCstParser } from '../../server/src/core/syntax/parse';
import { edits, mutatedFrom, scenarioText } from '../fuzz/arbitraries';
import { LEADER_ELECTION } from './support/protocols';

/**
 * The parser with embedded actions against the CST parser and its visitors
 * it replaces: the same AST, ranges included, and the same diagnostics, on
 * every sample and fixture and on generated files, whole and broken.
 */

function assertSameParse(text: string): void {
  const actions = parse(text);
  const cst = withCstParser(() => parse(text));
  assert.deepEqual(actions.ast, cst.ast, `AST differs on ${JSON.stringify(text.slice(0, 800))}`);
  assert.deepEqual(actions.diagnostics, cst.diagnostics, `diagnostics differ on ${JSON.stringify(text.slice(0, 800))}`);
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : p.endsWith('.dsync') ? [p] : [];
  });
}

const samples = filesUnder('samples').concat(filesUnder('test/fixtures')).map((f) => fs.readFileSync(f, 'utf8'));

/** Small editor edits: most keep the file close to valid, so broken statements sit among whole ones. */
const edited = (base: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(base, edits).map(([text, es]) => es.reduce((t, e) => {
    const at = Math.min(t.length, Math.floor(e.at * (t.length + 1)));
    return t.slice(0, at) + e.insert + t.slice(at + e.length);
  }, text));

const sampleText = fc.constantFrom(...samples, LEADER_ELECTION);
const protocolText = fc.constantFrom(...samples.filter((t) => t.includes('protocol ')), LEADER_ELECTION);

/** Edits made of protocol code's own words and marks, so recovery inside handlers, blocks and types is exercised. */
const PROTOCOL_SNIPPETS = [
  '{', '}', '(', ')', '[', ']', '<', '>', ',', ';', ':', '=', '.', '|', '?', ' ', '\n', 'let ', 'let if = 1', 'if ', 'else ', 'for ', ' in ', 'when ',
  'send ', ' to ', 'reply ', 'broadcast ', 'timer t after 5ms', 'cancel ', 'note "x {a}"', 'note "{", ', 'note "{a b}"', 'clock.step(', 'on ', 'on start ',
  'on timer ', 'fn f(a: int): int = a', 'var ', 'stable ', 'const ', 'message M { a: int }', 'option o: duration = 1ms', 'mesage ', 'forall x in S: ', 'none', 'x = ',
  'map<string, set<node>>', '"a" | "b"', 'exists ', ' where ', 'nodes', 'protocol ', 'serves kv ',
];
const protocolEdits = fc.array(
  fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 0, max: 12 }), insert: fc.constantFrom(...PROTOCOL_SNIPPETS, '') }),
  { minLength: 1, maxLength: 6 },
);

describe('the embedded-actions parser reads files exactly as the CST parser did', () => {
  test('every sample and fixture', () => {
    assert.ok(samples.length > 20);
    for (const text of samples) assertSameParse(text);
  });

  test('generated scenarios, whole', () => {
    fc.assert(fc.property(scenarioText, assertSameParse), { seed: 26, numRuns: 300 });
  });

  test('samples, fixtures and scenarios broken by small edits', () => {
    fc.assert(fc.property(edited(fc.oneof(sampleText, scenarioText)), assertSameParse), { seed: 27, numRuns: 1500 });
  });

  test('protocols broken by edits made of protocol code', () => {
    const broken = fc.tuple(protocolText, protocolEdits).map(([text, es]) => es.reduce((t, e) => {
      const at = Math.min(t.length, Math.floor(e.at * (t.length + 1)));
      return t.slice(0, at) + e.insert + t.slice(at + e.length);
    }, text));
    fc.assert(fc.property(broken, assertSameParse), { seed: 29, numRuns: 3000 });
  });

  test('mutated files (truncation, huge numbers, deep nesting, hostile text)', () => {
    fc.assert(fc.property(mutatedFrom(fc.oneof(sampleText, scenarioText)), assertSameParse), { seed: 28, numRuns: 400 });
  });
});
