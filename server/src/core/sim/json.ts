import type { RunResult } from './result';
import { allViolations } from './result';
import type { StateDiff } from './stateDiffs';

/**
 * The `--json` trace. Field order is fixed and every number is an integer or
 * a plain decimal, so the same run always serialises to the same bytes.
 * Times are integer nanoseconds (`timeUnit: "ns"`).
 */
export function traceToJson(result: RunResult): string {
  const names = result.model.nodes.map((n) => n.name);
  const vcObject = (vc: ArrayLike<number>): Record<string, number> => {
    const o: Record<string, number> = {};
    for (let i = 0; i < names.length; i++) o[names[i]!] = vc[i]!;
    return o;
  };
  const stateOf = (seq: number): { state?: StateDiff } => {
    const diff = result.states?.diff(seq);
    return diff ? { state: diff } : {};
  };
  const doc = {
    scenario: result.model.name,
    seed: result.seed,
    timeUnit: 'ns',
    duration: result.model.duration,
    endTime: result.endTime,
    stopReason: result.stopReason,
    nodes: names,
    events: result.events.map((e) => ({
      seq: e.seq,
      time: e.time,
      node: names[e.node] ?? null,
      local: e.local,
      kind: e.kind,
      ...(e.msg !== undefined ? { msg: e.msg } : {}),
      ...(e.peer !== undefined ? { peer: names[e.peer] } : {}),
      ...(e.label !== undefined ? { label: e.label } : {}),
      ...(e.protocol !== undefined ? { protocol: e.protocol } : {}),
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
      ...(e.data !== undefined ? { data: e.data } : {}),
      ...stateOf(e.seq),
      lamport: e.lamport,
      vc: vcObject(e.vc),
      ...(e.hlc !== undefined ? { hlc: { l: e.hlc.l, c: e.hlc.c } } : {}),
      line: e.range.startLine,
      column: e.range.startColumn,
    })),
    violations: allViolations(result).map((v) => ({
      code: v.code,
      invariant: v.invariant,
      message: v.message,
      time: v.time,
      seq: v.seq,
      line: v.range.startLine,
      column: v.range.startColumn,
      causes: v.causes.map((c) => ({ message: c.message, line: c.range.startLine, column: c.range.startColumn })),
      ...(v.witness ? { witness: v.witness } : {}),
    })),
    expectations: result.expectations.map((e) => ({
      text: e.text,
      passed: e.outcome?.passed ?? null,
      left: e.outcome?.left ?? null,
      right: e.outcome?.right ?? null,
      line: e.range.startLine,
    })),
    final: result.final.map((n) => ({ ...n, vc: vcObject(n.vc) })),
    stats: result.stats,
  };
  return JSON.stringify(doc, null, 2);
}
