import { formatDuration } from '../units';
import { describeCommand, isKvCommand, KV_REQUEST, replyOk, replyRedirect, type KvCommand } from './kv';
import { LeaderLease } from './leaderLease';
import type { Mix, NodeContext, PropertyValue, ProtocolNode, TraceText } from './protocol';
import { RaftLog, type RaftEntry, type RaftSnapshot } from './raftLog';
import { RaftStateMachine } from './raftStateMachine';
import { noteCommit, noteRole } from './replicationNotes';

export type RaftBug = 'commit_old_terms' | 'forget_vote' | 'skip_term_check' | 'lease_no_drift_bound';

export interface RaftConfig {
  readonly electionLow: number;
  readonly electionHigh: number;
  readonly heartbeat: number;
  readonly noop: boolean;
  /** 0: no leases, reads go through the log. */
  readonly lease: number;
  readonly driftBoundPpm: number;
  /** Take a snapshot and compact the log once this many entries were applied since the last one (§7). */
  readonly snapshotEvery: number;
  readonly bugs: ReadonlySet<RaftBug>;
}

interface RequestVote { readonly term: number; readonly lastLogIndex: number; readonly lastLogTerm: number }
interface Vote { readonly term: number; readonly granted: boolean }
interface AppendEntries {
  readonly term: number;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly RaftEntry[];
  readonly leaderCommit: number;
  /** The leader's clock when sent, echoed in the answer (leases). */
  readonly sentAt: number;
}
/** §7: the leader's snapshot, for a follower that needs entries the leader no longer has. */
interface InstallSnapshot {
  readonly term: number;
  readonly snapshot: RaftSnapshot;
  readonly sentAt: number;
}
interface AppendReply {
  readonly term: number;
  readonly success: boolean;
  /** On success the last index now matching; on failure a hint: the follower matches at most up to here. */
  readonly matchIndex: number;
  /** Echoed from the request: which probe this answers. */
  readonly prevLogIndex: number;
  readonly sentAt: number;
}

/** Entries per AppendEntries, so repairing a long log takes several rounds instead of one huge message. */
const MAX_BATCH = 32;

/**
 * One Raft server (Ongaro & Ousterhout 2014): randomized election timeouts
 * on its own clock, RequestVote with the up-to-date check, AppendEntries
 * with the consistency check and log repair, commitment of current-term
 * entries by counting replicas, and a key-value state machine on top.
 * Term, vote and log are on disk (ctx.stable); everything else is rebuilt
 * after a restart.
 */
export class RaftNode implements ProtocolNode {
  private term = 0;
  private votedFor: string | undefined;
  private readonly log: RaftLog;
  private role: 'follower' | 'candidate' | 'leader' = 'follower';
  private leader: string | undefined;
  private commitIndex = 0;
  private readonly machine: RaftStateMachine;
  private readonly votes = new Set<string>();
  private readonly nextIndex = new Map<string, number>();
  private readonly matchIndex = new Map<string, number>();
  /** opId → client waiting for the result (leader only). */
  private readonly waiting = new Map<string, string>();
  private readonly lease: LeaderLease;
  private electionTimer = -1;
  private heartbeatTimer = -1;
  /** Local time this node last heard from a leader (or restarted, with leases on). */
  private lastLeaderContact = -Infinity;
  private readonly peers: readonly string[];
  private readonly majority: number;

  constructor(private readonly ctx: NodeContext, private readonly cfg: RaftConfig) {
    this.log = new RaftLog(ctx);
    this.machine = new RaftStateMachine(ctx);
    this.peers = ctx.members.filter((m) => m !== ctx.self);
    this.majority = Math.floor(ctx.members.length / 2) + 1;
    this.lease = new LeaderLease(cfg.lease, cfg.driftBoundPpm, cfg.bugs.has('lease_no_drift_bound'), this.majority);
  }

  start(): void {
    this.term = this.ctx.stable.get<number>('term') ?? 0;
    this.votedFor = this.ctx.stable.get<string | null>('vote') ?? undefined;
    const restored = this.term > 0 || this.log.lastIndex > 0;
    // The snapshot holds committed entries only: the store starts from it (§7).
    const snapshot = this.log.snapshot;
    if (snapshot.index > 0) {
      this.machine.restore(snapshot);
      this.commitIndex = snapshot.index;
    }
    noteRole(this.ctx, 'follower', this.term, () => restored
      ? `restored term ${this.term}, ${this.log.lastIndex} entries${snapshot.index > 0 ? ` (1..${snapshot.index} as a snapshot)` : ''}${this.votedFor ? `, vote for ${this.votedFor}` : ''} from disk`
      : '');
    // With leases, a restarted node may have promised a leader its loyalty
    // just before crashing and cannot know: it refuses votes for one lease
    // window. (A node with nothing on disk never answered a leader.)
    if (this.lease.enabled && restored) this.lastLeaderContact = this.ctx.now();
    this.resetElectionTimer();
  }

  /** Role and term directly (what properties such as one leader per term read on every step); the rest from inspect(). */
  read(name: string): PropertyValue | undefined {
    if (name === 'role') return this.role;
    if (name === 'term') return this.term;
    return this.inspect()[name];
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return {
      role: this.role,
      term: this.term,
      commit_index: this.commitIndex,
      log: this.log.value(),
      leader: this.leader ?? null,
      kv: this.machine.store.value(),
    };
  }

  /** Role, term, commit index, the log's length and last term, and the leader it follows (exploration coverage). */
  fingerprint(mix: Mix): void {
    mix(this.role === 'leader' ? 2 : this.role === 'candidate' ? 1 : 0);
    mix(this.term);
    mix(this.commitIndex);
    mix(this.log.lastIndex);
    mix(this.log.lastTerm);
    mix(this.leader === undefined ? -1 : this.ctx.members.indexOf(this.leader));
  }

  onTimer(name: string): void {
    if (name === 'election') this.startElection();
    else if (name === 'heartbeat' && this.role === 'leader') {
      for (const p of this.peers) this.sendAppend(p);
      this.heartbeatTimer = this.ctx.setTimer('heartbeat', this.cfg.heartbeat);
    }
  }

  onMessage(from: string, type: string, payload: unknown): void {
    switch (type) {
      case 'RequestVote': return this.onRequestVote(from, payload as RequestVote);
      case 'Vote': return this.onVote(from, payload as Vote);
      case 'AppendEntries': return this.onAppendEntries(from, payload as AppendEntries);
      case 'AppendReply': return this.onAppendReply(from, payload as AppendReply);
      case 'InstallSnapshot': return this.onInstallSnapshot(from, payload as InstallSnapshot);
      case KV_REQUEST: if (isKvCommand(payload)) this.onClient(from, payload); return;
    }
  }

  // ---- elections ------------------------------------------------------------

  private resetElectionTimer(): void {
    this.ctx.cancelTimer(this.electionTimer);
    const { electionLow: low, electionHigh: high } = this.cfg;
    this.electionTimer = this.ctx.setTimer('election', low + Math.floor(this.ctx.random() * (high - low + 1)));
  }

  private setTerm(term: number, vote: string | undefined): void {
    this.term = term;
    this.votedFor = vote;
    this.ctx.stable.set('term', term);
    // The bug `forget_vote`: the vote lives only in memory, so a restart forgets it.
    if (!this.cfg.bugs.has('forget_vote')) this.ctx.stable.set('vote', vote ?? null);
  }

  private startElection(): void {
    if (this.role === 'leader') return;
    this.setTerm(this.term + 1, this.ctx.self);
    this.role = 'candidate';
    this.leader = undefined;
    this.votes.clear();
    this.votes.add(this.ctx.self);
    noteRole(this.ctx, 'candidate', this.term, 'election timeout');
    this.resetElectionTimer();
    const request: RequestVote = { term: this.term, lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm };
    for (const p of this.peers) this.ctx.send(p, 'RequestVote', request, { summary: () => `term=${request.term} last=${request.lastLogIndex}/t${request.lastLogTerm}` });
    if (this.votes.size >= this.majority) this.becomeLeader();
  }

  private onRequestVote(from: string, m: RequestVote): void {
    // Leases: a follower that heard from a leader recently neither moves to the
    // new term nor votes, so the leader's lease cannot be overtaken.
    const inLease = this.lease.enabled && this.role === 'follower' && this.ctx.now() - this.lastLeaderContact < this.lease.followerWindow;
    if (inLease) {
      this.ctx.send(from, 'Vote', { term: this.term, granted: false } satisfies Vote, { summary: () => `term=${this.term} refused: ${this.leader ?? 'a leader'} may hold a lease` });
      return;
    }
    if (m.term > this.term) this.stepDown(m.term, undefined, () => `${from} asks for votes in term ${m.term}`);
    const upToDate = m.lastLogTerm > this.log.lastTerm || (m.lastLogTerm === this.log.lastTerm && m.lastLogIndex >= this.log.lastIndex);
    const granted = m.term === this.term && (this.votedFor === undefined || this.votedFor === from) && upToDate;
    if (granted) {
      this.setTerm(this.term, from);
      this.resetElectionTimer();
    }
    const why = granted ? 'granted' : m.term < this.term ? 'stale term' : !upToDate ? 'log behind' : `voted for ${this.votedFor}`;
    this.ctx.send(from, 'Vote', { term: this.term, granted } satisfies Vote, { summary: () => `term=${this.term} ${why}` });
  }

  private onVote(from: string, m: Vote): void {
    if (m.term > this.term) return this.stepDown(m.term, undefined, () => `${from} is in term ${m.term}`);
    if (this.role !== 'candidate' || m.term !== this.term || !m.granted) return;
    this.votes.add(from);
    if (this.votes.size >= this.majority) this.becomeLeader();
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.leader = this.ctx.self;
    this.ctx.cancelTimer(this.electionTimer);
    this.lease.reset();
    noteRole(this.ctx, 'leader', this.term, () => `votes from ${[...this.votes].join(', ')}`);
    for (const p of this.peers) {
      this.nextIndex.set(p, this.log.lastIndex + 1);
      this.matchIndex.set(p, 0);
    }
    if (this.cfg.noop) this.log.append({ term: this.term, command: null }, 'new leader');
    for (const p of this.peers) this.sendAppend(p);
    this.ctx.cancelTimer(this.heartbeatTimer);
    this.heartbeatTimer = this.ctx.setTimer('heartbeat', this.cfg.heartbeat);
    this.advanceCommit();
  }

  /**
   * Back to follower, in `term` (a higher one, or the same when a leader of
   * it shows up). The election timer keeps running (Raft resets it only on
   * hearing the leader, granting a vote or starting an election), or starts
   * again for a former leader.
   */
  private stepDown(term: number, leader: string | undefined, why: TraceText): void {
    const changed = term !== this.term || this.role !== 'follower';
    if (term !== this.term) this.setTerm(term, undefined);
    if (this.role === 'leader') {
      this.ctx.cancelTimer(this.heartbeatTimer);
      this.waiting.clear();
      this.resetElectionTimer();
    }
    this.role = 'follower';
    this.leader = leader;
    if (changed) noteRole(this.ctx, 'follower', this.term, why);
  }

  // ---- replication ----------------------------------------------------------

  private sendAppend(peer: string): void {
    const next = this.nextIndex.get(peer) ?? this.log.lastIndex + 1;
    const snapshot = this.log.snapshot;
    // The entries this follower needs next were compacted away: it gets the snapshot instead (§7).
    if (next <= snapshot.index) {
      const m: InstallSnapshot = { term: this.term, snapshot, sentAt: this.ctx.now() };
      this.ctx.send(peer, 'InstallSnapshot', m, { summary: () => `term=${m.term} snapshot 1..${snapshot.index}/t${snapshot.term}` });
      return;
    }
    const prevLogIndex = next - 1;
    const entries = this.log.slice(next, MAX_BATCH);
    const m: AppendEntries = { term: this.term, prevLogIndex, prevLogTerm: this.log.term(prevLogIndex) ?? 0, entries, leaderCommit: this.commitIndex, sentAt: this.ctx.now() };
    const what = (): string => (entries.length === 0 ? 'heartbeat' : entries.length === 1 ? `+${next}` : `+${next}..${next + entries.length - 1}`);
    this.ctx.send(peer, 'AppendEntries', m, { summary: () => `term=${m.term} prev=${prevLogIndex}/t${m.prevLogTerm} ${what()} commit=${m.leaderCommit}` });
  }

  private onAppendEntries(from: string, m: AppendEntries): void {
    const reply = (success: boolean, matchIndex: number, why: () => string): void =>
      this.ctx.send(from, 'AppendReply', { term: this.term, success, matchIndex, prevLogIndex: m.prevLogIndex, sentAt: m.sentAt } satisfies AppendReply, { summary: () => `term=${this.term} ${why()}` });
    if (m.term < this.term) return reply(false, 0, () => `stale term ${m.term}`);
    if (m.term > this.term || this.role !== 'follower' || this.leader !== from) this.stepDown(m.term, from, () => `${from} leads term ${m.term}`);
    this.resetElectionTimer();
    this.lastLeaderContact = this.ctx.now();
    if (m.prevLogIndex > this.log.lastIndex) return reply(false, this.log.lastIndex, () => `missing ${this.log.lastIndex + 1}..${m.prevLogIndex}`);
    // Entries up to this node's snapshot are committed, so they are the leader's too: only what follows is checked and merged.
    const compacted = this.log.snapshot.index;
    const skip = Math.max(0, Math.min(m.entries.length, compacted - m.prevLogIndex));
    const prev = m.prevLogIndex + skip;
    const entries = skip > 0 ? m.entries.slice(skip) : m.entries;
    const theirs = skip > 0 ? m.entries[skip - 1]!.term : m.prevLogTerm;
    const mine = this.log.term(prev);
    // The bug `skip_term_check`: having an entry at prevLogIndex is taken as agreement.
    if (prev >= compacted && mine !== theirs && !this.cfg.bugs.has('skip_term_check')) {
      const conflict = this.log.firstIndexOfTerm(prev);
      return reply(false, conflict - 1, () => `entry ${prev} has term ${mine}, not ${theirs}`);
    }
    this.log.merge(prev + 1, entries, from);
    const matchIndex = m.prevLogIndex + m.entries.length;
    if (m.leaderCommit > this.commitIndex) {
      const upTo = Math.min(m.leaderCommit, matchIndex);
      if (upTo > this.commitIndex) {
        this.commitIndex = upTo;
        noteCommit(this.ctx, upTo, () => `(leader ${from})`);
        this.apply();
      }
    }
    reply(true, matchIndex, () => `match=${matchIndex}`);
  }

  /** §7: a follower installs the leader's snapshot unless it already has everything it stands for. */
  private onInstallSnapshot(from: string, m: InstallSnapshot): void {
    const s = m.snapshot;
    const reply = (success: boolean, matchIndex: number, why: () => string): void =>
      this.ctx.send(from, 'AppendReply', { term: this.term, success, matchIndex, prevLogIndex: s.index, sentAt: m.sentAt } satisfies AppendReply, { summary: () => `term=${this.term} ${why()}` });
    if (m.term < this.term) return reply(false, 0, () => `stale term ${m.term}`);
    if (m.term > this.term || this.role !== 'follower' || this.leader !== from) this.stepDown(m.term, from, () => `${from} leads term ${m.term}`);
    this.resetElectionTimer();
    this.lastLeaderContact = this.ctx.now();
    if (s.index <= this.commitIndex) return reply(true, s.index, () => `has 1..${s.index} already`);
    this.log.install(s, () => `from ${from}`);
    this.machine.restore(s);
    this.machine.noteInstalled(s, from);
    this.commitIndex = s.index;
    reply(true, s.index, () => `installed 1..${s.index}`);
  }

  private onAppendReply(from: string, m: AppendReply): void {
    if (m.term > this.term) return this.stepDown(m.term, undefined, () => `${from} is in term ${m.term}`);
    if (this.role !== 'leader' || m.term !== this.term) return;
    this.lease.answered(from, m.sentAt);
    if (m.success) {
      if (m.matchIndex > (this.matchIndex.get(from) ?? 0)) this.matchIndex.set(from, m.matchIndex);
      this.nextIndex.set(from, (this.matchIndex.get(from) ?? 0) + 1);
      this.advanceCommit();
      if ((this.nextIndex.get(from) ?? 0) <= this.log.lastIndex) this.sendAppend(from);
      return;
    }
    // Repair: back up to just after the follower's hint and try again at once.
    // Only the answer to the current probe counts; answers to messages sent
    // before nextIndex moved are stale.
    const current = this.nextIndex.get(from) ?? 1;
    if (m.prevLogIndex + 1 !== current) return;
    this.nextIndex.set(from, Math.max(1, Math.min(current - 1, m.matchIndex + 1)));
    this.sendAppend(from);
  }

  /**
   * The highest index stored on a majority, if it is of the current term
   * (Raft §5.4.2: an older-term entry is committed only indirectly, by a
   * current-term entry after it). The bug `commit_old_terms` drops that
   * condition, and Figure 8 of the paper happens.
   */
  private advanceCommit(): void {
    for (let n = this.log.lastIndex; n > this.commitIndex; n--) {
      if (this.log.term(n) !== this.term && !this.cfg.bugs.has('commit_old_terms')) break;
      let replicas = 1;
      for (const p of this.peers) if ((this.matchIndex.get(p) ?? 0) >= n) replicas++;
      if (replicas >= this.majority) {
        const old = this.log.term(n) !== this.term;
        this.commitIndex = n;
        noteCommit(this.ctx, n, () => `(${replicas} of ${this.ctx.members.length} have it${old ? `; entry of older term ${this.log.term(n)}` : ''})`);
        this.apply();
        return;
      }
    }
  }

  private apply(): void {
    this.machine.apply(this.log, this.commitIndex, this.cfg.snapshotEvery, (c, index, result) => {
      const client = this.waiting.get(c.opId);
      if (client === undefined) return;
      this.waiting.delete(c.opId);
      if (this.role === 'leader') replyOk(this.ctx, client, c.opId, result, `(applied ${index})`);
    });
  }

  // ---- clients --------------------------------------------------------------

  private onClient(from: string, c: KvCommand): void {
    if (this.role !== 'leader') return replyRedirect(this.ctx, from, c.opId, this.leader);
    if (this.machine.store.has(c.opId)) return replyOk(this.ctx, from, c.opId, this.machine.store.result(c.opId), '(already applied)');
    const now = this.ctx.now();
    const expiry = this.lease.expiry(now);
    // A lease read needs the state machine current: an entry of this term committed.
    if (c.op === 'get' && now < expiry && this.log.term(this.commitIndex) === this.term) {
      const value = this.machine.store.read(c.key);
      this.ctx.note(`lease read ${c.key} (lease until ${formatDuration(expiry)} on ${this.ctx.self}'s clock)`, { leaseRead: c.key, leaseUntil: expiry });
      return replyOk(this.ctx, from, c.opId, value, '(lease read)');
    }
    this.waiting.set(c.opId, from);
    if (this.log.holds(c.opId, this.commitIndex)) return; // a retry of an entry still in flight
    this.log.append({ term: this.term, command: c }, `from ${from}: ${describeCommand(c)}`);
    for (const p of this.peers) this.sendAppend(p);
    this.advanceCommit();
  }
}
