import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoPath, runText } from './support/scenario';

/**
 * Invariants that can only judge the whole run (no_message_lost without a
 * deadline passed, converges, linearizable, a written eventually) are "not
 * decided" (DS206, `?`, exit 3) on a run that stopped early (`--until` before
 * the scenario's end, an event budget), never judged on the prefix; what is
 * already certain on the prefix (a non-linearizable history, clocks apart
 * after T) still fails.
 */
const ROOT = repoPath();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-early-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function dsync(...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout };
}
function file(name: string, text: string): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, text);
  return p;
}
const verdictLines = (out: string): string[] => out.split('\n').filter((l) => /^[✓✗?] /.test(l));

// A drifts 100ppm from B: 1ms apart at exactly t=10s.
const DRIFTING = 'scenario c { seed 1  run for 20s }\nnodes A, B\nclock A { drift +100ppm }\ninvariant converges within 1s < 1ms\n';

describe('end-of-run invariants on a run that stopped early: not decided', () => {
  test('no_message_lost: messages still waiting at --until are not "never consumed" (was ✗, exit 1)', () => {
    const r = dsync('run', 'samples/queue_consumer_crash.dsync', '--until', '300ms');
    assert.equal(r.status, 3, r.stdout);
    assert.deepEqual(verdictLines(r.stdout).slice(0, 2), ['? no_message_lost (not decided)', '? no_message_lost within 1s (not decided)']);
    assert.match(r.stdout, /DS206 not decided: the run stopped at t=300ms \(until\), before the scenario's end at t=2s, and 5 message\(s\) were not consumed yet/);
    assert.match(r.stdout, /^not decided: 3 expectations were not evaluated, 2 invariants were not decided; nothing failed up to t=300ms$/m);
    // The whole run decides it.
    assert.equal(dsync('run', 'samples/queue_consumer_crash.dsync', '-q').status, 0);
  });

  test('no_message_lost at an event budget (--max-events): not decided, exit 3', () => {
    const r = dsync('run', 'samples/queue_consumer_crash.dsync', '--max-events', '100');
    assert.equal(r.status, 3, r.stdout);
    assert.match(r.stdout, /DS206 not decided: the run stopped at t=[\d.]+m?s when its event budget ran out, and \d+ message\(s\) were not consumed yet/);
  });

  test('linearizable(kv): a linearizable prefix is not a pass (was ✓, exit 0); the whole run still fails', () => {
    const r = dsync('run', 'samples/lease_read_clock_jump.dsync', '--until', '700ms');
    assert.equal(r.status, 3, r.stdout);
    assert.deepEqual(verdictLines(r.stdout), ['✓ election_safety', '? linearizable(kv) (not decided)']);
    assert.match(r.stdout, /the \d+ operations so far are linearizable, but linearizable judges the whole history/);
    const whole = dsync('run', 'samples/lease_read_clock_jump.dsync', '-q');
    assert.equal(whole.status, 1);
    assert.match(whole.stdout, /DS201 not linearizable/);
    // A prefix that already has no linearization fails: no continuation repairs it.
    const late = dsync('run', 'samples/lease_read_clock_jump.dsync', '--until', '1.5s', '-q');
    assert.equal(late.status, 1, late.stdout);
  });

  test('converges: together so far at --until is not decided (was ✓, exit 0); apart after T fails', () => {
    const f = file('drift.dsync', DRIFTING);
    const early = dsync('run', f, '--until', '5s');
    assert.equal(early.status, 3, early.stdout);
    assert.deepEqual(verdictLines(early.stdout), ['? converges within 1s < 1ms (not decided)']);
    const past = dsync('run', f, '--until', '15s', '-q');
    assert.equal(past.status, 1, past.stdout);
    assert.match(past.stdout, /DS201 diverged again at t=10s/);
  });

  test('converges in the core: a complete run judges, an early stop is DS206', () => {
    assert.deepEqual(runText(DRIFTING.replace('20s', '5s')).violations.map((v) => v.code), []);
    assert.deepEqual(runText(DRIFTING, { until: 5_000_000_000 }).violations.map((v) => v.code), ['DS206']);
  });

  test('a written eventually whose deadline is past the stop is not decided; one whose deadline passed fails', () => {
    const f = file('ev.dsync', 'scenario e { seed 1  run for 1s }\nnodes A, B\nat 300ms A -> B "x"\ninvariant got: eventually within 200ms B.received >= 1\n');
    const early = dsync('run', f, '--until', '100ms', '-q');
    assert.equal(early.status, 3, early.stdout);
    const late = dsync('run', f, '--until', '250ms', '-q');
    assert.equal(late.status, 1, late.stdout);
    assert.match(late.stdout, /did not hold by t=200ms/);
  });
});
