import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { complete } from '../../server/src/lsp/features/completion';
import { LEADER_ELECTION } from './support/protocols';

/** The labels offered where `‸` stands in `text` (the bar is removed). */
function labelsAt(text: string): string[] {
  const offset = text.indexOf('‸');
  return complete(text.slice(0, offset) + text.slice(offset + 1), offset, ['n1', 'n2']).map((c) => c.label);
}

/** LEADER_ELECTION with `‸` inserted after the first occurrence of `anchor`. */
function at(anchor: string, insert = ''): string {
  const i = LEADER_ELECTION.indexOf(anchor);
  assert.ok(i >= 0, anchor);
  return LEADER_ELECTION.slice(0, i + anchor.length) + insert + '‸' + LEADER_ELECTION.slice(i + anchor.length);
}

describe('completion inside a written protocol', () => {
  test('at member level: the member words, not scenario statements or nodes', () => {
    const labels = labelsAt(at('var votes: set<node> = {}\n'));
    assert.deepEqual(labels, ['option', 'const', 'message', 'stable', 'var', 'fn', 'on']);
  });

  test('after `on`: message types, start and timer; after `on timer`: the timers', () => {
    assert.deepEqual(labelsAt(at('var votes: set<node> = {}\n', '  on ')), ['RequestVote', 'Vote', 'start', 'timer']);
    assert.deepEqual(labelsAt(at('var votes: set<node> = {}\n', '  on timer ')), ['election']);
  });

  test('in a statement: state, options, self/members/now, the payload and sender, statement words; no nodes of the scenario', () => {
    const labels = labelsAt(at('votes = votes + {p}\n', '    '));
    for (const l of ['term', 'voted_for', 'role', 'votes', 'timeout', 'self', 'members', 'now', 'm', 'p', 'let', 'send', 'broadcast', 'timer', 'size']) assert.ok(labels.includes(l), l);
    assert.ok(!labels.includes('n1'));
    assert.ok(!labels.includes('scenario'));
  });

  test('after send/broadcast/reply: message types; inside `M { … }`: its fields', () => {
    assert.deepEqual(labelsAt(at('votes = votes + {p}\n', '    broadcast ')), ['RequestVote', 'Vote']);
    assert.deepEqual(labelsAt(at('votes = votes + {p}\n', '    reply Vote { ')), ['term']);
  });

  test('`m.` lists the fields of the handler message; `timer`/`cancel` the timers', () => {
    assert.deepEqual(labelsAt(at('votes = votes + {p}\n', '    let x = m.')), ['term']);
    assert.deepEqual(labelsAt(at('votes = votes + {p}\n', '    cancel ')), ['election']);
    assert.deepEqual(labelsAt(at('votes = votes + {p}\n', '    timer ')), ['election']);
  });

  test('locals: a `let` is offered after it in its block, a `for` variable inside its loop only', () => {
    const text = 'protocol p {\n  var total: int = 0\n  var peers: set<node> = {}\n  on start {\n    let base = 1\n    for q in peers { let inner = 2 }\n    total = ‸\n  }\n}\n';
    const labels = labelsAt(text);
    assert.ok(labels.includes('base'));
    assert.ok(!labels.includes('q'));
    assert.ok(!labels.includes('inner'));
    const inLoop = labelsAt(text.replace('let inner = 2', 'total = ‸').replace('total = ‸\n  }', 'total = 1\n  }'));
    assert.ok(inLoop.includes('q') && inLoop.includes('base'));
  });

  test('a record field after `.` on a state variable, fn parameters in the fn body, the guard names the payload', () => {
    const text = 'protocol p {\n  message Ask { n: int, who: node }\n  var last: { term: int, cmd: string } = { term: 0, cmd: "" }\n  fn twice(k: int): int = ‸\n}\n';
    assert.ok(labelsAt(text).includes('k'));
    assert.deepEqual(labelsAt(text.replace('fn twice(k: int): int = ‸', 'on start { let t = last.‸ }')), ['term', 'cmd']);
    assert.ok(labelsAt(text.replace('fn twice(k: int): int = ‸', 'on Ask(q) from s when q.‸ { }')).includes('who'));
  });

  test('outside the protocol: scenario completion as before', () => {
    const text = at("  }\n}\n");
    assert.ok(labelsAt(text).includes('scenario'));
  });
});
