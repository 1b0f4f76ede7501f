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

  test('every declared message list holds every type its protocol sent in the samples', () => {
    const declared = PROTOCOLS.filter((p) => p.messages);
    assert.ok(declared.some((p) => p.name === 'raft'));
    const samples = fs.readdirSync(repoPath('samples')).filter((f) => f.endsWith('.dsync'));
    for (const p of declared) {
      let seen = 0;
      for (const f of samples) {
        const text = fs.readFileSync(repoPath('samples', f), 'utf8');
        if (!new RegExp(`\\brun ${p.name}\\b|\\bsync ${p.name}\\b`).test(text)) continue;
        const checked = checkText(text);
        if (!checked.model) continue;
        for (const e of eventsOf(runText(text), 'send')) {
          if (e.protocol !== p.name) continue;
          seen++;
          assert.ok(p.messages!.includes(e.label!), `${f}: ${p.name} sent "${e.label}", which its messages list lacks`);
        }
      }
      assert.ok(seen > 0, `no sample sends ${p.name} messages`);
    }
  });
});
