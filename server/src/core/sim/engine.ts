import type { Model, ScriptAction } from '../model';
import type { SourceRange } from '../source';
import { formatDuration } from '../units';
import { EventQueue } from './eventQueue';
import { evaluateExpectation, type ExpectationOutcome } from './expectations';
import { applyFault, endFaultWindow, type FaultHooks } from './faults';
import { hlcReceive, hlcTick } from './hlc';
import { Monitors } from './monitors';
import { Network } from './network';
import type { EngineHooks } from './nodeContext';
import type { Timer } from './nodeState';
import { ProtocolHost } from './protocolHost';
import { faultsForSeed } from './randomFaults';
import { RunState } from './runState';
import type { Message, Scheduled } from './scheduled';
import { DEFAULT_MAX_EVENTS, type SimulationOptions, type StopReason } from './simulationOptions';
import { fireStimulus, type StimulusHooks } from './stimuli';
import type { DropReason, Violation } from './trace';

export { DEFAULT_MAX_EVENTS, type SimulationOptions, type StopReason } from './simulationOptions';
export { missedPeriods } from './stimuli';

/** How many events, or queue entries, `step` runs between two questions to its `shouldYield`. */
const YIELD_EVENTS = 64;
const YIELD_ENTRIES = 64;

/**
 * The discrete-event simulator. Events run in (true time, insertion) order;
 * all randomness comes from streams seeded by the scenario's seed, so a run
 * is a pure function of (model, options). Run it to the end with `run()`, or
 * in slices with `step(n)` so a caller can stay responsive and cancel.
 */
export class Simulation extends RunState {
  readonly seed: number;
  readonly endTime: number;
  readonly violations: readonly Violation[];
  readonly expectationOutcomes: (ExpectationOutcome | undefined)[];
  stopReason: StopReason | undefined;
  /** Set when the run stopped because the trace reached `maxTraceBytes`. */
  stoppedByMemory = false;
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

  private readonly queue = new EventQueue<Scheduled>();
  private readonly network: Network;
  private readonly record: boolean;
  /** The event budget in force (the option, else the scenario's max_events, else the default). */
  readonly maxEvents: number;
  private readonly maxTraceBytes: number | undefined;
  private readonly monitors: Monitors;
  private nextMessageId = 0;
  private nextTimerId = 0;
  private readonly protocols: ProtocolHost;
  private readonly nodeIndex = new Map<string, number>();
  private readonly nodeNames: readonly string[];
  /** Labels some rule names: only these protocol message types are shown to the rules. */
  private readonly rulesByLabel: ReadonlySet<string>;
  /** What faults act on (see faults.ts). */
  private readonly faultHooks: FaultHooks;
  /** What stimuli act on (see stimuli.ts). */
  private readonly stimulusHooks: StimulusHooks;

  constructor(model: Model, options: SimulationOptions = {}) {
    super(model, options.record ?? true, options.payloads ?? false);
    this.seed = options.seed ?? model.seed;
    this.endTime = Math.min(options.until ?? model.duration, model.duration);
    this.record = options.record ?? true;
    this.maxEvents = options.maxEvents ?? model.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.maxTraceBytes = options.maxTraceBytes;
    this.network = new Network(model, this.seed);
    model.nodes.forEach((n) => this.nodeIndex.set(n.name, n.index));
    this.nodeNames = model.nodes.map((n) => n.name);
    this.rulesByLabel = new Set(model.rules.flatMap((r) => (r.label === undefined ? [] : [r.label])));
    this.faultHooks = {
      model,
      nodes: this.nodes,
      network: this.network,
      now: () => this.time,
      emit: (kind, node, range, extra) => void this.log.emit(this.time, kind, node, range, extra),
      replanTimers: (node) => this.replanTimers(node),
      startProtocols: (node) => this.protocols.start(node),
      scheduleWindowEnd: (time, fault, partitionId) => this.queue.push(time, { t: 'window-end', fault, partitionId }),
    };
    this.stimulusHooks = {
      model,
      nodes: this.nodes,
      now: () => this.time,
      addTimer: (node, deadline, persistent, what) => void this.addTimer(node, deadline, persistent, what),
      emit: (kind, node, range, extra) => void this.log.emit(this.time, kind, node, range, extra),
      runAction: (node, action, replyTo) => this.runAction(node, action, replyTo),
    };
    this.protocols = new ProtocolHost(model, this.seed, this.nodes, this.nodeNames, this.hooks, this.states);
    this.expectationOutcomes = model.expectations.map(() => undefined);
    this.monitors = new Monitors(model.invariants, this);
    this.violations = this.monitors.violations;
    this.log.showTo(this.monitors);
    // Written faults plus this seed's draw from `faults random { … }` (none without such a block).
    for (const f of faultsForSeed(model, this.seed)) this.queue.push(f.time, { t: 'fault', fault: f });
    model.expectations.forEach((e, index) => {
      if (e.at !== undefined) this.queue.push(e.at, { t: 'expect', index }, 1);
    });
    model.stimuli.forEach((s, stimulus) => this.addTimer(s.node, s.start, true, { kind: 'stimulus', stimulus, firing: 0 }));
    for (let i = 0; i < this.nodes.length && !this.stopReason; i++) this.protocols.start(i);
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

  // ---- messages -------------------------------------------------------------

  private send(from: number, to: number, protocol: number, label: string, payload: unknown, summary: string | undefined, range: SourceRange): void {
    const node = this.nodes[from]!;
    node.lamport++;
    node.vc[from]!++;
    const local = node.clock.read(this.time);
    node.hlc = hlcTick(node.hlc, local);
    node.sent++;
    // Protocol messages count by their type too: `n1.sent("AppendEntries")`.
    node.count(node.sentByLabel, label);
    this.messagesSent++;
    const vc = this.vcs.copy(node.vc);
    const id = this.nextMessageId++;
    this.log.payload(id, payload);
    const sendSeq = this.log.event(this.time, 'send', from, local, range, vc, id, to, label, undefined, undefined, this.protocols.name(protocol), summary || undefined, undefined);
    const msg: Message = { t: 'deliver', copy: false, id, from, to, protocol, label, payload, summary, lamport: node.lamport, vc, hlc: node.hlc, sendSeq, range };
    const delay = this.network.transmit(from, to);
    if (typeof delay === 'string') return this.dropped(msg, delay);
    const copyDelay = this.network.duplicateDelay;
    this.queue.push(this.time + delay, msg);
    if (copyDelay >= 0) {
      this.messagesDuplicated++;
      this.log.event(this.time, 'duplicate', from, undefined, range, undefined, id, to, label, msg.sendSeq, undefined, undefined, undefined, undefined);
      this.queue.push(this.time + copyDelay, { ...msg, copy: true });
    }
  }

  private dropped(msg: Message, reason: DropReason): void {
    this.messagesDropped++;
    const node = reason === 'node-down' || reason === 'no-handler' ? msg.to : msg.from;
    this.log.event(this.time, 'drop', node, undefined, msg.range, undefined, msg.id, node === msg.to ? msg.from : msg.to, msg.label, msg.sendSeq, reason, undefined, undefined, undefined);
  }

  private deliver(msg: Message): void {
    const node = this.nodes[msg.to]!;
    if (!node.alive) return this.dropped(msg, 'node-down');
    if (this.network.isPartitioned(msg.from, msg.to)) return this.dropped(msg, 'partition');
    const handler = msg.protocol >= 0 ? this.protocols.handlerFor(node, msg.protocol) : undefined;
    if (msg.protocol >= 0 && !handler) return this.dropped(msg, 'no-handler');
    node.lamport = Math.max(node.lamport, msg.lamport) + 1;
    const vc = node.vc;
    const sent = msg.vc;
    for (let i = 0; i < vc.length; i++) if (sent[i]! > vc[i]!) vc[i] = sent[i]!;
    vc[msg.to]!++;
    const local = node.clock.read(this.time);
    node.hlc = hlcReceive(node.hlc, msg.hlc, local);
    node.received++;
    node.count(node.receivedByLabel, msg.label);
    this.messagesDelivered++;
    this.log.event(this.time, 'receive', msg.to, local, msg.range, undefined, msg.id, msg.from, msg.label, msg.sendSeq, undefined, this.protocols.name(msg.protocol), msg.copy ? 'duplicate copy' : msg.summary || undefined, undefined);
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
        const local = state.clock.read(this.time);
        state.hlc = hlcTick(state.hlc, local);
        this.log.event(this.time, 'local', node, local, action.range, undefined, undefined, undefined, action.label, undefined, undefined, undefined, undefined, undefined);
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
      case 'stimulus':
        return fireStimulus(timer, what.stimulus, what.firing, this.stimulusHooks);
      case 'after':
        if (node.alive) this.runAction(timer.node, what.action, what.replyTo);
        return;
      case 'protocol': {
        const handler = node.protocols[what.protocol];
        if (!node.alive || !handler) return;
        this.transitions++;
        this.log.event(this.time, 'timer', timer.node, undefined, this.model.protocols[what.protocol]!.range, undefined, undefined, undefined, what.name, undefined, undefined, this.protocols.name(what.protocol), undefined, undefined);
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

  /** The engine operations protocols may trigger, bound once (see nodeContext.ts). */
  private readonly hooks: EngineHooks = {
    now: () => this.time,
    recording: () => this.record,
    nodeIndex: (name) => this.nodeIndex.get(name),
    send: (from, to, protocol, label, payload, summary, range) => this.send(from, to, protocol, label, payload, summary, range),
    addProtocolTimer: (node, deadline, protocol, name, data) => this.addTimer(node, deadline, false, { kind: 'protocol', protocol, name, data }).id,
    emit: (kind, node, range, extra) => void this.log.emit(this.time, kind, node, range, extra),
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
      seq: this.lastSeq(),
      range,
      causes: [],
    });
    this.finish('failed');
  }
}
