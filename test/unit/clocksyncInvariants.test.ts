import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MS, SECOND } from '../../server/src/core/units';
import { checkText, runText } from './support/scenario';

const header = (length = '60s') => `scenario inv { seed 1  run for ${length} }\n`;

function only(text: string) {
  const r = runText(text);
  assert.equal(r.violations.length, 1, r.violations.map((v) => v.message).join('\n'));
  return r.violations[0]!;
}

function none(text: string): void {
  const r = runText(text);
  assert.deepEqual(r.violations.map((v) => v.message), []);
}

describe('max_offset', () => {
  test('from true time: +100ppm reaches 5ms at exactly 5ms / 100ppm = 50s', () => {
    const v = only(`${header()}nodes A, B\nclock A { drift +100ppm }\ninvariant max_offset < 5ms`);
    assert.equal(v.time, 50 * SECOND);
    assert.match(v.message, /^max_offset 5ms >= 5ms at t=50s: A is 5ms ahead of true time; caused by: clock A drift \+100ppm \(line 3\)$/);
    assert.deepEqual(v.causes.map((c) => c.range.startLine), [3]);
  });

  test('behind true time counts the same; <= allows the bound itself (first instant after: 50s + 1ns)', () => {
    const v = only(`${header()}nodes A\nclock A { drift -100ppm }\ninvariant max_offset <= 5ms`);
    // A reads ⌊0.9999 t⌋, 5ms behind at 50s; at 50s + 1ns it reads ⌊49_995_000_000.9999⌋: 5.000001ms behind
    // (the gap is shown exactly when 3 decimals would read like the bound).
    assert.equal(v.time, 50 * SECOND + 1);
    assert.match(v.message, /^max_offset 5\.000001ms > 5ms at t=50\.000000001s: A is 5\.000001ms behind true time/);
  });

  test('silent while the bound holds', () => {
    none(`${header()}nodes A\nclock A { offset +1ms drift +50ppm }\ninvariant max_offset < 5ms`); // 4ms at 60s
  });

  test('from a reference node: A +100ppm against G −100ppm reach 5ms at 25s', () => {
    const v = only(`${header()}nodes G, A\nclock G { drift -100ppm }\nclock A { drift +100ppm }\ninvariant max_offset(G) < 5ms`);
    assert.equal(v.time, 25 * SECOND);
    assert.match(v.message, /^max_offset\(G\) 5ms >= 5ms at t=25s: A is 5ms ahead of G \(A \+2\.5ms, G -2\.5ms from true time\)/);
  });

  test('only the reference is compared with: two clocks off together are fine', () => {
    none(`${header()}nodes G, A, B\nclock A { offset +20ms }\nclock B { offset +20ms }\nclock G { offset +20ms }\ninvariant max_offset(G) < 1ms`);
  });

  test('while the reference is down nothing is compared; at its restart the gap counts', () => {
    // A gains 100µs/s on G. G is down from 1s to 20s: at 20s A is 2ms ahead, over the 1ms bound.
    const v = only(`${header('30s')}nodes G, A\nclock A { drift +100ppm }\nfaults { at 1s crash G  at 20s restart G }\ninvariant max_offset(G) < 1ms`);
    assert.equal(v.time, 20 * SECOND);
  });

  test('within T: offsets before T are allowed, the bound holds from T on', () => {
    none(`${header('10s')}nodes A\nclock A { offset +50ms }\nfaults { at 2s clock A jump -50ms }\ninvariant max_offset within 3s < 1ms`);
    const v = only(`${header('10s')}nodes A\nclock A { offset +50ms }\nfaults { at 4s clock A jump -50ms }\ninvariant max_offset within 3s < 1ms`);
    assert.equal(v.time, 3 * SECOND);
  });

  test('an asymmetric link of the node is named as a cause', () => {
    const v = only(`${header('3s')}nodes S, A\nlink A -> S { latency 30ms }\nlink S -> A { latency 2ms }\nsync ntp { servers S; clients A; step_threshold 1ms }\ninvariant max_offset < 5ms`);
    assert.equal(v.time, 32 * MS);
    assert.deepEqual(v.causes.map((c) => c.message), [
      'ntp on A: θ +14ms from S',
      'link A -> S takes 30ms but S -> A 2ms: two-way synchronisation between them is off by half the difference, 14ms',
    ]);
    assert.deepEqual(v.causes.map((c) => c.range.startLine), [5, 3]);
  });

  test('written forms: a bound is needed, one reference at most', () => {
    const code = (inv: string) => checkText(`${header()}nodes A, B\ninvariant ${inv}`).diagnostics.map((d) => d.code);
    assert.deepEqual(code('max_offset < 1ms'), []);
    assert.deepEqual(code('max_offset(A) within 2s <= 1ms'), []);
    assert.deepEqual(code('max_offset'), ['DS131']);
    assert.deepEqual(code('max_offset(A, B) < 1ms'), ['DS131']);
    assert.deepEqual(code('max_offset(C) < 1ms'), ['DS110']);
  });
});

describe('monotonic_clocks', () => {
  test('a backward jump violates at its instant, pointing at the fault', () => {
    const v = only(`${header('5s')}nodes A, B\nfaults {\n  at 1s clock B jump +3ms\n  at 2s clock B jump -1ms\n}\ninvariant monotonic_clocks`);
    assert.equal(v.time, 2 * SECOND);
    assert.equal(v.message, "B's clock stepped back 1ms at t=2s: it read 2.003000s, then 2.002000s; caused by: clock B jump -1ms (line 5)");
    assert.deepEqual(v.causes.map((c) => c.range.startLine), [5]);
  });

  test('forward jumps, slow drift and negative initial offsets are fine', () => {
    none(`${header('5s')}nodes A\nclock A { offset -5ms drift -900ppm }\nfaults { at 1s clock A jump +3ms  at 2s clock A drift -50000ppm }\ninvariant monotonic_clocks`);
  });

  test('a protocol stepping a clock back violates; slewing it back does not', () => {
    const v = only(`${header('3s')}nodes S, A\nnetwork { latency 1ms }\nclock A { offset +50ms }\nsync ntp { servers S; clients A; step_threshold 10ms }\ninvariant monotonic_clocks`);
    assert.equal(v.time, 2 * MS);
    assert.match(v.message, /^A's clock stepped back 50ms at t=2ms: .*caused by: ntp on A: θ -50ms from S \(line 5\)$/);
    none(`${header('3s')}nodes S, A\nnetwork { latency 1ms }\nclock A { offset +5ms }\nsync ntp { servers S; clients A }\ninvariant monotonic_clocks`);
  });

  test('monotonic_clocks(A) watches only A; a crashed node does not count', () => {
    none(`${header('5s')}nodes A, B\nfaults { at 1s clock B jump -1ms }\ninvariant monotonic_clocks(A)`);
    none(`${header('5s')}nodes A\nfaults { at 1s crash A  at 2s clock A jump -1ms  at 3s restart A }\ninvariant monotonic_clocks`);
  });
});

describe('converges', () => {
  test('not converged by T: reported at T', () => {
    // A starts 2ms off and nothing corrects it.
    const v = only(`${header('10s')}nodes A, B\nclock A { offset +2ms }\ninvariant converges within 5s < 1ms`);
    assert.equal(v.time, 5 * SECOND);
    assert.match(v.message, /^not converged by t=5s: skew 2ms >= 1ms \(A \+2ms, B \+0ns from true time\); caused by: clock A offset \+2ms \(line 3\)$/);
  });

  test('diverging later: +100ppm against 0 crosses 1ms at 10s, after T = 1s', () => {
    const v = only(`${header('20s')}nodes A, B\nclock A { drift +100ppm }\ninvariant converges within 1s < 1ms`);
    assert.equal(v.time, 10 * SECOND);
    assert.match(v.message, /^diverged again at t=10s: skew 1ms >= 1ms/);
  });

  test('a skew removed before T is fine', () => {
    none(`${header('10s')}nodes A, B\nclock A { offset +2ms }\nfaults { at 3s clock A jump -2ms }\ninvariant converges within 5s < 1ms`);
  });

  test('a run that ends before T is not decided (DS206): convergence was never checked', () => {
    const v = only(`${header('2s')}nodes A, B\ninvariant converges within 5s < 1ms`);
    assert.equal(v.code, 'DS206');
    assert.match(v.message, /^not decided: the run ended at t=2s, before 'within 5s'/);
  });

  test('converges(A, B) watches only A and B', () => {
    none(`${header('10s')}nodes A, B, C\nclock C { offset +9ms }\ninvariant converges(A, B) within 1s < 1ms`);
  });

  test('crashed nodes do not count', () => {
    none(`${header('10s')}nodes A, B\nclock A { drift +1000ppm }\nfaults { at 500ms crash A }\ninvariant converges within 1s < 1ms`);
  });

  test('needs within and a bound', () => {
    const code = (inv: string) => checkText(`${header()}nodes A, B\ninvariant ${inv}`).diagnostics.map((d) => d.code);
    assert.deepEqual(code('converges within 2s < 100us'), []);
    assert.deepEqual(code('converges < 100us'), ['DS131']);
    assert.deepEqual(code('converges within 2s'), ['DS131']);
  });

  test('bound and deadline in microseconds work exactly', () => {
    // A gains 10µs per second against B: 50µs at 5s.
    const v = only(`${header('20s')}nodes A, B\nclock A { drift +10ppm }\ninvariant converges within 1s < 50us`);
    assert.equal(v.time, 5 * SECOND);
    assert.match(v.message, /^diverged again at t=5s: skew 50us >= 50us/);
  });
});
