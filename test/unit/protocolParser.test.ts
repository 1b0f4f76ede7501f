import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as A from '../../server/src/core/syntax/ast';
import { parse } from '../../server/src/core/syntax/parse';
import { LEADER_ELECTION } from './support/protocols';
import { at, plain, protocol, statements } from './support/protocolParsing';


describe('protocol parser: the issue example', () => {
  test('leader_election: members, triggers and statements in order', () => {
    const r = parse(LEADER_ELECTION);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.ast.statements.map((s) => s.kind), ['protocol', 'nodes', 'invariant']);
    const p = r.ast.statements[0] as A.ProtocolDecl;
    assert.equal(p.name.text, 'leader_election');
    assert.equal(p.serves, undefined);
    assert.deepEqual(p.members.map((m) => `${m.kind} ${'name' in m ? m.name.text : m.kind === 'handler' ? m.trigger.kind : ''}`), [
      'option timeout', 'message RequestVote', 'message Vote', 'state term', 'state voted_for', 'state role', 'state votes',
      'handler start', 'handler timer', 'handler message', 'handler message',
    ]);
    const handlers = p.members.filter((m): m is A.HandlerMember => m.kind === 'handler');
    assert.deepEqual(handlers.map((h) => h.body.statements.map((s) => s.kind)), [
      ['timer'],
      ['assign', 'assign', 'assign', 'assign', 'broadcast', 'timer'],
      ['assign', 'assign', 'assign', 'reply'],
      ['assign', 'if'],
    ]);
    assert.equal(at(LEADER_ELECTION, p.bodyRange).startsWith('{\n  option'), true);
    assert.equal(at(LEADER_ELECTION, p.bodyRange).endsWith('  }\n}'), true);
    assert.ok(at(LEADER_ELECTION, p.range).startsWith('protocol leader_election {'));
    assert.ok(at(LEADER_ELECTION, p.range).endsWith('  }\n}'));
    const vote = handlers[3]!;
    assert.deepEqual(plain(vote.trigger), { kind: 'message', message: { text: 'Vote' }, payload: { text: 'm' }, sender: { text: 'p' } });
    assert.equal(at(LEADER_ELECTION, vote.guard!.range), 'role == "candidate" and m.term == term');
  });

  test('state, option and type shapes', () => {
    const p = protocol(LEADER_ELECTION.split('\nnodes')[0]!);
    const state = p.members.filter((m): m is A.StateMember => m.kind === 'state');
    assert.deepEqual(state.map((s) => [s.durability, s.name.text, s.type.text, s.initial.kind]), [
      ['stable', 'term', 'int', 'int'],
      ['stable', 'voted_for', 'node?', 'none'],
      ['var', 'role', '"follower" | "candidate" | "leader"', 'string'],
      ['var', 'votes', 'set<node>', 'set'],
    ]);
    const option = p.members[0] as A.OptionMember;
    assert.deepEqual(plain(option), {
      kind: 'option',
      name: { text: 'timeout' },
      optionKind: [{ text: 'duration' }, { text: 'range' }],
      defaultValue: [{ value: { kind: 'range', low: { kind: 'duration', ns: 150e6, text: '150ms' }, high: { kind: 'duration', ns: 300e6, text: '300ms' } } }],
    });
  });
});

describe('protocol parser: members', () => {
  test('protocol … serves kv', () => {
    const p = protocol('protocol store serves kv { var x: int = 0 }');
    assert.equal(p.serves?.text, 'kv');
    assert.equal(p.members.length, 1);
  });

  test('option: kinds as words, choices, defaults in binding syntax, no default', () => {
    const p = protocol(`protocol p {
  option mode: "fast" | "safe" = "safe"
  option peers: nodes = n1, n2
  option retries: int
  option jitter: latency = normal(10ms, 2ms)
  message Ping
}`);
    const [mode, peers, retries, delay] = p.members as A.OptionMember[];
    assert.deepEqual(plain(mode!.choices), [{ value: 'fast' }, { value: 'safe' }]);
    assert.deepEqual(mode!.optionKind, []);
    assert.deepEqual(plain(mode!.defaultValue), [{ value: { kind: 'string', value: 'safe' } }]);
    assert.deepEqual(peers!.optionKind.map((k) => k.text), ['nodes']);
    assert.deepEqual(plain(peers!.defaultValue), [{ value: { kind: 'name', name: 'n1' } }, { value: { kind: 'name', name: 'n2' } }]);
    assert.deepEqual(retries!.optionKind.map((k) => k.text), ['int']);
    assert.equal(retries!.defaultValue, undefined);
    assert.equal(delay!.defaultValue![0]!.value.kind, 'name');
    assert.equal(p.members[4]!.kind, 'message', 'a default-less option does not swallow the next member');
  });

  test('const, message fields (`,` `;` or line breaks), fn', () => {
    const text = `protocol p {
  const quorum_extra = 1
  const limit: int = 3
  message Append { term: int, entries: list<{ term: int, cmd: string }>; leader: node
    commit: int }
  message Ping
  fn majority(n: int): int = n / 2 + 1
  fn none_yet(): bool = true
}`;
    const p = protocol(text);
    const [c1, c2, msg, ping, fn, fn0] = p.members;
    assert.deepEqual(plain(c1), { kind: 'const', name: { text: 'quorum_extra' }, value: { kind: 'int', value: 1, text: '1' } });
    assert.equal((c2 as A.ConstMember).type!.text, 'int');
    assert.deepEqual((msg as A.MessageMember).fields.map((f) => [f.name.text, f.type.text]), [
      ['term', 'int'], ['entries', 'list<{ term: int, cmd: string }>'], ['leader', 'node'], ['commit', 'int'],
    ]);
    assert.equal(at(text, (msg as A.MessageMember).fields[1]!.range), 'entries: list<{ term: int, cmd: string }>');
    assert.deepEqual((ping as A.MessageMember).fields, []);
    const f = fn as A.FnMember;
    assert.deepEqual([f.name.text, f.params.map((x) => `${x.name.text}: ${x.type.text}`), f.result.text, at(text, f.body.range)], ['majority', ['n: int'], 'int', 'n / 2 + 1']);
    assert.deepEqual((fn0 as A.FnMember).params, []);
  });

  test('handler triggers: start, timer, message with and without (m), from p and when', () => {
    const p = protocol(`protocol p {
  on start { }
  on timer election { }
  on Ping { }
  on Ping(m) { }
  on Ping from q { }
  on Ping when x > 1 { }
  on timer(m) from q { }
}`);
    assert.deepEqual(p.members.map((m) => plain((m as A.HandlerMember).trigger)), [
      { kind: 'start' },
      { kind: 'timer', timer: { text: 'election' } },
      { kind: 'message', message: { text: 'Ping' } },
      { kind: 'message', message: { text: 'Ping' }, payload: { text: 'm' } },
      { kind: 'message', message: { text: 'Ping' }, sender: { text: 'q' } },
      { kind: 'message', message: { text: 'Ping' } },
      { kind: 'message', message: { text: 'timer' }, payload: { text: 'm' }, sender: { text: 'q' } },
    ]);
    assert.equal((p.members[5] as A.HandlerMember).guard?.kind, 'binary');
  });

  test('types: optional, nested generics (`>>`), records, choices', () => {
    const types = ['int', 'node?', 'set<node>', 'map<string, set<node>>', '{ a: int, b: string }', '"a" | "b"', 'list<{ term: int, cmd: string }>', 'map<node, list<int>>?'];
    const p = protocol(`protocol p {\n${types.map((t, i) => `  var v${i}: ${t.replace(/, /g, ',').replace(/</g, ' < ')} = none`).join('\n')}\n}`);
    assert.deepEqual(p.members.map((m) => (m as A.StateMember).type.text), types);
  });
});

describe('protocol parser: `>=` after a type', () => {
  test('`set<node>= {}` is the type\'s `>` and the initialiser\'s `=`; `>=` in expressions stays a comparison', () => {
    const p = protocol('protocol p {\n  var x: map<node, set<node>>= {}\n  var y: bool = 2 >= 1\n  on start { if size(x) >= 1 { } }\n}');
    assert.deepEqual(p.members.slice(0, 2).map((m) => (m as A.StateMember).type.text), ['map<node, set<node>>', 'bool']);
    assert.equal(((p.members[1] as A.StateMember).initial as { op?: string }).op, '>=');
    const cond = ((p.members[2] as A.HandlerMember).body.statements[0] as Extract<A.ProtoStmt, { kind: 'if' }>).cond;
    assert.equal(cond.kind === 'binary' && cond.op, '>=');
  });
});

describe('protocol parser: statements', () => {
  test('assignment to a name, a field, an index and a mix', () => {
    const body = 'x = 1\n rec.f = 2\n log[i + 1] = 3\n m[k].f[0] = 4';
    const s = statements(body);
    assert.deepEqual(s.map((x) => x.kind), ['assign', 'assign', 'assign', 'assign']);
    const targets = s.map((x) => (x.kind === 'assign' ? plain(x.target) : undefined));
    assert.deepEqual(targets[0], { kind: 'name', name: { text: 'x' } });
    assert.deepEqual(targets[1], { kind: 'field', target: { kind: 'name', name: { text: 'rec' } }, name: { text: 'f' } });
    assert.deepEqual(targets[2], { kind: 'index', target: { kind: 'name', name: { text: 'log' } }, index: { kind: 'binary', op: '+', left: { kind: 'name', name: { text: 'i' } }, right: { kind: 'int', value: 1, text: '1' } } });
    assert.deepEqual(targets[3], {
      kind: 'index',
      target: { kind: 'field', target: { kind: 'index', target: { kind: 'name', name: { text: 'm' } }, index: { kind: 'name', name: { text: 'k' } } }, name: { text: 'f' } },
      index: { kind: 'int', value: 0, text: '0' },
    });
  });

  test('ranges: each statement from its first word to its end, targets and values', () => {
    const text = 'protocol p {\n  on start {\n    m[k].f = a + 1; let y: int = 2\n  }\n}';
    const h = protocol(text).members[0] as A.HandlerMember;
    const [assign, letStmt] = h.body.statements;
    assert.equal(at(text, assign!.range), 'm[k].f = a + 1');
    assert.equal(assign!.kind === 'assign' && at(text, assign.target.range), 'm[k].f');
    assert.equal(assign!.kind === 'assign' && at(text, assign.value.range), 'a + 1');
    assert.equal(at(text, letStmt!.range), 'let y: int = 2');
    assert.deepEqual([letStmt!.range.startLine, letStmt!.range.startColumn], [3, 21]);
    assert.equal(at(text, h.body.range), '{\n    m[k].f = a + 1; let y: int = 2\n  }');
  });

  test('let, if / else if / else, for', () => {
    const s = statements(`let x = 1
    let y: set<node> = {}
    if a { x = 1 } else if b { x = 2 } else { x = 3 }
    if c { }
    for q in members { send Ping to q }`);
    assert.deepEqual(s.map((x) => x.kind), ['let', 'let', 'if', 'if', 'for']);
    const let2 = s[1] as Extract<A.ProtoStmt, { kind: 'let' }>;
    assert.equal(let2.type?.text, 'set<node>');
    const chain = s[2] as Extract<A.ProtoStmt, { kind: 'if' }>;
    const nested = chain.else!.statements[0] as Extract<A.ProtoStmt, { kind: 'if' }>;
    assert.equal(nested.kind, 'if');
    assert.equal(nested.else!.statements.length, 1);
    assert.equal((s[3] as Extract<A.ProtoStmt, { kind: 'if' }>).else, undefined);
    const loop = s[4] as Extract<A.ProtoStmt, { kind: 'for' }>;
    assert.equal(loop.variable.text, 'q');
    assert.equal(loop.body.statements[0]!.kind, 'send');
  });

  test('send, broadcast, reply: message values with and without fields', () => {
    const s = statements('send Append { term: term, entries: [] } to leader\n broadcast Ping\n reply Vote { term: m.term }\n send Ping {} to p');
    assert.deepEqual(plain(s[0]), {
      kind: 'send',
      value: { message: { text: 'Append' }, fields: [{ name: { text: 'term' }, value: { kind: 'name', name: { text: 'term' } } }, { name: { text: 'entries' }, value: { kind: 'list', items: [] } }] },
      to: { kind: 'name', name: { text: 'leader' } },
    });
    assert.deepEqual(plain(s[1]), { kind: 'broadcast', value: { message: { text: 'Ping' }, fields: [] } });
    assert.equal(s[2]!.kind, 'reply');
    assert.equal(s[3]!.kind === 'send' && s[3].value.fields.length, 0);
  });

  test('timer, cancel, clock control', () => {
    const s = statements('timer election after random(timeout)\n cancel election\n clock.step(offset / 2); clock.slew(-20)');
    assert.deepEqual(plain(s), [
      { kind: 'timer', timer: { text: 'election' }, after: { kind: 'call', callee: { text: 'random' }, args: [{ kind: 'name', name: { text: 'timeout' } }] } },
      { kind: 'cancel', timer: { text: 'election' } },
      { kind: 'clock', action: 'step', amount: { kind: 'binary', op: '/', left: { kind: 'name', name: { text: 'offset' } }, right: { kind: 'int', value: 2, text: '2' } } },
      { kind: 'clock', action: 'slew', amount: { kind: 'int', value: -20, text: '-20' } },
    ]);
  });

  test('statement words are names when assigned: timer = 1, note.x = 2, let[0] = 3', () => {
    const s = statements('timer = 1\n note.x = 2\n let[0] = 3\n cancel = 4');
    assert.deepEqual(s.map((x) => (x.kind === 'assign' ? x.target.kind : x.kind)), ['name', 'field', 'index', 'name']);
  });

  test('statements separated by `;` or line breaks, with no separator needed between a value and the next statement', () => {
    const s = statements('x = a\n y = b - 1\n z = -1\n w = {1, 2}\n if x in {1} { }');
    assert.deepEqual(s.map((x) => x.kind), ['assign', 'assign', 'assign', 'assign', 'if']);
    assert.equal(s[1]!.kind === 'assign' && s[1].value.kind, 'binary');
  });
});

describe('protocol parser: note text', () => {
  test('literal text and interpolations, with each expression where it is written', () => {
    const text = 'protocol p {\n  on start { note "leader {self} of term {term + 1}: {{braces}} \\"q\\"" }\n}';
    const h = protocol(text).members[0] as A.HandlerMember;
    const note = h.body.statements[0] as Extract<A.ProtoStmt, { kind: 'note' }>;
    assert.deepEqual(plain(note.parts), [
      { text: 'leader ' },
      { expr: { kind: 'name', name: { text: 'self' } } },
      { text: ' of term ' },
      { expr: { kind: 'binary', op: '+', left: { kind: 'name', name: { text: 'term' } }, right: { kind: 'int', value: 1, text: '1' } } },
      { text: ': {braces} "q"' },
    ]);
    const sum = note.parts[3] as { expr: { range: A.Located['range'] } };
    assert.equal(at(text, sum.expr.range), 'term + 1');
    assert.deepEqual([sum.expr.range.startLine, sum.expr.range.startColumn, sum.expr.range.endColumn], [2, 43, 51]);
  });

  test('`{{` is a brace, so an interpolated set starts after a space', () => {
    const note = (protocol('protocol p { on start { note "{{a}} { {1, 2} }" } }').members[0] as A.HandlerMember).body.statements[0] as Extract<A.ProtoStmt, { kind: 'note' }>;
    assert.deepEqual(note.parts.map((p) => ('text' in p ? p.text : p.expr.kind)), ['{a} ', 'set']);
  });

  test('sets, records and strings inside an interpolation', () => {
    const text = 'protocol p { on start { note "{size({1, 2})} {{ {\\"a\\" in {\\"a\\"}} }}" } }';
    const note = (protocol(text).members[0] as A.HandlerMember).body.statements[0] as Extract<A.ProtoStmt, { kind: 'note' }>;
    assert.deepEqual(note.parts.map((p) => ('text' in p ? p.text : p.expr.kind)), ['call', ' { ', 'binary', ' }']);
    const member = note.parts[2] as { expr: { range: A.Located['range'] } };
    // The string starts at its quote (the escaping backslash is not part of it).
    assert.equal(at(text, member.expr.range), '"a\\" in {\\"a\\"}');
  });
});

describe('protocol parser: the rest of the file is unchanged', () => {
  test('contextual words stay names outside protocol bodies', () => {
    const r = parse('scenario s { seed 1 run for 1s }\nnodes var, fn, message, note, timer, stable, when\nat 1ms var -> fn "x"\nnodes n1..n3 run raft { option 1; message 2; timer 5ms }');
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.ast.statements.length, 4);
  });

  test('`protocol` is a keyword: as a name it is DS114', () => {
    assert.deepEqual(parse('protocol protocol { }').diagnostics.map((d) => d.code), ['DS114']);
    assert.deepEqual(parse('protocol p { var delay: int = 1 }').diagnostics.map((d) => `${d.code} ${d.message}`), ["DS114 'delay' is a keyword and cannot be used as a name; pick another name"]);
  });
});
