import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Expr } from '../../server/src/core/expr/ast';
import type * as A from '../../server/src/core/syntax/ast';
import { parse } from '../../server/src/core/syntax/parse';

/** Parses text that must have no syntax errors. */
function ast(text: string): readonly A.Statement[] {
  const r = parse(text);
  assert.deepEqual(r.diagnostics.map((d) => `${d.range.startLine}:${d.range.startColumn} ${d.code} ${d.message}`), []);
  return r.ast.statements;
}

function only<K extends A.Statement['kind']>(text: string, kind: K): Extract<A.Statement, { kind: K }> {
  const statements = ast(text);
  assert.equal(statements.length, 1);
  assert.equal(statements[0]!.kind, kind);
  return statements[0] as Extract<A.Statement, { kind: K }>;
}

/** A value without its source ranges, to compare shapes. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'range').map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

const options = (settings: readonly A.OptionSetting[]): unknown =>
  Object.fromEntries(settings.map((s) => [s.key.text, plain(s.values.map((v) => (v.assigned ? [v.value, v.assigned] : v.value)))]));

describe('parser: statements', () => {
  test('scenario header: name, run for, options, semicolons optional', () => {
    const s = only('scenario demo { seed 7; run for 2s  max_events 100000 }', 'scenario');
    assert.equal(s.name.text, 'demo');
    assert.deepEqual(plain(s.duration), { kind: 'duration', ns: 2e9, text: '2s' });
    assert.deepEqual(options(s.options), { seed: [{ kind: 'number', value: 7, text: '7' }], max_events: [{ kind: 'number', value: 100000, text: '100000' }] });
  });

  test('nodes: names, ranges, Unicode names', () => {
    const s = only('nodes A, Zürich, 北京, n1..n5', 'nodes');
    assert.deepEqual(s.refs.map((r) => [r.first.text, r.last?.text]), [['A', undefined], ['Zürich', undefined], ['北京', undefined], ['n1', 'n5']]);
    assert.equal(s.protocol, undefined);
  });

  test('nodes … run PROTOCOL { options }: a generic protocol binding', () => {
    const s = only('nodes n1..n3 run raft { election_timeout 150ms..300ms; heartbeat 50ms  priority n1 = 1, n2 = 2 }', 'nodes');
    assert.equal(s.protocol!.name.text, 'raft');
    assert.deepEqual(options(s.protocol!.options), {
      election_timeout: [{ kind: 'range', low: { kind: 'duration', ns: 150e6, text: '150ms' }, high: { kind: 'duration', ns: 300e6, text: '300ms' } }],
      heartbeat: [{ kind: 'duration', ns: 50e6, text: '50ms' }],
      priority: [
        [{ kind: 'name', name: 'n1' }, { kind: 'number', value: 1, text: '1' }],
        [{ kind: 'name', name: 'n2' }, { kind: 'number', value: 2, text: '2' }],
      ],
    });
    assert.deepEqual(only('nodes A, B run gossip', 'nodes').protocol!.options, []);
  });

  test('sync PROTOCOL { options }, with `key: value` allowed', () => {
    const s = only('sync ntp { servers: S1, S2; poll 1s }', 'sync');
    assert.equal(s.protocol.name.text, 'ntp');
    assert.deepEqual(options(s.protocol.options), { servers: [{ kind: 'name', name: 'S1' }, { kind: 'name', name: 'S2' }], poll: [{ kind: 'duration', ns: 1e9, text: '1s' }] });
  });

  test('network with every latency form, loss and duplicate', () => {
    for (const [text, latency] of [
      ['10ms', { kind: 'duration', ns: 10e6, text: '10ms' }],
      ['5ms..20ms', { kind: 'range', low: { kind: 'duration', ns: 5e6, text: '5ms' }, high: { kind: 'duration', ns: 20e6, text: '20ms' } }],
      ['normal(10ms, 2ms)', { kind: 'name', name: 'normal', args: [{ kind: 'duration', ns: 10e6, text: '10ms' }, { kind: 'duration', ns: 2e6, text: '2ms' }] }],
      ['exponential(5ms)', { kind: 'name', name: 'exponential', args: [{ kind: 'duration', ns: 5e6, text: '5ms' }] }],
    ] as const) {
      const s = only(`network { latency ${text}  loss 1%  duplicate 0.5% }`, 'network');
      assert.deepEqual(options(s.options), {
        latency: [latency],
        loss: [{ kind: 'percent', fraction: 0.01, text: '1%' }],
        duplicate: [{ kind: 'percent', fraction: 0.005, text: '0.5%' }],
      });
    }
  });

  test('link in one direction and both', () => {
    const one = only('link A -> B { latency 40ms }', 'link');
    assert.deepEqual([one.link.from.text, one.link.to.text, one.link.bidirectional], ['A', 'B', false]);
    const both = only('link A <-> B { loss 2% }', 'link');
    assert.deepEqual([both.link.from.text, both.link.to.text, both.link.bidirectional], ['A', 'B', true]);
  });

  test('clock for one or several nodes: signed offset, ppm drift, resolution', () => {
    const s = only('clock A, n1..n2 { offset -3ms  drift +50ppm  resolution 1us }', 'clock');
    assert.deepEqual(s.nodes.map((r) => [r.first.text, r.last?.text]), [['A', undefined], ['n1', 'n2']]);
    assert.deepEqual(options(s.options), {
      offset: [{ kind: 'duration', ns: -3e6, text: '-3ms' }],
      drift: [{ kind: 'ppm', ppm: 50, text: '+50ppm' }],
      resolution: [{ kind: 'duration', ns: 1000, text: '1us' }],
    });
  });

  test('at: send to a node, to everyone, local event', () => {
    const [a, b, c] = ast('at 10ms A -> B "hello"\nat 1.5s A -> * "all"\nat 30ms C local "commit"') as A.AtStmt[];
    assert.deepEqual(plain(a), { kind: 'at', time: { kind: 'duration', ns: 10e6, text: '10ms' }, action: { kind: 'send', node: { text: 'A' }, target: { text: 'B' }, label: { value: 'hello' } } });
    assert.deepEqual(plain(b!.action), { kind: 'send', node: { text: 'A' }, target: 'everyone', label: { value: 'all' } });
    assert.deepEqual(plain(c!.action), { kind: 'local', node: { text: 'C' }, label: { value: 'commit' } });
  });

  test('every with and without from/until', () => {
    const [a, b] = ast('every 100ms A -> * "ping" from 0s until 1s\nevery 1min B local "tick"') as A.EveryStmt[];
    assert.deepEqual([a!.period.kind === 'duration' && a!.period.ns, plain(a!.start), plain(a!.stop)], [100e6, { kind: 'duration', ns: 0, text: '0s' }, { kind: 'duration', ns: 1e9, text: '1s' }]);
    assert.deepEqual([b!.period.kind === 'duration' && b!.period.ns, b!.start, b!.stop], [60e9, undefined, undefined]);
  });

  test('on receive: label or any, optional sender, every action form', () => {
    const s = only('on B receive "hello" from A { send C "fwd"; send B -> C "fwd2" reply "ack" broadcast "x" local "y" after 5ms send A "z" after 1ms after 2ms local "w" }', 'on');
    assert.deepEqual([s.node.text, s.label?.value, s.sender?.text], ['B', 'hello', 'A']);
    assert.deepEqual(plain(s.actions), [
      { kind: 'send', target: { text: 'C' }, label: { value: 'fwd' } },
      { kind: 'send', from: { text: 'B' }, target: { text: 'C' }, label: { value: 'fwd2' } },
      { kind: 'reply', label: { value: 'ack' } },
      { kind: 'broadcast', label: { value: 'x' } },
      { kind: 'local', label: { value: 'y' } },
      { kind: 'after', delay: { kind: 'duration', ns: 5e6, text: '5ms' }, then: { kind: 'send', target: { text: 'A' }, label: { value: 'z' } } },
      { kind: 'after', delay: { kind: 'duration', ns: 1e6, text: '1ms' }, then: { kind: 'after', delay: { kind: 'duration', ns: 2e6, text: '2ms' }, then: { kind: 'local', label: { value: 'w' } } } },
    ]);
    const any = only('on C receive any { }', 'on');
    assert.deepEqual([any.label, any.sender, any.actions], [undefined, undefined, []]);
  });

  test('faults: every fault form', () => {
    const s = only(`faults {
      at 500ms partition {A, B} | {C} for 200ms
      at 600ms partition {n1..n3} | {} ;
      at 900ms heal
      at 1.2s crash B
      at 1.5s restart B
      at 1.7s clock C jump -40ms
      at 1.7s clock C drift +200ppm
      at 1.8s drop A -> C for 100ms
      at 1.8s drop A <-> B
      at 1.9s delay A <-> C by 50ms for 100ms
    }`, 'faults');
    const f = s.faults;
    const t = (x: A.Fault): number => (x.time.kind === 'duration' ? x.time.ns : NaN);
    assert.deepEqual(f.map((x) => [x.kind, t(x)]), [
      ['partition', 500e6], ['partition', 600e6], ['heal', 900e6], ['crash', 1.2e9], ['restart', 1.5e9],
      ['clock-jump', 1.7e9], ['clock-drift', 1.7e9], ['drop', 1.8e9], ['drop', 1.8e9], ['delay', 1.9e9],
    ]);
    assert.deepEqual(plain((f[0] as Extract<A.Fault, { kind: 'partition' }>).groups), [[{ first: { text: 'A' } }, { first: { text: 'B' } }], [{ first: { text: 'C' } }]]);
    assert.deepEqual(plain((f[0] as Extract<A.Fault, { kind: 'partition' }>).window), { kind: 'duration', ns: 200e6, text: '200ms' });
    assert.deepEqual(plain((f[1] as Extract<A.Fault, { kind: 'partition' }>).groups), [[{ first: { text: 'n1' }, last: { text: 'n3' } }], []]);
    assert.deepEqual(plain(f[3]), { time: { kind: 'duration', ns: 1.2e9, text: '1.2s' }, kind: 'crash', node: { text: 'B' } });
    assert.deepEqual(plain(f[5]), { time: { kind: 'duration', ns: 1.7e9, text: '1.7s' }, kind: 'clock-jump', node: { text: 'C' }, amount: { kind: 'duration', ns: -40e6, text: '-40ms' } });
    assert.deepEqual(plain(f[6]), { time: { kind: 'duration', ns: 1.7e9, text: '1.7s' }, kind: 'clock-drift', node: { text: 'C' }, amount: { kind: 'ppm', ppm: 200, text: '+200ppm' } });
    assert.deepEqual(plain(f[7]), { time: { kind: 'duration', ns: 1.8e9, text: '1.8s' }, kind: 'drop', link: { from: { text: 'A' }, to: { text: 'C' }, bidirectional: false }, window: { kind: 'duration', ns: 100e6, text: '100ms' } });
    assert.equal((f[8] as Extract<A.Fault, { kind: 'drop' }>).window, undefined);
    assert.deepEqual(plain(f[9]), {
      time: { kind: 'duration', ns: 1.9e9, text: '1.9s' }, kind: 'delay', link: { from: { text: 'A' }, to: { text: 'C' }, bidirectional: true },
      extra: { kind: 'duration', ns: 50e6, text: '50ms' }, window: { kind: 'duration', ns: 100e6, text: '100ms' },
    });
  });

  test('invariants: bare, with arguments, within, comparison', () => {
    const [a, b, c] = ast('invariant causal_delivery\ninvariant max_skew(A, B) < 10ms\ninvariant eventually_leader within 2s <= 3') as A.InvariantDecl[];
    assert.deepEqual(plain(a), { kind: 'invariant', name: { text: 'causal_delivery' }, args: [] });
    assert.deepEqual(plain(b), { kind: 'invariant', name: { text: 'max_skew' }, args: [{ kind: 'name', name: 'A' }, { kind: 'name', name: 'B' }], comparator: '<', bound: { kind: 'duration', ns: 10e6, text: '10ms' } });
    assert.deepEqual(plain(c), { kind: 'invariant', name: { text: 'eventually_leader' }, args: [], within: { kind: 'duration', ns: 2e9, text: '2s' }, comparator: '<=', bound: { kind: 'number', value: 3, text: '3' } });
  });

  test('expect: properties with arguments, every comparator and literal, at end / at T', () => {
    const statements = ast(`expect B.lamport >= 3 at end
      expect B.vc(A) == 1
      expect A.received("ping") != 0 at 1s
      expect A.clock < 10ms
      expect C.alive == true
      expect n1.role == "leader"
      expect A.sent > B.sent
      expect 2 <= A.crashes`) as A.ExpectDecl[];
    const top = statements.map((e) => e.condition as Extract<Expr, { kind: 'binary' }>);
    assert.deepEqual(top.map((e) => e.op), ['>=', '==', '!=', '<', '==', '==', '>', '<=']);
    assert.deepEqual(plain(statements[0]), {
      kind: 'expect',
      condition: { kind: 'binary', op: '>=', left: { kind: 'field', target: { kind: 'name', name: { text: 'B' } }, name: { text: 'lamport' } }, right: { kind: 'int', value: 3, text: '3' } },
      at: 'end',
    });
    assert.deepEqual(plain(top[1]!.left), { kind: 'call', callee: { text: 'vc' }, target: { kind: 'name', name: { text: 'B' } }, args: [{ kind: 'name', name: { text: 'A' } }] });
    assert.deepEqual(plain(top[2]!.left), { kind: 'call', callee: { text: 'received' }, target: { kind: 'name', name: { text: 'A' } }, args: [{ kind: 'string', value: 'ping' }] });
    assert.deepEqual(plain(statements[2]!.at), { kind: 'duration', ns: 1e9, text: '1s' });
    assert.equal(statements[1]!.at, 'end');
    assert.deepEqual(plain(top[3]!.right), { kind: 'time', ns: 10e6, text: '10ms' });
    assert.deepEqual(plain(top[4]!.right), { kind: 'bool', value: true });
    assert.deepEqual(plain(top[5]!.right), { kind: 'string', value: 'leader' });
    assert.equal(top[6]!.right.kind, 'field');
    assert.deepEqual(plain(top[7]!.left), { kind: 'int', value: 2, text: '2' });
  });
});

describe('parser: values, comments, positions', () => {
  test('string escapes are resolved', () => {
    const s = only(String.raw`at 1ms A -> B "say \"hi\"\tback\\slash\nnext"`, 'at');
    assert.equal(s.action.label.value, 'say "hi"\tback\\slash\nnext');
  });

  test('signed values: offsets, jumps, ppm, numbers', () => {
    const s = only('clock A { offset -2.5ms  drift -120ppm  level -3 }', 'clock');
    assert.deepEqual(options(s.options), {
      offset: [{ kind: 'duration', ns: -2.5e6, text: '-2.5ms' }],
      drift: [{ kind: 'ppm', ppm: -120, text: '-120ppm' }],
      level: [{ kind: 'number', value: -3, text: '-3' }],
    });
  });

  test('bools and names as option values', () => {
    const s = only('network { enabled true  strict false  mode fast }', 'network');
    assert.deepEqual(options(s.options), { enabled: [{ kind: 'bool', value: true }], strict: [{ kind: 'bool', value: false }], mode: [{ kind: 'name', name: 'fast' }] });
  });

  test('comments anywhere; they are kept apart from the AST', () => {
    const r = parse('// header\nnodes A, /* inline */ B // trailing\n/* multi\nline */ at 1ms A -> B "x"');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.ast.statements.map((s) => s.kind), ['nodes', 'at']);
    assert.deepEqual(r.comments.map((c) => c.image), ['// header', '/* inline */', '// trailing', '/* multi\nline */']);
    assert.deepEqual(r.ast.statements[1]!.range.startLine, 4);
  });

  test('ranges are 1-based, end-exclusive, and cover the statement', () => {
    const [nodes, at] = ast('nodes A, B\n  at 10ms A -> B "hi"');
    assert.deepEqual(nodes!.range, { startOffset: 0, endOffset: 10, startLine: 1, startColumn: 1, endLine: 1, endColumn: 11 });
    assert.deepEqual(at!.range, { startOffset: 13, endOffset: 32, startLine: 2, startColumn: 3, endLine: 2, endColumn: 22 });
    const label = (at as A.AtStmt).action.label.range;
    assert.deepEqual([label.startColumn, label.endColumn], [18, 22]);
  });

  test('an empty file is an empty AST without errors', () => {
    assert.deepEqual(ast(''), []);
    assert.deepEqual(ast('  // only a comment\n'), []);
  });
});

describe('parser: recovery', () => {
  const broken = `scenario r { seed 1  run for 1s }
nodes A, B, C
at 10ms A -> B
at 20ms A -> C "ok"
on B receive { send C "x" }
network { latency 5ms.. }
invariant max_skew <
link A <-> { latency 4ms }
at 40ms C -> A "last"
expect C.received("ok") == 1`;

  test('reports every broken line, each on its own line', () => {
    const r = parse(broken);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.startLine]), [['DS102', 3], ['DS102', 5], ['DS102', 6], ['DS102', 7], ['DS102', 8], ['DS102', 8]]);
    // A statement cut short at the end of its line is reported just after its last token.
    assert.deepEqual([r.diagnostics[0]!.range.startColumn, r.diagnostics[0]!.message], [15, "expected a quoted label but found 'at'"]);
  });

  test('keeps every intact statement, in order', () => {
    const r = parse(broken);
    assert.deepEqual(r.ast.statements.map((s) => `${s.kind}@${s.range.startLine}`), ['scenario@1', 'nodes@2', 'at@4', 'network@6', 'at@9', 'expect@10']);
    // The network block survived without its broken option.
    assert.deepEqual((r.ast.statements[3] as A.NetworkDecl).options, []);
  });

  test('a broken fault inside a block keeps the faults around it', () => {
    const r = parse('faults {\n at 1s crash A\n at 2s explode B\n at 3s restart A\n}');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.startLine, d.range.startColumn]), [['DS102', 3, 8]]);
    assert.match(r.diagnostics[0]!.message, /expected a fault: partition, heal, crash/);
    const faults = (r.ast.statements[0] as A.FaultsBlock).faults;
    assert.deepEqual(faults.map((f) => f.kind), ['crash', 'restart']);
  });

  test('a node list cut short still declares the names before the error', () => {
    const r = parse('nodes A, B,\nat 10ms A -> B "x"');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.startLine, d.range.startColumn]), [['DS102', 1, 12]]);
    assert.deepEqual((r.ast.statements[0] as A.NodesDecl).refs.map((x) => x.first.text), ['A', 'B']);
    assert.equal(r.ast.statements[1]!.kind, 'at');
  });

  test('a missing closing brace at the end of the file points at the end, and says where the block opened', () => {
    const r = parse('scenario x { seed 1  run for 1s\n');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.startLine, d.range.startColumn, d.message]), [
      ['DS106', 1, 32, "the '{' of this scenario header (line 1, column 12) is never closed; add '}' here, before the end of the file"],
    ]);
    assert.equal(r.ast.statements[0]!.kind, 'scenario');
  });

  test('garbage between statements is one error and the next statement parses', () => {
    const r = parse('nodes A, B\n42 fish\nat 1ms A -> B "x"');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.startLine, d.range.startColumn]), [['DS102', 2, 1]]);
    assert.match(r.diagnostics[0]!.message, /^unexpected '42': expected a statement/);
    assert.deepEqual(r.ast.statements.map((s) => s.kind), ['nodes', 'at']);
  });

  test('parse never throws on hostile input', () => {
    for (const text of ['{{{{', '}}}}', '"', '/*', 'at at at', 'faults { at', 'nodes ..', 'expect A.', 'link -> <->', '\u0000\uffff', 'invariant x(((']) {
      const r = parse(text);
      assert.ok(r.diagnostics.length > 0, text);
    }
  });
});
