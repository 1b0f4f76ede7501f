import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compile } from '../../server/src/core/expr/compile';
import type { ExprReader } from '../../server/src/core/expr/reader';
import { LocalClock } from '../../server/src/core/sim/clock';
import { allViolations } from '../../server/src/core/sim/result';
import { TIME } from '../../server/src/core/expr/types';
import { checked, TEST_ENV } from './support/expr';
import { runText } from './support/scenario';

/**
 * Written properties judged at every instant, not only at events: a clock
 * expression crossing its bound between events (also when it fails and
 * recovers there, on rounded readings), and deadlines of `eventually` and
 * `whenever` at their exact instant with the state of that instant.
 * Instants are computed by hand in the comments.
 */
function violations(text: string) {
  return allViolations(runText(text)).map((v) => ({ code: v.code, time: v.time, seq: v.seq, message: v.message, witness: v.witness }));
}
const head = (length: string, nodes = 'A, B') => `scenario t { seed 1  run for ${length} }\nnodes ${nodes}\n`;

describe('always: clock expressions judged between events, exactly', () => {
  test('a difference that fails and recovers between two events (no event at all here)', () => {
    // A − B = ⌊2ms − 10⁻⁴·t⌋ (A: offset +2ms, drift −100ppm; B perfect): below 1ms from t = 10s + 1ns,
    // back above −1ms… |A − B| < 1ms only on (10s, 30s]. At the end (60s) it holds again: a check at events misses it.
    const v = violations(`${head('60s')}clock A { offset +2ms; drift -100ppm }\ninvariant apart: always abs(A.clock - B.clock) >= 1ms\n`);
    assert.deepEqual(v.map((x) => [x.code, x.time, x.seq]), [['DS201', 10_000_000_001, -1]]);
    assert.match(v[0]!.message, /^apart violated at t=10(\.000)?s: A \(clock [\d.]+s\), B \(clock [\d.]+s\)$/);
  });

  test('readings floored to the resolution: B − A reaches 500us at t = 500us on a 1ms clock', () => {
    // A reads ⌊t⌋ to the ms, B reads t: B − A = t mod 1ms, 500us first at t = 500us, back to 0 at 1ms, and so on.
    const v = violations(`${head('10ms')}clock A { resolution 1ms }\ninvariant fine: always B.clock - A.clock < 500us\n`);
    assert.deepEqual(v.map((x) => [x.code, x.time, x.seq]), [['DS201', 500_000, -1]]);
  });

  test('a spread max − min over nodes: the first instant, as max_skew finds it', () => {
    // A +100ppm, C −100ppm: readings ⌊1.0001·t⌋ − ⌊0.9999·t⌋ = 10ms first at t = 50s (at 50s − 1ns it is 9.999999ms).
    const text = `${head('60s', 'A, B, C')}clock A { drift +100ppm }\nclock C { drift -100ppm }\ninvariant max_skew < 10ms\ninvariant spread: always max(n in nodes: n.clock) - min(n in nodes: n.clock) < 10ms\n`;
    const v = violations(text);
    assert.deepEqual(v.map((x) => x.time), [50_000_000_000, 50_000_000_000]);
    // The two clocks that make the spread.
    assert.deepEqual(v[1]!.witness?.nodes, { A: { clock: 50_005_000_000 }, C: { clock: 49_995_000_000 } });
  });

  test('an offset against true time (clock − now) with a slew between two jumps', () => {
    // A jumps +1ms at 1s, then drifts −50ppm from 2s: its offset 1ms − 50·10⁻⁶·(t − 2s) is below 500us from t = 12s + 1ns.
    const v = violations(`${head('20s')}faults {\n  at 1s clock A jump +1ms\n  at 2s clock A drift -50ppm\n}\ninvariant ahead: always A.offset >= 500us or now < 1s\n`);
    assert.deepEqual(v.map((x) => [x.time, x.seq]), [[12_000_000_001, -1]]);
  });

  test('a form with three clocks (A + B − 2·C) is solved too', () => {
    // A +200ppm, B +100ppm, C perfect: A + B − 2C = ⌊1.0002t⌋ + ⌊1.0001t⌋ − 2t = ⌊0.0003t⌋ (t a multiple of 10⁴ ns);
    // ≥ 3us first at t = 10ms exactly (at 10ms − 1ns: 1999 + 999 = 2998).
    const v = violations(`${head('1s', 'A, B, C')}clock A { drift +200ppm }\nclock B { drift +100ppm }\ninvariant three: always A.clock + B.clock - 2 * C.clock < 3us\n`);
    assert.deepEqual(v.map((x) => [x.time, x.seq]), [[10_000_000, -1]]);
  });

  test('a form the solver cannot follow (a division) falls back to a search by bisection', () => {
    // ⌊A / 1000⌋ ≥ 5us from A = 5ms: t = 5ms for a perfect clock.
    const v = violations(`${head('1s')}invariant div: always A.clock / 1000 < 5us\n`);
    assert.deepEqual(v.map((x) => [x.time, x.seq]), [[5_000_000, -1]]);
  });
});

describe('eventually and whenever: deadlines at their exact instant', () => {
  test('eventually over a clock: true between events counts (was: never seen, a violation at the deadline)', () => {
    assert.deepEqual(violations(`${head('5s')}invariant soon: eventually within 2s A.clock >= 1s\n`), []);
    const late = violations(`${head('5s')}clock A { offset -1500ms }\ninvariant soon: eventually within 2s A.clock >= 1s\n`);
    // A reads t − 1.5s: 1s only at 2.5s, after the deadline.
    assert.deepEqual(late.map((x) => [x.code, x.time, x.seq]), [['DS201', 2_000_000_000, -1]]);
    assert.match(late[0]!.message, /did not hold by t=2s; at t=2s: A \(clock 500ms\)$/);
  });

  test('eventually: the witness is the state at the deadline, not at the next event after it', () => {
    // The only message arrives at 300ms, after the deadline 100ms: at 100ms B had received nothing.
    const v = violations(`${head('1s')}network { latency 10ms }\nat 290ms A -> B "x"\ninvariant got: eventually within 100ms B.received >= 1\n`);
    assert.deepEqual(v.map((x) => [x.code, x.time, x.seq]), [['DS201', 100_000_000, -1]]);
    assert.deepEqual(v[0]!.witness?.nodes, { B: { received: 0 } });
  });

  test('whenever: the trigger instance (its event and witness) and the deadline instant', () => {
    // A sends at 10ms (seq 0), B receives at 110ms: the deadline 60ms passes first.
    const v = violations(`${head('1s')}network { latency 100ms }\nat 10ms A -> B "x"\ninvariant answered: whenever A.sent >= 1 then within 50ms B.received >= 1\n`);
    assert.deepEqual(v.map((x) => [x.code, x.time, x.seq]), [['DS201', 60_000_000, 0]]);
    assert.equal(v[0]!.message, 'answered violated: the trigger held at t=10ms (A (sent 1)) and the response did not follow within 50ms (by t=60ms)');
  });

  test('whenever: a response exactly at the deadline counts', () => {
    assert.deepEqual(violations(`${head('1s')}network { latency 50ms }\nat 10ms A -> B "x"\ninvariant answered: whenever A.sent >= 1 then within 50ms B.received >= 1\n`), []);
  });

  test('whenever with a clock trigger: it fires between events (seq -1), and its deadline is judged with no event there', () => {
    // A reads t + 0: the trigger is true from exactly 1s; nothing answers; the deadline is 1.1s.
    const v = violations(`${head('5s')}invariant alarm: whenever A.clock >= 1s then within 100ms B.received >= 1\n`);
    assert.deepEqual(v.map((x) => [x.code, x.time, x.seq]), [['DS201', 1_100_000_000, -1]]);
    assert.match(v[0]!.message, /the trigger held at t=1s \(A \(clock 1s\)\)/);
  });

  test('a deadline past the end is not decided; at the end exactly it is decided', () => {
    assert.deepEqual(violations(`${head('1s')}invariant alarm: whenever A.clock >= 950ms then within 100ms B.received >= 1\n`).map((x) => x.code), ['DS206']);
    assert.deepEqual(violations(`${head('1050ms')}invariant alarm: whenever A.clock >= 950ms then within 100ms B.received >= 1\n`).map((x) => [x.code, x.time]), [['DS201', 1_050_000_000]]);
  });
});

/** A reader of a run with no events: node i's clock is `clocks[i]` read at `t`. */
function readerAt(names: readonly string[], clocks: readonly LocalClock[], t: number): ExprReader {
  return {
    nodeIndex: (name) => names.indexOf(name),
    property: () => undefined,
    builtin: (node, name) => (name === 'clock' ? clocks[node]!.read(t) : name === 'offset' ? clocks[node]!.read(t) - t : name === 'alive' ? true : 0),
    variable: () => t,
  };
}

describe('always over clocks: the first violation equals a scan of every nanosecond (fast-check)', () => {
  const FORMULAS = [
    (k: number) => `n1.clock - n2.clock < ${k}ns`,
    (k: number) => `abs(n1.clock - n3.clock) < ${k}ns`,
    (k: number) => `max(n in nodes: n.clock) - min(n in nodes: n.clock) < ${k}ns`,
    (k: number) => `n2.offset < ${k}ns and n2.offset > -${k}ns`,
    (k: number) => `n1.clock + n2.clock - 2 * n3.clock < ${k}ns`,
    (k: number) => `(n1.clock - n2.clock >= ${k}ns) implies (n3.clock - now < ${k}ns)`,
    (k: number) => `max(n1.clock, n2.clock) - n3.clock != ${k}ns`,
  ];
  const clockArb = fc.record({ offset: fc.integer({ min: -3000, max: 3000 }), drift: fc.integer({ min: -3000, max: 3000 }), resolution: fc.constantFrom(0, 7, 100, 1000) });
  test('random clocks, resolutions and bounds', () => {
    const LENGTH = 20_000; // ns: a full scan stays cheap
    fc.assert(
      fc.property(fc.array(clockArb, { minLength: 3, maxLength: 3 }), fc.nat(FORMULAS.length - 1), fc.integer({ min: 1, max: 4000 }), (clocks, which, k) => {
        const formula = FORMULAS[which]!(k);
        const clockLines = clocks.map((c, i) => `clock n${i + 1} { offset ${c.offset >= 0 ? '+' : '-'}${Math.abs(c.offset)}ns; drift ${c.drift >= 0 ? '+' : '-'}${Math.abs(c.drift)}ppm${c.resolution ? `; resolution ${c.resolution}ns` : ''} }`).join('\n');
        const found = violations(`scenario f { seed 1  run for ${LENGTH}ns }\nnodes n1, n2, n3\n${clockLines}\ninvariant p: always ${formula}\n`);
        const compiled = compile(checked(formula, { ...TEST_ENV, nodeProperties: [...TEST_ENV.nodeProperties, { name: 'offset', type: TIME, doc: '' }] }));
        const local = clocks.map((c) => new LocalClock({ offset: c.offset, driftPpm: c.drift, resolution: c.resolution }));
        let expected: number | undefined;
        for (let t = 0; t <= LENGTH && expected === undefined; t++) if (compiled(readerAt(['n1', 'n2', 'n3'], local, t)) !== true) expected = t;
        assert.deepEqual(found.map((v) => v.time), expected === undefined ? [] : [expected], `${formula}\n${clockLines}`);
      }),
      { numRuns: 60, seed: 1407 },
    );
  });
});

describe('the sample props_clock_crossing in the CLI', () => {
  test('the crossing at t=1s gets a line of its own in the event list; the event violation is marked on its event', async () => {
    const { spawnSync } = await import('node:child_process');
    const { repoPath } = await import('./support/scenario');
    const r = spawnSync(process.execPath, ['bin/dsync.js', 'run', 'samples/props_clock_crossing.dsync'], { cwd: repoPath(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 1);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => /^1\.000000s\s+\*\s+skew_ok violated \(between events\)\s+◀ violation$/.test(l));
    assert.ok(at > 0, r.stdout);
    // Between the events around it: A's send at 980ms (by its clock) and the next at 1.05s.
    assert.match(lines[at - 1]!, /^0\.984804s\s+B\s+/);
    assert.match(lines[at + 1]!, /^1\.049790s\s+A\s+/);
    assert.ok(lines.some((l) => /^0\.354930s\s+B\s+.*recv "tick" <- A #4.*◀ violation$/.test(l)));
    assert.match(r.stdout, /DS201 skew_ok violated at t=1s: A \(clock 1\.0002s\), C \(clock 999\.9ms\)/);
  });
});

describe('run-time errors between events', () => {
  test('a division by zero that only happens between events is DS205 at its instant, not a crash', () => {
    // 1000 − now/1ms is 0 at exactly t = 1s (the end of the run): the division is not solvable, so the bisection finds it.
    const v = violations(`${head('1s')}invariant div: always 10 / (1000 - now / 1ms) > -100\n`);
    assert.deepEqual(v.map((x) => [x.code, x.time, x.seq]), [['DS205', 1_000_000_000, -1]]);
    assert.match(v[0]!.message, /^div could not be evaluated at t=1s: division by zero/);
  });
});
