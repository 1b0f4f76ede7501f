import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoPath } from './support/scenario';

/**
 * The bundled CLI for real: `node bin/dsync.js …` in the repo root (the test
 * runner builds dist/ before the tests run). Exit codes: 0 ok, 1 a violation,
 * 2 bad input or usage.
 */
const ROOT = repoPath();

function dsync(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-cli-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, text);
  return p;
}

/** `file:line:col: DSxxx message`: every error line the CLI prints for bad input. */
const DIAGNOSTIC_LINE = /^(.+):(\d+):(\d+): (DS\d{3}) (.+)$/;
const noStackTrace = (text: string): void => assert.doesNotMatch(text, /^\s+at .+\(.+:\d+:\d+\)$/m);

interface TraceJson {
  scenario: string;
  seed: number;
  endTime: number;
  stopReason: string;
  events: { seq: number; time: number; node: string | null; kind: string; lamport: number; vc: Record<string, number>; line: number }[];
  violations: { code: string; invariant: string; message: string; time: number; line: number; column: number }[];
}

describe('dsync check', () => {
  test('a good file: exit 0 and "ok"', () => {
    const r = dsync('check', 'samples/causal_demo.dsync', 'samples/lamport_vector.dsync');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'samples/causal_demo.dsync: ok\nsamples/lamport_vector.dsync: ok\n');
    assert.equal(r.stderr, '');
  });

  test('errors: exit 2, one `file:line:col: DSxxx message` line each', () => {
    const r = dsync('check', 'test/fixtures/diagnostics/DS110.dsync');
    assert.equal(r.status, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => DIAGNOSTIC_LINE.exec(l)?.slice(1, 5)), [
      ['test/fixtures/diagnostics/DS110.dsync', '4', '18', 'DS110'],
      ['test/fixtures/diagnostics/DS110.dsync', '5', '4', 'DS110'],
      ['test/fixtures/diagnostics/DS110.dsync', '6', '7', 'DS110'],
      ['test/fixtures/diagnostics/DS110.dsync', '7', '25', 'DS110'],
      ['test/fixtures/diagnostics/DS110.dsync', '8', '8', 'DS110'],
    ]);
    assert.equal(lines[0], "test/fixtures/diagnostics/DS110.dsync:4:18: DS110 unknown node 'Bobb'; did you mean 'Bob'?");
  });

  test('warnings only: exit 0, each warning marked', () => {
    const r = dsync('check', 'test/fixtures/diagnostics/DS150.dsync');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'test/fixtures/diagnostics/DS150.dsync: ok (3 warnings)\n');
    for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^test\/fixtures\/diagnostics\/DS150\.dsync:\d+:\d+: DS150 warning: /);
  });

  test('a syntax error: exit 2, the error line and no stack trace', () => {
    const bad = file('broken.dsync', 'scenario b { seed 1  run for 1s }\nnodes A, B\nat 10ms A -> B\n');
    const r = dsync('check', bad);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `${bad}:3:15: DS102 expected a quoted label but found end of file\n`);
    noStackTrace(r.stderr + r.stdout);
  });

  test('a missing file: exit 2 with a positioned message', () => {
    const r = dsync('check', 'no/such/file.dsync');
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'no/such/file.dsync:1:1: cannot read file: no such file\n');
  });
});

describe('dsync run', () => {
  test('human output: the timeline with local clocks and vector clocks, then the summary; exit 0', () => {
    const r = dsync('run', 'samples/lamport_vector.dsync');
    assert.equal(r.status, 0);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^true time\s+node\s+local\s+event\s+L\s+vector clock$/);
    assert.match(lines[1]!, /^0\.005000s\s+B\s+0\.005000s\s+local "b"\s+1\s+\[A:0 B:1 C:0\]$/);
    assert.match(r.stdout, /^0\.070000s\s+A\s+0\.070000s\s+recv "m4" <- C #3\s+7\s+\[A:3 B:4 C:3\]$/m);
    assert.match(r.stdout, /^scenario lamport_vector {2}seed 1, ran to t=100ms, 11 events, 4 messages sent, 4 delivered, 0 dropped, 0 duplicated$/m);
    assert.match(r.stdout, /^✓ causal_delivery$/m);
    assert.match(r.stdout, /^all invariants and expectations hold$/m);
    assert.doesNotMatch(r.stdout, /\x1b\[/); // no colour when not a terminal
  });

  test('an invariant violation: exit 1 and a DS201 line pointing at the invariant, with causes', () => {
    const r = dsync('run', 'samples/drift_breaks_skew.dsync', '--quiet');
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stdout, /^true time/m); // --quiet: no timeline
    assert.match(r.stdout, /^✗ max_skew < 5ms$/m);
    assert.match(r.stdout, /^samples\/drift_breaks_skew\.dsync:30:1: DS201 max_skew 5ms >= 5ms at t=20s /m);
    assert.match(r.stdout, /^ {2}caused by samples\/drift_breaks_skew\.dsync:24:1: clock A drift \+150ppm$/m);
  });

  test('a failed expectation: exit 1 and a DS202 line', () => {
    const f = file('expect.dsync', 'scenario e { seed 1  run for 100ms }\nnodes A, B\nat 10ms A -> B "x"\nexpect B.received("x") == 2\n');
    const r = dsync('run', f);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^✗ B\.received\("x"\) == 2$/m);
    assert.match(r.stdout, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:1: DS202 expected B\\.received\\("x"\\) == 2, but 1 vs 2 at t=100ms$`, 'm'));
  });

  test('--json: one JSON document with the scenario, seed, events and violations', () => {
    const r = dsync('run', 'samples/drift_breaks_skew.dsync', '--json');
    assert.equal(r.status, 1);
    const doc = JSON.parse(r.stdout) as TraceJson;
    assert.equal(doc.scenario, 'drift_breaks_skew');
    assert.equal(doc.seed, 1);
    assert.equal(doc.events.length, 24);
    doc.events.forEach((e, i) => {
      assert.equal(e.seq, i);
      assert.ok(Number.isInteger(e.time) && Number.isInteger(e.lamport) && Number.isInteger(e.line));
      assert.ok(['A', 'B', 'C'].includes(e.node!));
      assert.deepEqual(Object.keys(e.vc), ['A', 'B', 'C']);
    });
    // A's clock (+150ppm) reads 5s at true time ⌈5e9 / 1.00015⌉ = 4_999_250_113ns.
    assert.deepEqual(doc.events[0], { ...doc.events[0], seq: 0, time: 4_999_250_113, node: 'A', kind: 'send', lamport: 1, vc: { A: 1, B: 0, C: 0 }, line: 28 });
    assert.equal(doc.violations.length, 1);
    const v = doc.violations[0]!;
    assert.deepEqual([v.code, v.invariant, v.time, v.line, v.column], ['DS201', 'max_skew < 5ms', 20_000_000_000, 30, 1]);
    assert.match(v.message, /^max_skew 5ms >= 5ms at t=20s/);
  });

  test('--seed changes the run and is recorded; the same seed repeats it byte for byte', () => {
    const seven = dsync('run', 'samples/causal_demo.dsync', '--json');
    const eight = dsync('run', 'samples/causal_demo.dsync', '--json', '--seed', '8');
    assert.equal((JSON.parse(seven.stdout) as TraceJson).seed, 7);
    assert.equal((JSON.parse(eight.stdout) as TraceJson).seed, 8);
    assert.notEqual(seven.stdout, eight.stdout);
    assert.equal(dsync('run', 'samples/causal_demo.dsync', '--json', '--seed', '8').stdout, eight.stdout);
  });

  test('--until stops the run early', () => {
    const doc = JSON.parse(dsync('run', 'samples/partition_loss.dsync', '--json', '--until', '100ms').stdout) as TraceJson;
    assert.equal(doc.endTime, 100_000_000);
    assert.ok(doc.events.length > 0 && doc.events.every((e) => e.time <= 100_000_000));
  });

  test('--max-events: the run stops with a warning naming the flag; unevaluated expectations leave it undecided (exit 3)', () => {
    const r = dsync('run', 'samples/causal_demo.dsync', '--max-events', '3', '--quiet');
    assert.equal(r.status, 3);
    assert.match(r.stdout, /^warning: DS203 stopped after \d+ events at t=17\.361ms, the event budget set by --max-events 3; raise --max-events$/m);
    assert.match(r.stdout, /^\? B\.lamport >= 3 at end \(not evaluated: the run stopped at t=17\.361ms, before its end\)$/m);
    assert.match(r.stdout, /^not decided: 1 expectation was not evaluated; nothing failed up to t=17\.361ms$/m);
    assert.doesNotMatch(r.stdout, /hold/);
  });

  test('a file with errors is not run: exit 2', () => {
    const r = dsync('run', 'test/fixtures/diagnostics/DS123.dsync');
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.trimEnd().split('\n').every((l) => DIAGNOSTIC_LINE.test(l)));
  });
});

describe('dsync usage', () => {
  const usage = (args: string[], message: RegExp): void => {
    const r = dsync(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr.trimEnd(), message);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line, not the whole usage: ${r.stderr}`);
    assert.equal(r.stdout, '');
    noStackTrace(r.stderr);
  };

  test('bad usage exits 2 with one line: the reason and a pointer to the subcommand help', () => {
    usage(['frobnicate'], /^dsync: unknown command 'frobnicate' \(see 'dsync --help'\)$/);
    usage(['run'], /^dsync run: needs a FILE \(see 'dsync run --help'\)$/);
    usage(['check'], /^dsync check: needs at least one FILE \(see 'dsync check --help'\)$/);
    usage(['run', 'samples/causal_demo.dsync', '--seed', 'abc'], /^dsync run: --seed takes a whole number, not 'abc' \(see 'dsync run --help'\)$/);
    usage(['run', 'samples/causal_demo.dsync', '--seed'], /^dsync run: --seed needs a value \(see 'dsync run --help'\)$/);
    usage(['run', 'samples/causal_demo.dsync', '--until', '5'], /^dsync run: --until takes a time such as 500ms or 2s, not '5'/);
    usage(['run', 'samples/causal_demo.dsync', '--fast'], /^dsync run: unknown option '--fast' \(see 'dsync run --help'\)$/);
    usage(['run', 'samples/causal_demo.dsync', '--json=yes'], /^dsync run: --json takes no value/);
    usage(['run', 'a.dsync', 'b.dsync'], /^dsync run: takes one FILE/);
    usage(['fmt', '--check', '--write', 'a.dsync'], /^dsync fmt: fmt takes --check or --write, not both/);
    usage(['explore', 'samples/causal_demo.dsync', '--workers', '0'], /^dsync explore: --workers must be at least 1/);
    usage(['check', '--format', 'xml', 'a.dsync'], /^dsync check: --format takes text, json or sarif, not 'xml'/);
  });

  test('no arguments prints the usage and exits 2; --help exits 0; --version prints the package version', () => {
    const none = dsync();
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^usage:/);
    assert.equal(dsync('--help').status, 0);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    assert.deepEqual([dsync('--version').stdout, dsync('--version').status], [`${version}\n`, 0]);
  });
});
