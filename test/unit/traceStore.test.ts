import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { inspect, isDeepStrictEqual } from 'node:util';
import { Column, CHUNK } from '../../server/src/core/sim/column';
import { ByteArena } from '../../server/src/core/sim/byteArena';
import { EVENT_KINDS, type DropReason, type EventKind, type TraceEvent } from '../../server/src/core/sim/trace';
import { TraceStore } from '../../server/src/core/sim/traceStore';
import { kindSiteIndex } from '../../server/src/core/sim/traceIndex';
import type { SourceRange } from '../../server/src/core/source';
import { Simulation } from '../../server/src/core/sim/engine';
import { eventsWhere, summarize, type RunResult } from '../../server/src/core/sim/result';
import { mulberry32, raft5Scenario, tokenRing } from '../../bench/support/scenarios';
import { modelOf } from './support/scenario';

const range = (line: number): SourceRange => ({ startOffset: line * 10, endOffset: line * 10 + 5, startLine: line, startColumn: 1, endLine: line, endColumn: 6 });
const RANGES = [range(1), range(2), range(3)];
const REASONS: DropReason[] = ['loss', 'partition', 'link-down', 'node-down', 'no-handler'];

/** Appends an event as the engine does, `vc` being the node's live vector clock (changed after the call). */
function append(s: TraceStore, e: TraceEvent, vc: Int32Array): void {
  s.append(e.seq, e.time, e.node, e.local, e.kind, e.lamport, vc, e.hlc, e.range, e.msg, e.peer, e.label, e.cause, e.reason, e.protocol, e.detail, e.data);
}

/** The event as the engine builds it: every field present (undefined when absent), in its order. */
function engineEvent(fields: Omit<TraceEvent, 'vc'> & { vc: Int32Array }): TraceEvent {
  const e = fields;
  return { seq: e.seq, time: e.time, node: e.node, local: e.local, kind: e.kind, lamport: e.lamport, vc: e.vc, hlc: e.hlc, range: e.range, msg: e.msg, peer: e.peer, label: e.label, cause: e.cause, reason: e.reason, protocol: e.protocol, detail: e.detail, data: e.data };
}

/**
 * Random traces that follow the engine's patterns (a send and then its
 * receives, drops and duplicates with the send's peer, cause and summary) and
 * break them (peers and causes of no message, text of their own, values too
 * wide for 32 bits, −1 nodes without clocks), so both the derived and the
 * stored form of every field are exercised.
 */
function randomTrace(seed: number, width: number, count: number): { store: TraceStore; events: TraceEvent[] } {
  const store = new TraceStore(width);
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (n: number): number => Math.floor(random() * n);
  const vcs = Array.from({ length: width }, () => new Int32Array(width));
  const sends: { msg: number; seq: number; from: number; to: number; label: string; summary: string | undefined; protocol: string }[] = [];
  const out: TraceEvent[] = [];
  let time = 0;
  let nextMsg = 0;
  for (let seq = 0; seq < count; seq++) {
    time += random() < 0.1 ? 2 ** 33 + int(1000) : int(5_000_000);
    const environment = random() < 0.05;
    const node = environment ? -1 : int(width);
    const wideClock = random() < 0.05;
    const local = environment ? time : time + (wideClock ? 3 * 3600e9 + int(100) : int(2_000_000) - 1_000_000);
    const base = { seq, time, node, local, range: pick(RANGES), lamport: environment ? 0 : random() < 0.02 ? 2 ** 40 + seq : seq };
    const clocks = (): { vc: Int32Array; hlc: { l: number; c: number } } => {
      const vc = vcs[node]!;
      vc[node]! += 1;
      if (random() < 0.3) vc[int(width)] = int(1000);
      return { vc, hlc: { l: local + (random() < 0.5 ? 0 : random() < 0.1 ? 2 ** 35 : int(1000)), c: random() < 0.05 ? 2 ** 31 + 7 : int(4) } };
    };
    let event: TraceEvent;
    let vc: Int32Array;
    const roll = random();
    if (environment) {
      event = engineEvent({ ...base, kind: pick(['partition', 'heal'] as const), vc: new Int32Array(0), detail: random() < 0.5 ? '{A} | {B}' : undefined });
      vc = event.vc;
    } else if (roll < 0.3 || sends.length === 0) {
      const c = clocks();
      const to = int(width);
      const send = { msg: nextMsg++, seq, from: node, to, label: pick(['a', 'b', 'AppendEntries']), summary: random() < 0.5 ? `term=${int(9)}` : undefined, protocol: pick(['script', 'raft']) };
      sends.push(send);
      event = engineEvent({ ...base, kind: 'send', vc: Int32Array.from(c.vc), hlc: c.hlc, msg: send.msg, peer: to, label: send.label, protocol: send.protocol, detail: send.summary });
      vc = c.vc;
    } else if (roll < 0.7) {
      const s = pick(sends);
      const c = clocks();
      const kind = pick(['receive', 'receive', 'drop', 'duplicate'] as const);
      const at = kind === 'duplicate' ? s.from : kind === 'drop' && random() < 0.5 ? s.from : s.to;
      const odd = random() < 0.1; // an event of a message that does not follow the pattern
      const detail = kind === 'receive' ? (random() < 0.2 ? 'duplicate copy' : odd ? 'own text' : s.summary) : undefined;
      event = engineEvent({
        ...base, node: at, kind, vc: Int32Array.from(c.vc), hlc: c.hlc, msg: s.msg,
        peer: odd ? int(width) : at === s.from ? s.to : s.from, label: s.label, cause: odd && random() < 0.5 ? undefined : s.seq,
        reason: kind === 'drop' ? pick(REASONS) : undefined, protocol: kind === 'receive' ? s.protocol : undefined, detail,
      });
      vc = c.vc;
    } else {
      const c = clocks();
      const kind = pick(EVENT_KINDS.filter((k) => !['send', 'receive', 'drop', 'duplicate', 'partition', 'heal'].includes(k)));
      event = engineEvent({
        ...base, kind, vc: Int32Array.from(vcs[node]!), hlc: c.hlc, peer: kind === 'link-down' ? int(width) : undefined, label: random() < 0.3 ? 'tick' : undefined,
        protocol: random() < 0.5 ? 'raft' : undefined, detail: random() < 0.5 ? `note ${int(100)}` : undefined, data: random() < 0.3 ? { role: 'leader', term: int(5), ok: true } : undefined,
      });
      vc = vcs[node]!;
    }
    append(store, event, random() < 0.5 ? vc : Int32Array.from(vc));
    out.push(event);
  }
  // The engine's vector clock arrays change after each append: the store must have copied what it needs.
  for (const v of vcs) v.fill(-5);
  return { store, events: out };
}

describe('columnar trace store', () => {
  test('gives back every event exactly as appended, on random traces (derived and stored fields, wide values)', () => {
    // Widths on both sides of the store's copied-clock limit (1,024 nodes).
    for (const [seed, width] of [[1, 3], [2, 5], [3, 1], [4, 40], [7, 1100]] as const) {
      const { store: s, events } = randomTrace(seed, width, 3000);
      assert.equal(s.length, events.length);
      events.forEach((event, i) => {
        const back = s.event(i);
        if (!isDeepStrictEqual(back, event)) assert.fail(`seed ${seed} event ${i}: ${inspect(back)} should be ${inspect(event)}`);
      });
      // Out of order too: backwards by strides that land anywhere in a block of records.
      for (let i = events.length - 1; i >= 0; i -= 7) if (!isDeepStrictEqual(s.event(i), events[i])) assert.fail(`seed ${seed} event ${i}, read backwards`);
      assert.equal(s.event(-1), undefined);
      assert.equal(s.event(events.length), undefined);
    }
  });

  test('the events keep the very range objects they were given, and their field order', () => {
    const { store: s, events } = randomTrace(5, 4, 200);
    events.forEach((event, i) => {
      const back = s.event(i)!;
      assert.equal(back.range, event.range);
      assert.deepEqual(Object.keys(back), Object.keys(event));
    });
  });

  test('its view reads like a read-only array of the events', () => {
    const { store, events } = randomTrace(6, 3, 500);
    const view = store.view();
    assert.equal(view.length, events.length);
    assert.ok(Array.isArray(view));
    assert.deepStrictEqual([...view], events);
    assert.deepStrictEqual(view[7], events[7]);
    assert.equal(view[events.length], undefined);
    assert.equal(7 in view, true);
    assert.equal(events.length in view, false);
    assert.deepStrictEqual(view.filter((e) => e.kind === 'send'), events.filter((e) => e.kind === 'send'));
    assert.deepStrictEqual(view.slice(10, 20), events.slice(10, 20));
    assert.equal(view.at(-1)!.seq, events.length - 1);
    assert.equal(view.findIndex((e) => e.kind === 'drop'), events.findIndex((e) => e.kind === 'drop'));
    assert.equal(JSON.stringify(view.slice(0, 50)), JSON.stringify(events.slice(0, 50)));
    assert.throws(() => {
      (view as TraceEvent[])[0] = events[1]!;
    }, TypeError);
    assert.throws(() => (view as TraceEvent[]).push(events[0]!), TypeError);
    assert.equal(view.length, events.length);
  });

  test('eventsWhere reads kinds and ranges from the columns and gives the same events as filtering them all', () => {
    const r = summarize(new Simulation(modelOf(tokenRing(3, 2_000))).run());
    assert.ok(r.trace);
    const range = r.events[r.events.length - 1]!.range; // a rule's forwarding send
    const test = (kind: EventKind, at: SourceRange): boolean => kind === 'send' && at === range;
    const found = eventsWhere(r, test);
    assert.ok(found.length > 10);
    assert.deepStrictEqual(found, r.events.filter((e) => test(e.kind, e.range)));
    // Without the columns (a result built by hand) it filters the events themselves.
    assert.deepStrictEqual(eventsWhere({ ...r, trace: undefined } as RunResult, test), found);
    // A test that several (kind, site) groups pass: their events merged back into trace order.
    const several = (kind: EventKind, at: SourceRange): boolean => kind !== 'local' && at.startLine % 2 === 1;
    const merged = eventsWhere(r, several);
    assert.ok(new Set(merged.map((e) => `${e.kind}@${e.range.startLine}`)).size > 2);
    assert.deepStrictEqual(merged, r.events.filter((e) => several(e.kind, e.range)));
  });

  test('the (kind, site) index behind eventsWhere follows a trace that grew since it was built', () => {
    const store = new TraceStore(2);
    const vc = new Int32Array(2);
    const event = (seq: number, kind: EventKind, at: SourceRange): TraceEvent => engineEvent({ seq, time: seq * 1000, node: 0, local: seq * 1000, kind, lamport: seq, vc, hlc: undefined, range: at, msg: undefined, peer: undefined, label: undefined, cause: undefined, reason: undefined, protocol: undefined, detail: undefined, data: undefined });
    const seqsOf = (): number[] => Array.from(kindSiteIndex(store).where((kind, at) => kind === 'local' && at === RANGES[1]));
    for (let seq = 0; seq < 40; seq++) append(store, event(seq, 'local', RANGES[seq % 3]!), vc);
    assert.deepStrictEqual(seqsOf(), [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37]);
    for (let seq = 40; seq < 45; seq++) append(store, event(seq, 'local', RANGES[1]!), vc);
    assert.deepStrictEqual(seqsOf().slice(-6), [37, 40, 41, 42, 43, 44]);
  });

  test('a recorded run holds its events in a few dozen bytes each', () => {
    const sim = new Simulation(modelOf(tokenRing(5, 200_000))).run();
    const bytes = (sim as unknown as { trace: TraceStore }).trace.bytes;
    // The target of bench/simulate.bench.ts, here on the store's own count (the bench measures the heap): the object form held over 300 bytes per event.
    assert.ok(bytes / sim.events.length <= 64, `${(bytes / sim.events.length).toFixed(1)} bytes per event`);
  });
});

describe('recorded protocol traces', () => {
  test('a Raft run with its notes, summaries and state diffs holds under 90 bytes per event', () => {
    // Stored as objects (a string per summary and note, a data object per note, the diffs' records) this run
    // took over 200 bytes per event on the stores' own count, and about 350 measured on the heap.
    const model = modelOf(raft5Scenario({ name: 'compact', runFor: '20s', tail: 'invariant election_safety' }));
    const sim = new Simulation(model).run();
    const perEvent = sim.traceBytes() / sim.events.length;
    assert.ok(perEvent < 90, `${perEvent.toFixed(1)} bytes per event`);
    const notes = sim.events.filter((e) => e.kind === 'note');
    assert.ok(notes.length > 1000 && notes.every((e) => typeof e.detail === 'string' && e.data !== undefined));
    // That they come back exactly is the trace manifest's part (traceManifest.test.ts hashes the --json of the samples).
  });
});

describe('column', () => {
  test('grows past several chunks and reads back what was written; unwritten elements peek as 0', () => {
    const c = Column.int32();
    const n = 2 * CHUNK + 17;
    for (let i = 0; i < n; i++) c.set(i, i * 3 - 7);
    for (let i = 0; i < n; i++) assert.equal(c.get(i), i * 3 - 7);
    assert.equal(c.peek(n + 5), 0);
    assert.equal(c.peek(10 * CHUNK), 0);
    const runs = Column.int32();
    const values = Int32Array.from({ length: 40 }, (_, i) => i + 1);
    for (let at = 0; at < CHUNK + 100; at += 40) runs.setAll(at, values); // one run straddles the chunk boundary
    for (let i = 0; i < CHUNK + 100; i++) assert.equal(runs.get(i), (i % 40) + 1, `element ${i}`);
    const f = Column.float64();
    f.set(5 * CHUNK + 3, 2 ** 40 + 0.5); // far past the end: the chunks between are made
    assert.equal(f.get(5 * CHUNK + 3), 2 ** 40 + 0.5);
    assert.equal(f.get(CHUNK), 0);
    assert.ok(f.bytes >= 6 * CHUNK * 8 - CHUNK * 8);
  });
});

describe('byte arena', () => {
  test('gives back every number exactly, relative to its base (small, wide, fractional, −0, NaN, infinite), across chunks', () => {
    const arena = new ByteArena(256);
    const random = mulberry32(9);
    const pairs: [number, number][] = [];
    const specials = [0, -0, 1, -1, 31, -32, 2 ** 29, -(2 ** 29), 2 ** 31, 2 ** 50, -(2 ** 50), 2 ** 53, 0.5, -1e-300, NaN, Infinity, -Infinity, Number.MAX_VALUE];
    for (let i = 0; i < 5000; i++) {
      const base = random() < 0.5 ? 0 : random() < 0.5 ? Math.floor(random() * 1e12) : specials[Math.floor(random() * specials.length)]!;
      const value = random() < 0.6 ? base + Math.floor(random() * 4000) - 2000 : specials[Math.floor(random() * specials.length)]!;
      pairs.push([base, value]);
    }
    const positions: number[] = [];
    for (let i = 0; i < pairs.length; i += 10) {
      arena.reserve(10 * 9);
      positions.push(arena.position);
      const group = pairs.slice(i, i + 10);
      if (i % 20 === 0) for (const [base, value] of group) arena.putNumber(base, value);
      else arena.putNumbers(Float64Array.from(group, (p) => p[0]), Float64Array.from(group, (p) => p[1]), group.length);
    }
    assert.ok(arena.bytes > 256 * 4, 'several chunks');
    for (let i = 0; i < pairs.length; i += 10) {
      arena.seek(positions[i / 10]!);
      for (const [base, value] of pairs.slice(i, i + 10)) assert.ok(Object.is(arena.getNumber(base), value), `${value} from ${base}`);
    }
  });

  test('takes a byte for a difference within ±31 and stores variable-length integers of up to 53 bits', () => {
    const arena = new ByteArena();
    arena.putNumber(1_000_000, 1_000_031);
    arena.putNumber(7, -24);
    assert.equal(arena.position, 2);
    for (const u of [0, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1]) arena.putUvarint(u);
    arena.seek(0);
    assert.equal(arena.getNumber(1_000_000), 1_000_031);
    assert.equal(arena.getNumber(7), -24);
    for (const u of [0, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1]) assert.equal(arena.getUvarint(), u);
  });
});

// Keeps the kind list and the store's 5-bit kind code in step.
test('every event kind fits the store header', () => {
  assert.ok(EVENT_KINDS.length <= 32);
  const kinds: EventKind[] = EVENT_KINDS;
  assert.equal(new Set(kinds).size, kinds.length);
});
