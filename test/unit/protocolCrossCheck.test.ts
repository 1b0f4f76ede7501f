import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { crossCheckRuns, explore, isProperty, writtenInvariants, writtenSample } from './support/crossCheck';
import { sample } from './support/coordination';
import { repoPath, runText } from './support/scenario';

/**
 * Issue 15, "proof that the language is enough": single-decree Paxos,
 * two-phase commit and Raft written in .dsync (samples/protocols/) are
 * explored next to the built-in protocols, with the same bug switch, the
 * same random faults and the same budget of schedules. With a bug switch on,
 * both must violate the same property; with every switch off, neither may
 * violate anything. The built-ins are checked by their built-in invariants,
 * the written ones by the written properties of their samples.
 *
 * The budget is 2,000 schedules per exploration in the full `npm test`
 * (scripts/test.mjs sets DSYNC_CROSSCHECK_RUNS) and UNIT_BUDGET under
 * `npm run test:unit`.
 */
const UNIT_BUDGET = 300;
const RUNS = crossCheckRuns(UNIT_BUDGET);

interface Family {
  readonly name: string;
  /** The scenario with the built-in protocol, with `bugs` switched on (none when undefined). */
  readonly builtIn: (bugs: string | undefined) => string;
  readonly written: (bugs: string | undefined) => string;
  /** Each switch, and the property both must violate: the built-in invariant's name and the written one's. */
  readonly bugs: readonly { readonly bug: string; readonly builtIn: string; readonly written: string }[];
}

const withBugs = (options: string, bugs: string | undefined): string => (bugs ? `${options}; bugs ${bugs}` : options);

// ---- single-decree Paxos ----------------------------------------------------

const PAXOS_RUN = `network { latency 5ms..30ms }
faults random {
  crash 2 per 100ms for 10ms
  partition 1 per 300ms for 100ms
}
`;

const paxos: Family = {
  name: 'paxos',
  builtIn: (bugs) => `scenario paxos_cross { seed 1; run for 1s }
nodes n1..n5 run paxos { ${withBugs('proposers n1, n2; values n1 = 10, n2 = 20', bugs)} }
${PAXOS_RUN}
invariant agreement
invariant validity
`,
  written: (bugs) => {
    const w = writtenSample('paxos.dsync');
    return `${w.protocol}scenario paxos_w_cross { seed 1; run for 1s }
nodes n1..n5 run paxos_w { ${withBugs('proposers n1, n2', bugs)} }
${PAXOS_RUN}
${writtenInvariants(w, ['one_value_learned', 'learned_was_proposed'])}`;
  },
  bugs: [
    { bug: 'ignore_promises', builtIn: 'agreement', written: 'one_value_learned' },
    { bug: 'forget_promises', builtIn: 'agreement', written: 'one_value_learned' },
    { bug: 'uninitialized_value', builtIn: 'validity', written: 'learned_was_proposed' },
  ],
};

// ---- two-phase commit -------------------------------------------------------------

const TPC_RUN = `network { latency 5ms..30ms }
faults random {
  crash 1 per 300ms for 50ms
  drop 2 per 100ms for 40ms
}
`;

const twoPhaseCommit: Family = {
  name: 'two-phase commit',
  builtIn: (bugs) => `scenario tpc_cross { seed 1; run for 2s }
nodes C, P1, P2, P3 run two_phase_commit { ${withBugs('coordinator C; timeout 100ms; transactions 10 every 150ms', bugs)} }
${TPC_RUN}
invariant atomicity
`,
  written: (bugs) => {
    const w = writtenSample('two_phase_commit.dsync');
    return `${w.protocol}scenario tpc_w_cross { seed 1; run for 2s }
nodes C, P1, P2, P3 run two_phase_commit_w { ${withBugs('coordinator C; timeout 100ms; transactions 10; period 150ms', bugs)} }
${TPC_RUN}
${writtenInvariants(w, ['same_decision'])}`;
  },
  bugs: [{ bug: 'abort_on_timeout', builtIn: 'atomicity', written: 'same_decision' }],
};

// ---- Raft ---------------------------------------------------------------------

const RAFT_INVARIANTS = ['one_leader_per_term', 'logs_match', 'leader_has_committed', 'committed_prefixes_agree'];
const RAFT_BUILT_IN_INVARIANTS = `invariant election_safety
invariant log_matching
invariant leader_completeness
invariant state_machine_safety
`;

/** Random crashes and partitions under a steady client. */
const raftRun = (binding: string): string => `scenario raft_cross { seed 1; run for 1s }
${binding}
client c1 { every 50ms put k = counter from 100ms }
network { latency 5ms..30ms }
faults random {
  crash 2 per 100ms for 5ms
  partition 1 per 300ms for 150ms
}
`;

const raft: Family = {
  name: 'raft',
  builtIn: (bugs) => `${raftRun(`nodes n1..n5 run raft { ${withBugs('election_timeout 50ms..100ms; heartbeat 20ms', bugs)} }`)}${RAFT_BUILT_IN_INVARIANTS}`,
  written: (bugs) => {
    const w = writtenSample('raft.dsync');
    return `${w.protocol}${raftRun(`nodes n1..n5 run raft_w { ${withBugs('election_timeout 50ms..100ms; heartbeat 20ms', bugs)} }`)}${writtenInvariants(w, RAFT_INVARIANTS)}`;
  },
  bugs: [
    { bug: 'forget_vote', builtIn: 'election_safety', written: 'one_leader_per_term' },
    { bug: 'skip_term_check', builtIn: 'log_matching', written: 'logs_match' },
  ],
};

/**
 * Figure 8 of the Raft paper (samples/raft_commit_old_terms.dsync, which
 * explains each step) with latencies and election timeouts drawn at random,
 * so that each seed is another schedule: random crashes almost never line up
 * the three leaders Figure 8 needs.
 */
const figure8 = (binding: string): string => `scenario raft_figure_8_cross { seed 1; run for 3s }
${binding}
client c1 to n1 { at 600ms put y = 1 }
client c2 to n5 { at 1.2s put x = 2 }
client c3 to n5 { at 2.6s get y }
network { latency 2ms..10ms }
clock n1 { drift +100000ppm }
faults {
  at 605ms drop n1 -> n3 for 100ms
  at 605ms drop n1 -> n4 for 100ms
  at 605ms drop n1 -> n5 for 100ms
  at 640ms crash n1
  at 640ms clock n5 drift +100000ppm
  at 750ms restart n1
  at 1s drop n5 -> n1 for 250ms
  at 1.2s drop n5 -> n2 for 50ms
  at 1.2s drop n5 -> n3 for 50ms
  at 1.2s drop n5 -> n4 for 50ms
  at 1.25s partition {n5, c2} | {n1, n2, n3, n4, c1, c3}
  at 1.25s clock n2 drift -100000ppm
  at 1.25s clock n3 drift -100000ppm
  at 1.25s clock n4 drift -100000ppm
  at 1.8s crash n1
  at 1.8s heal
}
`;

const raftFigure8: Family = {
  name: 'raft in Figure 8',
  builtIn: (bugs) => `${figure8(`nodes n1..n5 run raft { ${withBugs('election_timeout 450ms..550ms; heartbeat 50ms; noop false', bugs)} }`)}${RAFT_BUILT_IN_INVARIANTS}`,
  written: (bugs) => {
    const w = writtenSample('raft.dsync');
    return `${w.protocol}${figure8(`nodes n1..n5 run raft_w { ${withBugs('election_timeout 450ms..550ms; heartbeat 50ms; noop false', bugs)} }`)}${writtenInvariants(w, RAFT_INVARIANTS)}`;
  },
  bugs: [{ bug: 'commit_old_terms', builtIn: 'leader_completeness', written: 'leader_has_committed' }],
};

for (const family of [paxos, twoPhaseCommit, raft, raftFigure8]) {
  describe(`cross-check: ${family.name} written in .dsync and built in, ${RUNS} schedules each`, () => {
    for (const { bug, builtIn, written } of family.bugs) {
      test(`bugs ${bug}: both violate the same property (built in: ${builtIn}, written: ${written})`, (t) => {
        const b = explore(family.builtIn(bug), RUNS, (i) => isProperty(i, builtIn));
        assert.ok(b, `the built-in ${family.name} with bugs ${bug}: no ${builtIn} violation in ${RUNS} schedules`);
        const w = explore(family.written(bug), RUNS, (i) => isProperty(i, written));
        assert.ok(w, `the written ${family.name} with bugs ${bug}: no ${written} violation in ${RUNS} schedules`);
        t.diagnostic(`found with seed ${b.seed} (built in) and seed ${w.seed} (written)`);
      });
    }
    test('without a bug switch neither violates anything', () => {
      assert.equal(explore(family.builtIn(undefined), RUNS), undefined);
      assert.equal(explore(family.written(undefined), RUNS), undefined);
    });
  });
}

describe('the written samples run as their comments say', () => {
  const run = (file: string) => runText(fs.readFileSync(repoPath('samples', 'protocols', file), 'utf8'));
  const failed = (r: ReturnType<typeof runText>) => r.violations.map((v) => v.invariant.split(':')[0]);

  test('paxos: every node learns one value, and it was proposed', () => {
    const r = run('paxos.dsync');
    assert.deepEqual(failed(r), []);
    // A learner that missed the Accepted messages has learned nothing; a node down at the end shows no state.
    const learned = r.final.map((n) => n.properties['chosen']).filter((v) => v !== null && v !== undefined);
    assert.ok(learned.length >= 3, `learned by ${learned.length}`);
    assert.equal(new Set(learned).size, 1);
    assert.ok(learned[0] === 10 || learned[0] === 20, `chosen: ${String(learned[0])}`);
  });

  test('raft: commits under crashes and partitions, every property holds', () => {
    const r = run('raft.dsync');
    assert.deepEqual(failed(r), []);
    const servers = r.final.filter((n) => n.name !== 'c1');
    assert.ok(Math.max(...servers.map((n) => n.properties['commit_index'] as number)) >= 5);
  });

  test('two-phase commit: the coordinator crash blocks the written protocol exactly as the built-in one', () => {
    const written = run('two_phase_commit.dsync');
    assert.deepEqual(failed(written), ['no_long_wait']);
    const builtIn = runText(sample('2pc_coordinator_crash.dsync'));
    const blocked = builtIn.violations.find((v) => v.invariant === 'no_blocking within 500ms');
    assert.ok(blocked);
    // Both: P1 voted yes at 410ms and has no decision 500ms later.
    assert.equal(written.violations[0]!.time, blocked.time);
    // Both abort transaction 1 (presumed abort at the restart) and commit transaction 4.
    for (const n of ['P1', 'P2']) {
      const decisions = written.final.find((x) => x.name === n)!.properties['decisions'];
      assert.deepEqual(decisions, { 1: 'abort', 4: 'commit' });
    }
  });
});
