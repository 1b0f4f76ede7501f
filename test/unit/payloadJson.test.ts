import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { traceToJson } from '../../server/src/core/sim/json';
import { payloadJson } from '../../server/src/core/sim/payloadJson';
import { summarize } from '../../server/src/core/sim/result';
import { repoPath, simulate } from './support/scenario';

/** A written protocol whose one message has a field of each shape: set, map, time, optional, list. */
const CARRIER = `scenario pay { seed 1; run for 100ms }
protocol carrier {
  option to: node
  message Bag { items: set<node>, counts: map<node, int>, at: time, who: node?, pair: list<int> }
  var counts: map<node, int> = {}
  on start {
    counts[self] = 2
    if self != to { send Bag { items: members, counts: counts, at: 5ms, who: none, pair: [3, 1] } to to }
  }
  on Bag(m) from p { counts = m.counts }
}
nodes b, a run carrier { to b }
at 50ms a -> b "plain"
`;

interface JsonEvent { kind: string; label?: string; msg?: number; payload?: unknown; detail?: string }

describe('payloadJson: a payload as a JSON value', () => {
  test('scalars as themselves; non-finite numbers null; -0 is 0', () => {
    assert.deepEqual(payloadJson({ a: 1, b: 'x', c: true, d: null, e: Number.NaN, f: -0, g: Infinity }).value, { a: 1, b: 'x', c: true, d: null, e: null, f: 0, g: null });
  });

  test('a Set is an array sorted by JSON text, a Map an object with sorted keys, a typed array an array', () => {
    assert.deepEqual(payloadJson({ s: new Set(['n2', 'n10', 'n1']), m: new Map<unknown, unknown>([['z', 1], ['a', new Set([3, 1])]]), vc: Int32Array.of(4, 0, 2) }).value, {
      s: ['n1', 'n10', 'n2'], m: { a: [1, 3], z: 1 }, vc: [4, 0, 2],
    });
    // Non-string map keys by their JSON text.
    assert.deepEqual(payloadJson(new Map([[2, 'b'], [1, 'a']])).value, { '1': 'a', '2': 'b' });
  });

  test('undefined and function members are left out; a plain object keeps its key order', () => {
    const json = payloadJson({ z: 1, skip: undefined, f: () => 1, a: [undefined, 2] });
    assert.equal(JSON.stringify(json.value), '{"z":1,"a":[null,2]}');
  });

  test('a cycle or a very deep value is cut to "…", never a crash', () => {
    const loop: Record<string, unknown> = { x: 1 };
    loop['self'] = loop;
    assert.deepEqual(payloadJson(loop).value, { x: 1, self: '…' });
    let deep: unknown = 0;
    for (let i = 0; i < 100; i++) deep = [deep];
    assert.ok(JSON.stringify(payloadJson(deep).value).includes('"…"'));
  });

  test('a value shared twice (not a cycle) is written twice', () => {
    const shared = { t: 1 };
    assert.deepEqual(payloadJson({ a: shared, b: shared }).value, { a: { t: 1 }, b: { t: 1 } });
  });

  test('its byte count grows with the value', () => {
    assert.ok(payloadJson({ entries: new Array(100).fill('command') }).bytes > payloadJson({ entries: ['command'] }).bytes);
  });
});

describe('message payloads in the JSON trace', () => {
  test('a written protocol: send and receive carry the fields as JSON (set sorted, map object, time ns, none null)', () => {
    const doc = JSON.parse(traceToJson(summarize(simulate(CARRIER, { payloads: true })))) as { events: JsonEvent[] };
    const bag = doc.events.filter((e) => e.label === 'Bag');
    assert.deepEqual(bag.map((e) => e.kind), ['send', 'receive']);
    for (const e of bag) assert.deepEqual(e.payload, { items: ['a', 'b'], counts: { a: 2 }, at: 5_000_000, who: null, pair: [3, 1] });
    // The summary text stays.
    assert.match(bag[0]!.detail ?? '', /items=/);
    // A scenario's own message has no payload.
    assert.ok(doc.events.filter((e) => e.label === 'plain').every((e) => !('payload' in e)));
  });

  test('a built-in protocol (Raft): AppendEntries payloads with their entries; every receive shows its send\'s payload', () => {
    const text = fs.readFileSync(repoPath('samples', 'raft_log_repair.dsync'), 'utf8');
    const doc = JSON.parse(traceToJson(summarize(simulate(text, { payloads: true })))) as { events: JsonEvent[] };
    const sends = doc.events.filter((e) => e.kind === 'send' && e.label === 'AppendEntries');
    assert.ok(sends.length > 0);
    for (const e of sends) {
      const p = e.payload as { term: number; prevLogIndex: number; entries: unknown[] };
      assert.equal(typeof p.term, 'number');
      assert.ok(Array.isArray(p.entries));
    }
    // Every receive shows the payload of its send.
    const bySend = new Map(doc.events.filter((e) => e.kind === 'send').map((e) => [e.msg, JSON.stringify(e.payload)]));
    for (const e of doc.events.filter((x) => x.kind === 'receive' && x.msg !== undefined)) assert.equal(JSON.stringify(e.payload), bySend.get(e.msg));
  });

  test('without the payloads option (every run but dsync run --json) no payload is kept', () => {
    const sim = simulate(CARRIER);
    assert.equal(sim.payloads, undefined);
    assert.ok(!traceToJson(summarize(sim)).includes('"payload"'));
  });
});

describe('dsync run --json (the bundled CLI)', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-payload-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('prints payloads, the same bytes every time', () => {
    const file = path.join(scratch, 'carrier.dsync');
    fs.writeFileSync(file, CARRIER);
    const run = () => spawnSync(process.execPath, ['bin/dsync.js', 'run', file, '--json'], { cwd: repoPath(), encoding: 'utf8' });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    const doc = JSON.parse(first.stdout) as { events: JsonEvent[] };
    assert.deepEqual(doc.events.find((e) => e.kind === 'receive' && e.label === 'Bag')?.payload, { items: ['a', 'b'], counts: { a: 2 }, at: 5_000_000, who: null, pair: [3, 1] });
    assert.equal(run().stdout, first.stdout);
  });
});
