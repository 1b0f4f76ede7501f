import type { KvValue } from '../linearizability/history';
import type { SourceRange } from '../source';
import { describeCommand, KV_REPLY, KV_REQUEST, type KvCommand, type KvReply } from './kv';
import type { NodeContext, PropertyValue, ProtocolDefinition, ProtocolNode } from './protocol';
import { noteClientOp } from './replicationNotes';

/**
 * The client workload behind `client c1 [to …] { every 100ms put k = counter; at 1s get k }`.
 * A client is a node of its own (it has a clock, links and faults); it runs
 * this protocol, which issues the written operations by its local clock and
 * talks to a replicated store through the `kv.request` / `kv.reply`
 * convention (see kv.ts): it sends to a contact node, follows redirects to
 * the leader, and retries on a timeout with the same operation id.
 *
 * Every operation is recorded as notes — invoke when sent, return when
 * answered — so the history that `linearizable(kv)` checks is in the trace.
 * An operation that is never answered (the run ends, the client crashes)
 * stays invoked: its outcome is unknown.
 *
 * Not registered in PROTOCOLS: the checker builds one definition per client
 * statement (`clientDefinition`), carrying the statement's operations.
 */
export interface ClientOpSpec {
  readonly op: 'put' | 'get';
  readonly key: string;
  /** For puts: a literal, or 'counter' for the client's own counter 1, 2, 3, … */
  readonly value?: { readonly literal: KvValue } | 'counter';
  /** First issue when the client's clock reads `start`; then every `period` up to `stop`. */
  readonly start: number;
  readonly period: number | undefined;
  readonly stop: number | undefined;
  readonly range: SourceRange;
}

export interface ClientWorkload {
  /** The nodes the client sends to first; it follows redirects from there. */
  readonly contacts: readonly string[];
  /** How long to wait for an answer before retrying at another node. */
  readonly timeout: number;
  readonly ops: readonly ClientOpSpec[];
}

export const CLIENT_PROTOCOL = 'client';
export const DEFAULT_CLIENT_TIMEOUT = 100_000_000;
/** Redirects followed at once per attempt; more wait for the retry timer (stale hints can point in circles). */
const MAX_REDIRECTS = 3;

export interface ClientDefinition extends ProtocolDefinition {
  readonly workload: ClientWorkload;
}

export function isClientDefinition(d: ProtocolDefinition): d is ClientDefinition {
  return d.name === CLIENT_PROTOCOL && 'workload' in d;
}

export function clientDefinition(workload: ClientWorkload): ClientDefinition {
  return {
    name: CLIENT_PROTOCOL,
    summary: 'a client issuing put/get operations to a replicated store',
    binding: 'nodes',
    reports: ['kv-clients'],
    messages: [KV_REQUEST],
    options: [],
    properties: [
      { name: 'ops_done', type: 'int', doc: 'operations the client got an answer for' },
      { name: 'ops_pending', type: 'int', doc: 'the operation waiting for an answer, plus those waiting their turn' },
      { name: 'ops_skipped', type: 'int', doc: 'firings dropped because the same operation was still waiting its turn' },
      { name: 'leader', type: 'node?', doc: 'the node the client believes is the leader (none before it heard of one)' },
    ],
    workload,
    createNode: (ctx) => new ClientNode(ctx, workload),
  };
}

interface Pending {
  readonly command: KvCommand;
  readonly source: number;
  target: string;
  timer: number;
  redirects: number;
}

/**
 * One operation at a time, like a Jepsen client process: an operation that
 * falls due while another is unanswered waits its turn (at most one waiting
 * firing per statement; further firings are skipped). Concurrency in the
 * history thus comes from several clients, at most one operation each, which
 * keeps it realistic and its linearizability check fast.
 */
class ClientNode implements ProtocolNode {
  private current: Pending | undefined;
  private readonly queue: number[] = [];
  private leaderHint: string | undefined;
  private contact = 0;
  private done = 0;
  private skipped = 0;

  constructor(private readonly ctx: NodeContext, private readonly workload: ClientWorkload) {}

  start(): void {
    const now = this.ctx.now();
    this.workload.ops.forEach((op, index) => {
      const at = nextFiring(op, now);
      if (at !== undefined) this.ctx.setTimer('issue', Math.max(0, at - now), { index, at });
    });
  }

  onTimer(name: string, data: unknown): void {
    if (name === 'issue') {
      const { index, at } = data as { index: number; at: number };
      const op = this.workload.ops[index]!;
      if (!this.current) this.issue(index);
      else if (!this.queue.includes(index)) this.queue.push(index);
      else this.skipped++;
      const now = this.ctx.now();
      const next = nextFiring(op, Math.max(now, at + 1));
      if (next !== undefined) this.ctx.setTimer('issue', Math.max(0, next - now), { index, at: next });
    } else if (name === 'retry') {
      const p = this.current;
      if (!p || p.command.opId !== data) return;
      if (this.leaderHint === p.target) this.leaderHint = undefined; // the leader we believed in did not answer
      p.redirects = 0;
      this.giveUpOn(p.target);
      this.send(p, this.target(), 'retry');
    }
  }

  onMessage(from: string, type: string, payload: unknown): void {
    if (type !== KV_REPLY) return;
    const reply = payload as KvReply;
    const p = this.current;
    if (!p || p.command.opId !== reply.opId) return; // an answer to a retry already answered
    if (reply.ok) {
      this.current = undefined;
      this.ctx.cancelTimer(p.timer);
      this.leaderHint = from;
      this.done++;
      const c = p.command;
      const value = c.op === 'get' ? reply.value : c.value;
      noteClientOp(this.ctx, { op: c.op, key: c.key, ...(value !== undefined ? { value } : {}), phase: 'return', opId: c.opId, client: c.client, source: p.source }, `from ${from}`);
      const next = this.queue.shift();
      if (next !== undefined) this.issue(next);
      return;
    }
    if (reply.leader && reply.leader !== from) {
      this.leaderHint = reply.leader;
      if (p.redirects < MAX_REDIRECTS) {
        p.redirects++;
        this.ctx.cancelTimer(p.timer);
        this.send(p, reply.leader, `redirected by ${from}`);
      }
    } else if (this.leaderHint === from) {
      this.leaderHint = undefined;
    }
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return { ops_done: this.done, ops_pending: (this.current ? 1 : 0) + this.queue.length, ops_skipped: this.skipped, leader: this.leaderHint ?? null };
  }

  private issue(source: number): void {
    const op = this.workload.ops[source]!;
    const seq = (this.ctx.stable.get<number>('seq') ?? 0) + 1;
    this.ctx.stable.set('seq', seq);
    let value: KvValue | undefined;
    if (op.value === 'counter') {
      const counter = (this.ctx.stable.get<number>('counter') ?? 0) + 1;
      this.ctx.stable.set('counter', counter);
      value = counter;
    } else if (op.value) {
      value = op.value.literal;
    }
    const command: KvCommand = { opId: `${this.ctx.self}.${seq}`, client: this.ctx.self, op: op.op, key: op.key, ...(value !== undefined ? { value } : {}) };
    noteClientOp(this.ctx, { op: op.op, key: op.key, ...(value !== undefined ? { value } : {}), phase: 'invoke', opId: command.opId, client: this.ctx.self, source });
    const p: Pending = { command, source, target: '', timer: -1, redirects: 0 };
    this.current = p;
    this.send(p, this.target(), '');
  }

  private send(p: Pending, target: string, why: string): void {
    p.target = target;
    this.ctx.send(target, KV_REQUEST, p.command, { summary: `${p.command.opId} ${describeCommand(p.command)}${why ? ` (${why})` : ''}` });
    p.timer = this.ctx.setTimer('retry', this.workload.timeout, p.command.opId);
  }

  /** The leader if known, else the current contact (the first one written, until it fails to answer). */
  private target(): string {
    const contacts = this.workload.contacts;
    return this.leaderHint ?? contacts[this.contact % contacts.length]!;
  }

  /** A node that did not answer in time: move on to the next contact. */
  private giveUpOn(node: string): void {
    const contacts = this.workload.contacts;
    if (contacts[this.contact % contacts.length] === node) this.contact++;
  }
}

/** The first scheduled issue time of `op` at or after local time `from`, or undefined when none is left. */
export function nextFiring(op: ClientOpSpec, from: number): number | undefined {
  if (op.period === undefined) return op.start >= from ? op.start : undefined;
  const k = op.start >= from ? 0 : Math.ceil((from - op.start) / op.period);
  const at = op.start + k * op.period;
  return op.stop !== undefined && at > op.stop ? undefined : at;
}
