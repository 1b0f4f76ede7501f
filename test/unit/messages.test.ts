import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from '../../server/src/core/diagnostics';
import { checkText, modelOf } from './support/scenario';

/**
 * The messages a newcomer gets for the mistakes of issue 12: each located
 * where the mistake is, saying what is wrong and how to fix it, and nothing
 * else reported for it (no "no scenario header" cascade).
 */
const HEAD = 'scenario s { seed 1  run for 1s }\n';

/** `line:column CODE message` of every diagnostic. */
function report(text: string): string[] {
  return checkText(text).diagnostics.map((d) => `${d.range.startLine}:${d.range.startColumn} ${d.code} ${d.message}`);
}

/** Applies the diagnostic's fix to `text`. */
function applyFix(text: string, d: Diagnostic): string {
  assert.ok(d.fix, `${d.code} has no fix`);
  return text.slice(0, d.fix.range.startOffset) + d.fix.newText + text.slice(d.fix.range.endOffset);
}

/** The only diagnostic of `text`, its fix applied: the fixed file must check clean. */
function fixesClean(text: string): string {
  const ds = checkText(text).diagnostics;
  assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
  const fixed = applyFix(text, ds[0]!);
  assert.deepEqual(report(fixed), [], `after the fix:\n${fixed}`);
  return fixed;
}

describe('a missing } says so, where the block opened (DS106)', () => {
  test('scenario header without } : no "no scenario header"', () => {
    const text = 'scenario x { seed 1  run for 1s\nnodes A, B\n';
    assert.deepEqual(report(text), ["1:32 DS106 the '{' of this scenario header (line 1, column 12) is never closed; add '}' here, before the 'nodes' on line 2"]);
    assert.equal(fixesClean(text), 'scenario x { seed 1  run for 1s }\nnodes A, B\n');
  });

  test('network { latency 5ms then the next statement: reported at the end of the network line, not on the next', () => {
    const text = `${HEAD}nodes A, B\nnetwork { latency 5ms\nat 1ms A -> B "x"\n`;
    assert.deepEqual(report(text), ["3:22 DS106 the '{' of this network block (line 3, column 9) is never closed; add '}' here, before the 'at' on line 4"]);
    assert.equal(modelOf(fixesClean(text)).stimuli.length, 1);
  });

  test('a faults block missing its } ends before the next statement; `at` lines inside it are faults', () => {
    const text = `${HEAD}nodes A, B\nat 1ms A -> B "x"\nfaults {\n  at 10ms crash B\n  at 20ms restart B\ninvariant causal_delivery\n`;
    assert.deepEqual(report(text).map((r) => r.slice(0, 10)), ['6:20 DS106']);
    assert.equal(modelOf(fixesClean(text)).faults.length, 2);
  });

  test('protocol options may use statement words as keys (`every` without a message shape stays an option)', () => {
    assert.deepEqual(report(`${HEAD}nodes A, B\nat 1ms A -> B "x"\nclock A {\n  drift +1ppm\n}\n`), []);
  });
});

describe('units (DS105)', () => {
  for (const [written, message, fixed] of [
    ['run for 2 s', '1:30 DS105 remove the space: write 2s', 'run for 2s'],
    ['run for 1h', "1:30 DS105 unknown unit 'h': the largest time unit is min, so write 60min", 'run for 60min'],
    ['run for 1S', '1:30 DS105 units are lower case: write 1s', 'run for 1s'],
    ['run for 10sec', "1:30 DS105 unknown unit 'sec': write 10s (time units are ns, us, ms, s and min; drift is in ppm)", 'run for 10s'],
    ['run for 1.5hours', "1:30 DS105 unknown unit 'hours': the largest time unit is min, so write 90min", 'run for 90min'],
  ] as const) {
    test(`'${written}': one DS105 with the fix, no DS170 cascade`, () => {
      const text = `scenario x { seed 1  ${written} }\nnodes A, B\n`;
      assert.deepEqual(report(text), [message]);
      assert.equal(fixesClean(text), `scenario x { seed 1  ${fixed} }\nnodes A, B\n`);
    });
  }

  test('latency 10sec says which units exist (not "needs a time unit")', () => {
    assert.deepEqual(report(`${HEAD}nodes A, B\nnetwork { latency 10sec }\n`), ["3:19 DS105 unknown unit 'sec': write 10s (time units are ns, us, ms, s and min; drift is in ppm)"]);
  });

  test('a unit with no good guess is reported once, and lists the units', () => {
    assert.deepEqual(report(`${HEAD}nodes A, B\nnetwork { latency 5xyz }\n`), ["3:19 DS105 unknown unit 'xyz' in 5xyz: time units are ns, us, ms, s and min; drift is in ppm (e.g. 5ms)"]);
  });

  test('1m is ambiguous: both meanings are offered, neither assumed', () => {
    assert.deepEqual(report(`${HEAD}nodes A, B\nat 1m A -> B "x"\n`), ["3:4 DS105 'm' is not a unit: write 1min for minutes or 1ms for milliseconds"]);
  });

  test('`seed: 1` is accepted as `seed 1`', () => {
    assert.equal(modelOf('scenario x { seed: 3  run for 1s }\nnodes A\n').seed, 3);
  });
});

describe('other newcomer mistakes', () => {
  test("run for 2: the keyword is quoted once ('run for', not ''run for'')", () => {
    const text = 'scenario x { seed 1  run for 2 }\nnodes A\n';
    assert.deepEqual(report(text), ["1:30 DS120 'run for' needs a time unit: write 2ms or 2s (units: ns, us, ms, s, min)"]);
    assert.equal(fixesClean(text), 'scenario x { seed 1  run for 2ms }\nnodes A\n');
    assert.deepEqual(report(`${HEAD}nodes A, B\nevery 10 A -> B "x"\n`), ["3:7 DS120 'every' period needs a time unit: write 10ms or 10s (units: ns, us, ms, s, min)"]);
  });

  test('at 100ms crash B outside faults: faults go in faults { }, with the fix', () => {
    const text = `${HEAD}nodes A, B\nat 100ms crash B\n`;
    assert.deepEqual(report(text), ["3:10 DS102 'crash' is a fault, and faults go in a faults block: faults { at 100ms crash B }"]);
    assert.equal(modelOf(applyFix(text, checkText(text).diagnostics[0]!)).faults.length, 1);
    assert.deepEqual(report(`${HEAD}nodes A, B\nat 1ms clock A jump +5ms  // why\nat 2ms A -> B "x"\n`), ["3:8 DS102 'clock' is a fault, and faults go in a faults block: faults { at 1ms clock A jump +5ms }"]);
  });

  test('nodes client, server, leader: DS114 for the keyword, the other names declared, no "no nodes declared"', () => {
    const text = `${HEAD}nodes client, server, leader\nat 1ms server -> leader "x"\n`;
    assert.deepEqual(report(text), ["2:7 DS114 'client' is a keyword and cannot name a node; pick another name such as 'client1' or 'client_node'"]);
    assert.deepEqual(report(`${HEAD}nodes A, client\n`), ["2:10 DS114 'client' is a keyword and cannot name a node; pick another name such as 'client1' or 'client_node'"]);
    // A trailing comma before the next line's statement is still a cut-short list, not a node named `at`.
    assert.deepEqual(report(`${HEAD}nodes A, B,\nat 10ms A -> B "x"\n`).map((r) => r.slice(0, 9)), ['2:12 DS10']);
  });

  test('expect A.clock > B.lamport: says the two sides have different types (there is no number to add a unit to)', () => {
    assert.deepEqual(report(`${HEAD}nodes A, B\nexpect A.clock > B.lamport\n`), [
      '3:1 DS133 cannot compare a time with a number: A.clock is a time and B.lamport is a number; compare like with like',
    ]);
    const text = `${HEAD}nodes A, B\nexpect A.clock > 5\n`;
    assert.deepEqual(report(text), ['3:1 DS133 cannot compare a time with a number: A.clock is a time and 5 is a number; add a unit to the number: 5ms']);
    fixesClean(text);
  });

  test("'hello': strings use double quotes, with the fix, read as the string", () => {
    const text = `${HEAD}nodes A, B\nat 1ms A -> B 'hello'\n`;
    assert.deepEqual(report(text), ['3:15 DS101 strings use double quotes: write "hello"']);
    assert.equal(fixesClean(text), `${HEAD}nodes A, B\nat 1ms A -> B "hello"\n`);
    assert.deepEqual(report(`${HEAD}nodes A, B\nat 1ms A -> B 'x\n`), ['3:15 DS101 unexpected character "\'"; strings use double quotes: "hello"', "3:16 DS102 expected a quoted label but found 'x'"]);
  });

  test('unknown protocol, option and property names get a did-you-mean with the fix', () => {
    const protocol = `${HEAD}nodes A, B, C run rafft\n`;
    assert.match(report(protocol)[0]!, /^2:19 DS140 unknown protocol 'rafft'; did you mean 'raft'\? known here: .*raft/);
    fixesClean(protocol);
    assert.match(report(`${HEAD}nodes A, B, C run multi_paxos\n`)[0]!, /did you mean 'multipaxos'\?/);
    const option = `${HEAD}nodes A, B, C run raft { election_timout 150ms..300ms }\n`;
    assert.match(report(option)[0]!, /^2:26 DS126 protocol 'raft' has no option 'election_timout'; did you mean 'election_timeout'\? It takes: election_timeout, /);
    fixesClean(option);
    const property = `${HEAD}nodes A, B\nexpect A.lamprot >= 0\n`;
    assert.match(report(property)[0]!, /^3:10 DS132 node 'A' has no property 'lamprot'; did you mean 'lamport'\? It has: lamport, /);
    fixesClean(property);
    assert.match(report(`${HEAD}nodes A, B\nexpect A.zzz >= 0\n`)[0]!, /has no property 'zzz'; it has: lamport, /);
  });

  test('A.vc(C) with no node C does not suggest A', () => {
    assert.deepEqual(report(`${HEAD}nodes A, B\nexpect A.vc(C) >= 0\n`), ["3:13 DS110 unknown node 'C'; declared nodes: A, B"]);
  });
});

describe('a condition written after `invariant` says to write a property (DS130), with the fix', () => {
  test('`invariant n1.term <= 3`: one located DS130, no DS102 cascade; the fix writes the property form and checks clean', () => {
    const text = `${HEAD}nodes n1..n3 run raft\ninvariant n1.term <= 3\n`;
    assert.deepEqual(report(text), ["3:11 DS130 'n1' is a node, not an invariant; write it as a property: invariant n1_term: always n1.term <= 3"]);
    assert.equal(fixesClean(text), `${HEAD}nodes n1..n3 run raft\ninvariant n1_term: always n1.term <= 3\n`);
  });

  test('the whole condition is kept, keywords after the dot included', () => {
    const text = `${HEAD}nodes A, B\ninvariant A.clock - B.clock < 10ms\n`;
    assert.equal(fixesClean(text), `${HEAD}nodes A, B\ninvariant A_clock: always A.clock - B.clock < 10ms\n`);
  });

  test('a node name with no dot after it gets the same advice; built-in invariants are unaffected', () => {
    assert.deepEqual(report(`${HEAD}nodes A, B\ninvariant A < 3\n`), ["3:11 DS130 'A' is a node, not an invariant; write it as a property: invariant A_holds: always A < 3"]);
    assert.deepEqual(report(`${HEAD}nodes A, B\ninvariant max_skew < 10ms\n`), []);
    assert.match(report(`${HEAD}nodes A, B\ninvariant max_skw < 10ms\n`)[0]!, /DS130 unknown invariant 'max_skw'; did you mean 'max_skew'\?/);
  });
});
