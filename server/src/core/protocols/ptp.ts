import type { OptionSpec } from '../check/options';
import { diagnostic } from '../diagnostics';
import { formatDuration } from '../units';
import { ClockDiscipline, FAST_LOOP, signedDuration } from './common/clockDiscipline';
import { OptionValues } from './common/optionValues';
import { SYNC_PROPERTIES, SyncReport } from './common/syncReport';
import type { NodeContext, ProtocolDefinition, ProtocolNode, PropertyValue } from './protocol';
import { bestMaster, canBeMaster, compareDatasets, DEFAULT_PRIORITY, DEFAULT_QUALITY, describeDataset, type ClockDataset } from './ptpBmca';

const US = 1_000;
const MS = 1_000_000;

const OPTIONS: readonly OptionSpec[] = [
  { key: 'nodes', type: 'nodes', doc: 'the clocks in this PTP domain (default: every node)', example: 'M1, M2, A, B' },
  { key: 'domain', type: 'integer', min: 0, max: 127, doc: 'the domain number, carried in every message (default 0)', example: '0' },
  { key: 'priority', type: 'node-numbers', doc: 'priority1 of each clock, 0..255, lower wins the best master choice (default 128)', example: 'M1 = 1, M2 = 2' },
  { key: 'quality', type: 'node-numbers', doc: 'clockClass of each clock, compared after priority: 6 locked to GPS, 7 holdover, 248 default, 255 never master', example: 'M1 = 6' },
  { key: 'sync_interval', type: 'duration', min: 1_000, doc: 'time between Sync messages from the master (default 1s)', example: '125ms' },
  { key: 'announce_interval', type: 'duration', min: 1_000, doc: 'time between Announce messages from the master (default 1s)', example: '1s' },
  { key: 'announce_timeout', type: 'integer', min: 2, max: 10, doc: 'announce intervals without an Announce before a master is given up (default 3)', example: '3' },
  { key: 'timestamping', type: 'choice', choices: ['hardware', 'software'], doc: 'hardware timestamps are exact (to the clock resolution); software ones land up to timestamp_jitter off (default hardware)', example: 'software' },
  { key: 'timestamp_jitter', type: 'duration', doc: 'how far off a timestamp may be (default 0 with hardware, 20us with software timestamping)', example: '20us' },
  { key: 'step_threshold', type: 'duration', doc: 'offsets larger than this are stepped, smaller ones slewed (default 1ms)', example: '1ms' },
  { key: 'first_step_threshold', type: 'duration', doc: 'the same for the first measurement after start (default 20us, as linuxptp)', example: '20us' },
  { key: 'max_slew', type: 'ppm', min: 1, max: 100_000, doc: 'the fastest the servo slews the clock (default 500ppm)', example: '500ppm' },
];

type PortState = 'listening' | 'master' | 'uncalibrated' | 'slave';

interface Announce {
  readonly domain: number;
  readonly priority: number;
  readonly quality: number;
}

/**
 * PTP after IEEE 1588, two-step, end-to-end delay request-response:
 *
 *   master                     slave
 *   Sync          t1 ───────▶  t2
 *   Follow_Up(t1)    ───────▶
 *                 t4 ◀───────  t3  Delay_Req
 *   Delay_Resp(t4)   ───────▶
 *
 *   meanPathDelay    = ((t2 − t1) + (t4 − t3)) / 2
 *   offsetFromMaster = (t2 − t1) − meanPathDelay      (slave minus master)
 *
 * Masters send Announce; every clock runs the best master choice on what it
 * hears, so when the master goes silent for `announce_timeout` intervals the
 * remaining clocks elect the next best one.
 */
class PtpNode implements ProtocolNode {
  private readonly o: OptionValues;
  private readonly self: ClockDataset;
  private readonly domain: number;
  private readonly syncInterval: number;
  private readonly announceInterval: number;
  private readonly expiry: number;
  private readonly jitter: number;
  private readonly discipline: ClockDiscipline;
  private readonly report: SyncReport;
  private readonly foreign = new Map<string, { readonly dataset: ClockDataset; readonly seen: number }>();
  private state: PortState = 'listening';
  private master: string | undefined;
  private startedAt = 0;
  private syncTimer: number | undefined;
  private syncSeq = 0;
  private delaySeq = 0;
  /** The Sync being matched with its Follow_Up (either may arrive first: the network can reorder them). */
  private sync: { readonly seq: number; t1?: number; t2?: number } | undefined;
  private delayReq: { readonly seq: number; readonly t1: number; readonly t2: number; readonly t3: number } | undefined;

  constructor(private readonly ctx: NodeContext) {
    this.o = new OptionValues(ctx.options);
    this.self = this.dataset(ctx.self);
    this.domain = this.o.number('domain', 0);
    this.syncInterval = this.o.number('sync_interval', 1000 * MS);
    this.announceInterval = this.o.number('announce_interval', 1000 * MS);
    this.expiry = this.o.number('announce_timeout', 3) * this.announceInterval;
    const software = this.o.string('timestamping', 'hardware') === 'software';
    this.jitter = this.o.number('timestamp_jitter', software ? 20 * US : 0);
    this.discipline = new ClockDiscipline(ctx, {
      stepThreshold: this.o.number('step_threshold', MS),
      firstStepThreshold: this.o.number('first_step_threshold', 20 * US),
      maxSlewPpm: this.o.number('max_slew', 500),
      ...FAST_LOOP,
    });
    this.report = new SyncReport(ctx, 'listening');
  }

  start(): void {
    this.startedAt = this.ctx.now();
    this.report.start(`listening for a master (${describeDataset(this.self)})`);
    this.ctx.setTimer('announce', this.announceInterval);
  }

  onMessage(from: string, type: string, payload: unknown): void {
    switch (type) {
      case 'Announce': return this.onAnnounce(from, payload as Announce);
      case 'Sync': return this.onSync(from, payload as { seq: number });
      case 'Follow_Up': return this.onFollowUp(from, payload as { seq: number; t1: number });
      case 'Delay_Req': return this.onDelayReq(from, payload as { seq: number });
      case 'Delay_Resp': return this.onDelayResp(from, payload as { seq: number; t4: number });
    }
  }

  onTimer(name: string): void {
    if (this.discipline.onTimer(name)) return;
    if (name === 'announce') {
      this.ctx.setTimer('announce', this.announceInterval);
      if (this.state === 'master') this.announce();
      this.chooseMaster();
    } else if (name === 'sync') {
      this.syncTimer = undefined;
      if (this.state === 'master') this.sendSync();
    }
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return { ...this.report.properties(), ...(this.master ? { master: this.master } : {}) };
  }

  private dataset(name: string): ClockDataset {
    const numbers = (key: string) => (this.o.has(key) ? (this.ctx.options.get(key) as ReadonlyMap<string, number>) : undefined);
    return {
      name,
      priority: numbers('priority')?.get(name) ?? DEFAULT_PRIORITY,
      quality: numbers('quality')?.get(name) ?? DEFAULT_QUALITY,
      order: this.ctx.members.indexOf(name),
    };
  }

  /** A timestamp of a send ('tx') or receipt ('rx'): software stamps are taken early on send and late on receipt. */
  private stamp(kind: 'tx' | 'rx'): number {
    const now = this.ctx.now();
    if (this.jitter <= 0) return now;
    const error = Math.floor(this.ctx.random() * this.jitter);
    return kind === 'tx' ? now - error : now + error;
  }

  private others(): string[] {
    return this.ctx.members.filter((m) => m !== this.ctx.self);
  }

  // ---- best master choice -----------------------------------------------------

  private onAnnounce(from: string, a: Announce): void {
    if (a.domain !== this.domain) return;
    this.foreign.set(from, { dataset: { ...this.dataset(from), priority: a.priority, quality: a.quality }, seen: this.ctx.now() });
    this.chooseMaster();
  }

  private chooseMaster(): void {
    const now = this.ctx.now();
    for (const [name, f] of this.foreign) if (now - f.seen > this.expiry) this.foreign.delete(name);
    const best = bestMaster([...this.foreign.values()].map((f) => f.dataset));
    if (best && (!canBeMaster(this.self) || compareDatasets(best, this.self) < 0)) return this.becomeSlave(best);
    const listened = now - this.startedAt >= this.expiry;
    if (canBeMaster(this.self) && (listened || best)) return this.becomeMaster();
    if (this.state !== 'listening') {
      this.master = undefined;
      this.discipline.hold('no master');
      this.setState('listening', 'listening: no master heard');
    }
  }

  private becomeMaster(): void {
    if (this.state === 'master') return;
    this.master = this.ctx.self;
    this.sync = undefined;
    this.delayReq = undefined;
    this.discipline.hold('became master');
    this.setState('master', `master: no better clock heard (${describeDataset(this.self)})`);
    this.announce();
    this.sendSync();
  }

  private becomeSlave(best: ClockDataset): void {
    if (this.master === best.name && this.state !== 'master') return;
    if (this.syncTimer !== undefined) this.ctx.cancelTimer(this.syncTimer);
    this.syncTimer = undefined;
    this.master = best.name;
    this.sync = undefined;
    this.delayReq = undefined;
    this.setState('uncalibrated', `following master ${best.name} (${describeDataset(best)})`);
  }

  private setState(state: PortState, detail: string): void {
    this.state = state;
    this.report.setState(state, detail, this.master ? { master: this.master } : {});
  }

  // ---- master side --------------------------------------------------------------

  private announce(): void {
    const a: Announce = { domain: this.domain, priority: this.self.priority, quality: this.self.quality };
    for (const to of this.others()) this.ctx.send(to, 'Announce', a, { summary: describeDataset(this.self) });
  }

  private sendSync(): void {
    const seq = ++this.syncSeq;
    const t1 = this.stamp('tx');
    for (const to of this.others()) {
      this.ctx.send(to, 'Sync', { seq }, { summary: `seq ${seq}` });
      this.ctx.send(to, 'Follow_Up', { seq, t1 }, { summary: `seq ${seq} t1=${t1}` });
    }
    this.syncTimer = this.ctx.setTimer('sync', this.syncInterval);
  }

  private onDelayReq(from: string, req: { seq: number }): void {
    if (this.state !== 'master') return;
    const t4 = this.stamp('rx');
    this.ctx.send(from, 'Delay_Resp', { seq: req.seq, t4 }, { summary: `seq ${req.seq} t4=${t4}` });
  }

  // ---- slave side ---------------------------------------------------------------

  private following(from: string): boolean {
    return (this.state === 'uncalibrated' || this.state === 'slave') && from === this.master;
  }

  private onSync(from: string, m: { seq: number }): void {
    if (!this.following(from)) return;
    const t2 = this.stamp('rx');
    if (this.sync?.seq !== m.seq) this.sync = { seq: m.seq };
    if (this.sync.t2 === undefined) this.sync.t2 = t2; // a duplicate copy keeps the first stamp
    this.requestDelay(from);
  }

  private onFollowUp(from: string, m: { seq: number; t1: number }): void {
    if (!this.following(from)) return;
    if (this.sync?.seq !== m.seq) this.sync = { seq: m.seq };
    this.sync.t1 = m.t1;
    this.requestDelay(from);
  }

  /** Once a Sync and its Follow_Up are both in: Delay_Req, stamped t3. */
  private requestDelay(master: string): void {
    const sync = this.sync!;
    if (sync.t1 === undefined || sync.t2 === undefined) return;
    const seq = ++this.delaySeq;
    const t3 = this.stamp('tx');
    this.delayReq = { seq, t1: sync.t1, t2: sync.t2, t3 };
    this.sync = undefined;
    this.ctx.send(master, 'Delay_Req', { seq }, { summary: `seq ${seq} t3=${t3}` });
  }

  private onDelayResp(from: string, m: { seq: number; t4: number }): void {
    const req = this.delayReq;
    if (!this.following(from) || req?.seq !== m.seq) return;
    this.delayReq = undefined;
    const { offsetFromMaster, meanPathDelay } = ptpOffsetAndDelay({ ...req, t4: m.t4 });
    this.report.estimate(from, offsetFromMaster, meanPathDelay, { master: from });
    this.discipline.update(-offsetFromMaster, this.syncInterval, `offsetFromMaster ${signedDuration(offsetFromMaster)} meanPathDelay ${formatDuration(Math.round(meanPathDelay))}`);
    this.setState('slave', `slave of ${from}: calibrated`);
  }
}

/** IEEE 1588's delay request-response arithmetic on the four timestamps. */
export function ptpOffsetAndDelay(ts: { t1: number; t2: number; t3: number; t4: number }): { offsetFromMaster: number; meanPathDelay: number } {
  const meanPathDelay = (ts.t2 - ts.t1 + (ts.t4 - ts.t3)) / 2;
  return { offsetFromMaster: ts.t2 - ts.t1 - meanPathDelay, meanPathDelay };
}

export const ptp: ProtocolDefinition = {
  name: 'ptp',
  summary: 'Precision Time Protocol: the best master clock sends Sync/Follow_Up, slaves measure path delay with Delay_Req/Delay_Resp',
  binding: 'sync',
  messages: ['Announce', 'Sync', 'Follow_Up', 'Delay_Req', 'Delay_Resp'],
  options: OPTIONS,
  properties: [...SYNC_PROPERTIES, { name: 'master', type: 'string', doc: 'the clock this node takes as master (itself when it is the master)' }],
  members(options, allNodes) {
    const o = new OptionValues(options);
    if (!o.has('nodes')) return allNodes;
    const chosen = o.nodes('nodes');
    return allNodes.filter((n) => chosen.includes(n));
  },
  validate(binding, report) {
    for (const key of ['priority', 'quality']) {
      const setting = binding.ast.options.find((s) => s.key.text === key);
      const values = binding.options.get(key) as ReadonlyMap<string, number> | undefined;
      for (const [node, v] of values ?? []) {
        if (!Number.isInteger(v) || v < 0 || v > 255) report(diagnostic('DS129', `${key} ${node} = ${v}: must be a whole number from 0 to 255`, setting!.range));
        if (!binding.nodes.includes(node)) report(diagnostic('DS141', `${node} has a ${key} but is not one of this domain's nodes`, setting!.range));
      }
    }
  },
  createNode: (ctx) => new PtpNode(ctx),
};
