import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MS, SECOND } from '../../server/src/core/units';
import { Simulation } from '../../server/src/core/sim/engine';
import { allViolations, summarize } from '../../server/src/core/sim/result';
import { modelOf, runText } from './support/scenario';

const header = (length = '4s'): string => `scenario inv { seed 1  run for ${length} }\n`;

describe('causal_delivery', () => {
  // A sends m1 to C over a slow link, then m2 to B; B forwards to C over fast links,
  // so "fwd" (which causally follows m1) reaches C at 40ms, before m1 at 110ms.
  const forwarded = (slow: string): string => `${header('1s')}nodes A, B, C
    network { latency 10ms }
    link A -> C { latency ${slow} }
    at 10ms A -> C "m1"
    at 20ms A -> B "m2"
    on B receive "m2" { send C "fwd" }
    invariant causal_delivery`;

  test('caught when a forwarded message overtakes the one it depends on', () => {
    const r = runText(forwarded('100ms'));
    assert.equal(r.violations.length, 1);
    const v = r.violations[0]!;
    assert.equal(v.code, 'DS201');
    assert.equal(v.time, 110 * MS);
    assert.equal(r.events[v.seq]!.kind, 'receive');
    assert.equal(r.events[v.seq]!.label, 'm1');
    assert.equal(v.message, 'C received "m1" from A (sent at 10ms) after "fwd" from B (sent at 30ms), which causally follows it');
    assert.deepEqual(v.causes.map((c) => c.range.startLine), [5, 7]);
    assert.equal(v.range.startLine, 8);
  });

  test('caught the same without recording: the send clocks it keeps are the messages\' own, not the live clocks', () => {
    // Were m1's send clock A's live one, it would have moved on with A's later send (m3) by the time m1 arrives, and the overtaking would go unseen.
    const r = runText(forwarded('100ms').replace('invariant causal_delivery', 'at 30ms A -> B "m3"\n    invariant causal_delivery'), { record: false });
    assert.deepEqual(r.violations.map((v) => [v.code, v.time]), [['DS201', 110 * MS]]);
  });

  test('silent when the same messages arrive in causal order', () => {
    assert.deepEqual(runText(forwarded('15ms')).violations, []);
  });

  test('silent when concurrent messages arrive in any order', () => {
    const r = runText(`${header('1s')}nodes A, B, C
      network { latency 10ms }
      link A -> C { latency 100ms }
      at 10ms A -> C "x"
      at 20ms B -> C "y"
      invariant causal_delivery`);
    const order = r.events.filter((e) => e.kind === 'receive').map((e) => e.label);
    assert.deepEqual(order, ['y', 'x']);
    assert.deepEqual(r.violations, []);
  });

  test('duplicate copies are not mistaken for overtaken messages', () => {
    const r = runText(`${header('1s')}nodes A, B
      network { latency 10ms  duplicate 100% }
      every 50ms A -> B "p"
      invariant causal_delivery`);
    assert.ok(r.stats.messagesDuplicated > 10);
    assert.deepEqual(r.violations, []);
  });
});

describe('max_skew', () => {
  const skew = (text: string, bound = '< 1ms') => runText(`${header()}nodes A, B, C\n${text}\ninvariant max_skew ${bound}`);

  test('drift only: +1000ppm against 0 crosses 1ms at exactly t = 1ms / 1000ppm = 1s', () => {
    const v = skew('clock A { drift +1000ppm }').violations;
    assert.equal(v.length, 1);
    assert.equal(v[0]!.time, SECOND);
    assert.match(v[0]!.message, /^max_skew 1ms >= 1ms at t=1s \(A \+1ms, B \+0ns from true time\); caused by: clock A drift \+1000ppm \(line 3\)$/);
  });

  test('with <= the bound itself is allowed: the first instant the readings differ by more is 1.000001s', () => {
    // The readings are whole ns: A reads ⌊1.001 t⌋, B reads t, so the gap is ⌊0.001 t⌋. At 1s + 1ns the unrounded
    // clocks differ by 1ms + 0.001ns, but the readings by exactly 1ms; the gap first reaches 1ms + 1ns when
    // 0.001 t ≥ 1_000_001, at t = 1_000_001_000 (the unrounded clock used to report "1ms > 1ms" at 1s + 1ns).
    const v = skew('clock A { drift +1000ppm }', '<= 1ms').violations[0]!;
    assert.equal(v.time, 1_000_001_000);
    assert.match(v.message, /^max_skew 1\.000001ms > 1ms at t=1\.000001s /);
  });

  test('spread is max − min: an offset that drift first closes, then reopens', () => {
    // A − B = −0.5ms + t · 500e-6: 0.5ms at 0, 0 at 1s, 1ms at t = 1.5ms / 500ppm = 3s.
    assert.equal(skew('clock A { offset -0.5ms  drift +500ppm }').violations[0]!.time, 3 * SECOND);
  });

  test('a jump violates at the instant of the jump, pointing at the jump', () => {
    const r = skew('every 100ms A -> B "p"\nfaults { at 500ms clock B jump +2ms }');
    const v = r.violations[0]!;
    assert.equal(v.time, 500 * MS);
    assert.equal(r.events[v.seq]!.kind, 'clock-jump');
    assert.deepEqual(v.causes.map((c) => [c.message, c.range.startLine]), [['clock B jump +2ms', 4]]);
  });

  test('a jump changes when drift crosses the bound', () => {
    // A = t · 1000e-6; from 400ms B reads +0.5ms. A − B reaches 1ms when t · 1000e-6 = 1.5ms: t = 1.5s
    // (1s without the jump). C is left out: A − C would reach 1ms at 1s.
    const drift = 'clock A { drift +1000ppm }';
    assert.equal(skew(drift, '(A, B) < 1ms').violations[0]!.time, SECOND);
    assert.equal(skew(`${drift}\nfaults { at 400ms clock B jump +0.5ms }`, '(A, B) < 1ms').violations[0]!.time, 1.5 * SECOND);
  });

  test('a drift change mid-run: from 2s at +1000ppm, the bound falls at 3s', () => {
    assert.equal(skew('faults { at 2s clock A drift +1000ppm }').violations[0]!.time, 3 * SECOND);
  });

  test('the violation is marked on the last event at or before the crossing', () => {
    const r = skew('clock A { drift +1000ppm }\nevery 300ms C local "tick"');
    const v = r.violations[0]!;
    assert.equal(v.time, SECOND);
    assert.equal(r.events[v.seq]!.time, 900 * MS);
    assert.equal(r.events[v.seq + 1]!.time, 1200 * MS);
  });

  test('clocks already apart at the start violate at t = 0', () => {
    const v = skew('clock A { offset +2ms }').violations[0]!;
    assert.deepEqual([v.time, v.seq], [0, -1]);
  });

  test('max_skew(A, B) watches only the nodes named', () => {
    assert.deepEqual(skew('clock C { drift +1000ppm }', '(A, B) < 1ms').violations, []);
    assert.equal(skew('clock C { drift +1000ppm }', '(A, C) < 1ms').violations[0]!.time, SECOND);
  });

  test('crashed nodes do not count; a restarted clock that drifted while down does', () => {
    assert.deepEqual(skew('clock C { drift +1000ppm }\nfaults { at 500ms crash C }').violations, []);
    // C kept drifting while down: at 2s it reads +2ms, so the restart violates at once.
    const v = skew('clock C { drift +1000ppm }\nfaults { at 500ms crash C\n at 2s restart C }').violations[0]!;
    assert.equal(v.time, 2 * SECOND);
  });

  test('no violation when the bound holds to the end', () => {
    assert.deepEqual(skew('clock A { drift +200ppm }').violations, []); // 0.8ms at 4s
  });
});

describe('expect and run budgets', () => {
  const text = `${header('1s')}nodes A, B
    network { latency 10ms }
    every 100ms A -> B "p"
    expect B.received("p") == 10
    expect B.received("p") == 4 at 450ms
    expect B.lamport > 100`;

  test('expectations pass or fail (DS202) with the values seen', () => {
    const r = runText(text);
    // Pings at 100..1000ms arrive 10ms later; the last, at 1010ms, is after the end: 9 by the end, 4 by 450ms.
    // B's Lamport clock: each receive sets it to max(own, ping's) + 1; the nth ping carries n, so it ends at 10.
    assert.deepEqual(r.expectations.map((e) => [e.outcome?.passed, e.outcome?.left, e.outcome?.time]), [
      [false, 9, SECOND], [true, 4, 450 * MS], [false, 10, SECOND],
    ]);
    const failed = allViolations(r).filter((v) => v.code === 'DS202');
    assert.deepEqual(failed.map((v) => v.range.startLine), [5, 7]);
    assert.equal(failed[0]!.message, 'expected B.received("p") == 10, but 9 vs 10 at t=1s');
  });

  test('max_events stops the run with stopReason max-events, and end-of-run expectations stay unevaluated', () => {
    // The budget is checked between steps; here every step (a ping timer, a delivery) records exactly one event.
    const r = summarize(new Simulation(modelOf(text), { maxEvents: 5 }).run());
    assert.equal(r.stopReason, 'max-events');
    assert.equal(r.stats.events, 5);
    assert.equal(r.events.length, 5);
    assert.deepEqual(r.expectations.map((e) => e.outcome), [undefined, undefined, undefined]);
  });

  test('max_events in the scenario header is the default budget', () => {
    const r = runText(text.replace('run for 1s', 'run for 1s  max_events 7'));
    assert.deepEqual([r.stopReason, r.stats.events], ['max-events', 7]);
  });

  test('until stops early (stopReason until, end-of-run expectations unevaluated); cancel stops a run in slices', () => {
    const early = runText(text, { until: 300 * MS });
    // Events at exactly `until` still happen: the ping sent at 300ms is the last event.
    assert.deepEqual([early.stopReason, early.endTime, early.events.at(-1)!.time], ['until', 300 * MS, 300 * MS]);
    assert.deepEqual(early.expectations.map((e) => e.outcome), [undefined, undefined, undefined]);
    // `until` at or past the end is a run to the end.
    assert.equal(runText(text, { until: 5 * SECOND }).stopReason, 'end');
    const sim = new Simulation(modelOf(text));
    assert.equal(sim.step(3), false);
    sim.cancel();
    assert.equal(sim.step(1000), true);
    assert.deepEqual([sim.stopReason, sim.eventCount], ['cancelled', 3]);
  });

  test('record off keeps counts and violations but no events', () => {
    const r = runText(text, { record: false });
    assert.deepEqual([r.events.length, r.stats.events > 0, allViolations(r).length], [0, true, 2]);
  });
});
