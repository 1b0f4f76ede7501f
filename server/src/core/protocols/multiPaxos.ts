import { MS } from '../units';
import { commandId, describeCommand, isKvCommand, KV_REPLY, KV_REQUEST, KV_STORE_TYPE, replyOk, replyRedirect, type KvCommand } from './kv';
import { CHOSEN_LOG_TYPE, ChosenLog } from './multiPaxosLog';
import { PaxosAcceptor, type Accepted } from './paxosAcceptor';
import type { NodeContext, PropertyValue, ProtocolDefinition, ProtocolNode } from './protocol';
import { ballotRound, formatBallot, makeBallot, noteBallotRole, notePaxos, type Role } from './replicationNotes';

type Value = KvCommand | null;
type MultiPaxosBug = 'ignore_promises' | 'forget_promises';
const MULTI_PAXOS_BUGS: readonly MultiPaxosBug[] = ['ignore_promises', 'forget_promises'];

interface Config {
  readonly electionLow: number;
  readonly electionHigh: number;
  readonly heartbeat: number;
  readonly bugs: ReadonlySet<MultiPaxosBug>;
}

/**
 * `nodes n1..n5 run multipaxos { election_timeout 150ms..300ms; heartbeat 50ms }`:
 * Multi-Paxos with a stable leader serving a replicated key-value store.
 * A node that hears no leader for its (random, local-clock) election timeout
 * runs phase 1 once for every slot from its first unchosen one; with a
 * majority of promises it re-proposes what the promises report accepted and
 * fills the gaps with no-ops, then runs only phase 2 per client command.
 * The leader learns when a majority accepted and tells everyone (`Chosen`).
 */
export const multiPaxos: ProtocolDefinition = {
  name: 'multipaxos',
  summary: 'Multi-Paxos: a stable leader replicates a log of client commands into a key-value store',
  binding: 'nodes',
  messages: ['Prepare', 'Promise', 'Nack', 'Accept', 'Accepted', 'Chosen', 'Heartbeat', 'CatchUp', KV_REPLY],
  reports: ['paxos', 'applied-commands'],
  serves: 'kv',
  options: [
    { key: 'election_timeout', type: 'duration-range', doc: 'a node that hears from no leader for this long (on its own clock) runs phase 1 to become leader', example: '150ms..300ms' },
    { key: 'heartbeat', type: 'duration', min: 1, doc: 'how often the leader tells the others it is alive and what is chosen', example: '50ms' },
    { key: 'bugs', type: 'choices', choices: MULTI_PAXOS_BUGS, doc: 'known mistakes to switch on: ignore_promises (accept below the promise), forget_promises (acceptor state not on disk)', example: 'forget_promises' },
  ],
  properties: [
    { name: 'role', type: 'string', doc: 'follower, candidate (phase 1) or leader' },
    { name: 'ballot', type: 'string', doc: 'the highest ballot this node promised, round.node' },
    { name: 'commit_index', deprecatedAliases: ['commitIndex'], type: 'int', doc: 'the last slot of the chosen prefix' },
    { name: 'log', type: CHOSEN_LOG_TYPE, doc: 'every slot this node knows is chosen, lowest first: the slot and its command (`c1.4 put k=3`, or `no-op` for a gap a new leader filled)' },
    { name: 'leader', type: 'node?', doc: 'the leader this node follows (none when it knows of none)' },
    { name: 'kv', type: KV_STORE_TYPE, doc: "the node's copy of the key-value store: key → value as a client wrote it (`3`, `\"a\"`)" },
  ],
  createNode(ctx) {
    const o = ctx.options;
    const election = (o.get('election_timeout') as { low: number; high: number } | undefined) ?? { low: 150 * MS, high: 300 * MS };
    return new MultiPaxosNode(ctx, {
      electionLow: election.low,
      electionHigh: election.high,
      heartbeat: (o.get('heartbeat') as number | undefined) ?? 50 * MS,
      bugs: new Set((o.get('bugs') as readonly MultiPaxosBug[] | undefined) ?? []),
    });
  },
};

interface Prepare { readonly ballot: number; readonly fromSlot: number }
interface PromiseMsg { readonly ballot: number; readonly accepted: readonly [number, Accepted<Value>][] }
interface Accept { readonly ballot: number; readonly slot: number; readonly value: Value }
interface Nack { readonly ballot: number; readonly promised: number }
interface Heartbeat { readonly ballot: number; readonly firstUnchosen: number }

class MultiPaxosNode implements ProtocolNode {
  private readonly acceptor: PaxosAcceptor<Value>;
  private readonly log: ChosenLog;
  private readonly quorum: number;
  private role: Role = 'follower';
  private ballot = 0;
  private leader: string | undefined;
  private electionTimer = -1;
  private heartbeatTimer = -1;
  private readonly promises = new Map<string, readonly [number, Accepted<Value>][]>();
  /** Leader: slots proposed in this ballot and not chosen yet, with their acceptors so far. */
  private readonly pending = new Map<number, { value: Value; acceptors: Set<string> }>();
  private readonly inFlight = new Map<string, number>();
  private nextSlot = 1;

  constructor(private readonly ctx: NodeContext, private readonly cfg: Config) {
    this.quorum = Math.floor(ctx.members.length / 2) + 1;
    this.acceptor = new PaxosAcceptor<Value>(ctx, { quorum: this.quorum, volatile: cfg.bugs.has('forget_promises'), ignorePromises: cfg.bugs.has('ignore_promises'), describe: commandId });
    this.log = new ChosenLog(ctx);
  }

  start(): void {
    noteBallotRole(this.ctx, 'follower', this.acceptor.promisedBallot, this.log.maxChosen ? `restored ${this.log.maxChosen} chosen slots from disk` : '');
    this.log.apply(false);
    this.resetElectionTimer();
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return {
      role: this.role,
      ballot: this.b(Math.max(this.ballot, this.acceptor.promisedBallot)),
      commit_index: this.log.firstUnchosen - 1,
      log: this.log.value(),
      leader: this.leader ?? null,
      kv: this.log.store.value(),
    };
  }

  onTimer(name: string): void {
    if (name === 'election') this.runForLeader();
    else if (name === 'heartbeat' && this.role === 'leader') {
      const hb: Heartbeat = { ballot: this.ballot, firstUnchosen: this.log.firstUnchosen };
      for (const m of this.others()) this.ctx.send(m, 'Heartbeat', hb, { summary: `${this.b(this.ballot)} chosen<${hb.firstUnchosen}` });
      // Accepts can be lost: ask again for every slot still open.
      for (const [slot, p] of this.pending) this.sendAccept(slot, p.value, p.acceptors);
      this.heartbeatTimer = this.ctx.setTimer('heartbeat', this.cfg.heartbeat);
    }
  }

  onMessage(from: string, type: string, payload: unknown): void {
    switch (type) {
      case 'Prepare': return this.onPrepare(from, payload as Prepare);
      case 'Promise': return this.onPromise(from, payload as PromiseMsg);
      case 'Accept': return this.onAccept(from, payload as Accept);
      case 'Accepted': return this.onAccepted(from, payload as Accept);
      case 'Nack': return this.onNack(from, payload as Nack);
      case 'Chosen': for (const [slot, value] of payload as [number, Value][]) this.log.learn(slot, value, `from ${from}`, false); return;
      case 'Heartbeat': return this.onHeartbeat(from, payload as Heartbeat);
      case 'CatchUp': return this.onCatchUp(from, payload as number);
      case KV_REQUEST: if (isKvCommand(payload)) this.onClient(from, payload); return;
    }
  }

  // ---- phase 1: becoming leader -----------------------------------------------

  private runForLeader(): void {
    const round = Math.max(this.ctx.stable.get<number>('round') ?? 0, ballotRound(this.acceptor.promisedBallot)) + 1;
    this.ctx.stable.set('round', round);
    this.ballot = makeBallot(round, this.ctx.members.indexOf(this.ctx.self));
    this.promises.clear();
    this.setRole('candidate', 'election timeout');
    this.leader = undefined;
    this.resetElectionTimer();
    const m: Prepare = { ballot: this.ballot, fromSlot: this.log.firstUnchosen };
    for (const p of this.others()) this.ctx.send(p, 'Prepare', m, { summary: `${this.b(m.ballot)} from slot ${m.fromSlot}` });
    this.onPrepare(this.ctx.self, m);
  }

  private onPrepare(from: string, m: Prepare): void {
    const r = this.acceptor.prepare(m.ballot, m.fromSlot);
    if (!r.ok) return this.reply(from, 'Nack', { ballot: m.ballot, promised: r.promised } satisfies Nack, `${this.b(m.ballot)} < ${this.b(r.promised)}`);
    if (from !== this.ctx.self) {
      // Like a Raft vote: give the candidate time to take over before running ourselves.
      if (this.role !== 'follower') this.stepDown(`promised ${this.b(m.ballot)} to ${from}`);
      else this.resetElectionTimer();
    }
    this.reply(from, 'Promise', { ballot: m.ballot, accepted: r.accepted } satisfies PromiseMsg, `${this.b(m.ballot)}${r.accepted.length ? ` ${r.accepted.length} accepted` : ''}`);
  }

  private onPromise(from: string, m: PromiseMsg): void {
    if (this.role !== 'candidate' || m.ballot !== this.ballot) return;
    this.promises.set(from, m.accepted);
    if (this.promises.size < this.quorum) return;
    this.setRole('leader', `promises from ${[...this.promises.keys()].join(', ')}`);
    this.leader = this.ctx.self;
    this.ctx.cancelTimer(this.electionTimer);
    this.pending.clear();
    this.inFlight.clear();
    // Per open slot, the value accepted in the highest ballot; the slots between get no-ops.
    const best = new Map<number, Accepted<Value>>();
    for (const list of this.promises.values()) for (const [slot, a] of list) if (!this.log.has(slot) && (!best.has(slot) || a.ballot > best.get(slot)!.ballot)) best.set(slot, a);
    const top = Math.max(this.log.maxChosen, ...best.keys());
    for (let slot = this.log.firstUnchosen; slot <= top; slot++) {
      if (this.log.has(slot)) continue;
      const value = best.get(slot)?.value ?? null;
      if (!best.has(slot)) notePaxos(this.ctx, { paxos: 'input', slot, value: 'no-op' }, `fills gap at slot ${slot} with a no-op`);
      this.propose(slot, value);
    }
    this.nextSlot = top + 1;
    this.ctx.cancelTimer(this.heartbeatTimer);
    this.onTimer('heartbeat'); // announce the new leader at once
  }

  private onNack(from: string, m: Nack): void {
    if (m.ballot === this.ballot && this.role !== 'follower') this.stepDown(`${from} promised ${this.b(m.promised)}`);
  }

  private stepDown(why: string): void {
    if (this.role === 'leader') this.ctx.cancelTimer(this.heartbeatTimer);
    this.pending.clear();
    this.inFlight.clear();
    this.log.waiting.clear();
    this.setRole('follower', why);
    this.resetElectionTimer();
  }

  // ---- phase 2: one slot at a time ---------------------------------------------

  private propose(slot: number, value: Value): void {
    this.pending.set(slot, { value, acceptors: new Set() });
    if (value) this.inFlight.set(value.opId, slot);
    this.sendAccept(slot, value, new Set());
  }

  private sendAccept(slot: number, value: Value, skip: ReadonlySet<string>): void {
    const m: Accept = { ballot: this.ballot, slot, value };
    for (const p of this.others()) if (!skip.has(p)) this.ctx.send(p, 'Accept', m, { summary: `${this.b(m.ballot)} slot ${slot}: ${value ? describeCommand(value) : 'no-op'}` });
    if (!skip.has(this.ctx.self)) this.onAccept(this.ctx.self, m);
  }

  private onAccept(from: string, m: Accept): void {
    if (!this.acceptor.accept(m.ballot, m.slot, m.value)) return this.reply(from, 'Nack', { ballot: m.ballot, promised: this.acceptor.promisedBallot } satisfies Nack, `${this.b(m.ballot)} < ${this.b(this.acceptor.promisedBallot)}`);
    this.reply(from, 'Accepted', m, `${this.b(m.ballot)} slot ${m.slot}`);
  }

  private onAccepted(from: string, m: Accept): void {
    const p = this.pending.get(m.slot);
    if (this.role !== 'leader' || m.ballot !== this.ballot || !p) return;
    p.acceptors.add(from);
    if (p.acceptors.size < this.quorum) return;
    this.pending.delete(m.slot);
    if (p.value) this.inFlight.delete(p.value.opId);
    for (const o of this.others()) this.ctx.send(o, 'Chosen', [[m.slot, p.value]], { summary: `slot ${m.slot}: ${p.value ? describeCommand(p.value) : 'no-op'}` });
    this.log.learn(m.slot, p.value, `accepted by ${[...p.acceptors].join(', ')}`, true);
  }

  // ---- followers and clients ------------------------------------------------------

  private onHeartbeat(from: string, m: Heartbeat): void {
    if (m.ballot < this.acceptor.promisedBallot) return this.reply(from, 'Nack', { ballot: m.ballot, promised: this.acceptor.promisedBallot } satisfies Nack, 'stale leader');
    if (this.role !== 'follower' || this.leader !== from) {
      this.leader = from;
      if (this.role !== 'follower') this.stepDown(`${from} leads ${this.b(m.ballot)}`);
    }
    this.resetElectionTimer();
    if (this.log.firstUnchosen < m.firstUnchosen) this.ctx.send(from, 'CatchUp', this.log.firstUnchosen, { summary: `missing from slot ${this.log.firstUnchosen}` });
  }

  private onCatchUp(from: string, fromSlot: number): void {
    const known: [number, Value][] = [];
    for (let s = fromSlot; s < this.log.firstUnchosen && known.length < 64; s++) known.push([s, this.log.get(s)!]);
    if (known.length) this.ctx.send(from, 'Chosen', known, { summary: `slots ${known[0]![0]}..${known[known.length - 1]![0]}` });
  }

  private onClient(from: string, c: KvCommand): void {
    if (this.role !== 'leader') return replyRedirect(this.ctx, from, c.opId, this.leader);
    if (this.log.store.has(c.opId)) return replyOk(this.ctx, from, c.opId, this.log.store.result(c.opId), '(already applied)');
    this.log.waiting.set(c.opId, from);
    if (this.inFlight.has(c.opId)) return;
    notePaxos(this.ctx, { paxos: 'input', slot: this.nextSlot, value: commandId(c) }, `proposes ${describeCommand(c)} for slot ${this.nextSlot}`);
    this.propose(this.nextSlot++, c);
  }

  // ---- helpers ------------------------------------------------------------------------

  private resetElectionTimer(): void {
    this.ctx.cancelTimer(this.electionTimer);
    const { electionLow: low, electionHigh: high } = this.cfg;
    this.electionTimer = this.ctx.setTimer('election', low + Math.floor(this.ctx.random() * (high - low + 1)));
  }

  private setRole(role: Role, why: string): void {
    this.role = role;
    noteBallotRole(this.ctx, role, this.ballot, why);
  }

  /** Sends, or handles at once when the answer is for this node itself. */
  private reply(to: string, type: string, payload: unknown, summary: string): void {
    if (to === this.ctx.self) this.onMessage(to, type, payload);
    else this.ctx.send(to, type, payload, { summary });
  }

  private others(): string[] {
    return this.ctx.members.filter((m) => m !== this.ctx.self);
  }

  private b(ballot: number): string {
    return formatBallot(ballot, this.ctx.members);
  }
}
