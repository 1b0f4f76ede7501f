// The protocol parser's errors and recovery (its well-formed input: protocolParser.test.ts).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as A from '../../server/src/core/syntax/ast';
import { parse } from '../../server/src/core/syntax/parse';
import { LEADER_ELECTION } from './support/protocols';
import { checkText, runText } from './support/scenario';
import { outline, problems } from './support/protocolParsing';

describe('protocol parser: errors are located and the rest is kept', () => {
  test('a misspelt member word: did-you-mean, and the members after it are kept', () => {
    const text = 'protocol p {\n  mesage Ping { a: int }\n  var x: int = 0\n  on start { x = 1 }\n}\nnodes a run p';
    assert.deepEqual(problems(text), ["2:3 DS102 unknown word 'mesage': did you mean 'message'? (a protocol member: option, const, message, stable, var, fn or on)"]);
    assert.deepEqual(outline(text), ['state x', 'on start 1', 'nodes']);
  });

  test('a word that is no member and resembles none says what may be written', () => {
    assert.deepEqual(problems('protocol p {\n  x = 1\n  var y: int = 0\n}'), ["2:3 DS102 unexpected 'x': expected a protocol member: option, const, message, stable, var, fn or on"]);
  });

  test('`on` without a trigger says what may follow it', () => {
    const text = 'protocol p {\n  on { x = 1 }\n  on start { x = 2 }\n}';
    assert.deepEqual(problems(text), ["2:6 DS102 unexpected '{': expected after 'on' in a protocol: 'start', 'timer NAME', or a message such as 'Vote(m) from p'"]);
    assert.deepEqual(outline(text).slice(-1), ['on start 1']);
  });

  test('one broken handler does not lose the rest of the protocol or of the file', () => {
    const text = [
      'protocol p {',
      '  var x: int = 0',
      '  on Ping(m) from q when { x = 4 }',
      '  on start when x > 1 { x = 5 }',
      '  on Pong { x = = 6; x = 7 }',
      '  on timer t { send Ping { } q }',
      '  on Ack { clock.jump(3) }',
      '  fn f(a: int): int = a',
      '}',
      'nodes a, b run p',
    ].join('\n');
    assert.deepEqual(problems(text), [
      "3:26 DS102 after 'when' write a condition, then '{' and the handler's statements",
      "4:12 DS102 'when' guards a message handler only; 'on start' always runs: move the condition into an 'if' in the body",
      "5:17 DS102 unexpected '=': expected a value: a name, a number, a string, 'none', (…), {…} or […]",
      "6:30 DS102 unexpected 'q': expected 'to' and the node to send to: send M { … } to p",
      "7:18 DS102 unexpected 'jump': expected clock.step(amount) or clock.slew(rate)",
    ]);
    assert.deepEqual(outline(text), ['state x', 'on start 1', 'on message 1', 'on timer 0', 'on message 0', 'fn f', 'nodes']);
  });

  test('a misspelt statement word: did-you-mean at the word', () => {
    assert.deepEqual(problems('protocol p {\n  on start {\n    lett y = 2\n    nte "x"\n  }\n}'), [
      "3:5 DS102 unknown word 'lett': did you mean 'let'? (a statement: NAME = value, let, if, for, send, broadcast, reply, timer, cancel, note, clock.step or clock.slew)",
      "4:5 DS102 unknown word 'nte': did you mean 'note'? (a statement: NAME = value, let, if, for, send, broadcast, reply, timer, cancel, note, clock.step or clock.slew)",
    ]);
  });

  test('a statement cut short at the end of its line is reported there', () => {
    assert.deepEqual(problems('protocol p {\n  on start {\n    x = x +\n  }\n}'), ["3:12 DS102 unexpected '}': expected a value: a name, a number, a string, 'none', (…), {…} or […]"]);
  });

  test("a handler's missing '}': DS106 names the handler and where it opened; the next members are kept", () => {
    const text = 'protocol p {\n  on start {\n    if x > 0 {\n      x = 2\n  on timer t { x = 3 }\n}\nnodes a run p';
    assert.deepEqual(problems(text), ["4:12 DS106 the '{' of this handler (line 2, column 12) is never closed; add '}}' here, before the 'on' on line 5"]);
    assert.deepEqual(outline(text), ['on start 1', 'on timer 1', 'nodes']);
  });

  test("the protocol's missing '}': DS106 before the next statement", () => {
    const text = 'protocol p {\n  var x: int = 0\n  on start { x = 1 }\nnodes a run p';
    assert.deepEqual(problems(text), ["3:21 DS106 the '{' of this protocol (line 1, column 12) is never closed; add '}' here, before the 'nodes' on line 4"]);
    assert.deepEqual(outline(text), ['state x', 'on start 1', 'nodes']);
  });

  test('a keyword as a declared name is DS114, once, and the declaration is kept', () => {
    const text = 'protocol p {\n  var delay: int = 0\n  on timer after { }\n}';
    assert.deepEqual(problems(text), [
      "2:7 DS114 'delay' is a keyword and cannot be used as a name; pick another name",
      "3:12 DS114 'after' is a keyword and cannot be used as a name; pick another name",
    ]);
    assert.deepEqual(outline(text), ['state delay', 'on timer 0']);
  });
});

describe('protocol parser: scenario rules inside a protocol', () => {
  test("'on NODE receive' inside a protocol says where it belongs; the handlers after it are kept", () => {
    const text = 'protocol p {\n  on B receive "x" { reply "y" }\n  on start { }\n}';
    assert.deepEqual(problems(text), ["2:8 DS102 a scenario rule 'on NODE receive …' goes outside the protocol; inside it a handler is 'on MESSAGE(m) from p { … }'"]);
    assert.deepEqual(outline(text), ['on start 0']);
  });
});

describe('a protocol declaration next to a scenario', () => {
  test('the rest of the file is checked and run exactly as without it', () => {
    const scenario = 'scenario s { seed 3  run for 200ms }\nnodes A, B\nevery 20ms A -> B "ping"\non B receive "ping" { reply "pong" }\n';
    const protocol = LEADER_ELECTION.split('\nnodes')[0]!;
    const withProtocol = `${scenario}${protocol}\n`;
    assert.deepEqual(checkText(withProtocol).diagnostics.filter((d) => d.severity === 'error'), []);
    const plain = runText(scenario);
    const both = runText(withProtocol);
    assert.deepEqual(both.events.map((e) => `${e.time} ${e.kind} ${e.node} ${e.local} ${e.lamport}`), plain.events.map((e) => `${e.time} ${e.kind} ${e.node} ${e.local} ${e.lamport}`));
    assert.ok(both.events.length > 10);
  });
});

describe('protocol parser: what the parser only repaired is left out', () => {
  test('`lett y = 2` is reported once and is not read as an assignment to `lett`', () => {
    const text = 'protocol p {\n  on start {\n    lett y = 2\n    x = 1\n  }\n  var z int = 0\n  var w: int = 0\n}';
    const p = parse(text).ast.statements[0] as A.ProtocolDecl;
    const h = p.members[0] as A.HandlerMember;
    assert.deepEqual(h.body.statements.map((s) => (s.kind === 'assign' && s.target.kind === 'name' ? s.target.name.text : s.kind)), ['x']);
    assert.deepEqual(p.members.slice(1).map((m) => (m.kind === 'state' ? m.name.text : m.kind)), ['w']);
  });
});
