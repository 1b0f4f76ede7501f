import type { OptionSpec } from '../check/options';
import { formatDuration } from '../units';
import { ClockDiscipline, FAST_LOOP, signedDuration } from './common/clockDiscipline';
import { OptionValues, type DurationRange } from './common/optionValues';
import { SYNC_PROPERTIES, SyncReport } from './common/syncReport';
import type { NodeContext, ProtocolDefinition, ProtocolNode, PropertyValue } from './protocol';

const MS = 1_000_000;

const OPTIONS: readonly OptionSpec[] = [
  { key: 'nodes', type: 'nodes', required: true, doc: 'the nodes with a reference clock (a GPS receiver); their clocks follow true time', example: 'G' },
  { key: 'jitter', type: 'duration', doc: 'each measurement of true time is off by up to this much either way (default 0: exact)', example: '1us' },
  { key: 'interval', type: 'duration', min: 1_000, doc: 'time between measurements by the local clock, like a pulse per second (default 1s)', example: '1s' },
  { key: 'outage', type: 'duration-range', doc: 'a window of true time without signal: the clock free-runs on its last frequency correction (holdover)', example: '2s..3s' },
  { key: 'step_threshold', type: 'duration', doc: 'after the first lock, errors larger than this are stepped, smaller ones slewed (default 1ms)', example: '1ms' },
];

/**
 * The reference clock: a node whose clock follows true time, as a GPS
 * receiver's does. Every `interval` it measures its offset from true time
 * (the one protocol allowed to read `ctx.oracle`), off by up to `jitter`,
 * and disciplines its clock with it: stepped once on first lock, slewed
 * after that, with a frequency correction that cancels the oscillator's
 * drift. During an `outage` it measures nothing and the clock keeps its last
 * frequency correction (holdover); the outage is noticed at the next
 * measurement, not at its exact instant.
 */
class ReferenceNode implements ProtocolNode {
  private readonly interval: number;
  private readonly jitter: number;
  private readonly outage: DurationRange | undefined;
  private readonly discipline: ClockDiscipline;
  private readonly report: SyncReport;

  constructor(private readonly ctx: NodeContext) {
    const o = new OptionValues(ctx.options);
    this.interval = o.number('interval', 1000 * MS);
    this.jitter = o.number('jitter', 0);
    this.outage = o.has('outage') ? o.range('outage', { low: 0, high: 0 }) : undefined;
    this.discipline = new ClockDiscipline(ctx, {
      firstStepThreshold: this.jitter,
      stepThreshold: o.number('step_threshold', MS),
      maxSlewPpm: 500,
      ...FAST_LOOP,
    });
    this.report = new SyncReport(ctx, 'acquiring');
  }

  start(): void {
    this.report.start(`reference clock: measures true time every ${formatDuration(this.interval)}${this.jitter ? ` ± ${formatDuration(this.jitter)}` : ''}`);
    this.measure();
  }

  onMessage(): void {}

  onTimer(name: string): void {
    if (this.discipline.onTimer(name)) return;
    if (name === 'measure') this.measure();
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return this.report.properties();
  }

  private measure(): void {
    this.ctx.setTimer('measure', this.interval);
    const trueTime = this.ctx.oracle.trueTime();
    if (this.outage && trueTime >= this.outage.low && trueTime < this.outage.high) {
      if (this.report.state === 'locked') {
        this.discipline.hold('reference signal lost');
        this.report.setState('holdover', `holdover: no reference signal until ${formatDuration(this.outage.high)}`);
      }
      return;
    }
    const noise = this.jitter > 0 ? Math.round((2 * this.ctx.random() - 1) * this.jitter) : 0;
    const measured = this.ctx.now() - trueTime + noise;
    this.report.estimate('true time', measured, 0);
    this.discipline.update(-measured, this.interval, `reference: offset ${signedDuration(measured)} from true time`);
    this.report.setState('locked', this.report.state === 'holdover' ? 'locked again: reference signal back' : 'locked to the reference');
  }
}

export const referenceClock: ProtocolDefinition = {
  name: 'reference',
  summary: 'a GPS-like reference clock: the node measures true time (with jitter and outages) and disciplines its clock to it',
  binding: 'sync',
  // Sends nothing: it reads the oracle's true time and the local clock.
  messages: [],
  options: OPTIONS,
  properties: SYNC_PROPERTIES,
  members: (options, allNodes) => {
    const chosen = new OptionValues(options).nodes('nodes');
    return allNodes.filter((n) => chosen.includes(n));
  },
  createNode: (ctx) => new ReferenceNode(ctx),
};
