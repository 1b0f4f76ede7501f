import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTimeline, type TimelineMessage } from '../../server/src/core/sim/timeline';
import type { RunResult } from '../../server/src/core/sim/result';
import type { TraceEvent } from '../../server/src/core/sim/trace';
import { NO_RANGE } from '../../server/src/core/source';
import { MS, SECOND } from '../../server/src/core/units';
import { runText } from './support/scenario';

/** Three perfect clocks, fixed 5ms latency unless a test says otherwise, 1s run. */
const run = (body: string, network = 'latency 5ms'): RunResult =>
  runText(`scenario tl { seed 4  run for 1s }
    nodes A, B, C
    network { ${network} }
    ${body}`);

/** `label from->to send..end outcome[ reason]` in ms, for reading failures. */
const show = (m: TimelineMessage): string => `${m.label} ${m.from}->${m.to} ${m.sendTime / MS}..${m.endTime / MS} ${m.outcome}${m.reason ? ` ${m.reason}` : ''}`;

describe('buildTimeline', () => {
  test('pairs each send with its receive: endpoints, times, seqs and label', () => {
    const r = run('at 10ms A -> B "x"\nat 20ms C -> A "y"');
    const t = buildTimeline(r);
    // Perfect clocks fire `at` on true time; 5ms latency.
    assert.deepEqual(t.messages.map(show), ['x 0->1 10..15 delivered', 'y 2->0 20..25 delivered']);
    for (const m of t.messages) {
      const send = t.events[m.sendSeq]!;
      const end = t.events[m.endSeq]!;
      assert.equal(send.kind, 'send');
      assert.equal(end.kind, 'receive');
      assert.equal(send.msg, m.msg);
      assert.equal(end.msg, m.msg);
      assert.equal(end.time - send.time, 5 * MS);
    }
  });

  test('a lost message is one dropped arrow ending at its send, with the reason', () => {
    const r = run('at 10ms A -> B "lost"', 'latency 5ms  loss 100%');
    const t = buildTimeline(r);
    assert.deepEqual(t.messages.map(show), ['lost 0->1 10..10 dropped loss']);
    assert.equal(t.events[t.messages[0]!.endSeq]!.kind, 'drop');
  });

  test('a message to a crashed node is dropped on arrival (node-down)', () => {
    const r = run('at 10ms A -> B "late"\nfaults { at 12ms crash B }');
    assert.deepEqual(buildTimeline(r).messages.map(show), ['late 0->1 10..15 dropped node-down']);
  });

  test('duplication: the first copy to arrive is delivered, the second is the duplicate', () => {
    // Uniform latency: the two copies arrive at different times, either may come first.
    const r = run('at 10ms A -> B "twice"', 'latency 2ms..20ms  duplicate 100%');
    const t = buildTimeline(r);
    assert.equal(t.messages.length, 2);
    const [first, second] = t.messages;
    assert.equal(first!.msg, second!.msg);
    assert.deepEqual([first!.outcome, second!.outcome], ['delivered', 'duplicate']);
    assert.ok(first!.endTime <= second!.endTime);
    assert.ok(first!.endSeq < second!.endSeq);
    assert.equal(t.events.filter((e) => e.kind === 'receive').length, 2);
  });

  test('crash intervals run from crash to restart, or to the end of the run', () => {
    const r = run('faults { at 100ms crash B\n at 300ms restart B\n at 600ms crash C }');
    const t = buildTimeline(r);
    assert.deepEqual(t.crashes, [
      { node: 1, from: 100 * MS, to: 300 * MS },
      { node: 2, from: 600 * MS, to: 1 * SECOND },
    ]);
  });

  test('partition intervals: a window, a heal, and one still open at the end', () => {
    const r = run('faults { at 100ms partition {A} | {B, C} for 50ms\n at 400ms partition {A, B} | {C}\n at 500ms heal\n at 800ms partition {C} | {A, B} }');
    const t = buildTimeline(r);
    assert.deepEqual(t.partitions, [
      { from: 100 * MS, to: 150 * MS, groups: '{A} | {B, C}' },
      { from: 400 * MS, to: 500 * MS, groups: '{A, B} | {C}' },
      { from: 800 * MS, to: 1 * SECOND, groups: '{C} | {A, B}' },
    ]);
  });

  test('roles: one interval per role note, each until the next note of that node or the end', () => {
    // A real run's result with the trace replaced by role notes as a protocol records them (ctx.note(detail, { role })).
    const base = run('');
    const note = (seq: number, node: number, ms: number, role: string): TraceEvent => ({
      seq, time: ms * MS, node, local: ms * MS, kind: 'note', lamport: seq, vc: new Int32Array(3), range: NO_RANGE,
      detail: `became ${role}`, data: { role, term: 1 },
    });
    const events = [note(0, 0, 0, 'follower'), note(1, 1, 0, 'follower'), note(2, 0, 100, 'candidate'), note(3, 0, 120, 'leader'), note(4, 1, 700, 'candidate')];
    const t = buildTimeline({ ...base, events });
    const byNode = (n: number) => t.roles.filter((r) => r.node === n).map((r) => `${r.role} ${r.from / MS}..${r.to / MS}`);
    assert.deepEqual(byNode(0), ['follower 0..100', 'candidate 100..120', 'leader 120..1000']);
    assert.deepEqual(byNode(1), ['follower 0..700', 'candidate 700..1000']);
    assert.deepEqual(byNode(2), []);
  });

  test('roles from a real raft run chain without gaps from the first note to the end', () => {
    const r = runText(`scenario raft_roles { seed 3  run for 1s }
      nodes n1..n3 run raft { election_timeout 150ms..300ms; heartbeat 50ms }
      network { latency 2ms..8ms }`);
    const t = buildTimeline(r);
    assert.ok(t.roles.some((x) => x.role === 'leader'), 'someone is elected within 1s');
    for (let n = 0; n < 3; n++) {
      const mine = t.roles.filter((x) => x.node === n).sort((a, b) => a.from - b.from);
      const notes = t.events.filter((e) => e.node === n && e.kind === 'note' && typeof e.data?.['role'] === 'string');
      assert.equal(mine.length, notes.length);
      mine.forEach((x, i) => {
        assert.equal(x.from, notes[i]!.time);
        assert.equal(x.role, notes[i]!.data!['role']);
        assert.equal(x.to, i + 1 < mine.length ? mine[i + 1]!.from : t.endTime);
      });
    }
  });

  test('events carry plain vector clocks, 1-based source positions and the clock reading', () => {
    const r = runText(`scenario tl { seed 1  run for 100ms }
nodes A, B
network { latency 5ms }
clock A { offset +3ms }
at 10ms A -> B "x"`);
    const t = buildTimeline(r);
    const send = t.events.find((e) => e.kind === 'send')!;
    // A's clock is 3ms ahead: it reads 10ms at true 7ms.
    assert.deepEqual([send.time, send.local], [7 * MS, 10 * MS]);
    assert.ok(Array.isArray(send.vc));
    assert.deepEqual(send.vc, [1, 0]);
    // Line 5 of the text; the send's range starts at its sender, `A` (`at 10ms ` is 8 characters).
    assert.equal(send.line, 5);
    assert.equal(send.column, 9);
    assert.deepEqual(t.nodes.map((n) => [n.name, n.offset, n.line]), [['A', 3 * MS, 2], ['B', 0, 2]]);
    // Survives JSON unchanged: the payload crosses the LSP and webview boundaries.
    assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
  });

  test('cut at maxEvents: only the first events, messages among them, marked truncated', () => {
    const r = run('at 10ms A -> B "a"\nat 50ms A -> C "b"');
    const full = buildTimeline(r);
    assert.equal(full.truncated, false);
    // Events: send a (0), receive a (1), send b (2), receive b (3).
    const cut = buildTimeline(r, 3);
    assert.equal(cut.truncated, true);
    assert.equal(cut.events.length, 3);
    assert.deepEqual(cut.messages.map(show), ['a 0->1 10..15 delivered']);
  });
});
