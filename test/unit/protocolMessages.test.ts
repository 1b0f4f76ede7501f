import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { PROTOCOLS } from '../../server/src/core/protocols/registry';
import { checkText, eventsOf, repoPath, runText } from './support/scenario';

/**
 * Issue 12 item 6: protocol messages are visible to scenario rules and
 * counters by their type, and the checker knows which types a protocol
 * sends (ProtocolDefinition.messages), so a rule on one is no false DS161.
 */
const RAFT = 'scenario r { seed 3  run for 1s }\nnodes n1..n3 run raft\n';

describe('protocol messages in counters and rules', () => {
  test('n.sent("AppendEntries") and n.received(…) count the protocol messages of that type', () => {
    const run = runText(RAFT);
    const sends = (node: string, label: string) => eventsOf(run, 'send').filter((e) => e.label === label && e.node === ['n1', 'n2', 'n3'].indexOf(node)).length;
    const receives = (node: string, label: string) => eventsOf(run, 'receive').filter((e) => e.label === label && e.node === ['n1', 'n2', 'n3'].indexOf(node)).length;
    const total = ['n1', 'n2', 'n3'].reduce((n, x) => n + sends(x, 'AppendEntries'), 0);
    assert.ok(total > 10, `a leader sends heartbeats (${total})`);
    // The same run (same seed) with expectations that the counters equal what the trace shows.
    const expects = ['n1', 'n2', 'n3'].flatMap((x) => [
      `expect ${x}.sent("AppendEntries") == ${sends(x, 'AppendEntries')}`,
      `expect ${x}.received("AppendEntries") == ${receives(x, 'AppendEntries')}`,
      `expect ${x}.sent("RequestVote") == ${sends(x, 'RequestVote')}`,
    ]);
    const result = runText(`${RAFT}${expects.join('\n')}\n`);
    assert.deepEqual(result.violations, []);
  });

  test('on n receive "AppendEntries" fires on every one received, after the protocol handled it; no DS161', () => {
    const text = `${RAFT}on n2 receive "AppendEntries" { local "saw heartbeat" }\non n3 receive "Vote" { local "saw vote" }\n`;
    assert.deepEqual(checkText(text).diagnostics, []);
    const result = runText(text);
    const received = eventsOf(result, 'receive').filter((e) => e.node === 1 && e.label === 'AppendEntries').length;
    const saw = eventsOf(result, 'local').filter((e) => e.node === 1 && e.label === 'saw heartbeat').length;
    assert.ok(received > 0);
    assert.equal(saw, received);
    // The protocol itself is unchanged by the observing rule: same heartbeats as without it.
    assert.equal(eventsOf(runText(RAFT), 'send').filter((e) => e.label === 'AppendEntries').length, eventsOf(result, 'send').filter((e) => e.label === 'AppendEntries').length);
  });

  test('a rule may reply to a protocol message with a scenario message, to its sender', () => {
    const result = runText(`${RAFT}on n2 receive "AppendEntries" { reply "ack-seen" }\n`);
    const leaders = new Set(eventsOf(result, 'receive').filter((e) => e.node === 1 && e.label === 'AppendEntries').map((e) => e.peer));
    const replies = eventsOf(result, 'send').filter((e) => e.label === 'ack-seen');
    assert.ok(replies.length > 0);
    assert.ok(replies.every((e) => e.node === 1 && leaders.has(e.peer)));
    // The reply reaches a raft node as a scenario message: received and counted, never handed to the protocol.
    assert.equal(eventsOf(result, 'receive').filter((e) => e.label === 'ack-seen').length, replies.length);
  });

  test('`receive any` stays for scenario messages: on a protocol node with no scenario sends it is DS161', () => {
    const ds = checkText(`${RAFT}on n2 receive any { local "x" }\n`).diagnostics;
    assert.deepEqual(ds.map((d) => d.code), ['DS161']);
    assert.equal(eventsOf(runText(`${RAFT}on n2 receive any { local "x" }\n`), 'local').length, 0);
  });

  test('a type the protocol never sends is DS161, with a did-you-mean among its types', () => {
    const ds = checkText(`${RAFT}on n2 receive "AppendEntrys" { local "x" }\n`).diagnostics;
    assert.deepEqual(ds.map((d) => [d.code, d.message]), [['DS161', `nothing in this scenario sends "AppendEntrys" to 'n2', so this rule never fires; did you mean "AppendEntries"?`]]);
    const unrelated = checkText(`${RAFT}on n2 receive "Prepare" { local "x" }\n`).diagnostics;
    assert.match(unrelated[0]!.message, /never fires \(raft sends "RequestVote", "Vote", "AppendEntries", "AppendReply", "InstallSnapshot", "kv.reply"\)$/);
  });

  test('every protocol declares its message types; only the reference clock (which reads the oracle) sends none', () => {
    const samples = fs.readdirSync(repoPath('samples')).filter((f) => f.endsWith('.dsync')).map((f) => fs.readFileSync(repoPath('samples', f), 'utf8'));
    for (const p of PROTOCOLS) {
      assert.ok(p.messages, `${p.name} declares no messages list`);
      if (p.name === 'reference') continue;
      const bound = samples.some((text) => new RegExp(`\\b(run|sync) ${p.name}\\b`).test(text));
      assert.ok(bound, `no sample binds ${p.name}`);
      assert.ok(p.messages.length > 0, `${p.name} has a sample but declares no message types`);
    }
  });

  test('every type any protocol (clients included) sent in any sample is in its declared list', () => {
    const samples = fs.readdirSync(repoPath('samples')).filter((f) => f.endsWith('.dsync'));
    const seen = new Map<string, number>();
    for (const f of samples) {
      const text = fs.readFileSync(repoPath('samples', f), 'utf8');
      const checked = checkText(text);
      if (!checked.model) continue;
      const byName = new Map(checked.model.protocols.map((i) => [i.definition.name, i.definition]));
      for (const e of eventsOf(runText(text), 'send')) {
        if (e.protocol === undefined || e.protocol === 'script') continue;
        const definition = byName.get(e.protocol);
        assert.ok(definition, `${f}: a send by unknown protocol ${e.protocol}`);
        assert.ok(definition.messages?.includes(e.label!), `${f}: ${e.protocol} sent "${e.label}", which its messages list lacks`);
        seen.set(e.protocol, (seen.get(e.protocol) ?? 0) + 1);
      }
    }
    // Every protocol the samples bind was exercised (the reference clock sends nothing).
    for (const p of [...PROTOCOLS.filter((d) => d.name !== 'reference').map((d) => d.name), 'client']) assert.ok((seen.get(p) ?? 0) > 0, `no sample sends ${p} messages`);
  });

  test('DS161 flags a mistyped type on the protocols that declared no list before (counters, snapshots, paxos, registers, clock sync), with its did-you-mean', () => {
    const cases: [string, string, string][] = [
      ['nodes A, B, C run g_counter\n', 'A', 'state'],
      ['nodes C1, S run naive_counter { server S }\n', 'S', 'write'],
      ['nodes A, B, C run chandy_lamport\n', 'B', 'marker'],
      ['nodes n1..n3 run multipaxos\n', 'n2', 'Heartbeat'],
      ['nodes n1..n3 run lww_register\n', 'n2', 'state'],
      ['nodes n1..n3\nsync ptp { nodes n1..n3 }\n', 'n2', 'Follow_Up'],
      ['nodes n1..n3\nsync berkeley { master n1  slaves n2, n3 }\n', 'n2', 'adjust'],
    ];
    for (const [binding, node, type] of cases) {
      const base = `scenario s { seed 1  run for 1s }\n${binding}`;
      const typo = `${type.slice(0, -1)}x`;
      const right = checkText(`${base}on ${node} receive "${type}" { local "x" }\n`).diagnostics;
      assert.deepEqual(right.filter((d) => d.severity === 'error' || d.code === 'DS161'), [], `${binding}: ${JSON.stringify(right)}`);
      const wrong = checkText(`${base}on ${node} receive "${typo}" { local "x" }\n`).diagnostics.filter((d) => d.code === 'DS161');
      assert.equal(wrong.length, 1, binding);
      assert.match(wrong[0]!.message, new RegExp(`did you mean "${type}"\\?$`));
    }
  });

  test('a store node can observe its clients\' kv.request, and a client the store\'s kv.reply: no DS161', () => {
    const text = 'scenario s { seed 2  run for 2s }\nnodes n1..n3 run raft\nclient c1 to n1 { at 500ms put x = 1 }\non n1 receive "kv.request" { local "req" }\non c1 receive "kv.reply" { local "rep" }\n';
    assert.deepEqual(checkText(text).diagnostics.filter((d) => d.code === 'DS161'), []);
    const ds = checkText(text.replace('"kv.request"', '"kv.requst"')).diagnostics.filter((d) => d.code === 'DS161');
    assert.match(ds[0]!.message, /did you mean "kv.request"\?$/);
  });
});
