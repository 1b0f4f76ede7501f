import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareHlc, hlcReceive, hlcTick } from '../../server/src/core/sim/hlc';
import { traceToJson } from '../../server/src/core/sim/json';
import { offsetSeries } from '../../server/src/core/sim/offsetSeries';
import { MS, SECOND, US } from '../../server/src/core/units';
import { nameOf, runText } from './support/scenario';

describe('hybrid logical clock rules (Kulkarni et al.)', () => {
  test('send or local event: l follows the physical clock, c counts while it stands still', () => {
    assert.deepEqual(hlcTick({ l: 10, c: 0 }, 12), { l: 12, c: 0 }); // the clock moved on
    assert.deepEqual(hlcTick({ l: 10, c: 0 }, 5), { l: 10, c: 1 }); // the clock is behind l
    assert.deepEqual(hlcTick({ l: 10, c: 4 }, 10), { l: 10, c: 5 }); // equal: still counts
  });

  test('receive: l is the largest of the three, c comes from whichever held it', () => {
    assert.deepEqual(hlcReceive({ l: 12, c: 1 }, { l: 12, c: 3 }, 11), { l: 12, c: 4 }); // both: max(c) + 1
    assert.deepEqual(hlcReceive({ l: 12, c: 4 }, { l: 9, c: 7 }, 11), { l: 12, c: 5 }); // own l
    assert.deepEqual(hlcReceive({ l: 12, c: 4 }, { l: 15, c: 2 }, 13), { l: 15, c: 3 }); // the message's l
    assert.deepEqual(hlcReceive({ l: 12, c: 4 }, { l: 15, c: 2 }, 20), { l: 20, c: 0 }); // the physical clock
  });

  test('order: by l, then c', () => {
    assert.ok(compareHlc({ l: 5, c: 9 }, { l: 6, c: 0 }) < 0);
    assert.ok(compareHlc({ l: 6, c: 1 }, { l: 6, c: 0 }) > 0);
    assert.equal(compareHlc({ l: 6, c: 1 }, { l: 6, c: 1 }), 0);
  });
});

describe('hybrid logical clocks in the simulator', () => {
  // A runs 10ms ahead, B on time; 2ms per message. Worked out by hand (pt = the node's clock):
  //   0ms  A sends m1, pt 10ms            A (10ms, 0)
  //   2ms  B receives m1, pt 2ms          B (10ms, 1)   l from the message
  //   2ms  B replies r1                   B (10ms, 2)
  //   4ms  A receives r1, pt 14ms         A (14ms, 0)   l from the physical clock
  //   5ms  B local x, pt 5ms              B (10ms, 3)
  //  20ms  B local y, pt 20ms             B (20ms, 0)
  //  25ms  A local a1, pt 35ms            A (35ms, 0)
  //  30ms  A's clock jumps back 50ms
  //  40ms  B sends late, pt 40ms          B (40ms, 0)
  //  42ms  A receives late, pt 2ms        A (40ms, 1)   the jump does not take l back
  //  42ms  A local after, pt 2ms          A (40ms, 2)
  const text = `scenario hlc { seed 1  run for 100ms }
nodes A, B
network { latency 2ms }
clock A { offset +10ms }
at 10ms A -> B "m1"
on B receive "m1" { reply "r1" }
at 5ms B local "x"
at 20ms B local "y"
at 35ms A local "a1"
faults { at 30ms clock A jump -50ms }
at 40ms B -> A "late"
on A receive "late" { local "after" }
expect A.hlc == 40ms at end
expect A.hlc_counter == 2 at end
expect B.hlc == 40ms at end
expect B.hlc_counter == 0 at end`;

  test('every node event carries the HLC after it', () => {
    const r = runText(text);
    const seen = r.events
      .filter((e) => e.kind === 'send' || e.kind === 'receive' || e.kind === 'local')
      .map((e) => `${e.time / MS}ms ${nameOf(r, e.node)} ${e.kind} ${e.label} (${e.hlc!.l / MS}ms, ${e.hlc!.c})`);
    assert.deepEqual(seen, [
      '0ms A send m1 (10ms, 0)',
      '2ms B receive m1 (10ms, 1)',
      '2ms B send r1 (10ms, 2)',
      '4ms A receive r1 (14ms, 0)',
      '5ms B local x (10ms, 3)',
      '20ms B local y (20ms, 0)',
      '25ms A local a1 (35ms, 0)',
      '40ms B send late (40ms, 0)',
      '42ms A receive late (40ms, 1)',
      '42ms A local after (40ms, 2)',
    ]);
    // Events that are not the node's own steps carry its HLC unchanged; environment events none.
    const jump = r.events.find((e) => e.kind === 'clock-jump')!;
    assert.deepEqual(jump.hlc, { l: 35 * MS, c: 0 });
    assert.ok(r.expectations.every((e) => e.outcome?.passed), JSON.stringify(r.expectations.map((e) => [e.text, e.outcome?.left])));
  });

  test('the JSON trace and the final state include it', () => {
    const doc = JSON.parse(traceToJson(runText(text))) as { events: { kind: string; hlc?: unknown }[]; final: { name: string; hlc: unknown }[] };
    assert.deepEqual(doc.events.find((e) => e.kind === 'send')!.hlc, { l: 10 * MS, c: 0 });
    assert.deepEqual(doc.final.map((n) => [n.name, n.hlc]), [['A', { l: 40 * MS, c: 2 }], ['B', { l: 40 * MS, c: 0 }]]);
  });

  test('HLC never goes backwards on a node, even across clock steps', () => {
    const r = runText(`scenario hlc_steps { seed 3  run for 2s }
nodes A, B, C
network { latency 1ms..30ms }
clock B { offset +40ms drift +300ppm }
every 10ms A -> * "ping"
on B receive "ping" { send C "fwd" }
on C receive "fwd" { reply "ack" }
faults { at 500ms clock B jump -80ms  at 1s clock C jump -20ms }`);
    const last = new Map<number, { l: number; c: number }>();
    for (const e of r.events) {
      if (!e.hlc) continue;
      const prev = last.get(e.node);
      if (prev) assert.ok(compareHlc(e.hlc, prev) >= 0, `HLC of ${nameOf(r, e.node)} went back at seq ${e.seq}`);
      last.set(e.node, e.hlc);
    }
  });
});

describe('offsetSeries', () => {
  test('start, every event, both sides of a step, and the end', () => {
    // A: +2ms and +100ppm; at 1s it reads 2.1ms ahead, then jumps −5ms to −2.9ms; at 3s −2.7ms.
    const r = runText(`scenario series { seed 1  run for 3s }
nodes A, B
clock A { offset +2ms drift +100ppm }
faults { at 1s clock A jump -5ms }`);
    const [a, b] = offsetSeries(r);
    assert.equal(a!.node, 'A');
    assert.deepEqual(a!.points, [
      { time: 0, offset: 2 * MS },
      { time: SECOND, offset: 2100 * US },
      { time: SECOND, offset: -2900 * US },
      { time: 3 * SECOND, offset: -2700 * US },
    ]);
    assert.deepEqual(b!.points, [{ time: 0, offset: 0 }, { time: 3 * SECOND, offset: 0 }]);
  });

  test('protocol estimates ride along with the real offset at the same instant', () => {
    const r = runText(`scenario series_ntp { seed 1  run for 2500ms }
nodes S, A
link A -> S { latency 6ms }
link S -> A { latency 2ms }
clock A { offset -1ms }
sync ntp { servers S; clients A; poll 1s; step_threshold 500us }`);
    const a = offsetSeries(r).find((s) => s.node === 'A')!;
    const estimated = a.points.filter((p) => p.estimated !== undefined);
    // First exchange: A is −1ms off, the route adds (6 − 2) / 2 = +2ms of error: estimate −1ms − 2ms.
    assert.deepEqual(estimated[0], { time: 8 * MS, offset: -1 * MS, estimated: -3 * MS });
    // A steps +3ms, to +2ms real, where every later estimate sees 0.
    assert.deepEqual(estimated.slice(1).map((p) => [p.offset, p.estimated]), [[2 * MS, 0], [2 * MS, 0]]);
    const times = a.points.map((p) => p.time);
    assert.deepEqual(times, [...times].sort((x, y) => x - y));
  });
});
