import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoPath } from './support/scenario';

/** `dsync log FILE [--regex R] [--json]` through the bundled CLI: exit 0 consistent, 1 not, 2 bad input. */
function dsync(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: repoPath(), encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-log-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, text);
  return p;
}
const ONE_LINE = '(?<host>\\w+) "(?<event>.*)" (?<clock>\\{.*\\})';

describe('dsync log', () => {
  test('a run exported with --format shiviz reads back consistent (standard input, ShiViz file layout)', () => {
    const shiviz = dsync(['run', 'samples/causal_demo.dsync', '--format', 'shiviz']).stdout;
    const r = dsync(['log', '-'], shiviz);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '<stdin>: 7 events on 3 hosts, 3 messages: vector clocks consistent');
  });

  test('inconsistent clocks: exit 1, each problem at the log line and column, the send named', () => {
    const log = file('bad.log', 'a "s1" {"a":1}\nb "r1 s2" {"a":1, "b":1}\nc "r2" {"c":1, "b":1}\nc "again" {"c":1}\n');
    const r = dsync(['log', log, '--regex', ONE_LINE]);
    assert.equal(r.status, 1);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      `${log}:3:8: receive-not-dominating: this receive's clock {"c": 1, "b": 1} does not dominate its send's {"a": 1, "b": 1}: its entry for a is 0, the send's 1`,
      `  the send (b's event 1) at ${log}:2:1`,
      `${log}:4:11: clock-backwards: c's own entry stays at 1: it must grow by exactly 1 from one event to the next`,
      `  c's previous event at ${log}:3:1`,
      `${log}:4:11: clock-backwards: c's entry for b goes back from 1 to 0: a host never forgets what it knew`,
      `  c's previous event at ${log}:3:1`,
    ]);
    assert.match(r.stdout, /: 4 events on 3 hosts, 2 messages: 3 vector-clock problems$/m);
    const json = JSON.parse(dsync(['log', log, '--regex', ONE_LINE, '--json']).stdout) as { consistent: boolean; diagnostics: { rule: string; line: number; column: number }[] };
    assert.equal(json.consistent, false);
    assert.deepEqual(json.diagnostics.map((d) => [d.rule, d.line, d.column]), [['receive-not-dominating', 3, 8], ['clock-backwards', 4, 11], ['clock-backwards', 4, 11]]);
  });

  test('bad input: exit 2 with file:line:column, never a stack trace', () => {
    const badClock = file('clock.log', 'a "x" {"a":1}\nb "y" {b:1}\n');
    for (const [args, message] of [
      [['log', badClock, '--regex', ONE_LINE], new RegExp(`^${badClock}:2:8: the clock is not JSON: `)],
      [['log', badClock, '--regex', '(?<host>\\w+) (?<clock>.*)'], /^dsync log: --regex: the regular expression needs the named groups .* it has no \(\?<event>…\)$/],
      [['log', file('empty.log', ''), '--regex', ONE_LINE], /:1:1: the log is empty$/],
      [['log', badClock], new RegExp(`^${badClock}:1:1: the regular expression needs the named groups`)],
      [['log', path.join(scratch, 'missing.log')], /:1:1: cannot read file: no such file$/],
    ] as const) {
      const r = dsync([...args]);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr.trim(), message);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    }
    const json = dsync(['log', badClock, '--regex', ONE_LINE, '--json']);
    assert.equal(json.status, 2);
    assert.deepEqual((JSON.parse(json.stdout) as { error: { line: number } }).error.line, 2);
  });

  test('usage: no file, two files, unknown flag: exit 2; --help: exit 0', () => {
    assert.equal(dsync(['log']).status, 2);
    assert.equal(dsync(['log', 'a', 'b']).status, 2);
    assert.match(dsync(['log', 'a', '--nope']).stderr, /^dsync log: unknown option '--nope'/);
    const help = dsync(['log', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: dsync log FILE \[--regex R\] \[--json\]/);
    assert.match(help.stdout, /'\(\?<event>\.\*\)\\n\(\?<host>\\S\*\) \(\?<clock>\{\.\*\}\)'/);
  });
});
