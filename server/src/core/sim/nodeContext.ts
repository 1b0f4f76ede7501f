import type { ProtocolInstance } from '../model';
import type { NodeContext, TallySink, TraceText } from '../protocols/protocol';
import type { SourceRange } from '../source';
import { mapValue } from '../protocols/values';
import { formatDuration, formatPpm } from '../units';
import type { NodeState } from './nodeState';
import type { Rng } from './rng';
import type { Tallies } from './tallies';
import type { EventKind, TraceEvent } from './trace';

/**
 * What a protocol's NodeContext needs from the simulator: the few engine
 * operations a node may trigger. The engine passes closures over its private
 * methods, so protocols reach nothing else.
 */
export interface EngineHooks {
  now(): number;
  /** Whether the run records its trace (and so wants TraceText made). */
  recording(): boolean;
  nodeIndex(name: string): number | undefined;
  send(from: number, to: number, protocol: number, label: string, payload: unknown, summary: string | undefined, range: SourceRange): void;
  addProtocolTimer(node: number, deadline: number, protocol: number, name: string, data: unknown): number;
  emit(kind: EventKind, node: number, range: SourceRange, extra: Partial<TraceEvent>): void;
  replanTimers(node: number): void;
  /** A protocol's run-time error: a violation, and the run stops. */
  fail(node: number, code: 'DS207' | 'DS208', message: string, range: SourceRange): void;
  /** The run's Tallies (only when the run records). */
  tallies(): Tallies | undefined;
}

/**
 * The context one node's instance of a protocol lives in: its own clock
 * reading (never true time, except through `oracle`), messages, local-clock
 * timers, stable storage, its random stream, notes and clock adjustments
 * (each recorded as a `clock-adjust` event whose cause is the protocol).
 */
export function createNodeContext(
  engine: EngineHooks,
  names: readonly string[],
  node: number,
  state: NodeState,
  protocol: number,
  instance: ProtocolInstance,
  stream: Rng,
): NodeContext {
  const protocolName = instance.definition.name;
  const changeClock = (detail: string, why: string, step: number | undefined, apply: () => void): void => {
    apply();
    state.lastClockCause = { message: `${protocolName} on ${names[node]}: ${why}`, range: instance.range };
    const ratePpm = state.clock.totalRatePpm;
    engine.emit('clock-adjust', node, instance.range, { detail: `${detail} (${why})`, protocol: protocolName, data: step === undefined ? { ratePpm } : { step, ratePpm } });
    engine.replanTimers(node);
  };
  return {
    self: names[node]!,
    members: instance.nodes.map((i) => names[i]!),
    nodeIndex: (name) => engine.nodeIndex(name),
    options: instance.options.values,
    now: () => state.clock.read(engine.now()),
    send: (to, type, payload, opts) => {
      const target = engine.nodeIndex(to);
      if (target === undefined) throw new Error(`${protocolName}: unknown node ${to}`);
      engine.send(node, target, protocol, type, payload, opts?.summary === undefined ? undefined : traceText(opts.summary, engine.recording()), opts?.range ?? instance.range);
    },
    setTimer: (name, localDelay, data) => engine.addProtocolTimer(node, state.clock.exact(engine.now()) + localDelay, protocol, name, data),
    cancelTimer: (id) => void state.timers.delete(id),
    stable: state.stable[protocol]!,
    random: () => stream.next(),
    note: (detail, data, range) => engine.emit('note', node, range ?? instance.range, { detail: traceText(detail, engine.recording()), protocol: protocolName, data }),
    oracle: { trueTime: () => engine.now() },
    clock: {
      step: (delta, why) => changeClock(`step ${formatDuration(delta, true)}`, why, delta, () => state.clock.jump(engine.now(), delta)),
      slew: (ppm, why) => changeClock(`slew ${formatPpm(Math.round(ppm * 1000) / 1000)}`, why, undefined, () => state.clock.setSlew(engine.now(), ppm)),
    },
    logicalClocks: {
      lamport: () => state.lamport,
      vc: () => mapValue(names.map((name, i) => [name, state.vc[i]!] as const)) as { readonly [node: string]: number },
      hlc: () => ({ l: state.hlc.l, c: state.hlc.c }),
    },
    fail: (code, message, range) => engine.fail(node, code, message, range ?? instance.range),
    ...tallySink(engine.tallies(), node),
  };
}

/** `{ tally }` reporting into `tallies` for `node`, or nothing when the run keeps no tallies. */
function tallySink(tallies: Tallies | undefined, node: number): { tally?: TallySink } {
  return tallies ? { tally: { count: (key) => tallies.count(node, key), value: (key, v) => tallies.value(node, key, v) } } : {};
}

/** The text itself; a text function only when the run records (see TraceText). */
function traceText(text: TraceText, recording: boolean): string | undefined {
  return typeof text === 'string' ? text : recording ? text() : undefined;
}
