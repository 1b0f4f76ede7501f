import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoPath } from './support/scenario';

/**
 * `dsync lin` for real (`node bin/dsync.js lin …`), on the hand-written
 * histories in test/fixtures/histories: one per format and model, each
 * small enough to decide by reading it. Exit codes: 0 linearizable, 1 not,
 * 2 bad input or usage, 3 undecided.
 */
const ROOT = repoPath();
const FIXTURES = 'test/fixtures/histories';

function dsync(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lin = (file: string, ...rest: string[]) => dsync(['lin', path.join(FIXTURES, file), ...rest]);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-lin-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, text);
  return p;
}

interface LinJson {
  format: string;
  model: string;
  verdict: string;
  operations: number;
  keys: number;
  failures: { key: string | null; prefixEnd: { line: number; returnLine: number | null; text: string }; prefixOperations: number; minimal: boolean; involved: { line: number; text: string }[]; longestOrder: { line: number }[] }[];
  undecided: { key: string | null; steps: number }[];
}
const json = (r: { stdout: string }): LinJson => JSON.parse(r.stdout) as LinJson;

describe('dsync lin: Jepsen EDN', () => {
  test('per-key registers: key "a" is fine, key "b" reads nil after a write of 6 returned', () => {
    const r = lin('register-keys.edn', '--model', 'register', '--json');
    assert.equal(r.status, 1, r.stderr);
    const v = json(r);
    assert.equal(v.format, 'jepsen-edn');
    assert.equal(v.verdict, 'not linearizable');
    assert.equal(v.keys, 2);
    // The :fail write of 5 did not happen, the :nemesis op is no client op.
    assert.equal(v.operations, 5);
    assert.equal(v.failures.length, 1);
    const f = v.failures[0]!;
    assert.equal(f.key, 'b');
    assert.deepEqual([f.prefixEnd.line, f.prefixEnd.returnLine], [10, 11]);
    assert.equal(f.prefixOperations, 3);
    assert.ok(f.minimal);
    // The first read of nil on b is no part of the contradiction and is left out.
    assert.deepEqual(f.involved.map((o) => o.line), [8, 10]);
    assert.deepEqual(f.longestOrder.map((o) => o.line), [6, 8]);
  });

  test('the text report names the key, the lines and the order', () => {
    const r = lin('register-keys.edn', '--model', 'register');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^test\/fixtures\/histories\/register-keys\.edn: 5 operations, 2 keys, model register: NOT linearizable \(1 of 2 keys fail\)$/m);
    assert.match(r.stdout, /key "b": no linearization\. The history is already not linearizable at test\/fixtures\/histories\/register-keys\.edn:11, when process 1's read "b" → nil returns/);
    assert.match(r.stdout, /line 8–9 +process 2 +write "b" ← 6/);
  });

  test(':info may have happened: a later read of its value is fine, and it may also never take effect', () => {
    const r = lin('register-info.edn', '--model', 'register');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /: linearizable$/m);
  });

  test(':fail did not happen: the failed compare-and-set constrains nothing', () => {
    const r = lin('cas-fail.edn', '--model', 'cas-register', '--json');
    assert.equal(r.status, 0);
    assert.equal(json(r).operations, 1);
  });

  test('standard input with -, format detected', () => {
    const text = fs.readFileSync(path.join(ROOT, FIXTURES, 'register-keys.edn'), 'utf8');
    const r = dsync(['lin', '-', '--model', 'register'], text);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^<stdin>: 5 operations/);
  });
});

describe('dsync lin: Porcupine logs', () => {
  test('etcd-style Jepsen log, cas-register: :fail :cas is a compare that failed, :info and timed-out reads are unknown', () => {
    const r = lin('cas-ok.log', '--model', 'cas-register', '--json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const v = json(r);
    assert.equal(v.format, 'porcupine');
    // write, cas ok, read, cas failed, write unknown, read; the timed-out read is left out.
    assert.equal(v.operations, 6);
  });

  test('a compare-and-set that reports a failed compare while the value matched is a violation', () => {
    const r = lin('cas-bad.log', '--model', 'cas-register', '--json');
    assert.equal(r.status, 1);
    const f = json(r).failures[0]!;
    assert.equal(f.prefixEnd.text, 'cas 1→2 failed');
    assert.deepEqual([f.prefixEnd.line, f.prefixEnd.returnLine], [3, 4]);
  });

  test('key-value log with append (append-kv): "ab" is possible, "ba" is not', () => {
    const ok = lin('kv-append-ok.txt', '--model', 'append-kv', '--format', 'porcupine');
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const bad = lin('kv-append-bad.txt', '--model', 'append-kv', '--json');
    assert.equal(bad.status, 1);
    const f = json(bad).failures[0]!;
    assert.equal(f.key, 'x');
    assert.equal(f.prefixEnd.text, 'read "x" → "ba"');
  });

  test('kv: an unwritten key reads as empty, and values keep their type', () => {
    assert.equal(lin('kv-put.edn', '--model', 'kv').status, 0);
    // As registers, the never-written key "y" holds nil, not "".
    const r = lin('kv-put.edn', '--model', 'register', '--json');
    assert.equal(r.status, 1);
    assert.equal(json(r).failures[0]!.key, 'y');
  });
});

describe('dsync lin: dsync run --json', () => {
  test('the client events of a run agree with its linearizable(kv) invariant', () => {
    // Raft with and without a bug switch, Multi-Paxos through a leader change.
    const samples = [['samples/lease_read_clock_jump.dsync', 1], ['samples/raft_commit_old_terms.dsync', 1], ['samples/raft_election_partition.dsync', 0], ['samples/multipaxos_leader_change.dsync', 0]] as const;
    for (const [sample, expected] of samples) {
      const run = dsync(['run', sample, '--json']);
      const trace = file(path.basename(sample, '.dsync') + '.json', run.stdout);
      const violations = (JSON.parse(run.stdout) as { violations: { invariant: string }[] }).violations.filter((v) => v.invariant.startsWith('linearizable'));
      assert.equal(violations.length > 0 ? 1 : 0, expected, sample);
      const r = dsync(['lin', trace, '--model', 'kv', '--json']);
      assert.equal(r.status, expected, `${sample}: ${r.stdout.slice(0, 400)}${r.stderr}`);
      assert.equal(json(r).format, 'dsync-json');
    }
  });
});

describe('dsync lin: bad input and usage', () => {
  const BAD: [string, string, RegExp][] = [
    ['unclosed.edn', '{:type :invoke, :f :read, :process 0\n', /:1:1: the map opened here is never closed \(expected '\}'\)$/],
    ['badtype.edn', '{:type :invoke, :f :read, :process 0}\n{:type :done, :f :read, :process 0}\n', /:2:8: :type must be :invoke, :ok, :fail or :info, not :done$/],
    ['orphan.edn', '{:type :ok, :f :read, :value 1, :process 4}\n', /:1:1: a completion \(:ok\) for process 4, which has no operation outstanding$/],
    ['twice.edn', '{:type :invoke, :f :read, :process 0}\n  {:type :invoke, :f :write, :value 1, :process 0}\n', /:2:3: process 0 invokes an operation while its read from line 1 is still outstanding$/],
    ['unknownf.edn', '{:type :invoke, :f :incr, :process 0}\n', /:1:20: unknown operation :incr: expected :read, :write, :cas, :append, :get or :put$/],
    ['badcas.log', 'INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2 3]\n', /:1:36: a cas takes \[expected new\], not \[1 2 3\]$/],
    ['badjson.json', '{"events": [\n  {"kind": "note",}\n]}\n', /:2:19: expected a string key in the object$/],
    ['empty.edn', '\n', /:1:1: no operations found in this jepsen-edn history$/],
  ];
  for (const [name, text, message] of BAD) {
    test(`${name}: exit 2 with file:line:column`, () => {
      const r = dsync(['lin', file(name, text), '--model', 'cas-register']);
      assert.equal(r.status, 2, r.stdout);
      assert.equal(r.stdout, '');
      assert.match(r.stderr.trimEnd(), message);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    });
  }

  test('an operation the model does not have says which model has it', () => {
    const r = lin('cas-ok.log', '--model', 'register');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cas-ok\.log:4:21: the register model has no cas \(cas 1→2 ok\); use --model cas-register/);
  });

  test('usage errors', () => {
    assert.match(dsync(['lin', 'x.edn']).stderr, /lin needs --model/);
    assert.match(dsync(['lin', 'x.edn', '--model', 'queue']).stderr, /--model takes register, cas-register, kv, append-kv, not 'queue'/);
    assert.match(dsync(['lin', 'x.edn', '--model', 'kv', '--format', 'csv']).stderr, /--format takes jepsen-edn, porcupine, dsync-json, not 'csv'/);
    assert.match(dsync(['lin', '--model', 'kv']).stderr, /lin needs a FILE/);
    assert.equal(dsync(['lin', 'no/such.edn', '--model', 'kv']).status, 2);
    const help = dsync(['lin', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: dsync lin FILE --model/);
  });
});

describe('dsync lin: undecided', () => {
  test('a budget too small to decide gives exit 3 and names the key', () => {
    // 12 concurrent writes, and while they run one reader sees 0 then 1 and
    // another 1 then 0: a violation (each value is written once), but not a
    // stale read that can be proved on its own (a write of the value read
    // overlaps each read), so found only after exploring thousands of
    // configurations.
    const lines: string[] = [];
    for (let p = 0; p < 12; p++) lines.push(`{:type :invoke, :f :write, :value ${p}, :process ${p}}`);
    for (const [p, v] of [[20, 0], [20, 1], [21, 1], [21, 0]]) {
      lines.push(`{:type :invoke, :f :read, :process ${p}}`, `{:type :ok, :f :read, :value ${v}, :process ${p}}`);
    }
    for (let p = 0; p < 12; p++) lines.push(`{:type :ok, :f :write, :value ${p}, :process ${p}}`);
    const history = file('hard.edn', lines.join('\n'));
    const r = dsync(['lin', history, '--model', 'register', '--max-steps', '50']);
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /undecided/);
    assert.equal(dsync(['lin', history, '--model', 'register']).status, 1);
  });
});
