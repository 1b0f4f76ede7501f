import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { simulate, runText } from './support/scenario';
import { finalProps, notes } from './support/coordination';
import { raft5Scenario } from '../../bench/support/scenarios';

const SAFETY = ['election_safety', 'leader_completeness', 'linearizable(kv)', 'log_matching', 'state_machine_safety'];
const invariants = SAFETY.map((i) => `invariant ${i}`).join('\n');

describe('raft: re-applying after a restart, snapshots and log compaction (§7)', () => {
  test('a restarted server re-applies what it had applied with one note, not one per entry', () => {
    const r = runText(`scenario reapply { seed 1  run for 1s }
nodes n1, n2, n3 run raft { election_timeout 150ms..300ms; heartbeat 50ms }
network { latency 2ms..5ms }
client c1 { every 20ms put k = counter from 300ms }
faults { at 600ms crash n3
  at 650ms restart n3 }
${invariants}`);
    assert.deepEqual(r.violations.map((v) => v.invariant), []);
    const n3 = (key: string) => notes(r, key).filter((e) => e.name === 'n3');
    const before = n3('apply').filter((e) => e.time < 600e6).map((e) => e.data!['apply'] as number);
    assert.ok(before.length > 10, `n3 applied ${before.length} entries before its crash`);
    const summaries = n3('applied');
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]!.data!['from'], 1);
    assert.equal(summaries[0]!.data!['applied'], Math.max(...before));
    // After the restart, one note per entry only for entries it had not applied yet.
    const after = n3('apply').filter((e) => e.time >= 650e6).map((e) => e.data!['apply'] as number);
    assert.ok(after.length > 0 && Math.min(...after) === Math.max(...before) + 1, `first apply after the restart: ${Math.min(...after)}`);
    assert.ok((finalProps(r, 'n3')['commit_index'] as number) > Math.max(...before));
  });

  test('events per simulated second stay flat as a run with crashes grows longer', () => {
    const raft = (seconds: number) => raft5Scenario({ name: 'long', runFor: `${seconds}s`, header: 'max_events 10000000', raftOptions: 'snapshot_every 100', tail: 'invariant log_matching\ninvariant state_machine_safety' });
    const perSecond = (seconds: number) => simulate(raft(seconds), { record: false }).run().eventCount / seconds;
    const short = perSecond(10);
    const long = perSecond(60);
    // Before: one note per entry on every re-apply made this ratio grow with the run (×2.2 from 10s to 100s).
    assert.ok(long / short < 1.2, `events per second: ${short.toFixed(0)} over 10s, ${long.toFixed(0)} over 60s`);
  });

  test('a lagging follower gets the snapshot (InstallSnapshot); logs are compacted; invariants hold', () => {
    const text = `scenario compaction { seed 2  run for 2s }
nodes n1, n2, n3 run raft { election_timeout 150ms..300ms; heartbeat 50ms; snapshot_every 5 }
network { latency 2ms..5ms }
client c1 to n1, n2 { every 20ms put k = counter from 300ms; every 30ms get k from 310ms }
faults {
  at 500ms partition {n3} | {n1, n2, c1}
  at 1s heal
  at 1.5s crash n2
  at 1.6s restart n2
}
${invariants}`;
    const r = runText(text);
    assert.deepEqual(r.violations.map((v) => v.invariant), []);
    const installs = notes(r, 'log', 'install');
    assert.ok(installs.some((e) => e.name === 'n3'), 'n3 installed a snapshot');
    assert.ok(notes(r, 'log', 'snapshot').length > 10);
    for (const n of ['n2', 'n3']) assert.deepEqual(finalProps(r, n)['kv'], finalProps(r, 'n1')['kv']);
    // The log property holds only what follows the latest snapshot.
    const log = finalProps(r, 'n1')['log'] as readonly unknown[];
    assert.ok(log.length < 5 + 5, `n1's log holds ${log.length} entries`);
    assert.ok((finalProps(r, 'n1')['commit_index'] as number) > 30);
  });
});
