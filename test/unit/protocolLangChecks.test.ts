import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText, runText } from './support/scenario';

/**
 * Static checks of written protocols beyond the one-per-code fixtures
 * (test/fixtures/diagnostics/DS175…DS199): messages that name both sides,
 * the fixes offered, and how a written protocol meets the rest of the file
 * (bindings, properties, rules).
 */

function diagnostics(text: string): string[] {
  return checkText(text).diagnostics.map((d) => `${d.range.startLine} ${d.code} ${d.message}`);
}

const header = 'scenario t { seed 1  run for 1s }';

describe('written protocols: static checks', () => {
  test('a choice-typed state variable refuses strings it cannot hold, with a fix', () => {
    const text = `${header}
protocol p {
  var role: "follower" | "leader" = "folower"
  on start { role = "leadr"; if role == "leader" { role = "follower" } }
}
nodes n1 run p`;
    const ds = checkText(text).diagnostics;
    assert.deepEqual(ds.map((d) => [d.range.startLine, d.code]), [[3, 'DS180'], [4, 'DS180']]);
    assert.match(ds[1]!.message, /"leadr" is not a value of 'role': it is one of "follower", "leader"; did you mean "leader"\?/);
    assert.equal(ds[1]!.fix?.newText, '"leader"');
  });

  test('wrong types name both sides; unknown fields of a payload suggest the right one', () => {
    const text = `${header}
protocol p {
  message Vote { term: int }
  var votes: set<node> = {}
  on start { votes = 3; broadcast Vote { term: "x" } }
  on Vote(m) from q when m.trem > 0 { votes = votes + {q} }
}
nodes n1, n2 run p`;
    const ds = diagnostics(text);
    assert.ok(ds.some((d) => d.startsWith('5 DS180 cannot assign int to votes, which is set<node>')), ds.join('\n'));
    assert.ok(ds.some((d) => d.startsWith("5 DS180 field 'term' of Vote is int, not string")), ds.join('\n'));
    assert.ok(ds.some((d) => /^6 DS132 no field 'trem' in \{ term: int \}; did you mean 'term'\?/.test(d)), ds.join('\n'));
  });

  test("another node's state is not readable from a handler", () => {
    const text = `${header}
protocol p {
  var x: int = 0
  message M { }
  on M from q { x = q.x }
  on start { broadcast M { } }
}
nodes n1, n2 run p`;
    assert.ok(diagnostics(text).some((d) => d.startsWith("5 DS180 '.x' would read another node's state")));
  });

  test('bindings of a written protocol get the option checks of built-in ones', () => {
    const text = `${header}
protocol p {
  option timeout: duration range = 150ms..300ms
  option quorum: int
  var t: time = 0ms
  on start { t = random(timeout) + 1ms * quorum }
}
nodes n1 run p { timeout 5; quorm 2 }
nodes n2 run p { quorum 2; timeout 20ms..10ms }`;
    const codes = checkText(text).diagnostics.map((d) => `${d.range.startLine} ${d.code}`);
    assert.deepEqual(codes.sort(), ['5 DS194', '8 DS120', '8 DS126', '8 DS127', '9 DS125']);
  });

  test('a written protocol is a set in properties, its state their properties; unbound it is empty (DS186)', () => {
    const unbound = `${header}
protocol p {
  var x: int = 1
  on start { x = 2 }
}
nodes n1
invariant small: always forall n in p: n.x < 5`;
    assert.deepEqual(checkText(unbound).diagnostics.map((d) => d.code), ['DS186']);
    const bound = unbound.replace('nodes n1', 'nodes n1 run p') + '\nexpect n1.x == 2';
    const result = runText(bound);
    assert.deepEqual(result.violations, []);
    assert.equal(result.expectations[0]!.outcome?.passed, true);
  });

  test("scenario rules and sent() see a written protocol's message types", () => {
    const text = `${header}
protocol p {
  message Ping { n: int }
  on start { if self == "n1" { broadcast Ping { n: 1 } } }
  on Ping(m) from q { }
}
nodes n1, n2 run p
on n2 receive "Pong" { local "never" }
on n2 receive "Ping" { local "got" }
expect n1.sent("Ping") == 1`;
    const ds = checkText(text).diagnostics.map((d) => `${d.range.startLine} ${d.code}`);
    assert.deepEqual(ds, ['8 DS161']);
    const result = runText(text.replace('on n2 receive "Pong" { local "never" }\n', ''));
    assert.equal(result.expectations[0]!.outcome?.passed, true);
    assert.ok(result.events.some((e) => e.kind === 'local' && e.label === 'got'));
  });

  test('a second protocol of a name, a protocol named like a built-in', () => {
    const text = `${header}
protocol p { on start { } }
protocol p { on start { } }
protocol paxos { on start { } }
nodes n1 run p`;
    assert.deepEqual(checkText(text).diagnostics.map((d) => `${d.range.startLine} ${d.code}`), ['3 DS112', '4 DS195']);
  });
});
