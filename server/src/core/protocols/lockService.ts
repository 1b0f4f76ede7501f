import { diagnostic } from '../diagnostics';
import { formatDuration } from '../units';
import type { NodeContext, PropertyValue, ProtocolDefinition, ProtocolNode } from './protocol';
import { noteLock } from './coordinationNotes';
import { KeyedTimers } from './common/keyedTimers';
import { OptionValues, draw, type DurationRange } from './common/optionValues';
import { FencedStorage, type WriteRequest } from './fencedStorage';

/**
 * A lease-based lock server with fencing tokens (after Kleppmann, "How to do
 * distributed locking", 2016). Roles by option: the `server`, the protected
 * `storage` node, and every other bound node a client.
 *
 * Each client, `rounds` times: asks the server for the lock (asking again
 * shortly after a `busy`); on a grant (token t, a lease of `lease` by the
 * server's clock) works for `work`, checks its lease is still valid by its
 * own clock — counted from when it sent the request that was granted, which
 * is no later than the server started the lease — writes to storage with
 * token t, then releases and thinks. The server grants to one client at a
 * time, with tokens that only grow (kept on disk), and takes the lock back
 * when a lease runs out by its clock. After a restart it grants nothing for
 * one lease, so grants it forgot have run out.
 *
 * The failure: a client in `pause` stalls for `pause_for` right after its
 * lease check on its first round (a GC pause). Its lease runs out, another
 * client gets the lock and writes, then the paused client wakes up and
 * writes with its old token, still believing it holds the lock. A clock jump
 * on the server expires a lease early to the same effect. Fenced storage
 * rejects the stale write; `fencing false` accepts it.
 *
 * Messages: acquire {req}, granted {req, token, lease} | busy {req}, release {token},
 * write {token, value}, write_ok | write_rejected.
 */
export const lockService: ProtocolDefinition = {
  name: 'lock_service',
  summary: 'lease-based lock server with fencing tokens, clients, and a storage node that rejects stale tokens',
  binding: 'nodes',
  messages: ['acquire', 'busy', 'granted', 'release', 'write', 'write_ok', 'write_rejected'],
  reports: ['locks'],
  options: [
    { key: 'server', type: 'node', required: true, doc: 'the lock server', example: 'L' },
    { key: 'storage', type: 'node', required: true, doc: 'the storage node the lock protects; every other bound node is a client', example: 'S' },
    { key: 'lease', type: 'duration', min: 1, doc: 'how long a grant lasts by the server clock (default 100ms)', example: '100ms' },
    { key: 'rounds', type: 'integer', min: 0, max: 10_000, doc: 'how often each client takes the lock (default 3)', example: '3' },
    { key: 'work', type: 'duration-range', doc: 'time between getting the lock and writing (default 20ms)', example: '20ms' },
    { key: 'think', type: 'duration-range', doc: 'time between releasing and asking again; also before the first request (default 20ms..80ms)', example: '20ms..80ms' },
    { key: 'fencing', type: 'bool', doc: 'whether storage rejects writes with a token older than one it accepted (default true)', example: 'true' },
    { key: 'pause', type: 'nodes', doc: 'clients that stall (a GC pause) between their lease check and their write, on their first round', example: 'A' },
    { key: 'pause_for', type: 'duration', doc: 'how long a pause lasts (default 300ms)', example: '300ms' },
  ],
  properties: [
    { name: 'token', type: 'int', doc: 'server: the last token issued; client: its current or last token; storage: the largest token accepted' },
    { name: 'holder', type: 'string', doc: 'server: the client holding the lock now, or ""' },
    { name: 'holding', type: 'bool', doc: 'client: whether it believes it holds the lock' },
    { name: 'value', type: 'string', doc: 'storage: the value last written' },
    { name: 'accepted', type: 'int', doc: 'storage: writes accepted' },
    { name: 'rejected', type: 'int', doc: 'storage: writes rejected for a stale token' },
  ],
  validate(binding, report) {
    const o = new OptionValues(binding.options);
    const where = (key: string) => binding.ast.options.find((s) => s.key.text === key)?.range ?? binding.ast.range;
    for (const role of ['server', 'storage']) {
      const n = o.node(role);
      if (n !== undefined && !binding.nodes.includes(n)) report(diagnostic('DS141', `${role} '${n}' does not run lock_service; add it to the nodes it is bound to`, where(role)));
    }
    if (o.node('server') !== undefined && o.node('server') === o.node('storage')) report(diagnostic('DS141', 'the lock server and the storage must be different nodes', where('storage')));
    const clients = binding.nodes.filter((n) => n !== o.node('server') && n !== o.node('storage'));
    if (clients.length === 0) report(diagnostic('DS141', 'lock_service needs at least one client besides the server and the storage', binding.ast.range));
    for (const n of o.nodes('pause')) if (!clients.includes(n)) report(diagnostic('DS141', `'${n}' in pause is not a client`, where('pause')));
  },
  createNode(ctx) {
    const o = new OptionValues(ctx.options);
    if (ctx.self === o.node('server')) return new LockServer(ctx, o.number('lease', 100_000_000));
    if (ctx.self === o.node('storage')) return new FencedStorage(ctx, o.bool('fencing', true));
    return new LockClient(ctx, o);
  },
};

/** How long a client waits after a `busy` or silence before asking again (twice that for storage). */
const RETRY = 20_000_000;

interface Request {
  readonly req: number;
}
interface Grant extends Request {
  readonly token: number;
  readonly lease: number;
}

class LockServer implements ProtocolNode {
  private holder: { client: string; token: number; timer: number } | undefined;
  private recovering = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly lease: number,
  ) {}

  start(): void {
    if ((this.ctx.stable.get<number>('token') ?? 0) === 0) return;
    // Grants made before the crash are forgotten; wait until any of them has surely run out.
    this.recovering = true;
    this.ctx.note(`restarted: granting nothing for one lease (${formatDuration(this.lease)})`);
    this.ctx.setTimer('recovered', this.lease);
  }

  onMessage(from: string, type: string, payload: unknown): void {
    if (type === 'acquire') {
      const { req } = payload as Request;
      if (this.holder || this.recovering) this.ctx.send(from, 'busy', { req }, { summary: this.holder ? `held by ${this.holder.client}` : 'recovering' });
      else this.grant(from, req);
    } else if (type === 'release' && this.holder?.token === (payload as { token: number }).token) {
      this.ctx.cancelTimer(this.holder.timer);
      this.holder = undefined;
    }
  }

  onTimer(name: string, data: unknown): void {
    if (name === 'recovered') {
      this.recovering = false;
    } else if (name === 'lease' && this.holder && this.holder.token === data) {
      this.ctx.note(`lease of ${this.holder.client} (token ${this.holder.token}) expired`);
      this.holder = undefined;
    }
  }

  inspect(): Record<string, PropertyValue> {
    return { token: this.ctx.stable.get<number>('token') ?? 0, holder: this.holder?.client ?? '' };
  }

  private grant(client: string, req: number): void {
    const token = (this.ctx.stable.get<number>('token') ?? 0) + 1;
    this.ctx.stable.set('token', token); // tokens never repeat, even across crashes
    this.holder = { client, token, timer: this.ctx.setTimer('lease', this.lease, token) };
    this.ctx.note(`granted the lock to ${client} (token ${token})`);
    const g: Grant = { req, token, lease: this.lease };
    this.ctx.send(client, 'granted', g, { summary: `token ${token}` });
  }
}

type ClientState =
  | { readonly kind: 'idle' | 'waiting' }
  | { readonly kind: 'holding' | 'paused' | 'writing'; readonly token: number; readonly validUntil: number };

class LockClient implements ProtocolNode {
  private state: ClientState = { kind: 'idle' };
  /** Local send time of each request of the current round, by request number. */
  private readonly asked = new Map<number, number>();
  private lastToken = 0;
  private readonly server: string;
  private readonly storage: string;
  private readonly work: DurationRange;
  private readonly think: DurationRange;
  private readonly rounds: number;
  private readonly pauses: boolean;
  private readonly pauseFor: number;
  /** The pending retry or write timeout, cancelled once answered. */
  private readonly waits: KeyedTimers<'wait'>;

  constructor(
    private readonly ctx: NodeContext,
    o: OptionValues,
  ) {
    this.server = o.node('server')!;
    this.storage = o.node('storage')!;
    this.work = o.range('work', { low: 20_000_000, high: 20_000_000 });
    this.think = o.range('think', { low: 20_000_000, high: 80_000_000 });
    this.rounds = o.number('rounds', 3);
    this.pauses = o.nodes('pause').includes(ctx.self);
    this.pauseFor = o.number('pause_for', 300_000_000);
    this.waits = new KeyedTimers(ctx);
  }

  /** Rounds done so far are on disk: a restarted client goes on with the next. */
  private get round(): number {
    return this.ctx.stable.get<number>('round') ?? 0;
  }

  start(): void {
    if (this.round < this.rounds) this.ctx.setTimer('think', this.drawn(this.think));
  }

  onMessage(_from: string, type: string, payload: unknown): void {
    if (type === 'busy' && this.state.kind === 'waiting' && this.asked.has((payload as Request).req)) {
      this.waits.set('wait', 'retry', RETRY);
    } else if (type === 'granted' && this.state.kind === 'waiting' && this.asked.has((payload as Grant).req)) {
      const g = payload as Grant;
      this.waits.cancel('wait');
      this.lastToken = g.token;
      // The lease started no earlier than this request was sent: count it from there, by our clock.
      this.state = { kind: 'holding', token: g.token, validUntil: this.asked.get(g.req)! + g.lease };
      this.asked.clear();
      noteLock(this.ctx, 'acquired', g.token, `acquired the lock (token ${g.token})`);
      this.ctx.setTimer('work', this.drawn(this.work));
    } else if ((type === 'write_ok' || type === 'write_rejected') && this.state.kind === 'writing') {
      this.waits.cancel('wait');
      this.release(type === 'write_ok' ? 'write done' : 'write rejected: my token is stale');
    }
  }

  onTimer(name: string): void {
    const s = this.state;
    switch (name) {
      case 'think':
        this.state = { kind: 'waiting' };
        return this.ask();
      case 'retry':
        if (s.kind === 'waiting') this.ask();
        return;
      case 'work':
        if (s.kind !== 'holding') return;
        if (this.ctx.now() >= s.validUntil) {
          noteLock(this.ctx, 'expired', s.token, `lease (token ${s.token}) ran out before writing; not writing`);
          return this.next();
        }
        if (this.pauses && this.round === 0) {
          this.state = { ...s, kind: 'paused' };
          this.ctx.note(`paused for ${formatDuration(this.pauseFor)} (GC) after checking the lease, still believing it holds token ${s.token}`);
          this.ctx.setTimer('resume', this.pauseFor);
          return;
        }
        return this.write(s.token, s.validUntil);
      case 'resume':
        if (s.kind !== 'paused') return;
        this.ctx.note(`resumed; writing with token ${s.token} without checking the lease again`);
        return this.write(s.token, s.validUntil);
      case 'write-timeout':
        if (s.kind === 'writing') this.release('no answer from storage');
        return;
    }
  }

  inspect(): Record<string, PropertyValue> {
    const s = this.state;
    return { token: this.lastToken, holding: s.kind === 'holding' || s.kind === 'paused' || s.kind === 'writing' };
  }

  /** Asks for the lock; a grant lost on the way is covered by asking again after RETRY (the server then says busy until that lease runs out). */
  private ask(): void {
    const req = this.asked.size + 1;
    this.asked.set(req, this.ctx.now());
    this.ctx.send(this.server, 'acquire', { req }, { summary: `round ${this.round + 1}${req > 1 ? `, try ${req}` : ''}` });
    this.waits.set('wait', 'retry', RETRY * 5);
  }

  private write(token: number, validUntil: number): void {
    this.state = { kind: 'writing', token, validUntil };
    const w: WriteRequest = { token, value: `${this.ctx.self}#${this.round + 1}` };
    this.ctx.send(this.storage, 'write', w, { summary: `"${w.value}" token ${token}` });
    this.waits.set('wait', 'write-timeout', RETRY * 2);
  }

  private release(why: string): void {
    const s = this.state;
    if (s.kind !== 'writing') return;
    if (this.ctx.now() >= s.validUntil) noteLock(this.ctx, 'expired', s.token, `${why}; lease (token ${s.token}) had run out`);
    else {
      noteLock(this.ctx, 'released', s.token, `${why}; released the lock (token ${s.token})`);
      this.ctx.send(this.server, 'release', { token: s.token }, { summary: `token ${s.token}` });
    }
    this.next();
  }

  private next(): void {
    this.state = { kind: 'idle' };
    this.ctx.stable.set('round', this.round + 1);
    if (this.round < this.rounds) this.ctx.setTimer('think', this.drawn(this.think));
  }

  private drawn(range: DurationRange): number {
    return draw(range, () => this.ctx.random());
  }
}
