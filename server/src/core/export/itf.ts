import type { Type } from '../expr/types';
import { describeEvent } from '../sim/describe';
import type { RunResult } from '../sim/result';
import type { TraceEvent, Violation } from '../sim/trace';
import { itfInt, itfValue, propertyTypes, type ItfValue } from './itfValues';
import { RunWalk, type NodeView } from './walk';

/** The variables of every state, in this order. */
export const ITF_VARS = ['time', 'event', 'nodes'] as const;

/**
 * The run as an ITF trace (Apalache ADR-015, the trace JSON of Apalache and
 * Quint), one state per step: state 0 is the start, state i the run right
 * after its i-th event. Each state has
 * - `time`: true time in ns;
 * - `event`: `{ seq, kind, node, text }` of the event that led to it
 *   (`node` is "" for network and environment events; kind "init" and seq -1
 *   at the start);
 * - `nodes`: a map from node name to `{ alive, lamport, vc, clock, state }`:
 *   its Lamport clock and vector clock (a map from node name) after its latest
 *   event, its clock reading in ns at that event (its offset at the start),
 *   and its protocol properties, typed as the protocol declares them.
 * A state's `#meta` has its `index` and the violations detected at its event;
 * the trace's `#meta` says what run it is, and holds the violations no state
 * carries (failed expectations, judged at a time rather than an event). Written a state per line, in
 * pieces, so a long run never becomes one string.
 */
export function* itfChunks(result: RunResult, options: { readonly limit?: number; readonly source?: string } = {}): Generator<string> {
  const walk = new RunWalk(result, options.limit);
  const types = propertyTypes(result.model);
  const meta = {
    format: 'ITF',
    'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
    ...(options.source !== undefined ? { source: options.source } : {}),
    description: `DSync run of scenario ${result.model.name}, seed ${result.seed}: state 0 is the start, state i the run after its i-th event; times in ns`,
    scenario: result.model.name,
    seed: result.seed,
    ...(walk.walked < walk.total ? { cut: `the first ${walk.walked} of ${walk.total} events` } : {}),
    ...(walk.unplaced.length > 0 ? { violations: walk.unplaced.map(violationMeta) } : {}),
  };
  yield `{\n  "#meta": ${JSON.stringify(meta)},\n  "vars": ${JSON.stringify(ITF_VARS)},\n  "states": [\n`;
  const initial: ItfValue = { seq: itfInt(-1), kind: 'init', node: '', text: 'initial state' };
  yield `    ${stateJson(0, 0, initial, walk.nodes, types, [])}`;
  let chunk = '';
  for (const step of walk.steps()) {
    const e = step.event;
    chunk += `,\n    ${stateJson(step.index + 1, e.time, eventValue(e, walk.names), walk.nodes, types, step.violations)}`;
    if (chunk.length >= 65536) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n  ]\n}\n`;
}

function eventValue(e: TraceEvent, names: readonly string[]): ItfValue {
  return { seq: itfInt(e.seq), kind: e.kind, node: names[e.node] ?? '', text: describeEvent(e, names) };
}

function stateJson(index: number, time: number, event: ItfValue, nodes: readonly NodeView[], types: readonly ReadonlyMap<string, Type>[], violations: readonly Violation[]): string {
  const meta = { index, ...(violations.length > 0 ? { violations: violations.map(violationMeta) } : {}) };
  const state = {
    '#meta': meta,
    time: itfInt(time),
    event,
    nodes: { '#map': nodes.map((n, i) => [n.name, nodeValue(n, nodes, types[i]!)]) },
  };
  return JSON.stringify(state);
}

function nodeValue(n: NodeView, nodes: readonly NodeView[], types: ReadonlyMap<string, Type>): ItfValue {
  const state: Record<string, ItfValue> = {};
  for (const [key, value] of Object.entries(n.state)) state[key] = itfValue(value, types.get(key));
  return {
    alive: n.alive,
    lamport: itfInt(n.lamport),
    vc: { '#map': nodes.map((m, i) => [m.name, itfInt(n.vc[i]!)]) },
    clock: itfInt(n.local),
    state,
  };
}

function violationMeta(v: Violation): object {
  return { code: v.code, invariant: v.invariant, message: v.message, line: v.range.startLine, column: v.range.startColumn };
}
