import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isClientDefinition, nextFiring, type ClientOpSpec } from '../../server/src/core/protocols/client';
import type { ClientDecl } from '../../server/src/core/syntax/ast';
import { parse } from '../../server/src/core/syntax/parse';
import { checkText, modelOf, runText } from './support/scenario';
import { finalProps, notes } from './support/coordination';

const head = 'scenario c { seed 1  run for 1s }\nnodes n1..n3 run raft { election_timeout 150ms; heartbeat 50ms }\nnetwork { latency 10ms }\nclock n1 { drift +100000ppm }\n';
const codes = (text: string): string[] => checkText(text).diagnostics.map((d) => `${d.range.startLine} ${d.code}`);

describe('client statement: syntax and checks', () => {
  test('parses operations, targets and settings', () => {
    const parsed = parse(`${head}client c1 to n1, n2 { every 100ms put k = counter from 50ms until 900ms; at 1s get k; at 500ms put s = "hi"; timeout 40ms }`);
    assert.deepEqual(parsed.diagnostics, []);
    const c = parsed.ast.statements.find((s): s is ClientDecl => s.kind === 'client')!;
    assert.equal(c.name.text, 'c1');
    assert.deepEqual(c.targets.map((t) => t.first.text), ['n1', 'n2']);
    assert.deepEqual(c.items.map((i) => `${i.kind} ${i.op.verb.text} ${i.op.key.text}${i.op.value ? ` = ${i.op.value.kind}` : ''}`), ['every put k = name', 'at get k', 'at put s = string']);
    assert.deepEqual(c.settings.map((s) => s.key.text), ['timeout']);
  });

  test('a client is a node: links, clocks and faults can name it', () => {
    const text = `${head}client c1 { every 100ms get k }\nlink c1 -> n1 { latency 50ms }\nclock c1 { offset +5ms }\nfaults { at 500ms crash c1 }`;
    assert.deepEqual(codes(text), []);
    const model = modelOf(text);
    assert.deepEqual(model.nodes.map((n) => n.name), ['n1', 'n2', 'n3', 'c1']);
    const client = model.protocols.find((p) => isClientDefinition(p.definition))!;
    assert.deepEqual(client.nodes, [3]);
    // Paired with the raft instance, so its messages reach the servers.
    assert.deepEqual(client.peers, [model.protocols.findIndex((p) => p.definition.name === 'raft')]);
    if (isClientDefinition(client.definition)) assert.deepEqual(client.definition.workload.contacts, ['n1', 'n2', 'n3']);
  });

  test('`to` takes nodes or the name of a store; the first written is contacted first', () => {
    const contacts = (to: string) => {
      const model = modelOf(`${head}client c1 ${to} { at 100ms get k }`);
      const def = model.protocols.find((p) => isClientDefinition(p.definition))!.definition;
      return isClientDefinition(def) ? def.workload.contacts : [];
    };
    assert.deepEqual(contacts('to n3, n1'), ['n3', 'n1']);
    assert.deepEqual(contacts('to raft'), ['n1', 'n2', 'n3']);
    assert.deepEqual(contacts('to n2..n3'), ['n2', 'n3']);
  });

  test('operations and targets are checked', () => {
    assert.deepEqual(codes(`${head}client c1 { every 100ms fetch k }`), ['5 DS162']);
    assert.deepEqual(codes(`${head}client c1 { at 100ms get k = 1 }`), ['5 DS162']);
    assert.deepEqual(codes(`${head}client c1 { at 2s get k }`), ['5 DS123']);
    assert.deepEqual(codes(`${head}client c1 to n9 { at 100ms get k }`), ['5 DS110']);
    assert.deepEqual(codes(`${head}client c1 { at 100ms get k; retries 3 }`), ['5 DS126']);
    assert.deepEqual(codes(`${head}client c1 to c2 { at 100ms get k }\nclient c2 { at 100ms get k }`), ['5 DS141']);
    assert.deepEqual(codes(`${head}client c1 to c1 { at 100ms get k }`), ['5 DS141']);
    // Nothing to talk to, or two stores and no `to`.
    assert.deepEqual(codes('scenario c { seed 1  run for 1s }\nnodes a\nclient c1 { at 100ms get k }'), ['3 DS141']);
    assert.deepEqual(codes(`${head}nodes m1..m3 run multipaxos\nclient c1 { at 100ms get k }`), ['6 DS141']);
    assert.deepEqual(codes(`${head}nodes m1..m3 run multipaxos\nclient c1 to multipaxos { at 100ms get k }`), []);
    // `client` is a keyword now: it cannot name a node.
    assert.ok(checkText('scenario c { seed 1  run for 1s }\nnodes a, client').diagnostics.some((d) => d.severity === 'error'));
  });
});

describe('client workload: behaviour', () => {
  test('operations fire by the client\'s own clock', () => {
    // The client's clock reads 20ms ahead of true time: `from 250ms` is true
    // 230ms. (n1 leads from 156ms; each operation is answered within 40ms.)
    const r = runText(`${head}client c1 { every 100ms get k from 250ms until 460ms; at 600ms put k = 1 }\nclock c1 { offset +20ms }`);
    const invokes = notes(r, 'phase', 'invoke').map((e) => `${e.data!['op']} ${e.time / 1e6}`);
    assert.deepEqual(invokes, ['get 230', 'get 330', 'get 430', 'put 580']);
  });

  test('follows redirects to the leader and records a matched history', () => {
    // n1 leads from 156.36ms (see raft.test.ts). The client asks n3 first.
    const r = runText(`${head}client c1 to n3, n2, n1 { every 100ms put k = counter from 300ms until 700ms; every 100ms get k from 350ms until 750ms }\ninvariant linearizable(kv)`);
    const sends = r.events.filter((e) => e.kind === 'send' && e.label === 'kv.request').map((e) => r.model.nodes[e.peer!]!.name);
    // The first request goes to n3, is redirected to n1; later ones go straight to n1.
    assert.deepEqual(sends.slice(0, 3), ['n3', 'n1', 'n1']);
    const invokes = notes(r, 'phase', 'invoke');
    const returns = notes(r, 'phase', 'return');
    assert.equal(invokes.length, 10);
    assert.deepEqual(returns.map((e) => e.data!['opId']).sort(), invokes.map((e) => e.data!['opId']).sort());
    for (const ret of returns) assert.ok(invokes.find((i) => i.data!['opId'] === ret.data!['opId'])!.time < ret.time);
    // put k = counter writes 1, 2, 3, … and each get reads the latest one.
    assert.deepEqual(invokes.filter((e) => e.data!['op'] === 'put').map((e) => e.data!['value']), [1, 2, 3, 4, 5]);
    assert.deepEqual(returns.filter((e) => e.data!['op'] === 'get').map((e) => e.data!['value']), [1, 2, 3, 4, 5]);
    assert.equal(finalProps(r, 'c1')['ops_done'], 10);
    assert.equal(finalProps(r, 'c1')['leader'], 'n1');
    assert.deepEqual(r.violations, []);
  });

  test('retries at the next contact after the timeout when a node is down', () => {
    const r = runText(`${head}client c1 to n2, n1 { at 300ms get k; timeout 45ms }\nfaults { at 250ms crash n2 }`);
    const sends = r.events.filter((e) => e.kind === 'send' && e.label === 'kv.request').map((e) => `${r.model.nodes[e.peer!]!.name} ${e.time / 1e6}`);
    // n2 is down: no answer; 45ms later the same operation goes to n1, which
    // leads: it reaches n1 at 355ms, goes through the log (AppendEntries out
    // and back, 375ms) and the answer reaches c1 at 385ms.
    assert.deepEqual(sends, ['n2 300', 'n1 345']);
    assert.deepEqual(notes(r, 'phase', 'return').map((e) => e.time / 1e6), [385]);
  });

  test('one operation at a time: the next waits its turn, repeated firings are skipped', () => {
    // The only contact is down: the first get never returns. The second firing
    // waits; firings 3..10 (up to 1s) find it still waiting and are skipped.
    const r = runText(`${head}client c1 to n2 { every 100ms get k }\nfaults { at 50ms crash n2 }`);
    assert.deepEqual(notes(r, 'phase', 'invoke').map((e) => e.time / 1e6), [100]);
    assert.equal(finalProps(r, 'c1')['ops_pending'], 2);
    assert.equal(finalProps(r, 'c1')['ops_skipped'], 8);
    // Two operations due together: the second is invoked when the first returns.
    const both = runText(`${head}client c1 to n1 { at 300ms put k = 1; at 300ms get k }`);
    const phases = notes(both, 'phase').map((e) => `${e.data!['phase']} ${e.data!['op']} ${e.time / 1e6}`);
    // put: sent 300, at n1 310, committed 330, answer 340; get: same round again, 380.
    assert.deepEqual(phases, ['invoke put 300', 'return put 340', 'invoke get 340', 'return get 380']);
  });

  test('operation ids and counter values survive a client restart', () => {
    const r = runText(`${head}client c1 { every 100ms put k = counter from 300ms }\nfaults { at 520ms crash c1; at 650ms restart c1 }`);
    const invokes = notes(r, 'phase', 'invoke');
    assert.deepEqual(invokes.map((e) => `${e.data!['opId']}=${e.data!['value']}@${e.time / 1e6}`), ['c1.1=1@300', 'c1.2=2@400', 'c1.3=3@500', 'c1.4=4@700', 'c1.5=5@800', 'c1.6=6@900', 'c1.7=7@1000']);
  });

  test('nextFiring: the schedule on the local clock', () => {
    const op = (start: number, period: number | undefined, stop: number | undefined): ClientOpSpec => ({ op: 'get', key: 'k', start, period, stop, range: { startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } });
    assert.equal(nextFiring(op(50, 100, undefined), 0), 50);
    assert.equal(nextFiring(op(50, 100, undefined), 51), 150);
    assert.equal(nextFiring(op(50, 100, undefined), 150), 150);
    assert.equal(nextFiring(op(50, 100, 200), 151), undefined);
    assert.equal(nextFiring(op(70, undefined, undefined), 70), 70);
    assert.equal(nextFiring(op(70, undefined, undefined), 71), undefined);
  });
});
