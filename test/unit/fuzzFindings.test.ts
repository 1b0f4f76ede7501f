import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { format } from '../../server/src/core/format/formatter';
import { LocalClock } from '../../server/src/core/sim/clock';
import { MAX_FILE_BYTES, parse } from '../../server/src/core/syntax/parse';
import { checkText } from './support/scenario';

/** Bugs the fuzzer (test/fuzz/) found, each pinned by a direct test. */
describe('fuzz findings', () => {
  test('a clock stepped by 10^18 ns still schedules timers (trueTimeAt used to walk one ns at a time past 2^53)', () => {
    const clock = new LocalClock({ offset: 0, driftPpm: 80, resolution: 0 });
    clock.jump(1_000_000, 9e18);
    const local = clock.read(2_000_000) + 1_000_000_000;
    const t = clock.trueTimeAt(2_000_000, local);
    assert.ok(Number.isFinite(t) && t >= 2_000_000);
    // The answer is the first instant reaching the reading, as far as float precision tells them apart.
    assert.ok(clock.exact(t) >= local);
    // Small numbers keep the exact answer: 1s of local time at +80ppm is ⌈10⁹ / 1.00008⌉ ns of true time.
    const fresh = new LocalClock({ offset: 0, driftPpm: 80, resolution: 0 });
    assert.equal(fresh.trueTimeAt(0, 1_000_000_000), Math.ceil(1e9 / 1.00008));
  });

  test('a duration too large to simulate (a 400-digit period) is DS129, not an endless run', () => {
    const text = `scenario s { seed 1 run for 1s }\nnodes A, B\nevery 1${'0'.repeat(400)}ms A -> B "x"\n`;
    const checked = checkText(text);
    assert.equal(checked.model, undefined);
    assert.deepEqual(checked.diagnostics.map((d) => [d.code, d.range.startLine]), [['DS129', 3]]);
    // The written text is cut at 24 characters in the message.
    assert.equal(checked.diagnostics[0]!.message, `1${'0'.repeat(23)}… is too long: times are limited to 100 days (144000min)`);
  });

  test('a file over the size cap gets DS172 alone: no "missing header" noise from the unparsed text', () => {
    const text = `scenario s { seed 1 run for 1s }\n// ${'x'.repeat(MAX_FILE_BYTES)}`;
    assert.deepEqual(checkText(text).diagnostics.map((d) => d.code), ['DS172']);
    assert.deepEqual(parse(text).diagnostics.map((d) => d.code), ['DS172']);
  });

  test('a file whose lines end in CR only keeps its lines when formatted (a // comment used to swallow the next line)', () => {
    const lf = 'scenario s {\n  seed 1\n  run for 2s\n}\n\nnodes A, B\n// a comment\nat 1ms A -> B "x"\n';
    for (const eol of ['\r', '\r\n']) {
      const formatted = format(lf.replace(/\n/g, eol));
      assert.equal(formatted, lf, JSON.stringify(eol));
    }
  });
});
