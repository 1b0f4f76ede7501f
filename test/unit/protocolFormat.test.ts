import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { format } from '../../server/src/core/format/formatter';
import { parse } from '../../server/src/core/syntax/parse';
import { LEADER_ELECTION } from './support/protocols';

/** The AST without source ranges: what formatting must not change. */
function shape(text: string): unknown {
  const r = parse(text);
  assert.deepEqual(r.diagnostics.map((d) => `${d.range.startLine}:${d.range.startColumn} ${d.code} ${d.message}`), []);
  return JSON.parse(JSON.stringify(r.ast.statements, (k, v: unknown) => (k === 'range' || k === 'bodyRange' ? undefined : v)));
}

function formats(text: string, expected: string): void {
  const once = format(text);
  assert.equal(once, expected);
  assert.equal(format(once), once, 'formatting is idempotent');
  assert.deepEqual(shape(once), shape(text), 'formatting keeps the AST');
}

describe('formatter: protocols', () => {
  test('the issue example is kept, with types and braces written canonically', () => {
    const once = format(LEADER_ELECTION)!;
    assert.deepEqual(shape(once), shape(LEADER_ELECTION));
    assert.equal(format(once), once);
    assert.match(once, /^ {2}stable voted_for: node\? = none$/m);
    assert.match(once, /^ {2}var votes: set<node> = \{\}$/m);
    assert.match(once, /^ {4}term = term \+ 1; role = "candidate"; votes = \{ self \}; voted_for = self$/m);
    assert.match(once, /when m\.term > term or \(m\.term == term and voted_for in \{ none, p \}\) \{$/m);
  });

  test('indentation by depth, one member and one statement per line kept, comments kept', () => {
    formats(
      'protocol p   serves kv {\n// state\nvar x :map< string ,set< node > >={}\n  on start{\nif x==none{ y=1 }else{\nfor q in members{send Ping{}to q}\n}\n  } /* end */\n}\n',
      'protocol p serves kv {\n  // state\n  var x: map<string, set<node>> = {}\n  on start {\n    if x == none { y = 1 } else {\n      for q in members { send Ping {} to q }\n    }\n  } /* end */\n}\n',
    );
  });

  test('items on one line without `;` get one; message fields get `,`', () => {
    formats(
      'protocol p { message M { a: int b: string }  var x: int = 0 var y: int = 1\n on start { x = 1 y = 2\n timer t after 10ms cancel t } }\n',
      'protocol p { message M { a: int, b: string }; var x: int = 0; var y: int = 1\n  on start { x = 1; y = 2\n    timer t after 10ms; cancel t } }\n',
    );
  });

  test('a unary minus hugs its operand; a minus after an operand is a spaced subtraction', () => {
    formats(
      'protocol u {\n  var x: int = 0\n  on start {\n    x = - x\n    let y = -( x+1 )\n    x = y-x - -3\n  }\n}\ninvariant neg: always forall n in u: - n.x <= 100\n',
      'protocol u {\n  var x: int = 0\n  on start {\n    x = -x\n    let y = -(x + 1)\n    x = y - x - -3\n  }\n}\ninvariant neg: always forall n in u: -n.x <= 100\n',
    );
  });

  test('a member or statement over several lines: continuation lines indented once more (a handler, if or for head twice), braces opened inside it alone', () => {
    formats(
      'protocol p {\nvar x: { a: int } = {\na: 1\n}\non Vote(m) from p when ok\nand m.term == term {\nx = a +\nb\nsend M {\nterm: t\n} to p\nif a\nor b {\ny = 1\n} else if c\nand d {\ny = 2\n}\n}\nfn f(a: int): int =\na + 1\n}\n',
      [
        'protocol p {',
        '  var x: { a: int } = {',
        '    a: 1',
        '  }',
        '  on Vote(m) from p when ok',
        '      and m.term == term {',
        '    x = a +',
        '      b',
        '    send M {',
        '      term: t',
        '    } to p',
        '    if a',
        '        or b {',
        '      y = 1',
        '    } else if c',
        '        and d {',
        '      y = 2',
        '    }',
        '  }',
        '  fn f(a: int): int =',
        '    a + 1',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('a long handler head broken over lines gets a continuation indent, so its guard never lines up with its body', () => {
    formats(
      [
        'protocol le {',
        'message RequestVote { term: int }',
        'stable term: int = 0',
        'stable voted_for: node? = none',
        'on RequestVote(m)',
        'from p',
        'when m.term > term or',
        '(m.term == term and voted_for in { none, p }) {',
        'term = m.term',
        'for q in members {',
        'if q != p and',
        'q != self {',
        'send RequestVote { term: term } to q',
        '}',
        '}',
        '}',
        '}',
        '',
      ].join('\n'),
      [
        'protocol le {',
        '  message RequestVote { term: int }',
        '  stable term: int = 0',
        '  stable voted_for: node? = none',
        '  on RequestVote(m)',
        '      from p',
        '      when m.term > term or',
        '      (m.term == term and voted_for in { none, p }) {',
        '    term = m.term',
        '    for q in members {',
        '      if q != p and',
        '          q != self {',
        '        send RequestVote { term: term } to q',
        '      }',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    // A statement that opens no block (an assignment) stays at one level, like a wrapped property.
    formats('protocol q {\n  var x: int = 0\n  on start {\n    x = 1 +\n    2\n  }\n}\n', 'protocol q {\n  var x: int = 0\n  on start {\n    x = 1 +\n      2\n  }\n}\n');
  });

  test('signed literals after an operand are subtractions; clock control and notes untouched', () => {
    formats(
      'protocol p {\n  var x: int = -1\n  on start { x = x -1; clock.slew(-20); clock.step( -5ms ); note "x = {x -1}" }\n}\n',
      'protocol p {\n  var x: int = -1\n  on start { x = x - 1; clock.slew(-20); clock.step(-5ms); note "x = {x -1}" }\n}\n',
    );
  });
});
