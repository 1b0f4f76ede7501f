import { diagnostic } from '../diagnostics';
import type { NodeContext, PropertyValue, ProtocolDefinition, ProtocolNode } from './protocol';
import { noteIncrement, noteReplica } from './coordinationNotes';
import { KeyedTimers } from './common/keyedTimers';
import { draw, OptionValues, type DurationRange } from './common/optionValues';
import { Workload } from './common/workload';

/**
 * The counter everybody writes first: the value lives on one `server`, and a
 * client increments it by reading it, adding one, and writing the result
 * back (read-modify-write, no lock, no version check). Two clients that
 * read the same value both write value + 1: one increment is lost although
 * both were acknowledged. Compare g_counter / pn_counter.
 *
 * Messages: read, value {value}, write {value}, written.
 */
export const naiveCounter: ProtocolDefinition = {
  name: 'naive_counter',
  summary: 'read-modify-write counter on one server: loses increments under concurrency',
  binding: 'nodes',
  messages: ['read', 'value', 'write', 'written'],
  reports: ['counters'],
  options: [
    { key: 'server', type: 'node', required: true, doc: 'the node holding the counter; every other bound node is a client', example: 'S' },
    { key: 'increments', type: 'integer', min: 0, max: 100_000, doc: 'increments each client performs (default 10)', example: '10' },
    { key: 'every', type: 'duration-range', doc: 'time between two increments of a client (default 20ms..60ms)', example: '20ms..60ms' },
    { key: 'work', type: 'duration-range', doc: 'time a client takes between reading and writing (default 5ms)', example: '5ms' },
  ],
  properties: [
    { name: 'value', type: 'int', doc: 'server: the counter; client: the value it last wrote' },
    { name: 'ops', type: 'int', doc: 'client: increments acknowledged by the server' },
  ],
  validate(binding, report) {
    const server = new OptionValues(binding.options).node('server');
    if (server !== undefined && !binding.nodes.includes(server)) {
      report(diagnostic('DS141', `server '${server}' does not run naive_counter; add it to the nodes it is bound to`, binding.ast.options.find((s) => s.key.text === 'server')?.range ?? binding.ast.range));
    }
    if (binding.nodes.length < 2) report(diagnostic('DS141', 'naive_counter needs a server and at least one client', binding.ast.range));
  },
  createNode(ctx) {
    const o = new OptionValues(ctx.options);
    return ctx.self === o.node('server') ? new CounterServer(ctx) : new CounterClient(ctx, o);
  },
};

class CounterServer implements ProtocolNode {
  constructor(private readonly ctx: NodeContext) {}

  private get value(): number {
    return this.ctx.stable.get<number>('value') ?? 0;
  }

  start(): void {
    noteReplica(this.ctx, this.value, `counter = ${this.value}`);
  }

  onMessage(from: string, type: string, payload: unknown): void {
    if (type === 'read') this.ctx.send(from, 'value', { value: this.value }, { summary: `${this.value}` });
    if (type === 'write') {
      const { value } = payload as { value: number };
      const overwritten = this.value;
      this.ctx.stable.set('value', value);
      noteReplica(this.ctx, value, `counter = ${value} (written by ${from}${value !== overwritten + 1 ? `, over ${overwritten}` : ''})`);
      this.ctx.send(from, 'written', { value }, { summary: `${value}` });
    }
  }

  onTimer(): void {}

  inspect(): Record<string, PropertyValue> {
    return { value: this.value };
  }
}

class CounterClient implements ProtocolNode {
  private readonly server: string;
  private readonly work: DurationRange;
  private readonly workload: Workload;
  private readonly timers: KeyedTimers<'op'>;
  private busy = false;
  private queued = 0;
  private lastWritten = 0;
  private acked = 0;

  constructor(
    private readonly ctx: NodeContext,
    o: OptionValues,
  ) {
    this.server = o.node('server')!;
    this.work = o.range('work', { low: 5_000_000, high: 5_000_000 });
    this.workload = new Workload(ctx, 'increment', { count: o.number('increments', 10), every: o.range('every', { low: 20_000_000, high: 60_000_000 }) }, () => this.begin());
    this.timers = new KeyedTimers(ctx);
  }

  start(): void {
    this.workload.start();
  }

  onMessage(_from: string, type: string, payload: unknown): void {
    if (!this.busy) return;
    const { value } = payload as { value: number };
    if (type === 'value') {
      this.timers.set('op', 'write', draw(this.work, () => this.ctx.random()), value + 1);
    } else if (type === 'written') {
      this.timers.cancel('op');
      this.acked++;
      noteIncrement(this.ctx, 1, `increment acknowledged (wrote ${value})`);
      this.finish();
    }
  }

  onTimer(name: string, data: unknown): void {
    if (this.workload.onTimer(name)) return;
    if (name === 'write' && this.busy) {
      this.lastWritten = data as number;
      this.ctx.send(this.server, 'write', { value: this.lastWritten }, { summary: `${this.lastWritten}` });
      this.timers.set('op', 'give-up', 200_000_000);
    } else if (name === 'give-up' && this.busy) {
      this.ctx.note('increment abandoned: no answer from the server');
      this.finish();
    }
  }

  inspect(): Record<string, PropertyValue> {
    return { value: this.lastWritten, ops: this.acked };
  }

  /** One increment at a time; one that falls due meanwhile waits its turn. */
  private begin(): void {
    if (this.busy) {
      this.queued++;
      return;
    }
    this.busy = true;
    this.ctx.send(this.server, 'read', undefined);
    this.timers.set('op', 'give-up', 200_000_000);
  }

  private finish(): void {
    this.busy = false;
    if (this.queued > 0) {
      this.queued--;
      this.begin();
    }
  }
}
