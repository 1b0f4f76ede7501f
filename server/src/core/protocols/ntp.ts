import type { OptionSpec, OptionValueOut } from '../check/options';
import { diagnostic } from '../diagnostics';
import { formatDuration } from '../units';
import { ClockDiscipline, signedDuration } from './common/clockDiscipline';
import { OptionValues } from './common/optionValues';
import { SYNC_PROPERTIES, SyncReport } from './common/syncReport';
import { ClockFilter, ntpDelay, ntpOffset, PHI, type FilterSample } from './ntpFilter';
import { MIN_DISPERSION, selectAndCombine, type Candidate } from './ntpSelect';
import type { BoundProtocol, NodeContext, ProtocolDefinition, ProtocolNode, PropertyValue } from './protocol';

const MS = 1_000_000;
/**
 * The discipline's gains. NTP estimates carry network jitter (up to half
 * the spread of one-way delays); the clock filter already keeps the least
 * disturbed sample, so each update slews its whole offset away over the
 * next poll, while a rate error measured over one poll counts only 15%
 * (over 7 polls or more, fully): frequency noise would last.
 */
const NTP_LOOP = { phaseGain: 1, frequencyGain: 0.15 } as const;
/** RFC 5905: stratum 16 means "not synchronised"; clients ignore such a server. */
const UNSYNCED_STRATUM = 16;

const OPTIONS: readonly OptionSpec[] = [
  { key: 'servers', type: 'nodes', required: true, doc: 'the stratum 1 servers: their own clocks are the time source (bind them to `sync reference` to make them follow true time)', example: 'S1' },
  { key: 'stratum', type: 'node-numbers', doc: 'further tiers of servers: a stratum k server synchronises from every stratum k−1 server and serves the tier below', example: 'S2 = 2, S3 = 2' },
  { key: 'clients', type: 'nodes', doc: 'the nodes that synchronise from the deepest tier of servers (default: every other node)', example: 'A, B' },
  { key: 'poll', type: 'duration', min: 1_000, doc: 'time between requests to each server, by the local clock (default 1s)', example: '1s' },
  { key: 'step_threshold', type: 'duration', doc: 'offsets larger than this are stepped, smaller ones slewed (default 128ms, as in RFC 5905)', example: '128ms' },
  { key: 'max_slew', type: 'ppm', min: 1, max: 100_000, doc: 'the fastest the clock is slewed (default 500ppm, as ntpd)', example: '500ppm' },
  { key: 'processing', type: 'duration', doc: 'time a server takes between receiving a request (t2) and sending the response (t3) (default 0)', example: '1ms' },
  { key: 'filter', type: 'integer', min: 1, max: 8, doc: 'how many recent samples the clock filter keeps per server; it uses the one with the least delay (default 8)', example: '8' },
];

/** Tiers of the hierarchy: tiers[0] are the stratum 1 servers, the last tier the clients. Declaration order within a tier. */
export function ntpTiers(options: ReadonlyMap<string, OptionValueOut>, nodes: readonly string[]): string[][] {
  const o = new OptionValues(options);
  const byOrder = (a: string, b: string): number => nodes.indexOf(a) - nodes.indexOf(b);
  const tiers: string[][] = [[...o.nodes('servers')]];
  const strata = (options.get('stratum') as ReadonlyMap<string, number> | undefined) ?? new Map<string, number>();
  for (const [node, k] of strata) (tiers[k - 1] ??= []).push(node);
  const placed = new Set(tiers.flat());
  const clients = o.has('clients') ? o.nodes('clients') : nodes.filter((n) => !placed.has(n));
  if (clients.length > 0) tiers.push([...clients]);
  return tiers.filter((t) => t !== undefined).map((t) => [...t].sort(byOrder));
}

interface Peer {
  readonly name: string;
  readonly filter: ClockFilter;
  /** RFC 5905's reach register: one bit per poll, set when that poll was answered. */
  reach: number;
  /** t1 of the request in flight; a response must echo it (else it is a duplicate or stale). */
  outstanding: number | undefined;
  /** Stratum in the server's last response. */
  stratum: number;
  /** The server's own root delay and dispersion in its last response (0 for stratum 1). */
  rootDelay: number;
  rootDispersion: number;
  /** `at` of the last sample the discipline used, so no sample is used twice. */
  lastUsed: number;
  /** Polls sent; and whether the last 8 went unanswered (then a round does not wait for it). */
  polls: number;
  unreachable: boolean;
}

interface Request {
  readonly t1: number;
}
interface Response {
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly stratum: number;
  /** The server's distance from its stratum 1 source: round trips and dispersion along the way (RFC 5905 rootdelay, rootdisp). */
  readonly rootDelay: number;
  readonly rootDispersion: number;
}

class NtpNode implements ProtocolNode {
  private readonly tier: number;
  private readonly peers: Peer[];
  private readonly poll: number;
  private readonly processing: number;
  private readonly discipline: ClockDiscipline;
  private readonly report: SyncReport;
  private systemPeer: Peer | undefined;
  /** The last selection's result: the system peer's root distance parts, falsetickers noted, whether a sample is new. */
  private system = { rootDelay: 0, rootDispersion: 0 };
  /** Names of the servers the last selection rejected, sorted (a canonical `set<node>`). */
  private falsetickers: readonly string[] = [];
  private freshSample = false;

  constructor(private readonly ctx: NodeContext) {
    const o = new OptionValues(ctx.options);
    const tiers = ntpTiers(ctx.options, ctx.members);
    this.tier = tiers.findIndex((t) => t.includes(ctx.self));
    const filterSize = o.number('filter', 8);
    this.peers = (this.tier > 0 ? tiers[this.tier - 1]! : []).map((name) => ({ name, filter: new ClockFilter(filterSize), reach: 0, outstanding: undefined, stratum: UNSYNCED_STRATUM, rootDelay: 0, rootDispersion: 0, lastUsed: -Infinity, polls: 0, unreachable: false }));
    this.poll = o.number('poll', 1000 * MS);
    this.processing = o.number('processing', 0);
    this.discipline = new ClockDiscipline(ctx, {
      stepThreshold: o.number('step_threshold', 128 * MS),
      maxSlewPpm: o.number('max_slew', 500),
      ...NTP_LOOP,
    });
    this.report = new SyncReport(ctx, this.tier === 0 ? 'synced' : 'unsynced', true);
  }

  /** This node's stratum as it tells its clients: its tier's number when synchronised, else 16. */
  private get stratum(): number {
    if (this.tier === 0) return 1;
    return this.systemPeer && this.report.state === 'synced' ? this.systemPeer.stratum + 1 : UNSYNCED_STRATUM;
  }

  start(): void {
    if (this.tier === 0) {
      this.report.start('stratum 1 server: its own clock is the source', { stratum: 1 });
      return;
    }
    this.report.start(`unsynced; polls ${this.peers.map((p) => p.name).join(', ')} every ${formatDuration(this.poll)}`, { stratum: UNSYNCED_STRATUM });
    this.pollAll();
  }

  onMessage(from: string, type: string, payload: unknown): void {
    if (type === 'ntp-request') this.receiveRequest(from, payload as Request);
    else if (type === 'ntp-response') this.receiveResponse(from, payload as Response);
  }

  onTimer(name: string, data: unknown): void {
    if (this.discipline.onTimer(name)) return;
    if (name === 'poll') this.pollAll();
    else if (name === 'respond') {
      const d = data as { to: string; t1: number; t2: number };
      this.respond(d.to, d.t1, d.t2);
    }
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    return { ...this.report.properties(), stratum: this.stratum, ...(this.systemPeer ? { server: this.systemPeer.name } : {}), ...(this.tier > 0 ? { falsetickers: this.falsetickers } : {}) };
  }

  // ---- server side ------------------------------------------------------------

  private receiveRequest(from: string, req: Request): void {
    const t2 = this.ctx.now();
    if (this.processing > 0) this.ctx.setTimer('respond', this.processing, { to: from, t1: req.t1, t2 });
    else this.respond(from, req.t1, t2);
  }

  private respond(to: string, t1: number, t2: number): void {
    const t3 = this.ctx.now();
    const stratum = this.stratum;
    const response: Response = { t1, t2, t3, stratum, ...(this.tier === 0 ? { rootDelay: 0, rootDispersion: 0 } : this.system) };
    this.ctx.send(to, 'ntp-response', response, { summary: `t2=${t2} t3=${t3} stratum ${stratum}` });
  }

  // ---- client side ------------------------------------------------------------

  private pollAll(): void {
    // The last round's answers are all in, or will never be: use what came.
    this.endRound();
    for (const peer of this.peers) {
      const wasReachable = peer.reach !== 0;
      peer.reach = (peer.reach << 1) & 0xff;
      if (wasReachable && peer.reach === 0) {
        peer.filter.clear();
        peer.stratum = UNSYNCED_STRATUM;
        this.ctx.note(`${peer.name} unreachable: no answer to the last 8 polls`, { peer: peer.name, reachable: false });
      }
      peer.unreachable = peer.reach === 0 && peer.polls >= 8;
      peer.polls++;
      const t1 = this.ctx.now();
      peer.outstanding = t1;
      const request: Request = { t1 };
      this.ctx.send(peer.name, 'ntp-request', request, { summary: `t1=${t1}` });
    }
    if (!this.peers.some((p) => this.usable(p))) this.lost();
    this.ctx.setTimer('poll', this.poll);
  }

  private receiveResponse(from: string, res: Response): void {
    const peer = this.peers.find((p) => p.name === from);
    // RFC 5905's origin check: a duplicate, an answer to an older request, or one sent before
    // this node's clock was stepped (the step reset every association) is bogus.
    if (!peer || peer.outstanding === undefined || peer.outstanding !== res.t1) return;
    peer.outstanding = undefined;
    peer.reach |= 1;
    peer.unreachable = false;
    peer.stratum = res.stratum;
    peer.rootDelay = res.rootDelay;
    peer.rootDispersion = res.rootDispersion;
    if (res.stratum >= UNSYNCED_STRATUM) {
      this.ctx.note(`${from} is not synchronised (stratum 16); sample ignored`, { peer: from });
    } else {
      const t4 = this.ctx.now();
      const ts = { t1: res.t1, t2: res.t2, t3: res.t3, t4 };
      const theta = ntpOffset(ts);
      const delta = ntpDelay(ts);
      this.report.estimate(from, -theta, delta, { theta });
      peer.filter.add({ offset: theta, delay: delta, at: t4, phase: this.discipline.phaseApplied() });
      this.freshSample = true;
    }
    // Once every server polled this round has answered (but those that stopped answering), select
    // and steer; else at the next poll with what came. Then no single early answer decides alone.
    if (!this.peers.some((p) => p.outstanding !== undefined && !p.unreachable)) this.endRound();
  }

  private usable(peer: Peer): boolean {
    return peer.reach !== 0 && peer.stratum < UNSYNCED_STRATUM;
  }

  /**
   * The system process for the samples of one round: selection, clustering
   * and combining (ntpSelect.ts), then one clock update with the combined
   * offset when the system peer has a sample not used yet.
   */
  private endRound(): void {
    if (!this.freshSample) return;
    this.freshSample = false;
    const now = this.ctx.now();
    const candidates: (Candidate & { peer: Peer; sample: FilterSample })[] = [];
    for (const peer of this.peers) {
      const sample = this.usable(peer) ? peer.filter.best(now) : undefined;
      if (!sample) continue;
      const jitter = peer.filter.jitter(sample);
      // θ was measured at `sample.at`; whatever phase was applied since then is already corrected.
      const offset = sample.offset - (this.discipline.phaseApplied() - sample.phase);
      const distance = Math.max(MIN_DISPERSION, peer.rootDelay + sample.delay) / 2 + peer.rootDispersion + PHI * (now - sample.at) + jitter;
      candidates.push({ name: peer.name, stratum: peer.stratum, offset, distance, jitter, peer, sample });
    }
    const result = selectAndCombine(candidates, this.systemPeer?.name);
    if (result.kind === 'none') return this.lost();
    if (result.kind === 'no-majority') return this.noMajority(result.candidates);
    // Sorted as sets are (expr/values.ts canonicalSet orders strings by code unit, as sort() does).
    const falsetickers = result.falsetickers.map((c) => c.name).sort();
    if (falsetickers.join() !== this.falsetickers.join()) {
      this.falsetickers = falsetickers;
      const names = falsetickers.join(', ');
      if (names) this.ctx.note(`falseticker${falsetickers.length > 1 ? 's' : ''} ${names}: outside the intersection of the others' correctness intervals`, { falsetickers: names });
    }
    const chosen = candidates.find((c) => c.name === result.systemPeer.name)!;
    if (chosen.peer !== this.systemPeer) {
      this.systemPeer = chosen.peer;
      this.ctx.note(`selected ${chosen.name} (stratum ${chosen.stratum})`, { peer: chosen.name });
    }
    // RFC 5905: never use a sample older than the last one used.
    if (chosen.sample.at <= chosen.peer.lastUsed) return;
    chosen.peer.lastUsed = chosen.sample.at;
    const names = result.survivors.map((c) => c.name).join(', ');
    const why = result.survivors.length > 1 ? `θ ${signedDuration(result.offset)} combined from ${names}` : `θ ${signedDuration(result.offset)} from ${chosen.name}`;
    this.report.system(-result.offset, chosen.sample.delay);
    this.system = { rootDelay: chosen.peer.rootDelay + chosen.sample.delay, rootDispersion: chosen.peer.rootDispersion + PHI * (now - chosen.sample.at) + chosen.jitter };
    const action = this.discipline.update(result.offset, this.poll, why);
    if (action === 'step') this.resetAssociations();
    this.report.setState('synced', `synced to ${chosen.name}: stratum ${chosen.stratum + 1}`, { stratum: chosen.stratum + 1, peer: chosen.name });
  }

  /**
   * After a step every association starts again (RFC 5905 clock_update,
   * "step"): the filters' offsets are stale, and an answer to a request
   * sent before the step would mix readings from both sides of it (its
   * delay can come out negative), so it must fail the origin check.
   */
  private resetAssociations(): void {
    for (const p of this.peers) {
      p.filter.clear();
      p.outstanding = undefined;
    }
  }

  private noMajority(candidates: readonly Candidate[]): void {
    this.systemPeer = undefined;
    this.discipline.hold('no majority of servers agrees: holding frequency');
    const detail = candidates.map((c) => `${c.name} ${signedDuration(c.offset)} ± ${formatDuration(Math.round(c.distance))}`).join(', ');
    this.report.setState('no majority', `no majority: the correctness intervals (offset ± root distance) of no majority of the servers overlap (${detail}); following none`, { stratum: UNSYNCED_STRATUM });
  }

  private lost(): void {
    if (this.systemPeer === undefined && this.report.state === 'unsynced') return;
    this.systemPeer = undefined;
    this.discipline.hold('no server reachable: holding frequency');
    this.report.setState('unsynced', 'unsynced: no reachable synchronised server', { stratum: UNSYNCED_STRATUM });
  }
}

/**
 * NTP after RFC 5905: client/server exchanges with the four timestamps, the
 * clock filter, a clock discipline that slews small offsets and steps large
 * ones, and a stratum hierarchy (`servers` → `stratum` tiers → `clients`).
 */
export const ntp: ProtocolDefinition = {
  name: 'ntp',
  summary: 'Network Time Protocol: clients poll servers, filter the least-delayed sample, and slew or step their clocks',
  binding: 'sync',
  messages: ['ntp-request', 'ntp-response'],
  options: OPTIONS,
  properties: [
    ...SYNC_PROPERTIES,
    { name: 'stratum', type: 'int', doc: "this node's stratum: 1 for the servers, one more than its server's when synchronised, 16 when not" },
    { name: 'server', type: 'string', doc: 'the server this node currently follows (the system peer)' },
    { name: 'falsetickers', type: 'set<node>', doc: 'the servers the last selection rejected as falsetickers ({} when none)' },
  ],
  members(options, allNodes) {
    const inTiers = new Set(ntpTiers(options, allNodes).flat());
    return allNodes.filter((n) => inTiers.has(n));
  },
  validate(binding: BoundProtocol, report) {
    const range = (key: string) => binding.ast.options.find((s) => s.key.text === key)?.range ?? binding.ast.range;
    const strata = (binding.options.get('stratum') as ReadonlyMap<string, number> | undefined) ?? new Map<string, number>();
    const o = new OptionValues(binding.options);
    const servers = o.nodes('servers');
    for (const [node, k] of strata) {
      if (!Number.isInteger(k) || k < 2 || k > 15) report(diagnostic('DS141', `stratum ${node} = ${k}: tiers are numbered 2 to 15 (stratum 1 servers go in 'servers')`, range('stratum')));
      if (servers.includes(node)) report(diagnostic('DS141', `${node} is both a stratum 1 server and stratum ${k}`, range('stratum')));
    }
    const levels = [...new Set(strata.values())].sort((a, b) => a - b);
    levels.forEach((k, i) => {
      if (k !== i + 2) report(diagnostic('DS141', `stratum ${k} has no stratum ${i + 2} tier above it to synchronise from`, range('stratum')));
    });
    for (const c of o.nodes('clients')) {
      if (servers.includes(c) || strata.has(c)) report(diagnostic('DS141', `${c} is both a server and a client; a server at stratum k is written 'stratum ${c} = k'`, range('clients')));
    }
  },
  createNode: (ctx) => new NtpNode(ctx),
};
