import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { compare } from '../../server/src/core/invariants/invariant';
import { parseTypeText, typeToString } from '../../server/src/core/expr/types';
import { PROTOCOLS, resolveProperty } from '../../server/src/core/protocols/registry';
import { firstDifference, formatValue, mapValue, setValue, valuesEqual } from '../../server/src/core/protocols/values';
import { expectationViolations } from '../../server/src/core/sim/result';
import { checkText, repoPath, runText } from './support/scenario';

/**
 * Protocol properties are real values (lists, sets, maps, records, none),
 * compared exactly: `expect n1.log == n3.log` compares every entry, not a
 * display cut to the last few.
 */
describe('property values', () => {
  test('equality is structural and exact', () => {
    const log = [{ term: 1, command: 'no-op' }, { term: 2, command: 'c1.1 put x=1' }];
    assert.ok(valuesEqual(log, [{ term: 1, command: 'no-op' }, { term: 2, command: 'c1.1 put x=1' }]));
    assert.ok(!valuesEqual(log, [{ term: 1, command: 'no-op' }, { term: 3, command: 'c1.1 put x=1' }]));
    assert.ok(!valuesEqual(log, log.slice(1)));
    assert.ok(!valuesEqual({ x: '1' }, { x: '1', y: '2' }));
    assert.ok(!valuesEqual({ x: '1', y: '2' }, { x: '1', z: '2' }));
    assert.ok(!valuesEqual([], {}));
    assert.ok(!valuesEqual(null, 0));
    assert.ok(!valuesEqual('5', 5));
    assert.ok(valuesEqual(null, null));
    assert.ok(compare(log, '!=', [log[0]!]));
    assert.ok(!compare([1], '<', [2]), 'ordered comparisons hold only on numbers');
  });

  test('sets and maps are canonical: built in any order they are one value', () => {
    assert.deepEqual(setValue(['B3', 'A3', 'B3']), ['A3', 'B3']);
    assert.ok(valuesEqual(setValue(['b', 'a']), setValue(['a', 'b'])));
    assert.equal(JSON.stringify(mapValue([['y', 2], ['x', 1]])), '{"x":1,"y":2}');
  });

  test('the display form is for reading only, and a long list shows its tail', () => {
    assert.equal(formatValue([{ term: 1, command: 'no-op' }]), '[{term: 1, command: "no-op"}]');
    assert.equal(formatValue([1, 2, 3, 4], { limit: 2 }), '[… 2 more, 3, 4]');
    assert.equal(formatValue(null), 'none');
    assert.equal(formatValue('leader', { bare: true }), 'leader');
    assert.equal(formatValue({ 'a b': '1' }), '{"a b": "1"}');
    assert.equal(firstDifference([1, 2, 3], [1, 5]), 'element 2: 2 vs 5');
    assert.equal(firstDifference({ x: '1' }, { x: '1', y: '2' }), 'key "y": none vs "2"');
  });

  test('every protocol declares its properties in the type syntax of expressions, which parseTypeText reads back', () => {
    for (const p of PROTOCOLS) {
      for (const prop of p.properties) {
        assert.doesNotMatch(prop.type, /^number$/, `${p.name}.${prop.name}: legacy 'number'`);
        assert.equal(typeToString(parseTypeText(prop.type)).replace(/\s+/g, ''), prop.type.replace(/\s+/g, ''), `${p.name}.${prop.name}: ${prop.type}`);
      }
    }
  });

  // With the bug skip_term_check, n1 keeps its term-1 entry at index 2 while
  // n3 holds the term-2 leader's entries there; both then take the same 36
  // entries of term 3. The two logs differ at index 2 and agree on every
  // entry after it: a display of the last entries showed them equal, and
  // `expect n1.log == n3.log` passed.
  const diverged = fs.readFileSync(repoPath('samples', 'raft_skip_term_check.dsync'), 'utf8')
    .replace('run for 2s', 'run for 4s')
    .replace('client c2 to n2 { at 800ms put x = 2 }', 'client c2 to n2 { at 800ms put x = 2 }\nclient c3 to n1, n3 { every 50ms put y = counter from 1.2s until 3s }');

  test('expect n1.log == n3.log fails on logs that differ only in an early entry', () => {
    const r = runText(`${diverged}\nexpect n1.log == n3.log at end\nexpect n1.log != n3.log at end\nexpect n1.log == n1.log at end`);
    assert.deepEqual(r.expectations.map((e) => e.outcome?.passed), [false, true, true]);
    const message = expectationViolations(r)[0]!.message;
    assert.equal(message, 'expected n1.log == n3.log at end, but they differ at element 2: {term: 1, command: "c1.1 put x=1"} vs {term: 2, command: "no-op"} (41 elements and 41 elements) at t=4s');
  });

  test('DS133: same-typed collections compare with == and !=, never with < or across types', () => {
    const head = 'scenario s { seed 1  run for 1s }\nnodes n1..n3 run raft\nnodes m1..m3 run multipaxos\n';
    const codes = (line: string) => checkText(head + line).diagnostics.map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(codes('expect n1.log == n2.log'), []);
    assert.deepEqual(codes('expect n1.kv != m1.kv'), []);
    assert.deepEqual(codes('expect n1.leader == "n2"'), [], 'a node compares with a quoted name');
    assert.deepEqual(codes('expect n1.log < n2.log'), ["DS133 '<' needs ints, times or nodes; use == or != for lists"]);
    assert.deepEqual(codes('expect n1.kv >= n2.kv'), ["DS133 '>=' needs ints, times or nodes; use == or != for maps"]);
    assert.deepEqual(codes('expect n1.log == m1.log'), ['DS133 cannot compare list<{ term: int, command: string }> with list<{ slot: int, command: string }>']);
    assert.deepEqual(codes('expect n1.log == n1.kv'), ['DS133 cannot compare list<{ term: int, command: string }> with map<string, string>']);
    assert.deepEqual(codes('expect n1.log == "x"'), ['DS133 cannot compare list<{ term: int, command: string }> with string']);
  });

  test('property names are snake_case; old camelCase names resolve to them as deprecated aliases', () => {
    for (const p of PROTOCOLS) for (const prop of p.properties) assert.match(prop.name, /^[a-z][a-z0-9_]*$/, `${p.name}.${prop.name}`);
    const raft = PROTOCOLS.find((p) => p.name === 'raft')!;
    assert.deepEqual(resolveProperty(raft, 'commit_index')?.deprecatedAlias, undefined);
    assert.deepEqual([resolveProperty(raft, 'commitIndex')?.spec.name, resolveProperty(raft, 'commitIndex')?.deprecatedAlias], ['commit_index', 'commitIndex']);
    assert.equal(resolveProperty(raft, 'commit_idx'), undefined);
    const ntp = PROTOCOLS.find((p) => p.name === 'ntp')!;
    assert.equal(resolveProperty(ntp, 'offsetEstimate')?.spec.name, 'offset_estimate');
  });

  test('an old name reads the same value, with a DS138 warning whose fix renames it', () => {
    const text = 'scenario s { seed 1  run for 1s }\nnodes n1..n3 run raft\nexpect n1.commitIndex == n1.commit_index at end\n';
    const [warning, ...rest] = checkText(text).diagnostics;
    assert.deepEqual(rest, []);
    assert.equal(warning!.code, 'DS138');
    assert.equal(warning!.severity, 'warning');
    assert.equal(warning!.message, "'commitIndex' is the old name of 'commit_index': property names are snake_case");
    assert.deepEqual([warning!.fix?.newText, warning!.fix?.range.startColumn, warning!.fix?.range.endColumn], ['commit_index', 11, 22]);
    const r = runText(text);
    assert.equal(r.expectations[0]!.outcome?.passed, true);
    assert.ok((r.expectations[0]!.outcome?.left as number) > 0);
  });
});
