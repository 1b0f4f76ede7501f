import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { INVARIANTS } from '../../server/src/core/invariants/registry';
import { STATE_REPORTS } from '../../server/src/core/protocols/protocol';
import { PROTOCOLS } from '../../server/src/core/protocols/registry';
import { checkText, repoPath, runText } from './support/scenario';

/**
 * DS139: a protocol invariant where no node runs a protocol it can watch
 * held vacuously (`nodes A, B` + `invariant election_safety` → ✓); now the
 * checker says so.
 */
describe('invariants that have nothing to watch', () => {
  const codes = (text: string) => checkText(text).diagnostics.map((d) => `${d.range.startLine} ${d.code}`);

  test('election_safety without raft: DS139 names what it reads and what would report it, and the run still says ✓', () => {
    const text = 'scenario s { seed 1  run for 1s }\nnodes A, B\ninvariant election_safety\n';
    const [warning, ...rest] = checkText(text).diagnostics;
    assert.deepEqual(rest, []);
    assert.equal(warning!.code, 'DS139');
    assert.equal(warning!.severity, 'warning');
    assert.equal(warning!.message, "'election_safety' reads leaders elected by term, but no node runs raft, so it can only hold vacuously; bind one (`nodes n1..n3 run raft`) or remove the invariant");
    assert.deepEqual(runText(text).violations, []);
  });

  test('a bound protocol that reports the state silences it; one that reports other state does not', () => {
    const head = 'scenario s { seed 1  run for 1s }\n';
    assert.deepEqual(codes(`${head}nodes n1..n3 run raft\ninvariant election_safety\ninvariant state_machine_safety`), []);
    assert.deepEqual(codes(`${head}nodes n1..n3 run multipaxos\ninvariant state_machine_safety\ninvariant agreement\ninvariant election_safety`), ['5 DS139']);
    assert.deepEqual(codes(`${head}nodes A, B, C run g_counter\ninvariant replicas_converge within 1s\ninvariant no_lost_updates`), ['4 DS139']);
    assert.deepEqual(codes(`${head}nodes A, B\ninvariant max_skew < 1ms\ninvariant causal_delivery`), [], 'clock and message invariants watch every scenario');
  });

  test('no sample gets DS139: every protocol reports what the invariants written next to it read', () => {
    const dir = repoPath('samples');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.dsync'))) {
      const found = checkText(fs.readFileSync(`${dir}/${file}`, 'utf8')).diagnostics.filter((d) => d.code === 'DS139');
      assert.deepEqual(found.map((d) => d.message), [], file);
    }
  });

  test('every watched kind of state has a source, and every reported kind a reader', () => {
    const reported = new Set(PROTOCOLS.flatMap((p) => p.reports ?? []));
    reported.add('kv-clients'); // client blocks (protocols/client.ts), not a registered protocol
    const watched = new Set(INVARIANTS.flatMap((d) => d.watches ?? []));
    assert.deepEqual([...watched].filter((w) => !reported.has(w)), []);
    assert.deepEqual(Object.keys(STATE_REPORTS).filter((k) => !watched.has(k as keyof typeof STATE_REPORTS)), []);
  });
});
