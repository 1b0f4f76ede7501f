import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { itfChunks } from '../../server/src/core/export/itf';
import { itfValue, propertyTypes } from '../../server/src/core/export/itfValues';
import { MERMAID_DEFAULT_LIMIT, mermaidLines, mermaidText, participantIds } from '../../server/src/core/export/mermaid';
import { SHIVIZ_DEFAULT_REGEX, shivizLines } from '../../server/src/core/export/shiviz';
import { parseTypeText } from '../../server/src/core/expr/types';
import type { RunResult } from '../../server/src/core/sim/result';
import { itfBigint, itfProblems } from './support/itfTrace';
import { parseMermaidSequence } from './support/mermaidSequence';
import { repoPath, runText } from './support/scenario';

/**
 * `dsync run --format shiviz|itf|mermaid`: each export is read back with what
 * defines its format — ShiViz's own regular expression and its clock rules,
 * the ITF rules of Apalache's ADR-015, Mermaid's sequence-diagram grammar —
 * and compared with the run it came from.
 */
const runs = new Map<string, RunResult>();
const sample = (name: string): RunResult => {
  let result = runs.get(name);
  if (!result) runs.set(name, (result = runText(fs.readFileSync(repoPath('samples', name), 'utf8'))));
  return result;
};
const CAUSAL = 'causal_demo.dsync';
const RAFT = 'raft_log_repair.dsync';
/** A short Raft run: a full ITF state per event grows with the logs (raft_log_repair's is 77 MB). */
const SHORT_RAFT = 'raft_forget_vote.dsync';

interface ShivizEvent {
  readonly text: string;
  readonly host: string;
  readonly clock: Record<string, number>;
}

/** ShiViz's upload layout: line 1 the regex (empty: the default), line 2 the executions delimiter, then the log, matched globally. */
function readShiviz(output: string): { regex: string; delimiter: string; events: ShivizEvent[] } {
  const [regex, delimiter, ...log] = output.split('\n');
  const pattern = new RegExp(regex === '' ? SHIVIZ_DEFAULT_REGEX : regex!, 'g');
  const events = [...log.join('\n').trim().matchAll(pattern)].map((m) => ({ text: m.groups!['event']!, host: m.groups!['host']!, clock: JSON.parse(m.groups!['clock']!) as Record<string, number> }));
  return { regex: regex!, delimiter: delimiter!, events };
}

describe('ShiViz export', () => {
  for (const name of [CAUSAL, RAFT]) {
    test(`${name}: ShiViz's regex reads back every send, receive and local event with the run's vector clock`, () => {
      const result = sample(name);
      const { regex, delimiter, events } = readShiviz([...shivizLines(result)].join('\n'));
      assert.equal(regex, '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})');
      assert.equal(delimiter, '');
      const names = result.model.nodes.map((n) => n.name);
      const ticking = result.events.filter((e) => e.kind === 'send' || e.kind === 'receive' || e.kind === 'local');
      assert.ok(ticking.length > 5);
      assert.equal(events.length, ticking.length);
      events.forEach((got, i) => {
        const e = ticking[i]!;
        assert.equal(got.host, names[e.node]);
        const expected: Record<string, number> = {};
        names.forEach((n, j) => {
          if (e.vc[j]! > 0) expected[n] = e.vc[j]!;
        });
        assert.deepEqual(got.clock, expected, `event ${i}: ${got.text}`);
      });
    });

    test(`${name}: the log keeps ShiViz's rules (own entry 1, 2, 3… per host; other entries name logged events)`, () => {
      const { events } = readShiviz([...shivizLines(sample(name))].join('\n'));
      const count = new Map<string, number>();
      for (const e of events) count.set(e.host, (count.get(e.host) ?? 0) + 1);
      const seen = new Map<string, number>();
      for (const e of events) {
        const own = (seen.get(e.host) ?? 0) + 1;
        seen.set(e.host, own);
        assert.equal(e.clock[e.host], own, `${e.host}'s own entry on '${e.text}'`);
        for (const [host, time] of Object.entries(e.clock)) {
          assert.ok(count.has(host), `${host} logs no event`);
          assert.ok(time >= 1 && time <= count.get(host)!, `${host}:${time} is no logged event`);
        }
      }
    });
  }

  test('--limit keeps the first N events; user text stays on its line', () => {
    const result = runText('scenario s { seed 1; run for 1s }\nnodes A, B\nat 1ms A -> B "two\\nlines\u2028here"\nat 2ms B local "x"\n');
    const lines = [...shivizLines(result)];
    const all = readShiviz(lines.join('\n')).events;
    assert.equal(all.length, 3);
    assert.match(all[0]!.text, /^send "two\\nlines\\u2028here" -> B #0 @ t=0\.001000s$/);
    assert.equal(readShiviz([...shivizLines(result, { limit: 1 })].join('\n')).events.length, 1);
  });
});

describe('ITF export', () => {
  const itf = (result: RunResult, limit?: number): Record<string, unknown> => JSON.parse([...itfChunks(result, limit !== undefined ? { limit } : {})].join('')) as Record<string, unknown>;

  for (const name of [CAUSAL, SHORT_RAFT]) {
    test(`${name}: a valid ITF trace, one state per event after the initial one`, () => {
      const result = sample(name);
      const trace = itf(result);
      assert.deepEqual(itfProblems(trace), []);
      const states = trace['states'] as Record<string, unknown>[];
      assert.equal(states.length, result.events.length + 1);
      states.forEach((s, i) => assert.deepEqual((s['#meta'] as { index: number }).index, i));
      assert.deepEqual(trace['vars'], ['time', 'event', 'nodes']);
      // Each state's time and event are the run's.
      result.events.forEach((e, i) => {
        const s = states[i + 1]!;
        assert.equal(itfBigint(s['time']), BigInt(e.time));
        assert.equal(itfBigint((s['event'] as { seq: unknown }).seq), BigInt(e.seq));
        assert.equal((s['event'] as { kind: string }).kind, e.kind);
      });
    });
  }

  test("the last state's clocks and protocol state are the run's final ones (folded from the state diffs)", () => {
    const result = sample(SHORT_RAFT);
    const states = itf(result)['states'] as { nodes: { '#map': [string, Record<string, unknown>][] } }[];
    const last = new Map(states[states.length - 1]!.nodes['#map']);
    const types = propertyTypes(result.model);
    const lastSeq = result.events[result.events.length - 1]!.seq;
    let checkedState = 0;
    result.final.forEach((n, i) => {
      const node = last.get(n.name)!;
      assert.equal(itfBigint(node['lamport']), BigInt(n.lamport));
      const vc = new Map((node['vc'] as { '#map': [string, unknown][] })['#map']);
      result.model.nodes.forEach((m, j) => assert.equal(itfBigint(vc.get(m.name)), BigInt(n.vc[j]!), `${n.name}.vc[${m.name}]`));
      assert.equal(node['alive'], n.alive);
      const expected: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(result.states!.stateAt(i, lastSeq))) expected[k] = itfValue(v, types[i]!.get(k));
      assert.deepEqual(node['state'], expected, n.name);
      checkedState += Object.keys(expected).length;
    });
    assert.ok(checkedState > 10, 'the servers report their state');
  });

  test('violations: at the state of their event, failed expectations in the trace #meta', () => {
    const result = sample(CAUSAL);
    const trace = itf(result);
    const states = trace['states'] as { '#meta': { violations?: { invariant: string }[] } }[];
    const withViolation = states.filter((s) => s['#meta'].violations);
    assert.deepEqual(withViolation.flatMap((s) => s['#meta'].violations!.map((v) => v.invariant)), result.violations.map((v) => v.invariant));
    const bad = runText('scenario s { seed 1; run for 1s }\nnodes A, B\nat 1ms A -> B "m"\nexpect B.lamport >= 5 at end\n');
    const meta = itf(bad)['#meta'] as { violations?: { code: string }[] };
    assert.deepEqual(meta.violations?.map((v) => v.code), ['DS202']);
  });

  test('--limit: the initial state and the first N events, and #meta says so', () => {
    const result = sample(CAUSAL);
    const trace = itf(result, 3);
    assert.deepEqual(itfProblems(trace), []);
    assert.equal((trace['states'] as unknown[]).length, 4);
    assert.match((trace['#meta'] as { cut: string }).cut, new RegExp(`^the first 3 of ${result.events.length} events$`));
  });

  test('values follow the declared types: sets, int-keyed maps, optionals, records, big integers', () => {
    assert.deepEqual(itfValue([1, 2], parseTypeText('set<int>')), { '#set': [{ '#bigint': '1' }, { '#bigint': '2' }] });
    assert.deepEqual(itfValue([1, 2], parseTypeText('list<int>')), [{ '#bigint': '1' }, { '#bigint': '2' }]);
    assert.deepEqual(itfValue({ '3': 'x' }, parseTypeText('map<int, string>')), { '#map': [[{ '#bigint': '3' }, 'x']] });
    assert.deepEqual(itfValue({ k: 'v' }, parseTypeText('map<string, string>')), { '#map': [['k', 'v']] });
    assert.deepEqual(itfValue(null, parseTypeText('node?')), { tag: 'None', value: { '#tup': [] } });
    assert.deepEqual(itfValue('n1', parseTypeText('node?')), { tag: 'Some', value: 'n1' });
    assert.deepEqual(itfValue({ term: 2, command: 'put' }, parseTypeText('{ term: int, command: string }')), { term: { '#bigint': '2' }, command: 'put' });
    assert.deepEqual(itfValue(2 ** 60), { '#bigint': '1152921504606846976' });
    assert.deepEqual(itfValue(0.5), { '#unserializable': '0.5' });
    assert.deepEqual(itfValue({ '#x': true }), { '#map': [['#x', true]] });
    assert.deepEqual(itfProblems({ vars: ['v'], states: [{ v: itfValue({ '#x': null, y: [true] }) }] }), []);
  });

  test('the validator rejects what ITF does not allow (it can fail)', () => {
    assert.notDeepEqual(itfProblems({ vars: ['v'], states: [{ v: null }] }), []);
    assert.notDeepEqual(itfProblems({ vars: ['v'], states: [{ v: 1.5 }] }), []);
    assert.notDeepEqual(itfProblems({ vars: ['v'], states: [{}] }), []);
    assert.notDeepEqual(itfProblems({ vars: ['v'], states: [{ v: { '#bigint': '1e3' } }] }), []);
    assert.notDeepEqual(itfProblems({ vars: ['v'], states: [{ v: { '#map': [[1]] } }] }), []);
    assert.notDeepEqual(itfProblems({ vars: ['v'], states: [{ v: 1, w: 2 }] }), []);
  });
});

describe('Mermaid export', () => {
  const diagram = (result: RunResult, limit?: number): string => [...mermaidLines(result, limit !== undefined ? { limit } : {})].join('\n');

  test(`${CAUSAL}: Mermaid's sequence grammar reads it: participants, arrows at arrival, notes for crashes, faults and violations`, () => {
    const result = sample(CAUSAL);
    const d = parseMermaidSequence(diagram(result));
    assert.deepEqual(d.participants.map((p) => p.id), ['A', 'B', 'C']);
    assert.equal(d.title, 'causal_demo, seed 7');
    const delivered = result.events.filter((e) => e.kind === 'receive').length;
    assert.equal(d.messages.filter((m) => m.arrow === '->>').length, delivered);
    assert.deepEqual(d.messages[0], { from: 'A', arrow: '->>', to: 'B', text: 'hello' });
    assert.ok(d.notes.some((n) => n.over.join() === 'B' && n.text === 'CRASH'));
    assert.ok(d.notes.some((n) => n.over.join() === 'A,C' && n.text.startsWith('partition')));
    const violation = d.notes.find((n) => n.text.startsWith('✗ DS201 max_skew < 10ms'));
    assert.ok(violation, 'the violation is a note');
    assert.deepEqual(violation.over, ['C']);
  });

  test(`${RAFT}: a long run is cut at ${MERMAID_DEFAULT_LIMIT} arrows and notes, with a note saying how much is left out`, () => {
    const result = sample(RAFT);
    const d = parseMermaidSequence(diagram(result));
    const items = d.messages.length + d.notes.length;
    assert.equal(items, MERMAID_DEFAULT_LIMIT + 1, 'the limit plus the note');
    assert.match(d.notes[d.notes.length - 1]!.text, /^… [\d,]+ more events not shown \(at most 200 arrows and notes; --limit N shows more\)$/);
    const small = parseMermaidSequence(diagram(result, 10));
    assert.equal(small.messages.length + small.notes.length, 11);
  });

  test('lost messages are crossed arrows; messages in flight at the end open arrows', () => {
    const result = runText('scenario s { seed 1; run for 100ms }\nnodes A, B\nnetwork { latency 50ms }\nat 1ms A -> B "early"\nat 90ms A -> B "late"\nat 21ms A -> B "cut"\nfaults {\n  at 20ms partition {A} | {B}\n  at 30ms heal\n}\n');
    const d = parseMermaidSequence(diagram(result));
    assert.deepEqual(d.messages.map((m) => `${m.from}${m.arrow}${m.to} ${m.text}`), ['A-xB cut (lost: partition)', 'A->>B early', 'A-)B late (in flight at the end)']);
  });

  test('nodes Mermaid would read as keywords get an id and their name as alias; reserved characters are entity codes', () => {
    assert.deepEqual(participantIds(['end', 'Note', 'optimizer', 'Alice', 'p0', 'Zürich']), ['p0_', 'p1', 'p2', 'Alice', 'p0', 'Zürich']);
    const result = runText('scenario s { seed 1; run for 1s }\nnodes End, Note, box1, Alice\nat 1ms End -> Alice "50% #1; <b>&"\nat 2ms Note -> box1 "x"\n');
    const d = parseMermaidSequence(diagram(result));
    assert.deepEqual(d.participants, [{ id: 'p0', alias: 'End' }, { id: 'p1', alias: 'Note' }, { id: 'p2', alias: 'box1' }, { id: 'Alice' }]);
    assert.deepEqual(d.messages.map((m) => [m.from, m.to, m.text]), [['p0', 'Alice', '50% #1; <b>&'], ['p1', 'p2', 'x']]);
    assert.equal(mermaidText(''), '(empty)');
  });

  test('the grammar check rejects what Mermaid would misread (it can fail)', () => {
    assert.throws(() => parseMermaidSequence('sequenceDiagram\n  participant A\n  A->>A: x # y'), /comment/);
    assert.throws(() => parseMermaidSequence('sequenceDiagram\n  participant end\n  end->>end: x'), /no statement|participant/);
    assert.throws(() => parseMermaidSequence('sequenceDiagram\n  participant A\n  A->>A: x; y'), /';'/);
    assert.throws(() => parseMermaidSequence('sequenceDiagram\n  participant A\n  A->>B: x'), /not a declared participant/);
    assert.throws(() => parseMermaidSequence('sequenceDiagram\n  participant A\n  Note over A:'), /INVALID|no statement/);
  });
});
