import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { NodeContext } from '../../server/src/core/protocols/protocol';
import { RaftNode } from '../../server/src/core/protocols/raftNode';
import type { RunResult } from '../../server/src/core/sim/result';
import { checkText, runText } from './support/scenario';
import { finalProps, notes, sample, traceOf, violation } from './support/coordination';

/** The invariants that failed, by their text. */
const failed = (r: RunResult): string[] => r.violations.map((v) => v.invariant).sort();
/** The scenario without its `bugs …` switch. */
const withoutBugs = (text: string): string => text.replace(/;?[ \t]*\bbugs [a-z_, ]+?(?=[;}\n])/g, '');
const SAFETY = ['election_safety', 'leader_completeness', 'linearizable(kv)', 'log_matching', 'state_machine_safety'];
const invariants = SAFETY.map((i) => `invariant ${i}`).join('\n');

describe('raft: elections and replication', () => {
  // n1's clock is 10% fast and every election timeout is exactly 150ms of
  // local time, so n1 times out first, at true time ceil(150ms / 1.1) =
  // 136.363637ms. RequestVote takes 10ms, the votes 10ms back: n1 leads term 1
  // at 156.363637ms. The others' timers (150ms) are reset by the RequestVote
  // that reaches them at 146.36ms.
  const basic = `scenario basic { seed 1  run for 1s }
nodes n1, n2, n3 run raft { election_timeout 150ms; heartbeat 50ms }
network { latency 10ms }
clock n1 { drift +100000ppm }
client c1 to n2, n3, n1 { at 300ms put x = 7; at 500ms get x }
${invariants}`;

  test('the fastest clock wins the first election at the hand-computed instant', () => {
    const r = runText(basic);
    const leaders = notes(r, 'role', 'leader');
    assert.deepEqual(leaders.map((e) => [e.name, e.data!['term'], e.time]), [['n1', 1, 156_363_637]]);
    // Everyone else only ever followed.
    assert.deepEqual(notes(r, 'role', 'candidate').map((e) => e.name), ['n1']);
  });

  test('a client is redirected to the leader; its put commits after one round trip', () => {
    const r = runText(basic);
    // c1 → n2 (300→310), redirect back (320), c1 → n1 (330): n1 appends index 2
    // after its no-op, AppendEntries out and back (350) commits it, the answer
    // reaches c1 at 360ms.
    const ops = notes(r, 'phase').map((e) => `${e.data!['phase']} ${e.data!['op']} ${e.time / 1e6}`);
    assert.deepEqual(ops.slice(0, 2), ['invoke put 300', 'return put 360']);
    const appended = notes(r, 'log', 'append').filter((e) => e.name === 'n1').map((e) => e.detail);
    assert.match(appended[1]!, /^log \+= 2:c1\.1 put x=7 \(t1\)/);
    const get = notes(r, 'phase', 'return').find((e) => e.data!['op'] === 'get');
    assert.equal(get?.data!['value'], 7);
    assert.deepEqual(failed(r), []);
  });

  test('at the end every server holds the same log, commit index and store', () => {
    const r = runText(basic);
    const props = ['n1', 'n2', 'n3'].map((n) => finalProps(r, n));
    assert.equal(props[0]!['role'], 'leader');
    for (const p of props) {
      assert.deepEqual(p['log'], [
        { term: 1, command: 'no-op' },
        { term: 1, command: 'c1.1 put x=7' },
        { term: 1, command: 'c1.2 get x' },
      ]);
      assert.equal(p['commit_index'], 3);
      assert.deepEqual(p['kv'], { x: '7' });
      assert.equal(p['term'], 1);
    }
    assert.equal(finalProps(r, 'c1')['ops_done'], 2);
  });

  test('term, vote and log come back from disk after a crash', () => {
    const r = runText(basic.replace('client c1', 'faults { at 700ms crash n3\n at 800ms restart n3 }\nclient c1'));
    const restart = notes(r, 'role').find((e) => e.name === 'n3' && e.time === 800_000_000);
    assert.equal(restart?.detail, 'became follower (term 1): restored term 1, 3 entries, vote for n1 from disk');
    // Its state machine is rebuilt by applying the log again once the leader says what is committed.
    assert.deepEqual(finalProps(r, 'n3')['kv'], { x: '7' });
    assert.deepEqual(failed(r), []);
  });

  test('a partitioned leader is replaced; its uncommitted entries are truncated after the heal', () => {
    const text = sample('raft_election_partition.dsync');
    for (const seed of [4, 1, 2]) {
      const r = runText(text, { seed });
      assert.deepEqual(failed(r), [], `seed ${seed}`);
      const leaders = notes(r, 'role', 'leader');
      assert.equal(leaders[0]!.name, 'n1', `seed ${seed}: n1 leads first`);
      const during = leaders.filter((e) => e.time > 1e9 && e.time < 1.8e9);
      assert.ok(during.length >= 1 && during.every((e) => ['n3', 'n4', 'n5'].includes(e.name)), `seed ${seed}: a majority-side leader`);
      assert.ok(notes(r, 'log', 'truncate').some((e) => e.name === 'n1' && e.time >= 1.8e9), `seed ${seed}: n1 truncated`);
      assert.equal(r.expectations.every((x) => x.outcome?.passed), true, `seed ${seed}`);
    }
  });

  test('log repair: a restarted follower catches up in batches, a stale leader truncates', () => {
    const r = runText(sample('raft_log_repair.dsync'));
    assert.deepEqual(failed(r), []);
    assert.ok(r.expectations.every((x) => x.outcome?.passed));
    const missing = r.events.filter((e) => e.kind === 'send' && e.label === 'AppendReply' && /missing/.test(e.detail ?? '') && r.model.nodes[e.node]!.name === 'n5');
    assert.ok(missing.length >= 1);
    // n5 then receives entries in batches of at most 32.
    const batches = notes(r, 'log', 'append').filter((e) => e.name === 'n5' && e.time > 1.8e9).map((e) => (JSON.parse(String(e.data!['entries'])) as unknown[]).length);
    assert.ok(batches.length >= 2 && batches.every((n) => n <= 32), `batches ${batches}`);
    assert.ok(notes(r, 'log', 'truncate').some((e) => e.name === 'n1'));
  });
});

describe('raft: the invariants catch the bug switches', () => {
  test('forget_vote: two leaders in term 1, caught by election_safety', () => {
    const text = sample('raft_forget_vote.dsync');
    const r = runText(text);
    assert.deepEqual(failed(r), ['election_safety']);
    const v = violation(r, 'election_safety')!;
    assert.equal(v.message, 'two leaders in term 1: n1 (elected at t=220ms) and n2 (elected at t=280ms)');
    assert.ok(v.causes.some((c) => c.message === 'bugs forget_vote'));
    assert.ok(v.causes.some((c) => c.message === 'crash n3 at 215ms'));
    // With the vote on disk n3 refuses n2.
    const fixed = runText(withoutBugs(text));
    assert.deepEqual(failed(fixed), []);
    assert.ok(fixed.events.some((e) => e.kind === 'send' && e.label === 'Vote' && e.detail === 'term=1 voted for n1'));
  });

  test('commit_old_terms (Figure 8): leader completeness, state machine safety and linearizability fail', () => {
    const text = sample('raft_commit_old_terms.dsync');
    const r = runText(text);
    assert.deepEqual(failed(r), ['leader_completeness', 'linearizable(kv)', 'state_machine_safety']);
    assert.match(violation(r, 'leader_completeness')!.message, /^n5 leads term 4 without 1:c1\.1 put y=1 \(t1\), committed by n1 in term 3/);
    assert.match(violation(r, 'state_machine_safety')!.message, /^n5 applied c2\.1 put x=2 at index 1, but n1 applied c1\.1 put y=1 there/);
    assert.match(violation(r, 'linearizable(kv)')!.message, /c3's get y → nothing .*: c1's put y = 1 \[600ms\.\.1\.729s\] returned before this get began, so y was no longer empty$/);
    assert.ok(notes(r, 'commitIndex').some((e) => /entry of older term 1/.test(e.detail ?? '')));
    // Same schedule, correct commit rule: y = 1 is never committed nor acknowledged.
    const fixed = runText(withoutBugs(text));
    assert.deepEqual(failed(fixed), []);
    assert.ok(!notes(fixed, 'phase', 'return').some((e) => e.data!['opId'] === 'c1.1'));
  });

  test('skip_term_check: log_matching fails where the follower skipped the prevLogTerm check', () => {
    const text = sample('raft_skip_term_check.dsync');
    const r = runText(text);
    assert.deepEqual(failed(r), ['log_matching', 'state_machine_safety']);
    assert.equal(violation(r, 'log_matching')!.message, 'n1 and n2 both hold an entry of term 2 at index 3, but their logs differ at index 2: n1 has 2:c1.1 put x=1 (t1), n2 has 2:no-op (t2)');
    const fixed = runText(withoutBugs(text));
    assert.deepEqual(failed(fixed), []);
    assert.ok(notes(fixed, 'log', 'truncate').some((e) => e.name === 'n1' && e.data!['from'] === 2));
  });
});

describe('raft: leader leases depend on the clocks', () => {
  test('lease reads are served locally while the lease lasts', () => {
    const r = runText(sample('lease_read_clock_jump.dsync'), { until: 990_000_000 });
    assert.ok(notes(r, 'leaseRead').length > 10);
    // Stopped before the end: the history so far is linearizable, which decides nothing about the whole run.
    assert.deepEqual(r.violations.map((v) => [v.invariant, v.code]), [['linearizable(kv)', 'DS206']]);
  });

  test('a clock jumping back extends the lease: a stale read, caught by linearizable(kv)', () => {
    const text = sample('lease_read_clock_jump.dsync');
    const r = runText(text);
    assert.deepEqual(failed(r), ['linearizable(kv)']);
    const v = violation(r, 'linearizable(kv)')!;
    assert.match(v.message, /^not linearizable: r's get k → (\d+) .*: w's put k = \d+ \[.*\] returned before this get began, and every put of \1 \(w's put k = \1 \[.*\]\) had returned before it began$/);
    assert.ok(v.causes.some((c) => c.message === 'clock n1 jump -300ms at 1s'));
    assert.ok(v.causes.some((c) => c.message === 'lease 120ms') && v.causes.some((c) => c.message === 'drift_bound 100ppm'));
    // The stale read happened after another leader was elected.
    const newLeader = notes(r, 'role', 'leader').find((e) => e.name !== 'n1')!;
    assert.ok(v.time > newLeader.time);
    // Without the jump the lease ends in time; with drift inside the bound too.
    assert.deepEqual(failed(runText(text.replace(/\n\s*at 1s clock n1 jump -300ms/, ''))), []);
    const drifting = text.replace('at 1s clock n1 jump -300ms', 'at 1s clock n1 drift -100ppm\n  at 1s clock n2 drift +100ppm\n  at 1s clock n3 drift +100ppm');
    assert.deepEqual(failed(runText(drifting)), []);
  });

  test('lease_no_drift_bound: in-bound drift breaks a lease that ignores the bound', () => {
    const text = sample('raft_lease_no_drift_bound.dsync');
    assert.deepEqual(failed(runText(text)), ['linearizable(kv)']);
    assert.deepEqual(failed(runText(withoutBugs(text))), []);
  });

  test('a restarted follower refuses votes for one lease window; a fresh one does not', () => {
    // A RaftNode on a fake context: its disk, its clock, and what it sends.
    const node = (disk: Map<string, unknown>) => {
      let now = 0;
      const sent: { to: string; type: string; payload: { granted?: boolean } }[] = [];
      const ctx: NodeContext = {
        self: 'n3', members: ['n1', 'n2', 'n3'], options: new Map(), now: () => now,
        send: (to, type, payload) => void sent.push({ to, type, payload: payload as { granted?: boolean } }),
        setTimer: () => 0, cancelTimer: () => {}, random: () => 0, note: () => {},
        stable: { get: <T>(k: string) => disk.get(k) as T | undefined, set: (k, v) => void disk.set(k, v) },
        oracle: { trueTime: () => now }, clock: { step: () => {}, slew: () => {} },
        logicalClocks: { lamport: () => 0, vc: () => ({}), hlc: () => ({ l: 0, c: 0 }) },
        nodeIndex: (name) => ['n1', 'n2', 'n3'].indexOf(name),
        fail: (code, message) => assert.fail(`${code} ${message}`),
      };
      const raft = new RaftNode(ctx, { electionLow: 150e6, electionHigh: 300e6, heartbeat: 50e6, noop: true, lease: 100e6, driftBoundPpm: 100, snapshotEvery: 1000, bugs: new Set() });
      raft.start();
      return { raft, sent, at: (t: number) => (now = t) };
    };
    const ask = { term: 5, lastLogIndex: 0, lastLogTerm: 0 };
    const restarted = node(new Map<string, unknown>([['term', 4]]));
    restarted.at(99e6);
    restarted.raft.onMessage('n2', 'RequestVote', ask);
    assert.deepEqual(restarted.sent.map((m) => m.payload.granted), [false]);
    restarted.at(100e6);
    restarted.raft.onMessage('n2', 'RequestVote', ask);
    assert.deepEqual(restarted.sent.map((m) => m.payload.granted), [false, true]);
    const fresh = node(new Map());
    fresh.raft.onMessage('n2', 'RequestVote', { term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    assert.deepEqual(fresh.sent.map((m) => m.payload.granted), [true]);
  });

  test('lease settings are checked', () => {
    const base = (opts: string) => `scenario l { seed 1  run for 1s }\nnodes n1..n3 run raft { election_timeout 150ms..300ms; ${opts} }`;
    const codes = (opts: string) => checkText(base(opts)).diagnostics.map((d) => d.code);
    assert.deepEqual(codes('lease 100ms; drift_bound 100ppm'), []);
    assert.deepEqual(codes('lease 200ms; drift_bound 100ppm'), ['DS129']);
    assert.deepEqual(codes('lease 100ms'), ['DS127']);
    assert.deepEqual(codes('drift_bound 100ppm'), ['DS127']);
    assert.deepEqual(codes('bugs forget_vote, nonsense'), ['DS121']);
  });
});

describe('raft: determinism', () => {
  test('same seed, same trace; another seed, another run that is still safe', () => {
    const text = sample('raft_election_partition.dsync');
    assert.equal(traceOf(text, 11), traceOf(text, 11));
    assert.notEqual(traceOf(text, 11), traceOf(text, 12));
    for (let seed = 20; seed < 24; seed++) {
      const r = runText(`scenario d { seed ${seed}  run for 2s }
nodes n1..n5 run raft
network { latency 5ms..20ms  loss 2% }
client c1 { every 60ms put k = counter; every 45ms get k }
client c2 { every 80ms put k = counter; every 50ms get k }
faults { at 500ms crash n2; at 700ms partition {n1, n3} | {n2, n4, n5, c1, c2}; at 1.2s heal; at 1.3s restart n2 }
${invariants}`);
      assert.deepEqual(failed(r), [], `seed ${seed}`);
    }
  });
});
