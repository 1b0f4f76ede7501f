import type { WorldView } from '../invariants/invariant';
import type { FaultModel, Model, ScriptAction } from '../model';
import type { Mix, NodeContext, PropertyValue, ProtocolNode } from '../protocols/protocol';
import type { SourceRange } from '../source';
import { faultsForSeed } from './randomFaults';
import { EventQueue } from './eventQueue';
import { applyFault, endFaultWindow, type FaultHooks } from './faults';
import { fingerprintProtocols } from './fingerprint';
import { hlcReceive, hlcTick, type Hlc } from './hlc';
import { Network } from './network';
import { NodeState, type Timer } from './nodeState';
import { evaluateExpectation, type ExpectationOutcome } from './expectations';
import { createNodeContext, type EngineHooks } from './nodeContext';
import { Rng } from './rng';
import { VcArena } from './vcArena';
import { formatDuration } from '../units';
import { Monitors } from './monitors';
import { StateRecorder } from './stateDiffs';
import { Tallies } from './tallies';
import { payloadJson, type JsonValue } from './payloadJson';
import { TraceStore } from './traceStore';
import type { DropReason, EventKind, TraceEvent, Violation } from './trace';

export interface SimulationOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Stops at this true time instead of the scenario's length. */
  readonly until?: number;
  /** Stops after this many trace events (default: the scenario's max_events or 1,000,000). */
  readonly maxEvents?: number;
  /** Keep every event (default true). Exploration turns it off and keeps only violations. */
  readonly record?: boolean;
  /**
   * Stops the run (as 'max-events', with `stoppedByMemory` set) once the
   * recorded trace, events and state diffs, would hold more than about this
   * many bytes (traceMemory.ts). Absent: no memory bound.
   */
  readonly maxTraceBytes?: number;
  /**
   * Keep each message's payload as JSON, taken when it is sent, for the
   * trace (`dsync run --json`; payloadJson.ts). Only with `record`; default
   * false: nothing else reads payloads, so other runs never convert them.
   */
  readonly payloads?: boolean;
}

/**
 * Why a run stopped: at the scenario's end, at `until` before that end (an
 * early stop like the others: end-of-run expectations are not evaluated),
 * at the event budget, cancelled, or failed (a written protocol's run-time
 * error, DS207/DS208, among the violations).
 */
export type StopReason = 'end' | 'until' | 'max-events' | 'cancelled' | 'failed';

/** A message in flight; it is its own queue entry (`t: 'deliver'`), and a duplicate copy is a clone with `copy` set. */
interface Message {
  readonly t: 'deliver';
  readonly copy: boolean;
  readonly id: number;
  readonly from: number;
  readonly to: number;
  /** -1 for the scenario's own messages, else the protocol instance index. */
  readonly protocol: number;
  readonly label: string;
  readonly payload: unknown;
  readonly summary: string | undefined;
  readonly lamport: number;
  readonly vc: Int32Array;
  readonly hlc: Hlc;
  readonly sendSeq: number;
  readonly range: SourceRange;
}

type Scheduled =
  | Message
  | { readonly t: 'timer'; readonly timer: Timer; readonly generation: number }
  | { readonly t: 'fault'; readonly fault: FaultModel }
  | { readonly t: 'window-end'; readonly fault: FaultModel; readonly partitionId: number }
  | { readonly t: 'expect'; readonly index: number };

/** How many events, or queue entries, `step` runs between two questions to its `shouldYield`. */
const YIELD_EVENTS = 64;
const YIELD_ENTRIES = 64;
export const DEFAULT_MAX_EVENTS = 1_000_000;

/**
 * How many later firings of a periodic timer (due at `deadline`, then every
 * `period`, up to `stop`) the clock reading `local` has already passed when
 * the timer fires. Like a POSIX interval timer (timer_settime, timerfd), a
 * timer whose clock jumped past several periods (or started ahead of them)
 * fires once and stays on its period grid: the missed expirations are
 * counted (the overrun), not replayed as a burst.
 */
export function missedPeriods(deadline: number, period: number, stop: number | undefined, local: number): number {
  if (!(local >= deadline + period)) return 0;
  let missed = Math.floor((local - deadline) / period);
  if (stop !== undefined) missed = Math.min(missed, Math.max(0, Math.floor((stop - deadline) / period)));
  return missed;
}
const EMPTY_VC = new Int32Array(0);
const NO_EXTRA: Partial<TraceEvent> = {};

/**
 * The discrete-event simulator. Events run in (true time, insertion) order;
 * all randomness comes from streams seeded by the scenario's seed, so a run
 * is a pure function of (model, options). Run it to the end with `run()`, or
 * in slices with `step(n)` so a caller can stay responsive and cancel.
 */
export class Simulation implements WorldView {
  readonly seed: number;
  readonly endTime: number;
  /** The recorded trace (empty when the run does not record): events built on access from `trace`. */
  readonly events: readonly TraceEvent[];
  readonly violations: readonly Violation[];
  readonly expectationOutcomes: (ExpectationOutcome | undefined)[];
  readonly nodes: NodeState[];
  stopReason: StopReason | undefined;
  /** Set when the run stopped because the trace reached `maxTraceBytes`. */
  stoppedByMemory = false;
  /** Which protocol properties each recorded event changed (only when recording). */
  readonly states: StateRecorder | undefined;
  /** Each message's payload as JSON by message id (only with the `payloads` option; see payloadJson.ts). */
  readonly payloads: JsonValue[] | undefined;
  private payloadBytes = 0;
  /** Counts of what protocol code did that the trace does not show (only when recording; see tallies.ts). */
  readonly tallies: Tallies | undefined;
  eventCount = 0;
  messagesSent = 0;
  messagesDelivered = 0;
  messagesDropped = 0;
  messagesDuplicated = 0;
  /**
   * Protocol transitions: handler runs on a delivered message or a fired
   * protocol timer (what a specification language counts as one action;
   * sends, notes and drops are parts of a transition, not transitions).
   */
  transitions = 0;

  private time = 0;
  private seq = -1;
  private readonly queue = new EventQueue<Scheduled>();
  private readonly network: Network;
  private readonly record: boolean;
  /** The recorded trace's storage (traceStore.ts); undefined when the run does not record. */
  readonly trace: TraceStore | undefined;
  /** The event budget in force (the option, else the scenario's max_events, else the default). */
  readonly maxEvents: number;
  private readonly maxTraceBytes: number | undefined;
  private readonly monitors: Monitors;
  /** Whether events get their own copy of the vector clock (see InvariantMonitor.keepsEventClocks). */
  private readonly copyEventClocks: boolean;
  private nextMessageId = 0;
  private readonly vcs: VcArena;
  private nextTimerId = 0;
  private readonly protocolRngs = new Map<string, Rng>();
  private readonly nodeIndex = new Map<string, number>();
  private readonly nodeNames: readonly string[];
  /** Labels some rule names: only these protocol message types are shown to the rules. */
  private readonly rulesByLabel: ReadonlySet<string>;
  /** What faults act on (see faults.ts). */
  private readonly faultHooks: FaultHooks;

  constructor(readonly model: Model, options: SimulationOptions = {}) {
    this.seed = options.seed ?? model.seed;
    this.endTime = Math.min(options.until ?? model.duration, model.duration);
    this.record = options.record ?? true;
    this.maxEvents = options.maxEvents ?? model.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.maxTraceBytes = options.maxTraceBytes;
    this.trace = this.record ? new TraceStore(model.nodes.length) : undefined;
    this.events = this.trace ? this.trace.view() : [];
    this.states = this.record ? new StateRecorder(model.nodes.length, (node) => this.protocolState(node), (seq) => this.trace!.nodeAt(seq)) : undefined;
    this.tallies = this.record ? new Tallies(model.nodes.length) : undefined;
    this.payloads = this.record && options.payloads ? [] : undefined;
    this.network = new Network(model, this.seed);
    this.vcs = new VcArena(model.nodes.length);
    this.nodes = model.nodes.map((n) => new NodeState(n, model.nodes.length, model.protocols));
    model.nodes.forEach((n) => this.nodeIndex.set(n.name, n.index));
    this.nodeNames = model.nodes.map((n) => n.name);
    this.rulesByLabel = new Set(model.rules.flatMap((r) => (r.label === undefined ? [] : [r.label])));
    this.faultHooks = {
      model,
      nodes: this.nodes,
      network: this.network,
      now: () => this.time,
      emit: (kind, node, range, extra) => void this.emit(kind, node, range, extra),
      replanTimers: (node) => this.replanTimers(node),
      startProtocols: (node) => this.startProtocols(node),
      scheduleWindowEnd: (time, fault, partitionId) => this.queue.push(time, { t: 'window-end', fault, partitionId }),
    };
    this.expectationOutcomes = model.expectations.map(() => undefined);
    this.monitors = new Monitors(model.invariants, this);
    this.violations = this.monitors.violations;
    // The recorded trace copies what it keeps itself; only a monitor that keeps clocks needs its own copy.
    this.copyEventClocks = this.monitors.keepEventClocks;
    // Written faults plus this seed's draw from `faults random { … }` (none without such a block).
    for (const f of faultsForSeed(model, this.seed)) this.queue.push(f.time, { t: 'fault', fault: f });
    model.expectations.forEach((e, index) => {
      if (e.at !== undefined) this.queue.push(e.at, { t: 'expect', index }, 1);
    });
    model.stimuli.forEach((s, stimulus) => this.addTimer(s.node, s.start, true, { kind: 'stimulus', stimulus, firing: 0 }));
    for (let i = 0; i < this.nodes.length && !this.stopReason; i++) this.startProtocols(i);
    if (!this.stopReason) this.monitors.settle();
  }

  /** Runs to the end (or a budget). */
  run(): this {
    while (!this.step(65536));
    return this;
  }

  /**
   * Processes up to `budget` queue entries; true when the run is over.
   * `shouldYield`, asked after every YIELD_EVENTS events (or YIELD_ENTRIES
   * entries), ends the slice early when it returns true: the caller slices
   * by time with a clock of its own (the core reads none), since one entry
   * of a big scenario (a broadcast to 1,000 nodes) can take milliseconds.
   */
  step(budget: number, shouldYield?: () => boolean): boolean {
    if (this.stopReason) return true;
    let askAt = this.eventCount + YIELD_EVENTS;
    for (let i = 0; i < budget; i++) {
      if (shouldYield && (this.eventCount >= askAt || (i > 0 && i % YIELD_ENTRIES === 0))) {
        if (shouldYield()) return false;
        askAt = this.eventCount + YIELD_EVENTS;
      }
      if (this.eventCount >= this.maxEvents) return this.finish('max-events');
      if (this.maxTraceBytes !== undefined && this.traceBytes() > this.maxTraceBytes) {
        this.stoppedByMemory = true;
        return this.finish('max-events');
      }
      if (this.queue.peekTime() > this.endTime) return this.finish(this.endTime < this.model.duration ? 'until' : 'end');
      const time = this.queue.peekTime();
      const item = this.queue.pop()!;
      this.monitors.advance(time);
      this.time = time;
      this.dispatch(item);
      if (this.stopReason) return true;
      this.monitors.settle();
    }
    return false;
  }

  cancel(): void {
    if (!this.stopReason) this.finish('cancelled');
  }

  // ---- WorldView ----------------------------------------------------------

  now(): number {
    return this.time;
  }
  isAlive(node: number): boolean {
    return this.nodes[node]!.alive;
  }
  clock(node: number): NodeState['clock'] {
    return this.nodes[node]!.clock;
  }
  lamport(node: number): number {
    return this.nodes[node]!.lamport;
  }
  vc(node: number): Int32Array {
    return this.nodes[node]!.vc;
  }
  event(seq: number): TraceEvent | undefined {
    return this.trace?.event(seq);
  }
  lastSeq(): number {
    return this.seq;
  }
  lastClockChange(node: number): NodeState['lastClockCause'] {
    return this.nodes[node]!.lastClockCause;
  }
  counters(node: number): NodeState {
    return this.nodes[node]!;
  }
  inspect(node: number): Readonly<Record<string, PropertyValue>> {
    const out: Record<string, PropertyValue> = {};
    for (const p of this.nodes[node]!.protocols) if (p) Object.assign(out, p.inspect());
    return out;
  }
  property(node: number, name: string): PropertyValue | undefined {
    const protocols = this.nodes[node]!.protocols;
    for (let i = 0; i < protocols.length; i++) {
      const p = protocols[i];
      if (!p) continue;
      const v = p.read ? p.read(name) : p.inspect()[name];
      if (v !== undefined) return v;
    }
    return undefined;
  }
  fingerprint(node: number, mix: Mix): void {
    fingerprintProtocols(this.nodes[node]!.protocols, mix);
  }

  /** About how many bytes the recorded trace holds: its events and its state diffs. */
  traceBytes(): number {
    return (this.trace?.bytes ?? 0) + (this.states?.bytes ?? 0) + this.payloadBytes;
  }

  /** The node's protocol properties, or undefined when it is down or runs no protocol (StateRecorder). */
  private protocolState(node: number): Readonly<Record<string, PropertyValue>> | undefined {
    const state = this.nodes[node]!;
    if (!state.alive) return undefined;
    // A loop, not `some`: the recorder asks after every recorded event, mostly of nodes without protocols on message-heavy runs.
    const protocols = state.protocols;
    for (let i = 0; i < protocols.length; i++) if (protocols[i] !== undefined) return this.inspect(node);
    return undefined;
  }

  // ---- the loop -------------------------------------------------------------

  private dispatch(item: Scheduled): void {
    switch (item.t) {
      case 'deliver': return this.deliver(item);
      case 'timer': {
        const timer = item.timer;
        const node = this.nodes[timer.node]!;
        if (node.timers.get(timer.id) !== timer || item.generation !== timer.generation) return;
        node.timers.delete(timer.id);
        return this.fireTimer(timer);
      }
      case 'fault': return applyFault(item.fault, this.faultHooks);
      case 'window-end': return endFaultWindow(item.fault, item.partitionId, this.faultHooks);
      case 'expect': {
        this.expectationOutcomes[item.index] = evaluateExpectation(this.model.expectations[item.index]!, this);
        return;
      }
    }
  }

  private finish(reason: StopReason): true {
    this.stopReason = reason;
    if (reason === 'end' || reason === 'until') this.time = this.endTime;
    // A failed run (a protocol's run-time error) stops mid-step: its state is no end state to judge.
    if (reason === 'failed') return true;
    this.monitors.atEnd({ complete: reason === 'end', reason });
    this.model.expectations.forEach((e, i) => {
      if (e.at === undefined && reason === 'end') this.expectationOutcomes[i] = evaluateExpectation(e, this);
    });
    return true;
  }

  /** An event that nothing keeps or looks at (not recorded, no monitor reads its kind): it takes its seq and counts, nothing more. */
  private unobserved(): number {
    this.eventCount++;
    return ++this.seq;
  }

  /** Appends an event to the trace and shows it to the invariant monitors; returns its seq. */
  private emit(kind: EventKind, node: number, range: SourceRange, extra: Partial<TraceEvent> = NO_EXTRA, vc?: Int32Array): number {
    return this.emitEvent(kind, node, range, vc, extra.msg, extra.peer, extra.label, extra.cause, extra.reason, extra.protocol, extra.detail, extra.data);
  }

  /**
   * `emit` with the event's fields one by one: the messages and timers of
   * the hot path call it directly, so that an event nobody reads as an
   * object (the trace stores its fields) makes no object.
   */
  private emitEvent(
    kind: EventKind, node: number, range: SourceRange, vc: Int32Array | undefined,
    msg: number | undefined, peer: number | undefined, label: string | undefined, cause: number | undefined, reason: DropReason | undefined,
    protocol: string | undefined, detail: string | undefined, data: TraceEvent['data'] | undefined,
  ): number {
    const shown = this.monitors.read(kind);
    if (!this.record && !shown) return this.unobserved();
    const state = this.nodes[node];
    const seq = ++this.seq;
    const local = state ? state.clock.read(this.time) : this.time;
    this.eventCount++;
    if (this.trace) {
      this.trace.append(seq, this.time, node, local, kind, state ? state.lamport : 0, vc ?? (state ? state.vc : EMPTY_VC), state ? state.hlc : undefined, range, msg, peer, label, cause, reason, protocol, detail, data);
      if (state) this.states!.onEvent(node, seq);
    }
    if (!shown) return seq;
    // One fixed object shape for every event (absent fields stay undefined), which
    // keeps this hot path monomorphic; serialisers skip undefined fields.
    const event: TraceEvent = {
      seq,
      time: this.time,
      node,
      local,
      kind,
      lamport: state ? state.lamport : 0,
      vc: vc ?? (state ? (this.copyEventClocks ? this.vcs.copy(state.vc) : state.vc) : EMPTY_VC),
      hlc: state ? state.hlc : undefined,
      range,
      msg,
      peer,
      label,
      cause,
      reason,
      protocol,
      detail,
      data,
    };
    this.monitors.show(event);
    return seq;
  }

  // ---- messages -------------------------------------------------------------

  private send(from: number, to: number, protocol: number, label: string, payload: unknown, summary: string | undefined, range: SourceRange): void {
    const node = this.nodes[from]!;
    node.lamport++;
    node.vc[from]!++;
    node.hlc = hlcTick(node.hlc, node.clock.read(this.time));
    node.sent++;
    // Protocol messages count by their type too: `n1.sent("AppendEntries")`.
    node.count(node.sentByLabel, label);
    this.messagesSent++;
    const vc = this.vcs.copy(node.vc);
    const id = this.nextMessageId++;
    if (this.payloads && payload !== undefined) {
      const json = payloadJson(payload);
      this.payloads[id] = json.value;
      this.payloadBytes += json.bytes;
    }
    const sendSeq = this.emitEvent('send', from, range, vc, id, to, label, undefined, undefined, this.protocolName(protocol), summary || undefined, undefined);
    const msg: Message = { t: 'deliver', copy: false, id, from, to, protocol, label, payload, summary, lamport: node.lamport, vc, hlc: node.hlc, sendSeq, range };
    const delay = this.network.transmit(from, to);
    if (typeof delay === 'string') return this.dropped(msg, delay);
    const copyDelay = this.network.duplicateDelay;
    this.queue.push(this.time + delay, msg);
    if (copyDelay >= 0) {
      this.messagesDuplicated++;
      this.emitEvent('duplicate', from, range, undefined, id, to, label, msg.sendSeq, undefined, undefined, undefined, undefined);
      this.queue.push(this.time + copyDelay, { ...msg, copy: true });
    }
  }

  private dropped(msg: Message, reason: DropReason): void {
    this.messagesDropped++;
    const node = reason === 'node-down' || reason === 'no-handler' ? msg.to : msg.from;
    this.emitEvent('drop', node, msg.range, undefined, msg.id, node === msg.to ? msg.from : msg.to, msg.label, msg.sendSeq, reason, undefined, undefined, undefined);
  }

  private deliver(msg: Message): void {
    const node = this.nodes[msg.to]!;
    if (!node.alive) return this.dropped(msg, 'node-down');
    if (this.network.isPartitioned(msg.from, msg.to)) return this.dropped(msg, 'partition');
    const handler = msg.protocol >= 0 ? this.handlerFor(node, msg.protocol) : undefined;
    if (msg.protocol >= 0 && !handler) return this.dropped(msg, 'no-handler');
    node.lamport = Math.max(node.lamport, msg.lamport) + 1;
    const vc = node.vc;
    for (let i = 0; i < vc.length; i++) if (msg.vc[i]! > vc[i]!) vc[i] = msg.vc[i]!;
    vc[msg.to]!++;
    node.hlc = hlcReceive(node.hlc, msg.hlc, node.clock.read(this.time));
    node.received++;
    node.count(node.receivedByLabel, msg.label);
    this.messagesDelivered++;
    this.emitEvent('receive', msg.to, msg.range, undefined, msg.id, msg.from, msg.label, msg.sendSeq, undefined, this.protocolName(msg.protocol), msg.copy ? 'duplicate copy' : msg.summary || undefined, undefined);
    this.transitions++;
    if (handler) {
      handler.onMessage(this.model.nodes[msg.from]!.name, msg.label, msg.payload);
      this.states?.afterHandler(msg.to);
      this.monitors.handled(msg.to);
      // Rules that name the type (`on n1 receive "AppendEntries"`) observe protocol messages after the protocol has handled them; `receive any` is for scenario messages only.
      if (this.rulesByLabel.has(msg.label)) this.runRules(msg);
    } else {
      this.runRules(msg);
    }
  }

  // ---- the scenario's own script ------------------------------------------

  private runRules(msg: Message): void {
    for (const rule of this.model.rules) {
      if (rule.node !== msg.to) continue;
      if (rule.label === undefined ? msg.protocol >= 0 : rule.label !== msg.label) continue;
      if (rule.sender !== undefined && rule.sender !== msg.from) continue;
      for (const action of rule.actions) this.runAction(msg.to, action, msg.from);
    }
  }

  private runAction(node: number, action: ScriptAction, replyTo: number): void {
    switch (action.kind) {
      case 'local': {
        const state = this.nodes[node]!;
        state.lamport++;
        state.vc[node]!++;
        state.hlc = hlcTick(state.hlc, state.clock.read(this.time));
        this.emitEvent('local', node, action.range, undefined, undefined, undefined, action.label, undefined, undefined, undefined, undefined, undefined);
        return;
      }
      case 'after':
        this.addTimer(node, this.nodes[node]!.clock.exact(this.time) + action.delay, false, { kind: 'after', action: action.then, replyTo });
        return;
      case 'send': {
        const t = action.target;
        if (t.kind === 'node') this.send(node, t.node, -1, action.label, undefined, undefined, action.range);
        else if (t.kind === 'reply') this.send(node, replyTo, -1, action.label, undefined, undefined, action.range);
        else for (let i = 0; i < this.nodes.length; i++) if (i !== node) this.send(node, i, -1, action.label, undefined, undefined, action.range);
        return;
      }
    }
  }

  // ---- timers ---------------------------------------------------------------

  private addTimer(node: number, deadline: number, persistent: boolean, what: Timer['what']): Timer {
    const state = this.nodes[node]!;
    const timer: Timer = { id: this.nextTimerId++, node, deadline, persistent, what, generation: state.clock.generation };
    state.timers.set(timer.id, timer);
    this.queue.push(state.clock.trueTimeAt(this.time, deadline), { t: 'timer', timer, generation: timer.generation });
    return timer;
  }

  private fireTimer(timer: Timer): void {
    const node = this.nodes[timer.node]!;
    const what = timer.what;
    switch (what.kind) {
      case 'stimulus': {
        const s = this.model.stimuli[what.stimulus]!;
        const missed = s.period === undefined ? 0 : missedPeriods(timer.deadline, s.period, s.stop, node.clock.exact(this.time));
        if (s.period !== undefined) {
          const next = timer.deadline + (missed + 1) * s.period;
          if (s.stop === undefined || next <= s.stop) this.addTimer(timer.node, next, true, { kind: 'stimulus', stimulus: what.stimulus, firing: what.firing + 1 + missed });
        }
        if (missed > 0) {
          const period = formatDuration(s.period!);
          const name = this.model.nodes[timer.node]!.name;
          this.emit('skip', timer.node, s.range, { detail: `${missed} more period${missed === 1 ? '' : 's'} of every ${period} already passed on ${name}'s clock: fired once, not ${missed + 1} times`, data: { missed } });
        }
        if (!node.alive) {
          this.emit('skip', timer.node, s.range, { detail: `${this.model.nodes[timer.node]!.name} is down` });
          return;
        }
        this.runAction(timer.node, s.action, timer.node);
        return;
      }
      case 'after':
        if (node.alive) this.runAction(timer.node, what.action, what.replyTo);
        return;
      case 'protocol': {
        const handler = node.protocols[what.protocol];
        if (!node.alive || !handler) return;
        this.transitions++;
        this.emitEvent('timer', timer.node, this.model.protocols[what.protocol]!.range, undefined, undefined, undefined, what.name, undefined, undefined, this.protocolName(what.protocol), undefined, undefined);
        handler.onTimer(what.name, what.data);
        this.states?.afterHandler(timer.node);
        this.monitors.handled(timer.node);
        return;
      }
    }
  }

  /** After a clock change, every pending timer of the node is planned again by the new clock. */
  private replanTimers(node: number): void {
    const state = this.nodes[node]!;
    for (const timer of state.timers.values()) {
      timer.generation = state.clock.generation;
      this.queue.push(state.clock.trueTimeAt(this.time, timer.deadline), { t: 'timer', timer, generation: timer.generation });
    }
  }

  // ---- protocols ------------------------------------------------------------

  private protocolName(index: number): string {
    return index < 0 ? 'script' : this.model.protocols[index]!.definition.name;
  }

  /** The node's instance of `protocol`, else its instance paired with it (ProtocolInstance.peers). */
  private handlerFor(node: NodeState, protocol: number): ProtocolNode | undefined {
    const own = node.protocols[protocol];
    if (own) return own;
    const instances = this.model.protocols;
    for (let i = 0; i < instances.length; i++) {
      if (node.protocols[i] && (instances[protocol]!.peers?.includes(i) || instances[i]!.peers?.includes(protocol))) return node.protocols[i];
    }
    return undefined;
  }

  private startProtocols(node: number): void {
    const state = this.nodes[node]!;
    state.protocols = this.model.protocols.map((p, index) => (p.nodes.includes(node) ? p.definition.createNode(this.context(node, index)) : undefined));
    state.protocols.forEach((p) => p?.start());
    this.states?.afterHandler(node);
  }

  private context(node: number, protocol: number): NodeContext {
    const streamKey = `protocol:${protocol}:${node}`;
    let rng = this.protocolRngs.get(streamKey);
    if (!rng) this.protocolRngs.set(streamKey, (rng = new Rng(this.seed, streamKey)));
    return createNodeContext(this.hooks, this.nodeNames, node, this.nodes[node]!, protocol, this.model.protocols[protocol]!, rng);
  }

  /** The engine operations protocols may trigger, bound once (see nodeContext.ts). */
  private readonly hooks: EngineHooks = {
    now: () => this.time,
    recording: () => this.record,
    nodeIndex: (name) => this.nodeIndex.get(name),
    send: (from, to, protocol, label, payload, summary, range) => this.send(from, to, protocol, label, payload, summary, range),
    addProtocolTimer: (node, deadline, protocol, name, data) => this.addTimer(node, deadline, false, { kind: 'protocol', protocol, name, data }).id,
    emit: (kind, node, range, extra) => void this.emit(kind, node, range, extra),
    replanTimers: (node) => this.replanTimers(node),
    fail: (node, code, message, range) => this.fail(node, code, message, range),
    tallies: () => this.tallies,
  };

  /** A protocol's run-time error (written protocols): one violation naming the node and the time, and the run stops. */
  private fail(node: number, code: 'DS207' | 'DS208', message: string, range: SourceRange): void {
    if (this.stopReason) return;
    this.monitors.violations.push({
      invariant: `${this.nodeNames[node]} ${code === 'DS208' ? 'handler step budget' : 'run-time error'}`,
      code,
      message: `${this.nodeNames[node]} at t=${formatDuration(this.time)}, ${message}`,
      time: this.time,
      seq: this.seq,
      range,
      causes: [],
    });
    this.finish('failed');
  }
}
