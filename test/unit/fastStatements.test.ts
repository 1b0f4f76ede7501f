import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from '../../server/src/core/syntax/parse';
import { dsyncParser } from '../../server/src/core/syntax/parser';
import { edits, mutatedFrom, scenarioText } from '../fuzz/arbitraries';

/**
 * The parser's fast path (fastStatements.ts) against the grammar it mirrors:
 * parse() with the fast path and with the grammar alone (Chevrotain's CST
 * and cstToAst.ts) give the same AST, ranges included, and the same
 * diagnostics, on every sample and fixture and on generated files made of
 * the statements the fast path reads, whole and broken by small edits (a
 * broken statement is the grammar's, and so is its recovery).
 */

function grammarOnly<T>(run: () => T): T {
  dsyncParser.readFastStatements = false;
  try {
    return run();
  } finally {
    dsyncParser.readFastStatements = true;
  }
}

function assertSameParse(text: string): void {
  const fast = parse(text);
  const slow = grammarOnly(() => parse(text));
  assert.deepEqual(fast.ast, slow.ast, `AST differs on ${JSON.stringify(text.slice(0, 600))}`);
  assert.deepEqual(fast.diagnostics, slow.diagnostics, `diagnostics differ on ${JSON.stringify(text.slice(0, 600))}`);
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : p.endsWith('.dsync') ? [p] : [];
  });
}

const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const node = pick('A', 'B', 'n1', 'Zürich', 'x_2');
const atom = fc.oneof(
  pick('10ms', '1.5s', '+3ms', '-2us', '5', '1.5', '50ppm', '3%', '"s"', 'true', 'false', 'x', 'k'),
  fc.tuple(pick('normal', 'f'), fc.array(pick('1ms', 'x', '"a"', '2'), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
);
const value = fc.oneof({ weight: 3, arbitrary: atom }, { weight: 1, arbitrary: fc.tuple(atom, atom).map(([a, b]) => `${a}..${b}`) });
const label = pick('"m"', '"a b"', '"q\\"x"');
const action = fc.oneof(
  fc.tuple(node, node, label).map(([a, b, l]) => `${a} -> ${b} ${l}`),
  fc.tuple(node, label).map(([a, l]) => `${a} -> * ${l}`),
  fc.tuple(node, label).map(([a, l]) => `${a} local ${l}`),
);
const nodeRef = fc.oneof(node, fc.tuple(node, node).map(([a, b]) => `${a}..${b}`));
const group = fc.array(nodeRef, { maxLength: 3 }).map((refs) => `{${refs.join(', ')}}`);
const forWindow = fc.option(value.map((v) => ` for ${v}`), { nil: '' });
const link = fc.tuple(node, pick('->', '<->'), node).map(([a, arrow, b]) => `${a} ${arrow} ${b}`);
const fault = fc.tuple(value, fc.oneof(
  fc.tuple(fc.array(group, { minLength: 1, maxLength: 3 }), forWindow).map(([gs, w]) => `partition ${gs.join(' | ')}${w}`),
  pick('heal'),
  fc.tuple(pick('crash', 'restart'), node).map(([v, n]) => `${v} ${n}`),
  fc.tuple(node, pick('jump', 'drift'), value).map(([n, c, v]) => `clock ${n} ${c} ${v}`),
  fc.tuple(link, forWindow).map(([l, w]) => `drop ${l}${w}`),
  fc.tuple(link, value, forWindow).map(([l, v, w]) => `delay ${l} by ${v}${w}`),
)).map(([t, f]) => `at ${t} ${f}`);
const semicolon = pick('', '', ';', ' ;');
const statement = fc.oneof(
  fc.tuple(value, action, semicolon).map(([t, a, s]) => `at ${t} ${a}${s}`),
  fc.tuple(value, action, fc.option(value, { nil: undefined }), fc.option(value, { nil: undefined }), semicolon)
    .map(([p, a, from, until, s]) => `every ${p} ${a}${from ? ` from ${from}` : ''}${until ? ` until ${until}` : ''}${s}`),
  fc.tuple(fc.array(fc.tuple(fault, semicolon).map(([f, s]) => `  ${f}${s}`), { maxLength: 4 }), pick('', ' random')).map(([fs, r]) => `faults${r} {\n${fs.join('\n')}\n}`),
  pick('nodes A, B, n1..n3', 'on A receive "m" { send B "m" }', 'invariant causal_delivery', 'link A -> B { latency 1ms }'),
);
const fastFile = fc.array(statement, { maxLength: 12 }).map((lines) => ['scenario s { seed 1  run for 1s }', ...lines, ''].join('\n'));

/** Small editor edits: most keep the file close to valid, so broken statements sit among whole ones. */
const edited = (base: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(base, edits).map(([text, es]) => es.reduce((t, e) => {
    const at = Math.min(t.length, Math.floor(e.at * (t.length + 1)));
    return t.slice(0, at) + e.insert + t.slice(at + e.length);
  }, text));

describe('the fast path reads statements exactly as the grammar does', () => {
  test('every sample and fixture', () => {
    const files = filesUnder('samples').concat(filesUnder('test/fixtures'));
    assert.ok(files.length > 20);
    for (const f of files) assertSameParse(fs.readFileSync(f, 'utf8'));
  });

  test('the bench file shape reads almost entirely by the fast path, and the same', () => {
    const text = ['scenario s { seed 1  run for 1s }', 'nodes n1..n3', 'at 1ms n1 -> n2 "relay"   // c', 'every 250ms n2 -> n3 "tick" from 1ms until 59s /* p */', 'faults {', '  at 5ms partition {n1} | {n2} for 10ms', '}', ''].join('\n');
    assertSameParse(text);
    dsyncParser.input = []; // a new map of prebuilt statements
    parse(text);
    assert.equal(dsyncParser.prebuilt.size, 3);
  });

  test('generated files of at / every / faults statements, whole', () => {
    fc.assert(fc.property(fastFile, assertSameParse), { seed: 16, numRuns: 400 });
  });

  test('the same files and scenarios broken by small edits', () => {
    fc.assert(fc.property(edited(fc.oneof(fastFile, scenarioText)), assertSameParse), { seed: 17, numRuns: 1000 });
  });

  test('mutated scenarios (truncation, huge numbers, deep nesting, hostile text)', () => {
    fc.assert(fc.property(mutatedFrom(fc.oneof(fastFile, scenarioText)), assertSameParse), { seed: 18, numRuns: 200 });
  });
});
