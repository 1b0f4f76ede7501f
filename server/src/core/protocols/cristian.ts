import type { OptionSpec } from '../check/options';
import { diagnostic } from '../diagnostics';
import { formatDuration } from '../units';
import { ADJUST_OPTION, oneShotDiscipline, signedDuration, type ClockDiscipline } from './common/clockDiscipline';
import { OptionValues } from './common/optionValues';
import { SYNC_PROPERTIES, SyncReport } from './common/syncReport';
import type { NodeContext, ProtocolDefinition, ProtocolNode, PropertyValue } from './protocol';

const MS = 1_000_000;

const OPTIONS: readonly OptionSpec[] = [
  { key: 'server', type: 'node', required: true, doc: 'the time server; its clock is the source', example: 'S' },
  { key: 'clients', type: 'nodes', doc: 'the nodes that ask it for the time (default: every other node)', example: 'A, B' },
  { key: 'interval', type: 'duration', min: 1_000, doc: 'time between requests by the local clock (default 1s)', example: '1s' },
  ADJUST_OPTION,
];

/**
 * Cristian's algorithm (1989): the client asks the server for the time at
 * T0, receives its reading Ts at T1 and sets its clock to Ts + (T1 − T0)/2,
 * assuming the reply took half the round trip. The error is at most half the
 * round trip (minus the minimum one-way delay), and exactly half the
 * asymmetry when both directions have fixed delays.
 */
class CristianNode implements ProtocolNode {
  private readonly server: string;
  private readonly interval: number;
  private readonly discipline: ClockDiscipline;
  private readonly report: SyncReport;
  private outstanding: number | undefined;

  constructor(private readonly ctx: NodeContext) {
    const o = new OptionValues(ctx.options);
    this.server = o.node('server')!;
    this.interval = o.number('interval', 1000 * MS);
    this.discipline = oneShotDiscipline(ctx, o.string('adjust', 'step'));
    this.report = new SyncReport(ctx, ctx.self === this.server ? 'server' : 'unsynced');
  }

  start(): void {
    if (this.ctx.self === this.server) return this.report.start('time server');
    this.report.start(`unsynced; asks ${this.server} every ${formatDuration(this.interval)}`);
    this.request();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    const m = payload as { t0: number; time?: number };
    if (type === 'time-request') this.ctx.send(from, 'time-reply', { t0: m.t0, time: this.ctx.now() }, { summary: `time=${this.ctx.now()}` });
    else if (type === 'time-reply' && from === this.server && m.t0 === this.outstanding) this.adopt(m.t0, m.time!);
  }

  onTimer(name: string): void {
    if (this.discipline.onTimer(name)) return;
    if (name === 'request') this.request();
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return { ...this.report.properties(), server: this.server };
  }

  private request(): void {
    const t0 = this.ctx.now();
    this.outstanding = t0;
    this.ctx.send(this.server, 'time-request', { t0 }, { summary: `t0=${t0}` });
    this.ctx.setTimer('request', this.interval);
  }

  private adopt(t0: number, serverTime: number): void {
    this.outstanding = undefined;
    const { offset, roundTrip } = cristianEstimate(t0, serverTime, this.ctx.now());
    this.report.estimate(this.server, offset, roundTrip);
    this.discipline.update(-offset, this.interval, `offset ${signedDuration(offset)} from ${this.server}: its reading + half the round trip`);
    this.report.setState('synced', `synced to ${this.server}`);
  }
}

/** The client's clock minus the server's, assuming the reply took half of the round trip t1 − t0. */
export function cristianEstimate(t0: number, serverTime: number, t1: number): { offset: number; roundTrip: number } {
  const roundTrip = t1 - t0;
  return { offset: t1 - (serverTime + roundTrip / 2), roundTrip };
}

export const cristian: ProtocolDefinition = {
  name: 'cristian',
  summary: "Cristian's algorithm: ask a time server, add half the round trip",
  binding: 'sync',
  messages: ['time-request', 'time-reply'],
  options: OPTIONS,
  properties: [...SYNC_PROPERTIES, { name: 'server', type: 'string', doc: 'the time server' }],
  members(options, allNodes) {
    const o = new OptionValues(options);
    const server = o.node('server');
    const clients = o.has('clients') ? o.nodes('clients') : allNodes;
    return allNodes.filter((n) => n === server || clients.includes(n));
  },
  validate(binding, report) {
    const o = new OptionValues(binding.options);
    const server = o.node('server');
    if (server !== undefined && o.nodes('clients').includes(server)) {
      const setting = binding.ast.options.find((s) => s.key.text === 'clients')!;
      report(diagnostic('DS141', `${server} is the server; it cannot be its own client`, setting.range));
    }
  },
  createNode: (ctx) => new CristianNode(ctx),
};
