import { formatDuration } from '../units';
import type { NodeContext, ProtocolDefinition, ProtocolNode } from './protocol';
import type { OptionSpec } from '../check/options';
import { COMMIT_OPTIONS, COMMIT_PROPERTIES, commitConfig, TxnLog, validateCommit, type CommitConfig, type Decision } from './common/transactions';
import { noteDecision, noteVote } from './coordinationNotes';
import { KeyedTimers } from './common/keyedTimers';
import { Workload } from './common/workload';

/**
 * Two-phase commit (Gray 1978). Phase 1: the coordinator logs `begin` and
 * sends `prepare`; each participant forces its vote to its log and answers.
 * Phase 2: the coordinator forces the decision (commit only if every vote is
 * yes; abort on a no or a vote timeout) and sends it until each participant
 * acknowledges. A participant that voted yes is *uncertain*: it may neither
 * commit nor abort alone, so if the coordinator crashes between the phases it
 * stays blocked, asking the coordinator and its peers (cooperative
 * termination: a peer that knows the decision, or has not voted and so
 * aborts, can answer) until the coordinator recovers from its log, where an
 * undecided transaction is aborted (presumed abort).
 *
 * Messages: prepare, vote {yes}, commit | abort, ack, decision_req; all carry `txn`.
 *
 * The bug switch `abort_on_timeout`: an uncertain participant gives up after
 * `timeout` and aborts alone, the tempting way out of blocking; when the
 * coordinator decided commit and its message is late, atomicity breaks.
 */
export const twoPhaseCommit: ProtocolDefinition = {
  name: 'two_phase_commit',
  messages: ['prepare', 'vote', 'commit', 'abort', 'ack', 'decision_req'],
  summary: 'two-phase commit with durable logs on coordinator and participants; blocks while the coordinator is down',
  binding: 'nodes',
  reports: ['transactions'],
  options: [
    ...COMMIT_OPTIONS,
    { key: 'bugs', type: 'choices', choices: ['abort_on_timeout'], doc: 'known mistakes to switch on: abort_on_timeout (an uncertain participant aborts alone after its timeout instead of asking)', example: 'abort_on_timeout' },
  ] satisfies readonly OptionSpec[],
  properties: COMMIT_PROPERTIES,
  validate: validateCommit,
  createNode: (ctx) => (commitConfig(ctx).coordinator === ctx.self ? new Coordinator(ctx) : new Participant(ctx)),
};

interface TxnMsg {
  readonly txn: number;
}
interface VoteMsg extends TxnMsg {
  readonly yes: boolean;
}

class Coordinator implements ProtocolNode {
  private readonly cfg: CommitConfig;
  private readonly log: TxnLog;
  private readonly workload: Workload;
  /** Yes votes of transactions still collecting votes (volatile: lost in a crash, hence presumed abort). */
  private readonly votes = new Map<number, Set<string>>();
  private readonly acks = new Map<number, Set<string>>();
  private readonly timers: KeyedTimers<number>;

  constructor(private readonly ctx: NodeContext) {
    this.cfg = commitConfig(ctx);
    this.log = new TxnLog(ctx);
    this.timers = new KeyedTimers(ctx);
    this.workload = new Workload(ctx, 'transactions', this.cfg.workload, (txn) => this.begin(txn));
  }

  start(): void {
    for (const txn of this.log.txns()) {
      if (this.log.has(txn, 'end')) continue;
      const d = this.log.decision(txn);
      if (d) {
        this.ctx.note(`txn ${txn}: recovered ${d.toUpperCase()} from the log; resending it`, { txn, recovered: d });
        this.sendDecision(txn, d);
      } else {
        this.ctx.note(`txn ${txn}: recovered from the log without a decision; presumed abort`, { txn, recovered: 'undecided' });
        this.decide(txn, 'abort', 'presumed abort after recovery');
      }
    }
    this.workload.start();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    const { txn } = payload as TxnMsg;
    switch (type) {
      case 'vote': {
        const yes = (payload as VoteMsg).yes;
        const collecting = this.votes.get(txn);
        if (!collecting) return; // decided already, or forgotten in a crash
        if (!yes) return this.decide(txn, 'abort', `${from} voted no`);
        collecting.add(from);
        if (collecting.size === this.cfg.participants.length) this.decide(txn, 'commit', 'all voted yes');
        return;
      }
      case 'ack': {
        const acked = this.acks.get(txn);
        if (!acked) return;
        acked.add(from);
        if (acked.size === this.cfg.participants.length) {
          this.log.record(txn, 'end');
          this.acks.delete(txn);
          this.timers.cancel(txn);
        }
        return;
      }
      case 'decision_req': {
        // Presumed abort: a transaction without a logged decision that is not
        // collecting votes any more was lost in a crash and is aborted.
        const d = this.log.decision(txn) ?? (this.votes.has(txn) ? undefined : 'abort');
        if (d) this.ctx.send(from, d, { txn }, { summary: `txn ${txn}` });
        return;
      }
    }
  }

  onTimer(name: string, data: unknown): void {
    if (this.workload.onTimer(name)) return;
    const txn = data as number;
    if (name === 'votes' && this.votes.has(txn)) this.decide(txn, 'abort', `no vote from ${this.cfg.participants.filter((p) => !this.votes.get(txn)!.has(p)).join(', ')} within the timeout`);
    if (name === 'resend' && this.acks.has(txn)) this.sendDecision(txn, this.log.decision(txn)!);
  }

  inspect() {
    return this.log.inspect((txn) => this.log.decision(txn) === 'commit' ? 'committed' : this.log.decision(txn) === 'abort' ? 'aborted' : 'waiting');
  }

  private begin(txn: number): void {
    this.log.record(txn, 'begin');
    this.votes.set(txn, new Set());
    this.ctx.note(`txn ${txn}: prepare`, { txn, phase: 'prepare' });
    for (const p of this.cfg.participants) this.ctx.send(p, 'prepare', { txn }, { summary: `txn ${txn}` });
    this.timers.set(txn, 'votes', this.cfg.timeout, txn);
  }

  /** The commit point: the decision is on disk before anyone hears of it. */
  private decide(txn: number, d: Decision, why: string): void {
    this.votes.delete(txn);
    this.log.record(txn, d);
    noteDecision(this.ctx, txn, d, why);
    this.sendDecision(txn, d);
  }

  private sendDecision(txn: number, d: Decision): void {
    let acked = this.acks.get(txn);
    if (!acked) this.acks.set(txn, (acked = new Set()));
    for (const p of this.cfg.participants) if (!acked.has(p)) this.ctx.send(p, d, { txn }, { summary: `txn ${txn}` });
    this.timers.set(txn, 'resend', this.cfg.timeout, txn);
  }
}

class Participant implements ProtocolNode {
  private readonly cfg: CommitConfig;
  private readonly abortOnTimeout: boolean;
  private readonly log: TxnLog;
  private readonly reportedBlocked = new Set<number>();
  private readonly timers: KeyedTimers<number>;

  constructor(private readonly ctx: NodeContext) {
    this.cfg = commitConfig(ctx);
    this.abortOnTimeout = ((ctx.options.get('bugs') as readonly string[] | undefined) ?? []).includes('abort_on_timeout');
    this.log = new TxnLog(ctx);
    this.timers = new KeyedTimers(ctx);
  }

  start(): void {
    for (const txn of this.log.txns()) {
      if (!this.log.uncertain(txn)) continue;
      // Still uncertain after a restart: the log says yes, nobody has said what happened.
      noteVote(this.ctx, txn, true, `txn ${txn}: recovered from the log: voted yes, still uncertain`, { recovered: true });
      this.timers.set(txn, 'decision', this.cfg.timeout, txn);
    }
  }

  onMessage(from: string, type: string, payload: unknown): void {
    const { txn } = payload as TxnMsg;
    switch (type) {
      case 'prepare':
        if (this.log.has(txn, 'yes') || this.log.has(txn, 'no')) this.sendVote(txn, this.log.has(txn, 'yes')); // a retransmission or duplicate
        else this.vote(txn);
        return;
      case 'commit':
      case 'abort':
        this.apply(txn, type, from === this.cfg.coordinator ? '' : `learned from ${from}`);
        if (from === this.cfg.coordinator) this.ctx.send(from, 'ack', { txn }, { summary: `txn ${txn}` });
        return;
      case 'decision_req': {
        if (!this.log.has(txn, 'yes') && !this.log.has(txn, 'no')) {
          // Not voted yet: the coordinator cannot have decided commit, so abort is safe.
          this.log.record(txn, 'no');
          this.apply(txn, 'abort', `asked by ${from} before voting`);
        }
        const d = this.log.decision(txn);
        if (d) this.ctx.send(from, d, { txn }, { summary: `txn ${txn}` });
        return;
      }
    }
  }

  onTimer(name: string, data: unknown): void {
    const txn = data as number;
    if (name !== 'decision' || !this.log.uncertain(txn)) return;
    // The bug: giving up on the decision. The coordinator may have decided commit.
    if (this.abortOnTimeout) return this.apply(txn, 'abort', `no decision within ${formatDuration(this.cfg.timeout)}: gives up waiting and aborts alone`);
    if (!this.reportedBlocked.has(txn)) {
      this.reportedBlocked.add(txn);
      this.ctx.note(`txn ${txn}: blocked: voted yes, no decision; asking the coordinator and peers`, { txn, blocked: true });
    }
    for (const n of [this.cfg.coordinator, ...this.cfg.participants]) if (n !== this.ctx.self) this.ctx.send(n, 'decision_req', { txn }, { summary: `txn ${txn}` });
    this.timers.set(txn, 'decision', this.cfg.timeout, txn);
  }

  inspect() {
    return this.log.inspect((txn) => this.log.decision(txn) === 'commit' ? 'committed' : this.log.decision(txn) === 'abort' ? 'aborted' : this.log.uncertain(txn) ? 'uncertain' : 'idle');
  }

  private vote(txn: number): void {
    const yes = !this.cfg.votesNo;
    this.log.record(txn, yes ? 'yes' : 'no');
    noteVote(this.ctx, txn, yes, `txn ${txn}: vote ${yes ? 'yes' : 'no'}`);
    this.sendVote(txn, yes);
    if (yes) this.timers.set(txn, 'decision', this.cfg.timeout, txn);
    else this.apply(txn, 'abort', 'voted no');
  }

  private sendVote(txn: number, yes: boolean): void {
    const vote: VoteMsg = { txn, yes };
    this.ctx.send(this.cfg.coordinator, 'vote', vote, { summary: `txn ${txn} ${yes ? 'yes' : 'no'}` });
  }

  private apply(txn: number, d: Decision, why: string): void {
    if (this.log.decision(txn)) return;
    this.log.record(txn, d);
    this.timers.cancel(txn);
    noteDecision(this.ctx, txn, d, why);
  }
}
