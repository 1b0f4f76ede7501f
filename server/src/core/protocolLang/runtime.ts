import type { Frame, FrameFn } from '../expr/compile';
import { canonicalSet, ExprRuntimeError, formatTime, formatValue, type Value } from '../expr/values';
import type { Mix, NodeContext, PropertyValue, ProtocolNode } from '../protocols/protocol';
import type { SourceRange } from '../source';
import type { CStmt } from './checkedStmt';
import type { CompiledHandler, Machine, Stmt } from './compile';
import { digestValue } from './digest';
import type { MessageDecl } from './declarations';
import type { DeclaredOption } from './environment';
import { tallyKeys } from './tallyKeys';

/**
 * The most statements and loop iterations one handler run may take: a
 * handler that loops past it stops the run with DS208 (a handler is atomic,
 * so it can never be cut short and resumed).
 */
export const MAX_HANDLER_STEPS = 100_000;

export interface StateSlot {
  readonly name: string;
  readonly stable: boolean;
  readonly slot: number;
  readonly initial: FrameFn;
  readonly range: SourceRange;
}

/** A checked protocol compiled for running: what every node of it shares. */
export interface CompiledProtocol {
  readonly name: string;
  readonly frameSize: number;
  readonly selfSlot: number;
  readonly membersSlot: number;
  readonly options: readonly DeclaredOption[];
  readonly consts: readonly { readonly slot: number; readonly value: FrameFn; readonly range: SourceRange }[];
  readonly state: readonly StateSlot[];
  readonly start: CompiledHandler | undefined;
  readonly timers: ReadonlyMap<string, CompiledHandler>;
  /** By wire label, in declaration order: the first whose guard holds runs. */
  readonly messages: ReadonlyMap<string, readonly CompiledHandler[]>;
  /** State slot by property name (read, inspect). */
  readonly stateSlots: ReadonlyMap<string, number>;
}

class StepBudgetExceeded extends Error {}

/**
 * One node of a written protocol: its frame (state, options, consts and
 * every local slot of its handlers), its pending timers by name, and the
 * compiled handlers it runs. It is the Machine the compiled statements act
 * on and the reader their expressions read. A run-time error in a handler
 * never escapes: it is reported through ctx.fail (DS207/DS208) and the node
 * does nothing more.
 */
export class WrittenNode implements ProtocolNode, Machine {
  current: CStmt | undefined;
  private steps = 0;
  private readonly f: Frame;
  private readonly timers = new Map<string, number>();
  private sender: string | undefined;
  private failed = false;
  private event = '';
  /** The stable values last written to the node's disk, by slot (only changed ones are written again). */
  private readonly saved: Value[] = [];
  /** The `stable` part of the protocol's state (written to the disk after each handler that changed it). */
  private readonly stableState: readonly StateSlot[];
  /** By state variable: the value last fingerprinted and its digest. */
  private readonly digested: Value[] = [];
  private readonly digests: number[] = [];

  constructor(private readonly p: CompiledProtocol, private readonly ctx: NodeContext) {
    this.f = new Array<Value>(p.frameSize).fill(null);
    this.stableState = p.state.filter((s) => s.stable);
  }

  start(): void {
    const f = this.f;
    const p = this.p;
    this.run('starting', undefined, () => {
      f[p.selfSlot] = this.ctx.self;
      f[p.membersSlot] = canonicalSet(this.ctx.members);
      for (const o of p.options) {
        const v = this.ctx.options.get(o.spec.key);
        f[o.slot] = v === undefined ? o.defaultValue ?? null : o.toValue(v);
      }
      for (const c of p.consts) f[c.slot] = c.value(this, f);
      if (this.ctx.tally) for (const c of p.consts) this.ctx.tally.value(tallyKeys.constValue(c.range.startOffset), f[c.slot]!);
      for (const s of p.state) {
        const kept = s.stable ? this.ctx.stable.get<Value>(s.name) : undefined;
        f[s.slot] = kept !== undefined ? kept : s.initial(this, f);
        if (s.stable) this.saved[s.slot] = f[s.slot]!;
      }
    });
    if (!p.start) return;
    this.ctx.tally?.count(tallyKeys.handlerRan(p.start.source.range.startOffset));
    this.run('on start', undefined, p.start.body);
  }

  onMessage(from: string, type: string, payload: unknown): void {
    const handlers = this.p.messages.get(type);
    if (!handlers || this.failed) return;
    const f = this.f;
    const message = handlers[0]!.source.message!;
    const value = message.fromWire ? message.fromWire(payload) : (payload as Value);
    for (let i = 0; i < handlers.length; i++) {
      const h = handlers[i]!;
      const src = h.source;
      if (src.payloadSlot !== undefined) f[src.payloadSlot] = value;
      if (src.senderSlot !== undefined) f[src.senderSlot] = from;
      if (h.guard && !this.holds(h.guard, h.guardEvent)) {
        if (this.failed) return;
        this.ctx.tally?.count(tallyKeys.guardFalse(src.range.startOffset));
        continue;
      }
      this.ctx.tally?.count(tallyKeys.handlerRan(src.range.startOffset));
      this.run(src.title, from, h.body);
      return;
    }
  }

  onTimer(name: string): void {
    this.timers.delete(name);
    const h = this.p.timers.get(name);
    if (!h || this.failed) return;
    if (this.ctx.tally) {
      this.ctx.tally.count(tallyKeys.timer('fired', this.p.name, name));
      this.ctx.tally.count(tallyKeys.handlerRan(h.source.range.startOffset));
    }
    this.run(h.source.title, undefined, h.body);
  }

  inspect(): Readonly<Record<string, PropertyValue>> {
    const out: Record<string, PropertyValue> = {};
    for (const s of this.p.state) out[s.name] = this.f[s.slot]!;
    return out;
  }

  read(name: string): PropertyValue | undefined {
    const slot = this.p.stateSlots.get(name);
    return slot === undefined ? undefined : this.f[slot];
  }

  /**
   * Every state variable, by its digest (digest.ts): structural, so two
   * nodes or two moments with equal state hash alike. The digest of the
   * value a slot held at the previous call is kept, so a sample where a
   * variable did not change costs one comparison.
   */
  fingerprint(mix: Mix): void {
    const state = this.p.state;
    for (let i = 0; i < state.length; i++) {
      const v = this.f[state[i]!.slot]!;
      let d: number;
      if (this.digested[i] === v && i < this.digests.length) d = this.digests[i]!;
      else {
        d = digestValue(v);
        this.digested[i] = v;
        this.digests[i] = d;
      }
      mix(d | 0);
      mix((d / 4294967296) | 0);
    }
  }

  // ---- the machine compiled statements act on ------------------------------

  tick(): void {
    if (++this.steps > MAX_HANDLER_STEPS) throw new StepBudgetExceeded();
  }

  send(to: 'node' | 'broadcast' | 'reply', target: string | undefined, message: MessageDecl, payload: { readonly [field: string]: Value }, range: SourceRange): void {
    const wire = message.toWire ? message.toWire(payload) : payload;
    const summary = (): string => message.fields.map((x) => `${x.name}=${formatValue(payload[x.name] ?? null, x.type)}`).join(' ');
    const options = { summary, range };
    if (to === 'broadcast') {
      for (const m of this.ctx.members) if (m !== this.ctx.self) this.ctx.send(m, message.wire, wire, options);
    } else {
      this.ctx.send(to === 'reply' ? this.sender! : target!, message.wire, wire, options);
    }
  }

  setTimer(name: string, delay: number, range: SourceRange): void {
    if (delay < 0) throw new ExprRuntimeError(`timer ${name} after ${formatTime(delay)}: a timer cannot be set in the past`, range);
    const pending = this.timers.get(name);
    if (pending !== undefined) this.ctx.cancelTimer(pending);
    this.timers.set(name, this.ctx.setTimer(name, delay));
    this.ctx.tally?.count(tallyKeys.timer('set', this.p.name, name));
  }

  cancelTimer(name: string): void {
    const pending = this.timers.get(name);
    if (pending === undefined) return;
    this.ctx.cancelTimer(pending);
    this.timers.delete(name);
    this.ctx.tally?.count(tallyKeys.timer('cancelled', this.p.name, name));
  }

  note(text: () => string, range: SourceRange): void {
    this.ctx.note(text, undefined, range);
  }

  clock(action: 'step' | 'slew', amount: number): void {
    if (action === 'step') this.ctx.clock.step(amount, `clock.step in ${this.event}`);
    else this.ctx.clock.slew(amount, `clock.slew in ${this.event}`);
  }

  // ---- the reader expressions read ------------------------------------------

  /** A node's declared position: `<`, `min` and `max` order nodes by it. */
  nodeIndex(name: string): number {
    return this.ctx.nodeIndex(name) ?? -1;
  }

  property(): undefined {
    return undefined;
  }

  builtin(): Value {
    throw new Error('protocol code reads no node properties');
  }

  variable(name: string): Value {
    switch (name) {
      case 'now': return this.ctx.now();
      case 'lamport': return this.ctx.logicalClocks.lamport();
      case 'vc': return this.ctx.logicalClocks.vc();
      case 'hlc': return this.ctx.logicalClocks.hlc();
      default: throw new Error(`unknown variable ${name}`);
    }
  }

  random(): number {
    return this.ctx.random();
  }

  // ---- running a handler ----------------------------------------------------

  /** Runs one step atomically on the node's frame; a failure is reported once and stops the node. */
  private run(event: string, sender: string | undefined, step: Stmt): void {
    if (this.failed) return;
    this.steps = 0;
    this.current = undefined;
    this.sender = sender;
    this.event = event;
    try {
      step(this, this.f);
    } catch (e) {
      this.failed = true;
      this.report(event, e);
      return;
    }
    this.persist();
  }

  /** Whether a handler's guard holds; false also when it failed (reported as the guard's, and the node stops). */
  private holds(guard: FrameFn, event: string): boolean {
    this.steps = 0;
    this.current = undefined;
    this.sender = undefined;
    this.event = event;
    try {
      return guard(this, this.f) === true;
    } catch (e) {
      this.failed = true;
      this.report(this.event, e);
      return false;
    }
  }

  /** Writes the stable state that changed to the node's disk. */
  private persist(): void {
    const stable = this.ctx.stable;
    for (const s of this.stableState) {
      const v = this.f[s.slot]!;
      if (this.saved[s.slot] === v) continue;
      this.saved[s.slot] = v;
      // Values are immutable (an assignment builds new lists, maps and records), so the disk may hold them as they are.
      if (stable.keep) stable.keep(s.name, v);
      else stable.set(s.name, v);
    }
  }

  private report(event: string, e: unknown): void {
    const stmt = this.current;
    const values = stmt ? stmt.reads.map((r) => `${r.name} = ${formatValue(this.f[r.slot] ?? null, r.type)}`) : [];
    const where = stmt?.range ?? (e instanceof ExprRuntimeError ? e.range : undefined);
    if (e instanceof StepBudgetExceeded) {
      this.ctx.fail('DS208', `${event} ran more than ${MAX_HANDLER_STEPS.toLocaleString('en-US')} statements and loop iterations (a handler runs to its end at once); bound its loops${values.length ? `; values: ${values.join(', ')}` : ''}`, where);
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    this.ctx.fail('DS207', `${event}: ${message}${values.length ? `; values: ${values.join(', ')}` : ''}`, where);
  }
}
