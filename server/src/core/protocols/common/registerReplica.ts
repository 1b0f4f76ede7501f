import { formatDuration } from '../../units';
import type { OptionSpec } from '../../check/options';
import { noteReplica, noteWrote } from '../coordinationNotes';
import type { NodeContext, PropertySpec, PropertyValue, ProtocolNode } from '../protocol';
import { Gossip } from './gossip';
import { OptionValues } from './optionValues';
import { Workload } from './workload';
import { setValue } from '../values';

/**
 * How a replicated register resolves writes: a state-based merge. `write`
 * applies a local write to the local state; `merge` joins a gossiped state
 * into it. Both must be deterministic; `values` lists what a reader sees.
 */
export interface RegisterPolicy<S> {
  readonly empty: S;
  write(state: S, value: string, ctx: NodeContext): S;
  merge(local: S, incoming: S): S;
  values(state: S): readonly string[];
  /** Short form for the trace, e.g. `A2@1.2s` or `{A2 [A:2 B:1], B1 [B:1]}`. */
  describe(state: S): string;
}

export const REGISTER_OPTIONS: readonly OptionSpec[] = [
  { key: 'writers', type: 'nodes', doc: 'the nodes that write (default all bound nodes)', example: 'A, B' },
  { key: 'writes', type: 'integer', min: 0, max: 100_000, doc: 'writes each writer performs (default 3)', example: '3' },
  { key: 'every', type: 'duration', min: 1, doc: 'time between two writes of one writer (default 200ms)', example: '200ms' },
  { key: 'stagger', type: 'duration', doc: 'delay between consecutive writers, so writes take turns (default every / number of writers; 0ms makes them concurrent)', example: '100ms' },
  { key: 'gossip', type: 'duration-range', doc: 'time between gossip rounds (default 20ms)', example: '20ms' },
  { key: 'fanout', type: 'integer', min: 1, max: 1000, doc: 'peers each gossip round goes to (default all)', example: '2' },
];

/** The one message type replicas send: a gossip round's whole state (ProtocolDefinition.messages). */
export const REGISTER_STATE = 'state';

export const REGISTER_PROPERTIES: readonly PropertySpec[] = [
  { name: 'value', type: 'string', doc: "what a read here returns: the value, siblings joined by '|', or '' if none" },
  { name: 'values', type: 'set<string>', doc: 'the values a read here returns, as a set (siblings in any order compare equal)' },
  { name: 'siblings', type: 'int', doc: 'how many values a read here returns (more than 1: concurrent writes kept)' },
  { name: 'writes', type: 'int', doc: 'writes this node performed' },
];

/**
 * One replica of a single register, shared by lww_register and
 * version_vector_store: writers write unique values (`A1`, `A2`, … for
 * writer A), every replica gossips its whole state and merges by the
 * policy. Writer i of W writes at (own clock, from its start) every + i·stagger,
 * then every `every`. The state is on disk.
 */
export class RegisterReplica<S> implements ProtocolNode {
  private readonly workload: Workload | undefined;
  private readonly gossip: Gossip;

  constructor(
    private readonly ctx: NodeContext,
    private readonly policy: RegisterPolicy<S>,
  ) {
    const o = new OptionValues(ctx.options);
    const writers = o.nodes('writers').length ? o.nodes('writers') : ctx.members;
    const me = writers.indexOf(ctx.self);
    const every = o.number('every', 200_000_000);
    const first = every + me * o.number('stagger', Math.floor(every / writers.length));
    this.workload = me < 0 ? undefined : new Workload(ctx, 'write', { count: o.number('writes', 3), first: { low: first, high: first }, every: { low: every, high: every } }, (k) => this.write(k));
    const peers = ctx.members.filter((m) => m !== ctx.self);
    this.gossip = new Gossip(ctx, { period: o.range('gossip', { low: 20_000_000, high: 20_000_000 }), fanout: o.number('fanout', peers.length), peers }, () => ({
      type: REGISTER_STATE,
      payload: this.state,
      summary: policy.describe(this.state),
    }));
  }

  private get state(): S {
    return this.ctx.stable.get<S>('register') ?? this.policy.empty;
  }

  start(): void {
    this.noteState('');
    this.workload?.start();
    this.gossip.start();
  }

  onMessage(_from: string, type: string, payload: unknown): void {
    if (type !== 'state') return;
    const before = this.shown(this.state);
    const merged = this.policy.merge(this.state, payload as S);
    this.ctx.stable.set('register', merged);
    if (this.shown(merged) !== before) this.noteState('merged: ');
  }

  onTimer(name: string): void {
    if (!this.workload?.onTimer(name)) this.gossip.onTimer(name);
  }

  inspect(): Record<string, PropertyValue> {
    const values = this.policy.values(this.state);
    return { value: values.join('|'), values: setValue(values), siblings: values.length, writes: this.workload?.issued ?? 0 };
  }

  private write(k: number): void {
    const value = `${this.ctx.self}${k}`;
    noteWrote(this.ctx, value, `write ${value} (local clock ${formatDuration(this.ctx.now())})`, { at: this.ctx.now() });
    const before = this.shown(this.state);
    this.ctx.stable.set('register', this.policy.write(this.state, value, this.ctx));
    if (this.shown(this.state) !== before) this.noteState('');
    else this.ctx.note(`write ${value} had no effect: the register keeps ${this.policy.describe(this.state)}`);
  }

  private shown(state: S): string {
    return [...this.policy.values(state)].sort().join('|');
  }

  private noteState(prefix: string): void {
    noteReplica(this.ctx, this.shown(this.state), `${prefix}register = ${this.policy.describe(this.state)}`);
  }
}
