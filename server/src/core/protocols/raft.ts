import { diagnostic } from '../diagnostics';
import { formatDuration, MS } from '../units';
import { KV_REPLY, KV_STORE_TYPE } from './kv';
import type { ProtocolDefinition } from './protocol';
import { RAFT_LOG_TYPE } from './raftLog';
import { RaftNode, type RaftBug, type RaftConfig } from './raftNode';

const RAFT_BUGS: readonly RaftBug[] = ['commit_old_terms', 'forget_vote', 'skip_term_check', 'lease_no_drift_bound'];

const DEFAULT_ELECTION = { low: 150 * MS, high: 300 * MS };
const DEFAULT_HEARTBEAT = 50 * MS;
/** Entries applied between two snapshots (§7) unless `snapshot_every` says otherwise. */
const DEFAULT_SNAPSHOT_EVERY = 1000;

/**
 * `nodes n1..n5 run raft { election_timeout 150ms..300ms; heartbeat 50ms }`:
 * Raft consensus with a replicated key-value store that `client` statements
 * talk to. The server itself is raftNode.ts, its log raftLog.ts, leases
 * leaderLease.ts. Known bugs can be switched on with `bugs …` to watch the
 * invariants catch them.
 */
export const raft: ProtocolDefinition = {
  name: 'raft',
  summary: 'Raft consensus: leader election, log replication and a replicated key-value store',
  binding: 'nodes',
  reports: ['leader-terms', 'replicated-log', 'applied-commands'],
  serves: 'kv',
  messages: ['RequestVote', 'Vote', 'AppendEntries', 'AppendReply', 'InstallSnapshot', KV_REPLY],
  options: [
    { key: 'election_timeout', type: 'duration-range', doc: 'a node that hears from no leader for this long (on its own clock, drawn afresh each time) starts an election', example: '150ms..300ms' },
    { key: 'heartbeat', type: 'duration', min: 1, doc: 'how often the leader sends AppendEntries when there is nothing new', example: '50ms' },
    { key: 'noop', type: 'bool', doc: 'a new leader appends an empty entry, which commits the entries of earlier terms at once (default true)', example: 'false' },
    { key: 'lease', type: 'duration', min: 1, doc: 'leader leases: the leader answers reads itself while a majority heard from it within this time; followers refuse votes that long after hearing the leader', example: '100ms' },
    { key: 'drift_bound', type: 'ppm', min: 0, max: 100_000, doc: 'the largest clock drift leases must survive; the leader shortens its lease by it', example: '100ppm' },
    { key: 'snapshot_every', type: 'integer', min: 1, max: 1_000_000_000, doc: `log compaction (Raft §7): after this many entries applied since the last snapshot, the node snapshots its key-value store and discards the log up to there; a follower that needs discarded entries gets the snapshot (InstallSnapshot) (default ${DEFAULT_SNAPSHOT_EVERY})`, example: '100' },
    { key: 'bugs', type: 'choices', choices: RAFT_BUGS, doc: 'known mistakes to switch on: commit_old_terms (count replicas of older-term entries), forget_vote (vote not on disk), skip_term_check (AppendEntries without the prevLogTerm check), lease_no_drift_bound (lease ignores drift)', example: 'forget_vote' },
  ],
  properties: [
    { name: 'role', type: 'string', doc: 'follower, candidate or leader' },
    { name: 'term', type: 'int', doc: 'the current term' },
    { name: 'commit_index', deprecatedAliases: ['commitIndex'], type: 'int', doc: 'the highest log index known to be committed' },
    { name: 'log', type: RAFT_LOG_TYPE, doc: 'the log after the latest snapshot (the whole log until the first one), oldest first: each entry\'s term and command (`c1.4 put k=3`, or `no-op` for a new leader\'s empty entry)' },
    { name: 'leader', type: 'node?', doc: 'the leader this node knows of (none when it knows of none)' },
    { name: 'kv', type: KV_STORE_TYPE, doc: "the node's copy of the key-value store: key → value as a client wrote it (`3`, `\"a\"`)" },
  ],
  validate(binding, report) {
    const o = binding.options;
    const election = (o.get('election_timeout') as { low: number; high: number } | undefined) ?? DEFAULT_ELECTION;
    const lease = o.get('lease') as number | undefined;
    const settings = binding.ast.options;
    const where = (key: string) => settings.find((s) => s.key.text === key)?.range ?? binding.ast.range;
    if (election.low <= 0) report(diagnostic('DS129', "'election_timeout' must be longer than zero", where('election_timeout')));
    if (lease !== undefined && lease > election.low) {
      report(diagnostic('DS129', `'lease' ${formatDuration(lease)} is longer than the shortest election timeout (${formatDuration(election.low)}): a follower could start an election while the leader still holds its lease`, where('lease')));
    }
    if (lease !== undefined && !o.has('drift_bound')) {
      report(diagnostic('DS127', "'lease' needs 'drift_bound', the largest clock drift the lease must survive, e.g. 'drift_bound 100ppm'", where('lease')));
    }
    if (o.has('drift_bound') && lease === undefined) {
      report(diagnostic('DS127', "'drift_bound' only matters with a 'lease', e.g. 'lease 100ms'", where('drift_bound')));
    }
  },
  createNode(ctx) {
    const o = ctx.options;
    const election = (o.get('election_timeout') as { low: number; high: number } | undefined) ?? DEFAULT_ELECTION;
    const cfg: RaftConfig = {
      electionLow: election.low,
      electionHigh: election.high,
      heartbeat: (o.get('heartbeat') as number | undefined) ?? DEFAULT_HEARTBEAT,
      noop: (o.get('noop') as boolean | undefined) ?? true,
      lease: (o.get('lease') as number | undefined) ?? 0,
      driftBoundPpm: (o.get('drift_bound') as number | undefined) ?? 0,
      snapshotEvery: (o.get('snapshot_every') as number | undefined) ?? DEFAULT_SNAPSHOT_EVERY,
      bugs: new Set((o.get('bugs') as readonly RaftBug[] | undefined) ?? []),
    };
    return new RaftNode(ctx, cfg);
  },
};
