import type { OptionSpec } from '../check/options';
import { diagnostic } from '../diagnostics';
import { formatDuration } from '../units';
import { ADJUST_OPTION, oneShotDiscipline, signedDuration, type ClockDiscipline } from './common/clockDiscipline';
import { OptionValues } from './common/optionValues';
import { SYNC_PROPERTIES, SyncReport } from './common/syncReport';
import type { NodeContext, ProtocolDefinition, ProtocolNode, PropertyValue } from './protocol';

const MS = 1_000_000;

const OPTIONS: readonly OptionSpec[] = [
  { key: 'master', type: 'node', required: true, doc: 'the node that polls the others and computes the average', example: 'M' },
  { key: 'slaves', type: 'nodes', doc: 'the nodes it polls (default: every other node)', example: 'A, B, C' },
  { key: 'interval', type: 'duration', min: 1_000, doc: "time between rounds by the master's clock; replies must arrive within half of it (default 1s)", example: '1s' },
  { key: 'tolerance', type: 'duration', doc: 'average only the largest group of clocks within this of each other, ignoring outliers (default: average all)', example: '10ms' },
  ADJUST_OPTION,
];

/** A clock's difference from the master's, as the master estimates it. */
export interface ClockReading {
  readonly node: string;
  readonly diff: number;
  readonly roundTrip: number;
}

/**
 * The fault-tolerant average of Gusella and Zatti: the mean of the largest
 * group of readings within `tolerance` of each other (the earliest such
 * group by difference on a tie); all readings without a tolerance.
 */
export function berkeleyAverage(readings: readonly ClockReading[], tolerance: number | undefined): { average: number; used: readonly ClockReading[] } {
  const sorted = [...readings].sort((a, b) => a.diff - b.diff);
  let used = sorted;
  if (tolerance !== undefined) {
    let from = 0;
    let best: [number, number] = [0, 0];
    for (let to = 0; to < sorted.length; to++) {
      while (sorted[to]!.diff - sorted[from]!.diff > tolerance) from++;
      if (to - from > best[1] - best[0]) best = [from, to];
    }
    used = sorted.slice(best[0], best[1] + 1);
  }
  return { average: used.reduce((sum, r) => sum + r.diff, 0) / used.length, used };
}

/**
 * The Berkeley algorithm (Gusella and Zatti, 1989): no clock is the source;
 * the master polls every slave's clock, estimates each one's difference from
 * its own as reading + round trip / 2 − its clock at receipt, averages the
 * differences (its own is 0) and sends every node the relative adjustment
 * that brings it to the average. Adjustments are relative, so the time they
 * spend in flight does not matter.
 */
class BerkeleyNode implements ProtocolNode {
  private readonly master: string;
  private readonly interval: number;
  private readonly tolerance: number | undefined;
  private readonly discipline: ClockDiscipline;
  private readonly report: SyncReport;
  private round = 0;
  private sentAt = 0;
  private readings: ClockReading[] = [];
  /** The timer that ends the round's wait for replies; undefined once the round is averaged. */
  private collect: number | undefined;

  constructor(private readonly ctx: NodeContext) {
    const o = new OptionValues(ctx.options);
    this.master = o.node('master')!;
    this.interval = o.number('interval', 1000 * MS);
    this.tolerance = o.has('tolerance') ? o.number('tolerance', 0) : undefined;
    this.discipline = oneShotDiscipline(ctx, o.string('adjust', 'step'));
    this.report = new SyncReport(ctx, this.isMaster ? 'master' : 'unsynced');
  }

  private get isMaster(): boolean {
    return this.ctx.self === this.master;
  }

  start(): void {
    if (!this.isMaster) return this.report.start(`slave of ${this.master}`);
    this.report.start(`master: averages the clocks every ${formatDuration(this.interval)}`);
    this.poll();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    if (type === 'time-request') {
      const m = payload as { round: number };
      this.ctx.send(from, 'time-reply', { round: m.round, clock: this.ctx.now() }, { summary: `clock=${this.ctx.now()}` });
    } else if (type === 'time-reply' && this.isMaster) {
      const m = payload as { round: number; clock: number };
      const t1 = this.ctx.now();
      if (m.round !== this.round || this.collect === undefined || this.readings.some((r) => r.node === from)) return; // late or duplicate
      const roundTrip = t1 - this.sentAt;
      this.readings.push({ node: from, diff: m.clock + roundTrip / 2 - t1, roundTrip });
      if (this.readings.length === this.ctx.members.length) this.average();
    } else if (type === 'adjust' && from === this.master) {
      const m = payload as { delta: number; roundTrip: number };
      this.report.estimate(this.master, -m.delta, m.roundTrip);
      this.discipline.update(m.delta, this.interval, `${this.master} says adjust by ${signedDuration(m.delta)}`);
      this.report.setState('synced', `synced to the average of ${this.master}'s group`);
    }
  }

  onTimer(name: string): void {
    if (this.discipline.onTimer(name)) return;
    if (name === 'poll') this.poll();
    else if (name === 'collect') {
      this.collect = undefined;
      this.average();
    }
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return { ...this.report.properties(), master: this.master };
  }

  private poll(): void {
    this.round++;
    this.sentAt = this.ctx.now();
    this.readings = [{ node: this.ctx.self, diff: 0, roundTrip: 0 }];
    for (const to of this.ctx.members) if (to !== this.ctx.self) this.ctx.send(to, 'time-request', { round: this.round }, { summary: `round ${this.round}` });
    this.collect = this.ctx.setTimer('collect', Math.floor(this.interval / 2));
    this.ctx.setTimer('poll', this.interval);
  }

  /** Ends the round: when every clock has answered, or when the wait is over. */
  private average(): void {
    if (this.collect !== undefined) this.ctx.cancelTimer(this.collect);
    this.collect = undefined;
    const byOrder = (a: ClockReading, b: ClockReading): number => this.ctx.members.indexOf(a.node) - this.ctx.members.indexOf(b.node);
    const { average, used } = berkeleyAverage(this.readings, this.tolerance);
    const ignored = this.readings.filter((r) => !used.includes(r));
    const names = (rs: readonly ClockReading[]): string => [...rs].sort(byOrder).map((r) => `${r.node} ${signedDuration(r.diff)}`).join(', ');
    this.ctx.note(`average ${signedDuration(average)} of ${names(used)}${ignored.length ? `; ignored ${names(ignored)}` : ''}`, {
      average,
      clocks: used.length,
    });
    for (const r of this.readings) {
      const delta = average - r.diff;
      if (r.node === this.ctx.self) {
        this.report.estimate('the average', -delta, 0);
        this.discipline.update(delta, this.interval, `to the average, ${signedDuration(delta)}`);
      } else {
        this.ctx.send(r.node, 'adjust', { delta, roundTrip: r.roundTrip }, { summary: `adjust ${signedDuration(delta)}` });
      }
    }
  }
}

export const berkeley: ProtocolDefinition = {
  name: 'berkeley',
  summary: 'the Berkeley algorithm: a master averages everyone’s clock and sends each node its adjustment',
  binding: 'sync',
  messages: ['time-request', 'time-reply', 'adjust'],
  options: OPTIONS,
  properties: [...SYNC_PROPERTIES, { name: 'master', type: 'string', doc: 'the node that averages the clocks' }],
  members(options, allNodes) {
    const o = new OptionValues(options);
    const master = o.node('master');
    const slaves = o.has('slaves') ? o.nodes('slaves') : allNodes;
    return allNodes.filter((n) => n === master || slaves.includes(n));
  },
  validate(binding, report) {
    const o = new OptionValues(binding.options);
    const master = o.node('master');
    if (master !== undefined && o.nodes('slaves').includes(master)) {
      const setting = binding.ast.options.find((s) => s.key.text === 'slaves')!;
      report(diagnostic('DS141', `${master} is the master; it cannot also be a slave`, setting.range));
    }
  },
  createNode: (ctx) => new BerkeleyNode(ctx),
};
