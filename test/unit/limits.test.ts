import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_DIAGNOSTICS } from '../../server/src/core/diagnostics';
import { MAX_NESTING } from '../../server/src/core/syntax/limits';
import { parse } from '../../server/src/core/syntax/parse';
import { boundedDistance, Suggester } from '../../server/src/core/check/suggest';
import { checkText, modelOf } from './support/scenario';

/** Hostile shapes from issue 13: each is bounded by a limit with a located diagnostic, never a throw or a hang. */
const HEAD = 'scenario s { seed 1  run for 1s }\n';
const codes = (text: string): string[] => checkText(text).diagnostics.map((d) => `${d.range.startLine}:${d.range.startColumn} ${d.code}`);

describe('nesting depth (DS104)', () => {
  const calls = (n: number): string => `${'f('.repeat(n)}1ms${')'.repeat(n)}`;

  test('400 nested calls: one located DS104, no throw, the rest of the file still checked', () => {
    const text = `${HEAD}nodes A, B\nnetwork { latency ${calls(400)} }\nat 10ms A -> Bob "x"\n`;
    // The `{` of the network block is the first level: the 64th `(` goes too deep.
    assert.deepEqual(codes(text), [`3:${'network { latency '.length + 2 * (MAX_NESTING - 1) + 2} DS104`, '4:14 DS110']);
  });

  test('nesting of exactly MAX_NESTING levels is accepted', () => {
    const inner = calls(MAX_NESTING - 1); // plus the block's `{`
    assert.ok(!codes(`${HEAD}nodes A, B\nnetwork { latency ${inner} }\n`).some((c) => c.endsWith('DS104')));
  });

  test('unclosed deep nesting (to the end of the file) and chains of `after` are cut too', () => {
    assert.deepEqual(codes(`${HEAD}nodes A, B\nnetwork { latency ${'('.repeat(5000)}`).filter((c) => c.endsWith('DS104')).length, 1);
    const chain = `${HEAD}nodes A, B\nat 1ms A -> B "x"\non B receive "x" { ${'after 1ms '.repeat(500)}send A "y" }\n`;
    // The block's `{` and 63 `after`s make 64 levels: the 64th `after` is reported.
    assert.deepEqual(codes(chain), [`4:${'on B receive "x" { '.length + 'after 1ms '.length * (MAX_NESTING - 1) + 1} DS104`]);
  });

  test('100,000 levels of every bracket: the parser never throws', () => {
    for (const open of ['(', '{', '[']) {
      const parsed = parse(`${HEAD}nodes A\nnetwork { latency ${open.repeat(100_000)} }`);
      assert.ok(parsed.diagnostics.some((d) => d.code === 'DS104'), open);
    }
  });
});

describe('node ranges are counted exactly (DS113)', () => {
  test('bounds past 2^53 expand to the right names, at once', () => {
    const model = modelOf(`${HEAD}nodes n9007199254740992..n9007199254740994\n`);
    assert.deepEqual(model.nodes.map((n) => n.name), ['n9007199254740992', 'n9007199254740993', 'n9007199254740994']);
  });

  test('400-digit bounds: DS113 with the size, no "no nodes declared"', () => {
    const text = `${HEAD}nodes n1${'0'.repeat(400)}..n9${'0'.repeat(400)}\n`;
    const ds = checkText(text).diagnostics;
    assert.deepEqual(ds.map((d) => d.code), ['DS113']);
    assert.match(ds[0]!.message, /holds about 10\^400 nodes; a scenario holds at most 1,000/);
    assert.ok(ds[0]!.message.length < 200, 'long names are shortened in the message');
  });

  test('a range just over the cap is refused before it is expanded', () => {
    assert.match(checkText(`${HEAD}nodes n1..n1001\n`).diagnostics[0]!.message, /holds 1,001 nodes/);
    assert.equal(modelOf(`${HEAD}nodes n1..n1000\n`).nodes.length, 1000);
  });
});

describe('diagnostics are capped per file (DS174)', () => {
  test(`1,000 × clock n1..n1000: one DS112 per statement, at most ${MAX_DIAGNOSTICS} shown and a DS174 counting the rest`, () => {
    const text = `${HEAD}nodes n1..n1000\n${'clock n1..n1000 { drift +1ppm }\n'.repeat(1000)}`;
    const ds = checkText(text).diagnostics;
    assert.equal(ds.length, MAX_DIAGNOSTICS + 1);
    assert.ok(ds.slice(0, MAX_DIAGNOSTICS).every((d) => d.code === 'DS112'));
    const last = ds[ds.length - 1]!;
    assert.equal(last.code, 'DS174');
    assert.equal(last.severity, 'info');
    assert.match(last.message, /^799 more problems not shown/);
    assert.equal(last.range.startLine, 3 + MAX_DIAGNOSTICS + 1, 'located at the first one left out');
  });

  test('the cap never hides that the file has errors', () => {
    // 2,500 warnings (DS161) first, then one error far down: still no model.
    const rules = 'on B receive "never" { reply "x" }\n'.repeat(2500);
    const checked = checkText(`${HEAD}nodes A, B\n${rules}at 1ms A -> Zed "x"\n`);
    assert.equal(checked.model, undefined);
    assert.equal(checked.diagnostics.length, MAX_DIAGNOSTICS + 1);
  });

  test('8,000 unknown names against 1,000 nodes: capped, with suggestions only where plausible', () => {
    const uses = Array.from({ length: 8000 }, (_, i) => `at 1ms x${i + 1} -> n1 "a"\n`).join('');
    const ds = checkText(`${HEAD}nodes n1..n1000\n${uses}`).diagnostics;
    assert.equal(ds.length, MAX_DIAGNOSTICS + 1);
    assert.match(ds[0]!.message, /^unknown node 'x1'; declared nodes: n1, n2/);
    assert.equal(ds[11]!.message, "unknown node 'x12'; did you mean 'n12'?");
  });

  test('a range with unknown names is one DS110, not one per name', () => {
    const ds = checkText(`${HEAD}nodes n1..n3\nclock m1..m500 { drift +1ppm }\n`).diagnostics;
    assert.deepEqual(ds.map((d) => d.code), ['DS110']);
    assert.match(ds[0]!.message, /names 500 unknown nodes: 'm1', 'm2', 'm3', 'm4', 'm5', …/);
  });
});

describe('suggestions', () => {
  test('only plausible: one-letter names are not typos of each other', () => {
    const s = new Suggester(['A', 'B', 'raft', 'multipaxos', 'election_timeout']);
    assert.equal(s.closest('C'), undefined);
    assert.equal(s.closest('a'), 'A');
    assert.equal(s.closest('rafft'), 'raft');
    assert.equal(s.closest('multi_paxos'), 'multipaxos');
    assert.equal(s.closest('election_timout'), 'election_timeout');
    assert.equal(s.closest('Raft'), 'raft');
    assert.equal(s.closest('pax'), undefined);
  });

  test('A.vc(C) with no node C suggests nothing', () => {
    const ds = checkText(`${HEAD}nodes A, B\nexpect A.vc(C) > 1\n`).diagnostics;
    assert.equal(ds[0]!.message, "unknown node 'C'; declared nodes: A, B");
  });

  test('the bounded distance counts a transposition as one edit and gives up past its limit', () => {
    assert.equal(boundedDistance('abcd', 'acbd', 1), 1);
    assert.equal(boundedDistance('kitten', 'sitting', 2), undefined);
    assert.equal(boundedDistance('kitten', 'sitting', 3), 3);
    assert.equal(boundedDistance('same', 'same', 0), 0);
  });
});
