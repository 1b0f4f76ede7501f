import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { shivizLines, SHIVIZ_DEFAULT_REGEX } from '../../server/src/core/export/shiviz';
import { checkLog } from '../../server/src/core/logs/check';
import { LogError, readLog } from '../../server/src/core/logs/read';
import { logTimeline } from '../../server/src/core/logs/timeline';
import { repoPath, runText } from './support/scenario';

/**
 * `dsync log`'s core: logs in ShiViz's convention read with a user-given
 * regular expression (or ShiViz's file layout), their vector clocks checked,
 * every problem located in the log, and the log drawn as a timeline.
 */
const HELLO = [
  'client1 "message 1 sent" {"client1":1}',
  'client2 "message 2 sent" {"client2":1}',
  'server "message 2 received" {"server":1, "client2":1}',
  'server "message 1 received" {"client1":1, "server":2, "client2":1}',
  'server "ack message 1" {"client1":1, "server":3, "client2":1}',
  'client1 "internal" {"client1":2}',
  'client1 "receive message 1 ack" {"client1":3, "server":3, "client2":1}',
].join('\n');
const ONE_LINE = '(?<host>\\w+) "(?<event>.*)" (?<clock>\\{.*\\})';

const errorOf = (f: () => unknown): LogError => {
  try {
    f();
  } catch (error) {
    if (error instanceof LogError) return error;
    throw error;
  }
  assert.fail('no LogError');
};

describe('reading a log', () => {
  test('a one-line regex: hosts, clocks, texts and positions', () => {
    const log = readLog(HELLO, ONE_LINE);
    assert.deepEqual(log.hosts, ['client1', 'client2', 'server']);
    assert.equal(log.events.length, 7);
    const e = log.events[3]!;
    assert.equal(e.text, 'message 1 received');
    assert.deepEqual([...e.clock], [['client1', 1], ['server', 2], ['client2', 1]]);
    assert.deepEqual([e.line, e.column, e.clockLine, e.clockColumn], [4, 1, 4, 29]);
  });

  test("ShiViz's file layout and multi-line default regex: what dsync run --format shiviz writes reads back consistent", () => {
    const result = runText(fs.readFileSync(repoPath('samples', 'causal_demo.dsync'), 'utf8'));
    const text = [...shivizLines(result)].join('\n');
    const log = readLog(text);
    assert.equal(log.regex, SHIVIZ_DEFAULT_REGEX);
    assert.equal(log.events[0]!.line, 3, 'line 3 is the first event (lines 1 and 2: regex and delimiter)');
    assert.equal(log.events[0]!.clockLine, 4);
    const checked = checkLog(log);
    assert.deepEqual(checked.diagnostics, []);
    assert.equal(checked.messages.length, result.events.filter((e) => e.kind === 'receive').length, 'one message per delivery');
  });

  test('bad input is a LogError at its line and column', () => {
    const badJson = errorOf(() => readLog('a x {"a":1}\nb y {"b":1,}\n', '(?<host>\\w+) (?<event>\\w+) (?<clock>\\{.*\\})'));
    assert.deepEqual([badJson.line, badJson.column], [2, 12], 'at the `}` V8 stopped at');
    assert.match(badJson.message, /^the clock is not JSON/);
    const notObject = errorOf(() => readLog('a x [1]\n', '(?<host>\\w+) (?<event>\\w+) (?<clock>\\S+)'));
    assert.match(notObject.message, /must be a JSON object/);
    const notCount = errorOf(() => readLog('a x {"a":1.5}\n', '(?<host>\\w+) (?<event>\\w+) (?<clock>\\S+)'));
    assert.match(notCount.message, /entry for "a" must be a whole number ≥ 0, not 1.5/);
    const noGroups = errorOf(() => readLog(HELLO, '(?<host>\\w+) (?<clock>\\{.*\\})'));
    assert.match(noGroups.message, /needs the named groups .*; it has no \(\?<event>…\)$/);
    assert.equal(noGroups.line, 0, 'line 0: the --regex option');
    assert.match(errorOf(() => readLog(HELLO, '(?<host>\\w+')).message, /does not compile/);
    assert.match(errorOf(() => readLog('', ONE_LINE)).message, /^the log is empty$/);
    assert.match(errorOf(() => readLog('nothing here\n', ONE_LINE)).message, /matches no event/);
    const layout = errorOf(() => readLog('(?<host>\\w+) (?<clock>.*)\n\nx\n'));
    assert.deepEqual([layout.line, layout.column], [1, 1]);
    assert.match(errorOf(() => readLog('\n=== run ===\nx\n')).message, /delimiter between executions/);
  });

  test('a regex that can match nothing does not loop', () => {
    const log = readLog('a {"a":1}\n', '(?<host>\\w*) ?(?<event>)(?<clock>\\{[^}]*\\})?');
    assert.equal(log.events.length, 1);
  });
});

describe('checking the clocks', () => {
  const problems = (text: string): string[] => checkLog(readLog(text, ONE_LINE)).diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`);

  test("ShiViz's hello-world log is consistent, with its three messages", () => {
    const checked = checkLog(readLog(HELLO, ONE_LINE));
    assert.deepEqual(checked.diagnostics, []);
    assert.deepEqual(checked.messages, [{ from: 1, to: 2 }, { from: 0, to: 3 }, { from: 4, to: 6 }]);
  });

  test('a host clock that skips, repeats or goes back', () => {
    assert.deepEqual(problems('a "x" {"a":2}'), ['1:7 clock-skips']);
    assert.deepEqual(problems('a "x" {"a":1}\na "y" {"a":3}'), ['2:7 clock-skips']);
    assert.deepEqual(problems('a "x" {"a":1}\na "y" {"a":1}'), ['2:7 clock-backwards']);
    assert.deepEqual(problems('b "s" {"b":1}\na "x" {"a":1, "b":1}\na "y" {"a":2}'), ['3:7 clock-backwards']);
    assert.deepEqual(problems('a "x" {"b":1}\nb "y" {"b":1}'), ['1:7 own-entry-missing']);
  });

  test('entries that name no logged event', () => {
    assert.deepEqual(problems('a "x" {"a":1, "z":1}'), ['1:7 unknown-host']);
    assert.deepEqual(problems('b "s" {"b":1}\na "x" {"a":1, "b":2}'), ['2:7 no-such-event']);
  });

  test("a receive whose clock does not dominate its send's, with the send located", () => {
    const text = 'a "s1" {"a":1}\nb "r1 s2" {"a":1, "b":1}\nc "r2" {"c":1, "b":1}';
    const d = checkLog(readLog(text, ONE_LINE)).diagnostics;
    assert.equal(d.length, 1);
    assert.equal(d[0]!.rule, 'receive-not-dominating');
    assert.deepEqual([d[0]!.line, d[0]!.column], [3, 8]);
    assert.match(d[0]!.message, /entry for a is 0, the send's 1/);
    assert.deepEqual(d[0]!.related && [d[0]!.related.line, d[0]!.related.message], [2, "the send (b's event 1)"]);
  });

  test('what a message carries through another host is no message of its own', () => {
    const checked = checkLog(readLog('a "s" {"a":1}\nb "r s" {"a":1, "b":1}\nc "r" {"a":1, "b":1, "c":1}', ONE_LINE));
    assert.deepEqual(checked.diagnostics, []);
    assert.deepEqual(checked.messages, [{ from: 0, to: 1 }, { from: 1, to: 2 }]);
  });
});

describe('a log as a timeline', () => {
  test('lanes per host, arrows per message, times by causal depth (a receive listed before its send still comes after it)', () => {
    const text = 'server "got it" {"server":1, "client":1}\nclient "sent" {"client":1}';
    const log = readLog(text, ONE_LINE);
    const t = logTimeline(log, checkLog(log), 'x.log', 1);
    assert.deepEqual(t.nodes.map((n) => n.name), ['server', 'client']);
    assert.deepEqual(t.events.map((e) => [e.kind, e.time, e.line]), [['receive', 2_000_000, 1], ['send', 1_000_000, 2]]);
    assert.deepEqual(t.messages.map((m) => [m.from, m.to, m.sendTime < m.endTime]), [[1, 0, true]]);
  });

  test('problems are violations at their events', () => {
    const log = readLog('a "x" {"a":2}', ONE_LINE);
    const t = logTimeline(log, checkLog(log), 'x.log', 1);
    assert.deepEqual(t.violations.map((v) => [v.code, v.seq, v.line, v.column]), [['clock-skips', 0, 1, 7]]);
  });
});
