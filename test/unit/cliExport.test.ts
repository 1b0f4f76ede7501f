import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoPath } from './support/scenario';

/** `dsync run FILE --format shiviz|itf|mermaid|json [--limit N]` through the bundled CLI. */
function dsync(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: repoPath(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const DEMO = 'samples/causal_demo.dsync';

describe('dsync run --format', () => {
  test('each export goes to stdout; the exit code is still the verdict (causal_demo fails max_skew: 1)', () => {
    const mermaid = dsync('run', DEMO, '--format', 'mermaid');
    assert.equal(mermaid.status, 1);
    assert.match(mermaid.stdout, /^sequenceDiagram\n  title causal_demo, seed 7\n  participant A\n/);
    assert.equal(mermaid.stderr, '');
    const shiviz = dsync('run', DEMO, '--format', 'shiviz', '--seed', '8');
    assert.equal(shiviz.status, 1);
    assert.match(shiviz.stdout, /^\(\?<event>\.\*\)\\n\(\?<host>\\S\*\) \(\?<clock>\{\.\*\}\)\n\nsend "hello" -> B #0 @ t=/);
    const itf = dsync('run', DEMO, '--format', 'itf', '--limit', '2');
    assert.equal(itf.status, 1);
    const trace = JSON.parse(itf.stdout) as { '#meta': { source: string }; states: unknown[] };
    assert.equal(trace.states.length, 3);
    assert.equal(trace['#meta'].source, DEMO);
  });

  test('--format json is --json', () => {
    assert.equal(dsync('run', DEMO, '--format', 'json').stdout, dsync('run', DEMO, '--json').stdout);
  });

  test('--limit N: the first N events (shiviz)', () => {
    const out = dsync('run', DEMO, '--format', 'shiviz', '--limit', '2').stdout.trimEnd().split('\n');
    assert.equal(out.length, 2 + 2 * 2);
  });

  test('usage errors: exit 2, one line naming the command', () => {
    for (const [args, message] of [
      [['--format', 'dot'], /^dsync run: --format takes text, json, shiviz, itf, mermaid, not 'dot' \(see 'dsync run --help'\)$/],
      [['--format', 'itf', '--json'], /--json and --format disagree/],
      [['--limit', '3'], /--limit applies to --format shiviz, itf or mermaid/],
      [['--format', 'mermaid', '--limit', 'x'], /--limit takes a whole number, not 'x'/],
    ] as const) {
      const r = dsync('run', DEMO, ...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr.trim(), message);
      assert.equal(r.stdout, '');
    }
  });

  test('a file that does not check: its diagnostics on stderr, exit 2, no export', () => {
    const r = dsync('run', 'test/fixtures/diagnostics/DS101.dsync', '--format', 'mermaid');
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /DS101/);
  });
});
