import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { MAX_HANDLER_STEPS } from '../../server/src/core/protocolLang/runtime';
import { traceToJson as toJson } from '../../server/src/core/sim/json';
import { SeedRunner } from '../../server/src/core/explore/runner';
import { checkText, eventsOf, modelOf, repoPath, runText, simulate } from './support/scenario';

/**
 * Protocols written in .dsync (issue 15): the semantics of each statement
 * and expression form, crash and restart, timers on local clocks, random
 * draws, run-time errors, and the kv convention. Static checks are in
 * protocolLangChecks.test.ts; random programs in protocolLangFuzz.test.ts.
 */

/** A scenario around a protocol body: nodes n1..n3 run it (more lines may follow). */
function scenario(body: string, rest = '', nodes = 'n1..n3', run = '1s'): string {
  return `scenario t { seed 3  run for ${run} }\nprotocol p {\n${body}\n}\nnodes ${nodes} run p\n${rest}\n`;
}

const notes = (text: string) => eventsOf(runText(text), 'note').map((e) => e.detail);

describe('written protocols: the leader election of issue 15', () => {
  const text = fs.readFileSync(repoPath('samples', 'protocols', 'leader_election.dsync'), 'utf8');

  test('runs end to end: elections, notes, the invariant and the expectation judged', () => {
    const result = runText(text);
    assert.equal(result.stopReason, 'end');
    const leaders = eventsOf(result, 'note').map((e) => e.detail!);
    assert.ok(leaders.length > 0 && leaders.every((d) => /^leader of term \d+$/.test(d)), leaders.join('\n'));
    assert.deepEqual(result.violations, []);
    assert.equal(result.expectations.length, 1);
    assert.equal(result.expectations[0]!.outcome?.passed, true);
    // Messages carry a readable summary.
    const sends = eventsOf(result, 'send');
    assert.ok(sends.some((e) => e.label === 'RequestVote' && /^term=\d+$/.test(e.detail ?? '')));
  });

  test('every stable and var is a property: inspect, --json state diffs', () => {
    const sim = simulate(text);
    const state = sim.inspect(0);
    assert.deepEqual(Object.keys(state), ['term', 'voted_for', 'role', 'votes']);
    assert.ok((state['term'] as number) >= 1);
    const json = toJson(runText(text));
    assert.match(json, /"state": \{\s*"term": 1,\s*"voted_for": "n\d",\s*"role": "candidate"/);
  });

  test('the invariant catches a broken election (voting twice in a term)', () => {
    const broken = text.replace('when m.term > term or (m.term == term and voted_for in { none, p })', 'when m.term >= term').replace('latency 5ms..20ms', 'latency 1ms..60ms');
    assert.notEqual(broken, text);
    let found: string[] | undefined;
    for (let seed = 1; seed <= 60 && !found; seed++) {
      const violations = runText(broken, { seed }).violations;
      if (violations.length > 0) found = violations.map((v) => `${v.code} ${v.invariant.split(':')[0]}`);
    }
    assert.deepEqual(found, ['DS201 one_leader_per_term']);
    // The correct protocol holds on the same seeds.
    for (let seed = 1; seed <= 10; seed++) assert.deepEqual(runText(text.replace('latency 5ms..20ms', 'latency 1ms..60ms'), { seed }).violations, []);
  });

  test('same seed, byte-identical trace', () => {
    assert.equal(toJson(runText(text)), toJson(runText(text)));
    assert.notEqual(toJson(runText(text, { seed: 8 })), toJson(runText(text)));
  });
});

describe('written protocols: statements', () => {
  test('assignment to state, record fields, list entries and map entries builds new values', () => {
    const text = scenario(`
      var r: { a: int, b: list<int> } = { a: 1, b: [1, 2, 3] }
      var m: map<string, int> = {}
      var s: set<int> = {3, 1}
      var seen: list<string> = []
      on start {
        r.a = 5; r.b[1] = 20; m["z"] = 1; m["a"] = 2; m["z"] = m["z"] + 10; s = s + {2, 1}
        let copy = r
        r.a = 6
        seen = seen + [copy.a == 5 and r.a == 6 ? "shared" : "x"]
      }`.replace('copy.a == 5 and r.a == 6 ? "shared" : "x"', 'if copy.a == 5 and r.a == 6 then "copies" else "shared"'), 'expect n1.seen == ["copies"]');
    const result = runText(text);
    assert.deepEqual(result.violations, []);
    const sim = simulate(text);
    assert.deepEqual(sim.inspect(0), { r: { a: 6, b: [1, 20, 3] }, m: { a: 2, z: 11 }, s: [1, 2, 3], seen: ['copies'] });
    assert.deepEqual(Object.keys(sim.inspect(0)['m'] as object), ['a', 'z'], 'map keys stay sorted');
  });

  test('let, if/else, for over lists, sets and map keys, fns', () => {
    const text = scenario(`
      const base = 10
      fn double(x: int): int = x * 2
      fn quad(x: int): int = double(double(x))
      var total: int = 0
      var order: list<string> = []
      on start {
        let m: map<string, int> = {}
        m["b"] = 2; m["a"] = 1
        for k in m { order = order + [k] }
        for x in [1, 2, 3] { if x == 2 { total = total + quad(x) } else if x == 3 { total = total + base } else { total = total + 1 } }
      }`, 'expect n1.total == 19 and n1.order == ["a", "b"]');
    assert.deepEqual(runText(text).violations, []);
  });

  test('send, broadcast and reply with typed payloads; guards pick the handler; unmatched messages are ignored', () => {
    const text = scenario(`
      message Ask { n: int, tag: string? }
      message Answer { n: int }
      var got: list<int> = []
      var asked: int = 0
      on start { if self == "n1" { broadcast Ask { n: 7 }; send Ask { n: 100, tag: "x" } to "n2" } }
      on Ask(m) from p when m.n > 50 { asked = asked + 1 }
      on Ask(m) from p when m.tag == none { reply Answer { n: m.n + 1 } }
      on Answer(a) from q { got = got + [a.n] }`.replace('to "n2"', 'to p_n2').replace('var asked', 'option p_n2: node = n2\n      var asked'), 'expect n1.got == [8, 8] and n2.asked == 1 and n3.asked == 0');
    const result = runText(text);
    assert.deepEqual(result.violations, []);
    assert.deepEqual(result.expectations.map((e) => e.outcome?.passed), [true]);
    assert.ok(eventsOf(result, 'send').some((e) => e.label === 'Ask' && e.detail === 'n=100 tag=x'));
  });

  test('a test against none narrows an optional in the if block, the if expression and the rest of and/or', () => {
    const text = scenario(`
      stable leader: node? = none
      var got: list<node> = []
      var n: node = "n1"
      on start {
        if leader == none { leader = self }
        if leader != none { got = got + [leader] }
        n = if leader == none then self else leader
        if not (leader == none) and leader == self { got = got + [leader] }
        if leader == none or leader != self { got = [] }
      }`.replace('var n: node = "n1"', 'var n: node? = none'), 'expect n2.got == [n2, n2] and n2.n == n2', 'n1, n2');
    assert.deepEqual(runText(text).violations, []);
    assert.equal(runText(text).expectations[0]!.outcome?.passed, true);
    const unnarrowed = checkText(scenario('stable leader: node? = none\nvar got: list<node> = []\non start { got = got + [leader] }', '', 'n1'));
    assert.deepEqual(unnarrowed.diagnostics.map((d) => d.code), ['DS180']);
  });

  test('note interpolates values; {{ and }} are literal braces', () => {
    const text = scenario(`var xs: set<node> = {}\non start { xs = members; note "at {self}: {xs} {{x}} {1 + 2}" }`, '', 'n1');
    assert.deepEqual(notes(text), ['at n1: {n1} {x} 3']);
  });

  test('timers: re-arming replaces, cancel stops, handlers run by the local clock', () => {
    const text = scenario(`
      var fired: list<time> = []
      on start { timer t after 100ms; timer t after 50ms; timer u after 10ms; cancel u }
      on timer t { fired = fired + [now] }
      on timer u { fired = fired + [0ms] }`, 'clock n1 { drift +100000ppm }', 'n1');
    const result = runText(text);
    const timers = eventsOf(result, 'timer');
    assert.equal(timers.length, 1);
    // 10% fast: the local 50ms pass at true time 50ms / 1.1.
    assert.equal(timers[0]!.time, Math.ceil(50e6 / 1.1));
    assert.deepEqual(simulate(text).inspect(0)['fired'], [50_000_000]);
  });

  test('clock.step and clock.slew adjust the node clock', () => {
    const text = scenario(`var before: time = 0ms\nvar later: time = 0ms\non start { before = now; clock.step(5ms); clock.slew(100); later = now }`, '', 'n1');
    const sim = simulate(text);
    assert.equal((sim.inspect(0)["later"] as number) - (sim.inspect(0)['before'] as number), 5_000_000);
    assert.equal(eventsOf(runText(text), 'clock-adjust').length, 2);
  });

  test('now, lamport, vc and hlc read the node clocks', () => {
    const text = scenario(`
      message Hi { }
      var l: int = -1
      var v: int = -1
      var h: time = -1ms
      on start { if self == "n1" { send Hi { } to q } }
      on Hi from p { l = lamport; v = vc[p]; h = hlc.l }`.replace('to q', 'to other').replace('var l', 'option other: node = n2\n      var l'), '', 'n1, n2');
    const state = simulate(text).inspect(1);
    assert.equal(state['l'], 2);
    assert.equal(state['v'], 1);
    assert.ok((state['h'] as number) >= 0);
  });

  test('random draws from the node stream: in range, deterministic per seed', () => {
    const text = scenario(`
      option spread: duration range = 10ms..20ms
      var xs: list<int> = []
      var ts: list<time> = []
      var picks: list<node> = []
      on start { for i in [1, 2, 3, 4, 5, 6, 7, 8] { xs = xs + [random(1, 6)]; ts = ts + [random(spread)]; picks = picks + [random(members)] } }`);
    const a = simulate(text).inspect(0);
    assert.deepEqual(a, simulate(text).inspect(0));
    assert.ok((a['xs'] as number[]).every((x) => x >= 1 && x <= 6));
    assert.ok((a['ts'] as number[]).every((x) => x >= 10e6 && x <= 20e6));
    assert.ok((a['picks'] as string[]).every((x) => ['n1', 'n2', 'n3'].includes(x)));
    assert.notDeepEqual(a['xs'], simulate(text).inspect(1)['xs'], 'each node draws from its own stream');
  });
});

describe('written protocols: crash and restart', () => {
  test('on start runs again after a restart: var fresh, stable kept', () => {
    const text = scenario(`
      stable boots: int = 0
      var ticks: int = 0
      stable total: int = 0
      on start { boots = boots + 1; timer tick after 10ms }
      on timer tick { ticks = ticks + 1; total = total + 1; timer tick after 10ms }`, 'faults { at 105ms crash n1  at 200ms restart n1 }', 'n1', '300ms');
    const state = simulate(text).inspect(0);
    assert.equal(state['boots'], 2);
    // 10 ticks before the crash, 9 or 10 after the restart at 200ms; total counts both lives.
    assert.ok((state['ticks'] as number) <= 10 && (state['ticks'] as number) >= 9, String(state['ticks']));
    assert.equal(state['total'], 10 + (state['ticks'] as number));
  });
});

describe('written protocols: run-time errors stop the run with a diagnostic', () => {
  const failure = (body: string, rest = '') => {
    const result = runText(scenario(body, rest, 'n1'));
    assert.equal(result.stopReason, 'failed');
    assert.equal(result.violations.length, 1);
    return result.violations[0]!;
  };

  test('division by zero: DS207 on the statement, naming node, time, event and values', () => {
    const v = failure(`var d: int = 0\nvar x: int = 1\non start { timer t after 5ms }\non timer t {\n  x = x / d\n}`);
    assert.equal(v.code, 'DS207');
    assert.equal(v.range.startLine, 7);
    assert.equal(v.time, 5_000_000);
    assert.match(v.message, /^n1 at t=5ms, on timer t: division by zero; values: x = 1, d = 0$/);
  });

  test('overflow, a missing map key, an index out of range, a negative timer', () => {
    assert.match(failure('var x: int = 9007199254740991\non start { x = x + 1 }').message, /integer overflow/);
    assert.match(failure('var m: map<string, int> = {}\nvar y: int = 0\non start { y = m["k"] }').message, /no key "k"/);
    assert.match(failure('var l: list<int> = [1]\non start { l[3] = 2 }').message, /list index 3 is out of range/);
    assert.match(failure('on start { timer t after -1ms }\non timer t { }').message, /cannot be set in the past/);
  });

  test('a handler past the step budget: DS208, and nothing runs after it', () => {
    const v = failure(`var n: int = 0\non start {\n  for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { for j in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { for k in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { for l in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { for o in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { n = n + 1 } } } } }\n}`);
    assert.equal(v.code, 'DS208');
    assert.match(v.message, new RegExp(`more than ${MAX_HANDLER_STEPS.toLocaleString('en-US')} statements`));
  });

  test('the scenario checks and the CLI-facing model are unaffected: errors are run-time only', () => {
    assert.deepEqual(checkText(scenario('var d: int = 0\non start { d = 1 / d }', '', 'n1')).diagnostics, []);
  });
});

describe('written protocols: exploration', () => {
  test('seed runs find a broken protocol and report run-time errors as failures', () => {
    const text = fs.readFileSync(repoPath('samples', 'protocols', 'leader_election.dsync'), 'utf8');
    const broken = text.replace('when m.term > term or (m.term == term and voted_for in { none, p })', 'when m.term >= term').replace('latency 5ms..20ms', 'latency 1ms..60ms');
    const runner = new SeedRunner(modelOf(broken), 1);
    let failure: string | undefined;
    for (let i = 0; i < 60 && !failure; i++) failure = runner.run(i).failure?.invariant;
    assert.match(failure ?? '', /^one_leader_per_term/);
    const crashing = new SeedRunner(modelOf(scenario('var d: int = 0\non start { timer t after random(1ms, 9ms) }\non timer t { d = 1 / d }', '', 'n1')), 1);
    const record = crashing.run(0);
    assert.equal(record.failure?.code, 'DS207');
    assert.match(record.failure?.message ?? '', /^n1 at t=\d+(\.\d+)?ms, on timer t: division by zero/);
  });
});

describe('written protocols: serving client key-value operations (serves kv)', () => {
  test('a single-node store answers a client and its history is linearizable', () => {
    const text = `scenario kv_store { seed 1  run for 1s }
protocol store serves kv {
  var data: map<string, string> = {}
  on KvRequest(r) from c {
    if r.op == "put" { data[r.key] = r.value }
    reply KvReply { op_id: r.op_id, ok: true, value: if r.op == "get" and r.key in data then data[r.key] else none }
  }
}
nodes s1 run store
client c1 { every 100ms put x = counter }
client c2 { every 130ms get x }
invariant linearizable(kv)
expect c2.ops_done >= 5`;
    const result = runText(text);
    assert.deepEqual(result.violations, []);
    assert.equal(result.expectations[0]!.outcome?.passed, true);
  });
});

describe('written protocols: nothing runs away', () => {
  test('quantifiers and aggregates count toward the step budget; a doubling list stops at its size bound', () => {
    const big = 'var l: list<int> = []\nvar ok: bool = false\non start {\n  for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { l = l + [i, i, i, i, i, i, i, i, i, i] }\n  for i in [1, 2, 3] { l = l + l + l + l + l + l + l + l + l + l }\n  ok = forall a in l: forall b in l: a + b > 0\n}';
    const v = runText(scenario(big, '', 'n1')).violations;
    assert.deepEqual(v.map((x) => x.code), ['DS208']);
    const doubling = 'var l: list<int> = [1]\non start { for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25] { l = l + l } }';
    const d = runText(scenario(doubling, '', 'n1')).violations;
    assert.deepEqual(d.map((x) => x.code), ['DS207']);
    assert.match(d[0]!.message, /a collection of more than 1,000,000 elements/);
  });
});

describe('written protocols: list and map functions', () => {
  test('range, take, skip, values, remove', () => {
    const text = scenario(`
      var l: list<int> = []
      var m: map<string, int> = {}
      on start {
        for i in range(0, 5) { l = l + [i * i] }
        m["b"] = 2; m["a"] = 1; m["c"] = 3
        m = remove(remove(m, "b"), "zz")
      }`, 'expect n1.l == [0, 1, 4, 9, 16] and take(n1.l, 2) == [0, 1] and skip(n1.l, 3) == [9, 16] and take(n1.l, 9) == n1.l and values(n1.m) == [1, 3] and keys(n1.m) == {"a", "c"} and range(3, 1) == []', 'n1');
    const result = runText(text);
    assert.deepEqual(result.violations, []);
    assert.equal(result.expectations[0]!.outcome?.passed, true);
  });
});
