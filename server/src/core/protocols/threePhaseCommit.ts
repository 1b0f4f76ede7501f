import type { NodeContext, ProtocolDefinition, ProtocolNode } from './protocol';
import { COMMIT_OPTIONS, COMMIT_PROPERTIES, commitConfig, TxnLog, validateCommit, type CommitConfig, type Decision } from './common/transactions';
import { noteDecision, noteVote } from './coordinationNotes';
import { KeyedTimers } from './common/keyedTimers';
import { Workload } from './common/workload';

/**
 * Three-phase commit (Skeen 1981). Between voting and deciding there is a
 * *pre-commit* round: the coordinator sends `pre_commit` once every vote is
 * yes, and commits when the participants acknowledge it (or when the
 * acknowledgement timeout passes: silent participants are presumed crashed).
 * Because nobody commits before everybody has at least voted yes and some
 * node knows it, participants can finish without the coordinator: on a
 * timeout a participant runs the termination protocol, asking every other
 * node for its state and deciding by the textbook rule
 *   any committed → commit; any aborted → abort;
 *   any pre-committed (itself included) → commit; all uncertain → abort.
 * That makes 3PC non-blocking when the coordinator crashes. It assumes a
 * synchronous network, though: under a partition each side terminates with
 * what it can reach, and a side that saw a pre-commit commits while a side
 * that did not aborts, the known inconsistency.
 *
 * A node restarting from its log with an undecided transaction does not
 * decide from non-final answers (others may have moved on while it was
 * down): it asks until someone reports committed or aborted.
 *
 * Messages: can_commit, vote {yes}, pre_commit, ack, commit | abort,
 * state_req, state_resp {state}; all carry `txn`.
 */
export const threePhaseCommit: ProtocolDefinition = {
  name: 'three_phase_commit',
  summary: 'three-phase commit: pre-commit round and timeouts make it non-blocking under a coordinator crash, inconsistent under a partition',
  binding: 'nodes',
  messages: ['can_commit', 'vote', 'pre_commit', 'ack', 'commit', 'abort', 'state_req', 'state_resp'],
  reports: ['transactions'],
  options: COMMIT_OPTIONS,
  properties: COMMIT_PROPERTIES,
  validate: validateCommit,
  createNode: (ctx) => new ThreePhaseNode(ctx),
};

type TxnState = 'uncertain' | 'precommitted' | 'committed' | 'aborted' | 'unknown';

interface Msg {
  readonly txn: number;
  readonly yes?: boolean;
  readonly state?: TxnState;
}

/** One class for both roles: the termination protocol makes every node answer the same questions. */
class ThreePhaseNode implements ProtocolNode {
  private readonly cfg: CommitConfig;
  private readonly log: TxnLog;
  private readonly workload: Workload | undefined;
  private readonly isCoordinator: boolean;
  /** Coordinator: yes votes while collecting (volatile). */
  private readonly votes = new Map<number, Set<string>>();
  /** Coordinator: pre-commit acknowledgements while waiting for them (volatile). */
  private readonly acks = new Map<number, Set<string>>();
  /** Termination in progress: answers gathered so far. */
  private readonly answers = new Map<number, Map<string, TxnState>>();
  /** Transactions found undecided in the log at restart: decide only from a final answer. */
  private readonly recovering = new Set<number>();
  /** One pending timer per transaction: votes, acks, timeout or terminate. */
  private readonly timers: KeyedTimers<number>;

  constructor(private readonly ctx: NodeContext) {
    this.cfg = commitConfig(ctx);
    this.log = new TxnLog(ctx);
    this.timers = new KeyedTimers(ctx);
    this.isCoordinator = this.cfg.coordinator === ctx.self;
    this.workload = this.isCoordinator ? new Workload(ctx, 'transactions', this.cfg.workload, (txn) => this.begin(txn)) : undefined;
  }

  start(): void {
    for (const txn of this.log.txns()) {
      if (this.log.decision(txn) || (!this.isCoordinator && !this.log.has(txn, 'yes'))) continue;
      this.recovering.add(txn);
      const detail = `txn ${txn}: recovered from the log undecided (${this.stateOf(txn)}); asking the others`;
      if (this.isCoordinator) this.ctx.note(detail, { txn, recovered: this.stateOf(txn) });
      else noteVote(this.ctx, txn, true, detail, { recovered: this.stateOf(txn) }); // uncertain again
      this.terminate(txn);
    }
    this.workload?.start();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    const m = payload as Msg;
    const txn = m.txn;
    switch (type) {
      case 'can_commit':
        if (this.log.has(txn, 'yes') || this.log.has(txn, 'no')) this.send(from, 'vote', { txn, yes: this.log.has(txn, 'yes') });
        else this.vote(txn);
        return;
      case 'vote': {
        const collecting = this.votes.get(txn);
        if (!collecting) return;
        if (!m.yes) return this.decide(txn, 'abort', `${from} voted no`);
        collecting.add(from);
        if (collecting.size === this.cfg.participants.length) this.preCommit(txn);
        return;
      }
      case 'pre_commit':
        if (this.log.decision(txn)) return;
        this.log.record(txn, 'precommit');
        this.ctx.note(`txn ${txn}: pre-committed`, { txn, phase: 'precommit' });
        this.send(from, 'ack', { txn });
        this.timers.set(txn, 'timeout', this.cfg.timeout, txn);
        return;
      case 'ack': {
        const acked = this.acks.get(txn);
        if (!acked) return;
        acked.add(from);
        if (acked.size === this.cfg.participants.length) this.decide(txn, 'commit', 'all acknowledged pre-commit');
        return;
      }
      case 'commit':
      case 'abort':
        this.decide(txn, type, from === this.cfg.coordinator ? '' : `learned from ${from}`);
        return;
      case 'state_req':
        this.send(from, 'state_resp', { txn, state: this.answerFor(txn, from) });
        return;
      case 'state_resp': {
        const answers = this.answers.get(txn);
        if (!answers || this.log.decision(txn)) return;
        answers.set(from, m.state!);
        if (m.state === 'committed' || m.state === 'aborted') this.decide(txn, m.state === 'committed' ? 'commit' : 'abort', `${from} had ${m.state}`);
        return;
      }
    }
  }

  onTimer(name: string, data: unknown): void {
    if (this.workload?.onTimer(name)) return;
    const txn = data as number;
    if (this.log.decision(txn)) return;
    switch (name) {
      case 'votes':
        if (this.votes.has(txn)) this.decide(txn, 'abort', 'a vote timed out');
        return;
      case 'acks':
        if (this.acks.has(txn)) this.decide(txn, 'commit', `no pre-commit ack from ${this.cfg.participants.filter((p) => !this.acks.get(txn)!.has(p)).join(', ')}; presumed crashed`);
        return;
      case 'timeout':
        if (!this.answers.has(txn)) {
          this.ctx.note(`txn ${txn}: timeout while ${this.stateOf(txn)}; running the termination protocol`, { txn, terminating: this.stateOf(txn) });
          this.terminate(txn);
        }
        return;
      case 'terminate':
        return this.concludeTermination(txn);
    }
  }

  inspect() {
    return this.log.inspect((txn) => {
      const s = this.stateOf(txn);
      return s === 'unknown' ? 'waiting' : s;
    });
  }

  // ---- coordinator ----------------------------------------------------------

  private begin(txn: number): void {
    this.log.record(txn, 'begin');
    this.votes.set(txn, new Set());
    this.ctx.note(`txn ${txn}: can commit?`, { txn, phase: 'prepare' });
    for (const p of this.cfg.participants) this.send(p, 'can_commit', { txn });
    this.timers.set(txn, 'votes', this.cfg.timeout, txn);
  }

  private preCommit(txn: number): void {
    this.votes.delete(txn);
    this.log.record(txn, 'precommit');
    this.acks.set(txn, new Set());
    this.ctx.note(`txn ${txn}: all voted yes; pre-commit`, { txn, phase: 'precommit' });
    for (const p of this.cfg.participants) this.send(p, 'pre_commit', { txn });
    this.timers.set(txn, 'acks', this.cfg.timeout, txn);
  }

  // ---- participant ------------------------------------------------------------

  private vote(txn: number): void {
    const yes = !this.cfg.votesNo;
    this.log.record(txn, yes ? 'yes' : 'no');
    noteVote(this.ctx, txn, yes, `txn ${txn}: vote ${yes ? 'yes' : 'no'}`);
    this.send(this.cfg.coordinator, 'vote', { txn, yes });
    if (yes) this.timers.set(txn, 'timeout', this.cfg.timeout, txn);
    else this.decide(txn, 'abort', 'voted no');
  }

  // ---- termination (every role) -------------------------------------------------

  private terminate(txn: number): void {
    this.answers.set(txn, new Map());
    for (const n of this.ctx.members) if (n !== this.ctx.self) this.send(n, 'state_req', { txn });
    this.timers.set(txn, 'terminate', this.cfg.timeout, txn);
  }

  private concludeTermination(txn: number): void {
    const states = [this.stateOf(txn), ...this.answers.get(txn)!.values()];
    this.answers.delete(txn);
    if (this.recovering.has(txn)) return this.terminate(txn); // only a final answer will do
    const reached = states.length - 1;
    if (states.includes('precommitted')) this.decide(txn, 'commit', `termination: a pre-commit among ${reached} answer(s)`);
    else this.decide(txn, 'abort', `termination: all ${states.length} reachable node(s) uncertain`);
  }

  /** What this node tells a peer running termination; answering may force a safe unilateral abort. */
  private answerFor(txn: number, asker: string): TxnState {
    if (!this.log.decision(txn)) {
      const unvoted = !this.isCoordinator && !this.log.has(txn, 'yes') && !this.log.has(txn, 'no');
      if (unvoted) this.log.record(txn, 'no');
      // Not yet voted, or still collecting votes: nobody can have pre-committed, so abort is safe.
      if (unvoted || this.votes.has(txn) || (this.isCoordinator && !this.log.has(txn, 'begin'))) this.decide(txn, 'abort', `asked by ${asker} before pre-commit`);
    }
    return this.stateOf(txn);
  }

  private stateOf(txn: number): TxnState {
    const d = this.log.decision(txn);
    if (d) return d === 'commit' ? 'committed' : 'aborted';
    if (this.log.has(txn, 'precommit')) return 'precommitted';
    if (this.log.has(txn, 'yes') || this.log.has(txn, 'begin')) return 'uncertain';
    return 'unknown';
  }

  private decide(txn: number, d: Decision, why: string): void {
    if (this.log.decision(txn)) return;
    this.votes.delete(txn);
    this.log.record(txn, d);
    this.recovering.delete(txn);
    this.timers.cancel(txn);
    noteDecision(this.ctx, txn, d, why);
    if (this.isCoordinator) {
      this.acks.delete(txn);
      for (const p of this.cfg.participants) this.send(p, d, { txn });
    }
  }

  private send(to: string, type: string, m: Msg): void {
    this.ctx.send(to, type, m, { summary: `txn ${m.txn}${m.yes !== undefined ? (m.yes ? ' yes' : ' no') : ''}${m.state ? ` ${m.state}` : ''}` });
  }
}
