import type { RunResult } from './result';
import { allViolations } from './result';
import type { JsonValue } from './payloadJson';
import type { StateDiff } from './stateDiffs';
import type { TraceEvent } from './trace';

/**
 * The `--json` trace. Field order is fixed and every number is an integer or
 * a plain decimal, so the same run always serialises to the same bytes.
 * Times are integer nanoseconds (`timeUnit: "ns"`).
 */
export function traceToJson(result: RunResult): string {
  let out = '';
  for (const chunk of traceJsonChunks(result)) out += chunk;
  return out;
}

/** Where the events go in the document skeleton; no other line can hold it (strings never hold a raw newline). */
const EVENTS_SLOT = '\n  "events": "\u{1F4CD}events"';

/**
 * The same bytes as `traceToJson`, in pieces: the document around the
 * events, and the events a few at a time, so a trace of millions of events
 * is written without ever being one string (V8 caps a string at about
 * 512 MB, which `JSON.stringify` of ~750k events passes).
 */
export function* traceJsonChunks(result: RunResult): Generator<string> {
  const names = result.model.nodes.map((n) => n.name);
  // About 64 KB per chunk: an event's text grows with its vector clock (~16 bytes a node).
  const eventsPerChunk = Math.max(1, Math.min(256, Math.floor(65536 / (400 + 16 * names.length))));
  const vcObject = (vc: ArrayLike<number>): Record<string, number> => {
    const o: Record<string, number> = {};
    for (let i = 0; i < names.length; i++) o[names[i]!] = vc[i]!;
    return o;
  };
  const skeleton = JSON.stringify(
    {
      scenario: result.model.name,
      seed: result.seed,
      timeUnit: 'ns',
      duration: result.model.duration,
      endTime: result.endTime,
      stopReason: result.stopReason,
      nodes: names,
      events: '\u{1F4CD}events',
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
    },
    null,
    2,
  );
  // An event's vector clock is written as text: as objects, thousands of nodes cost more in garbage than in output.
  const vcKeys = names.map((n) => `\n    ${JSON.stringify(n)}: `);
  // As JSON.stringify writes the object: entries past the clock's length (environment events have none) are left out.
  const vcText = (vc: ArrayLike<number>): string => {
    const n = Math.min(names.length, vc.length);
    if (n === 0) return '{}';
    let text = '{';
    for (let i = 0; i < n; i++) text += `${i > 0 ? ',' : ''}${vcKeys[i]}${vc[i]}`;
    return `${text}\n  }`;
  };
  const slot = skeleton.indexOf(EVENTS_SLOT);
  yield skeleton.slice(0, slot) + '\n  "events": ';
  const events = result.events;
  if (events.length === 0) yield '[]';
  else {
    yield '[\n';
    for (let start = 0; start < events.length; start += eventsPerChunk) {
      let chunk = '';
      const end = Math.min(events.length, start + eventsPerChunk);
      for (let i = start; i < end; i++) {
        // An event at depth 2 of the document: its own indented form, every line shifted by 4 spaces.
        const e = events[i]!;
        const payload = e.msg !== undefined ? result.payloads?.[e.msg] : undefined;
        const text = JSON.stringify(eventJson(e, names, result.states?.diff(e.seq), payload), null, 2);
        const at = text.lastIndexOf(VC_SLOT);
        const withVc = `${text.slice(0, at)}"vc": ${vcText(e.vc)}${text.slice(at + VC_SLOT.length)}`;
        chunk += `    ${withVc.replace(/\n/g, '\n    ')}${i + 1 < events.length ? ',\n' : '\n'}`;
      }
      yield chunk;
    }
    yield '  ]';
  }
  yield skeleton.slice(slot + EVENTS_SLOT.length);
}

/** The vector clock's place in an event's JSON, filled with `vcText`: after every field that may hold a string (labels, data, state), so the last match is it. */
const VC_SLOT = '"vc": "\u{1F4CD}vc"';

function eventJson(e: TraceEvent, names: readonly string[], state: StateDiff | undefined, payload: JsonValue | undefined): object {
  return {
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
    ...(payload !== undefined ? { payload } : {}),
    ...(e.data !== undefined ? { data: e.data } : {}),
    ...(state ? { state } : {}),
    lamport: e.lamport,
    vc: '\u{1F4CD}vc',
    ...(e.hlc !== undefined ? { hlc: { l: e.hlc.l, c: e.hlc.c } } : {}),
    line: e.range.startLine,
    column: e.range.startColumn,
  };
}
