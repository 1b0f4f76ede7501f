import { diagnostic } from '../diagnostics';
import { MS } from '../units';
import { PaxosAcceptor, type Accepted } from './paxosAcceptor';
import type { NodeContext, PropertyValue, ProtocolDefinition, ProtocolNode } from './protocol';
import { ballotRound, formatBallot, makeBallot, noteBallotRole, notePaxos, type Role } from './replicationNotes';

export type PaxosBug = 'ignore_promises' | 'forget_promises' | 'uninitialized_value';
const PAXOS_BUGS: readonly PaxosBug[] = ['ignore_promises', 'forget_promises', 'uninitialized_value'];

/** What the `uninitialized_value` bug proposes: the zero a forgotten default leaves behind. */
const UNINITIALIZED = 0;

interface Config {
  readonly proposers: readonly string[];
  readonly values: ReadonlyMap<string, number>;
  readonly start: { low: number; high: number };
  readonly backoff: { low: number; high: number };
  readonly timeout: number;
  readonly bugs: ReadonlySet<PaxosBug>;
}

/**
 * `nodes n1..n3 run paxos { proposers n1, n2; values n1 = 1, n2 = 2 }`:
 * single-decree Paxos (Lamport, "Paxos Made Simple"). Every member is an
 * acceptor and a learner; the proposers run prepare/promise then
 * accept/accepted with ballots (round, proposer), back off for a random time
 * when preempted, and stop once they learn the chosen value. Proposers that
 * start together duel: each prepare preempts the other's accept phase.
 */
export const paxos: ProtocolDefinition = {
  name: 'paxos',
  messages: ['Prepare', 'Promise', 'Nack', 'Accept', 'Accepted'],
  summary: 'single-decree Paxos: proposers, acceptors and learners agree on one value',
  binding: 'nodes',
  reports: ['paxos'],
  options: [
    { key: 'proposers', type: 'nodes', doc: 'the nodes that propose (default: all); every node is an acceptor and a learner', example: 'n1, n2' },
    { key: 'values', type: 'node-numbers', doc: 'what each proposer proposes (default: its position, 1, 2, …)', example: 'n1 = 10, n2 = 20' },
    { key: 'start', type: 'duration-range', doc: 'when proposers begin, on their own clocks (drawn in the range)', example: '10ms' },
    { key: 'backoff', type: 'duration-range', doc: 'how long a preempted proposer waits before a higher ballot (drawn in the range); a fixed value lets duelling proposers livelock', example: '20ms..60ms' },
    { key: 'timeout', type: 'duration', min: 1, doc: 'a round without a majority of answers is abandoned after this', example: '100ms' },
    { key: 'bugs', type: 'choices', choices: PAXOS_BUGS, doc: 'known mistakes to switch on: ignore_promises (accept below the promise), forget_promises (acceptor state not on disk), uninitialized_value (propose a default when nobody accepted anything)', example: 'ignore_promises' },
  ],
  properties: [
    { name: 'role', type: 'string', doc: 'proposer phase: idle, candidate (prepare), leader (accept), follower (preempted), decided' },
    { name: 'ballot', type: 'string', doc: "the proposer's current ballot, round.node" },
    { name: 'promised', type: 'string', doc: 'the highest ballot this acceptor promised, round.node (`0` before any)' },
    { name: 'accepted', type: '{ ballot: string, value: int }?', doc: 'the ballot and value this acceptor accepted last (none before any)' },
    { name: 'chosen', type: 'int?', doc: 'the value this node learned was chosen (none before it learns one)' },
  ],
  createNode(ctx) {
    const o = ctx.options;
    const proposers = (o.get('proposers') as readonly string[] | undefined) ?? ctx.members;
    const cfg: Config = {
      proposers,
      values: (o.get('values') as ReadonlyMap<string, number> | undefined) ?? new Map(),
      start: (o.get('start') as { low: number; high: number } | undefined) ?? { low: 10 * MS, high: 10 * MS },
      backoff: (o.get('backoff') as { low: number; high: number } | undefined) ?? { low: 20 * MS, high: 60 * MS },
      timeout: (o.get('timeout') as number | undefined) ?? 100 * MS,
      bugs: new Set((o.get('bugs') as readonly PaxosBug[] | undefined) ?? []),
    };
    return new PaxosNode(ctx, cfg);
  },
  validate(binding, report) {
    const members = new Set(binding.nodes);
    for (const key of ['proposers', 'values']) {
      const setting = binding.ast.options.find((s) => s.key.text === key);
      const value = binding.options.get(key);
      const names = value instanceof Map ? [...value.keys()] : ((value as readonly string[] | undefined) ?? []);
      const outsider = names.find((n) => !members.has(n));
      if (outsider && setting) report(diagnostic('DS141', `'${outsider}' does not run this paxos (it runs on ${binding.nodes.join(', ')})`, setting.range));
    }
  },
};

interface PromiseMsg { readonly ballot: number; readonly accepted: Accepted<number> | null }

class PaxosNode implements ProtocolNode {
  private readonly acceptor: PaxosAcceptor<number>;
  private readonly quorum: number;
  private readonly isProposer: boolean;
  private readonly value: number;
  private role: Role = 'idle';
  private ballot = 0;
  private highestSeen = 0;
  private phase: 'idle' | 'prepare' | 'accept' | 'backoff' | 'done' = 'idle';
  private readonly promises = new Map<string, Accepted<number> | null>();
  private readonly votes = new Map<number, Set<string>>();
  private learned: number | undefined;
  private roundTimer = -1;

  constructor(private readonly ctx: NodeContext, private readonly cfg: Config) {
    this.quorum = Math.floor(ctx.members.length / 2) + 1;
    this.acceptor = new PaxosAcceptor<number>(ctx, { quorum: this.quorum, volatile: cfg.bugs.has('forget_promises'), ignorePromises: cfg.bugs.has('ignore_promises'), describe: String });
    this.isProposer = cfg.proposers.includes(ctx.self);
    this.value = cfg.values.get(ctx.self) ?? cfg.proposers.indexOf(ctx.self) + 1;
  }

  start(): void {
    this.learned = this.ctx.stable.get<number>('learned');
    if (!this.isProposer || this.learned !== undefined) return;
    notePaxos(this.ctx, { paxos: 'input', slot: 0, value: String(this.value) }, `wants to propose ${this.value}`);
    this.ctx.setTimer('start', draw(this.ctx, this.cfg.start));
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    const accepted = this.acceptor.acceptedAt(0);
    return {
      role: this.role,
      ballot: formatBallot(this.ballot, this.ctx.members),
      promised: formatBallot(this.acceptor.promisedBallot, this.ctx.members),
      accepted: accepted ? { ballot: formatBallot(accepted.ballot, this.ctx.members), value: accepted.value } : null,
      chosen: this.learned ?? null,
    };
  }

  onTimer(name: string, data: unknown): void {
    if (name === 'start' || name === 'retry') this.beginRound();
    else if (name === 'timeout' && data === this.ballot && (this.phase === 'prepare' || this.phase === 'accept')) this.preempted('no majority answered in time');
  }

  onMessage(from: string, type: string, payload: unknown): void {
    const m = payload as { ballot: number; value?: number; accepted?: Accepted<number> | null; promised?: number };
    switch (type) {
      case 'Prepare': {
        const r = this.acceptor.prepare(m.ballot, 0);
        if (r.ok) this.send(from, 'Promise', { ballot: m.ballot, accepted: r.accepted[0]?.[1] ?? null } satisfies PromiseMsg, `${this.b(m.ballot)}${r.accepted.length ? ` accepted ${r.accepted[0]![1].value}@${this.b(r.accepted[0]![1].ballot)}` : ''}`);
        else this.send(from, 'Nack', { ballot: m.ballot, promised: r.promised }, `${this.b(m.ballot)} < promised ${this.b(r.promised)}`);
        return;
      }
      case 'Accept':
        if (this.acceptor.accept(m.ballot, 0, m.value!)) this.broadcast('Accepted', { ballot: m.ballot, value: m.value }, `${m.value}@${this.b(m.ballot)}`);
        else this.send(from, 'Nack', { ballot: m.ballot, promised: this.acceptor.promisedBallot }, `${this.b(m.ballot)} < promised ${this.b(this.acceptor.promisedBallot)}`);
        return;
      case 'Promise': return this.onPromise(from, m as PromiseMsg);
      case 'Nack':
        this.highestSeen = Math.max(this.highestSeen, m.promised ?? 0);
        if (m.ballot === this.ballot && (this.phase === 'prepare' || this.phase === 'accept')) this.preempted(`${from} promised ${this.b(m.promised ?? 0)}`);
        return;
      case 'Accepted': return this.onAccepted(from, m.ballot, m.value!);
    }
  }

  private beginRound(): void {
    if (this.learned !== undefined) return;
    const round = Math.max(this.ctx.stable.get<number>('round') ?? 0, ballotRound(this.highestSeen)) + 1;
    this.ctx.stable.set('round', round); // a restarted proposer never reuses a ballot
    this.ballot = makeBallot(round, this.ctx.members.indexOf(this.ctx.self));
    this.phase = 'prepare';
    this.promises.clear();
    this.setRole('candidate', 'prepare');
    this.roundTimer = this.ctx.setTimer('timeout', this.cfg.timeout, this.ballot);
    this.broadcast('Prepare', { ballot: this.ballot }, this.b(this.ballot));
  }

  private onPromise(from: string, m: PromiseMsg): void {
    if (this.phase !== 'prepare' || m.ballot !== this.ballot) return;
    this.promises.set(from, m.accepted);
    if (this.promises.size < this.quorum) return;
    // The value of the highest-numbered accepted proposal among the promises, else our own.
    let highest: Accepted<number> | null = null;
    for (const a of this.promises.values()) if (a && (!highest || a.ballot > highest.ballot)) highest = a;
    const value = highest ? highest.value : this.cfg.bugs.has('uninitialized_value') ? UNINITIALIZED : this.value;
    this.phase = 'accept';
    this.setRole('leader', highest ? `adopts ${highest.value} accepted in ${this.b(highest.ballot)}` : `proposes ${value}`);
    this.broadcast('Accept', { ballot: this.ballot, value }, `${value}@${this.b(this.ballot)}`);
  }

  private onAccepted(from: string, ballot: number, value: number): void {
    let voters = this.votes.get(ballot);
    if (!voters) this.votes.set(ballot, (voters = new Set()));
    voters.add(from);
    if (voters.size < this.quorum || this.learned !== undefined) return;
    this.learned = value;
    this.ctx.stable.set('learned', value);
    notePaxos(this.ctx, { paxos: 'learn', slot: 0, value: String(value) }, `learned ${value} (accepted in ${this.b(ballot)} by ${[...voters].join(', ')})`);
    if (this.isProposer) {
      this.ctx.cancelTimer(this.roundTimer);
      this.phase = 'done';
      this.setRole('decided', `${value} is chosen`);
    }
  }

  private preempted(why: string): void {
    this.ctx.cancelTimer(this.roundTimer);
    this.phase = 'backoff';
    this.setRole('follower', why);
    this.ctx.setTimer('retry', draw(this.ctx, this.cfg.backoff));
  }

  private setRole(role: Role, why: string): void {
    this.role = role;
    noteBallotRole(this.ctx, role, this.ballot, why);
  }

  /** To every member; the node's own acceptor and learner get it at once, without the network. */
  private broadcast(type: string, payload: unknown, summary: string): void {
    for (const m of this.ctx.members) if (m !== this.ctx.self) this.send(m, type, payload, summary);
    this.onMessage(this.ctx.self, type, payload);
  }

  private send(to: string, type: string, payload: unknown, summary: string): void {
    if (to === this.ctx.self) this.onMessage(to, type, payload);
    else this.ctx.send(to, type, payload, { summary });
  }

  private b(ballot: number): string {
    return formatBallot(ballot, this.ctx.members);
  }
}

function draw(ctx: NodeContext, range: { low: number; high: number }): number {
  return range.low + Math.floor(ctx.random() * (range.high - range.low + 1));
}
