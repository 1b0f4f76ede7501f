import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspHarness } from './lspClient';

/**
 * Hover on a written protocol's handler heads, timers, options, fns and
 * consts, over JSON-RPC. The scenario is small enough to count by hand:
 * a and b each tick 3 times (t=100, 200, 300ms) and broadcast Ping n=1..3 to
 * each other (10ms latency); c ticks twice and has no one to send to. `spare`
 * is set at start for 250ms: on a and b the Ping n=2 (t=210ms) cancels it,
 * on c it fires.
 */
const TEXT = `scenario counts { seed 1; run for 1s }

protocol pinger {
  option period: duration = 100ms
  option limit: int = 3
  const twice: int = limit * 2
  const gap = period
  message Ping { n: int }
  var sent: int = 0
  var got: int = 0
  fn next(k: int): int = k + 1

  on start { timer tick after gap; timer spare after 250ms }
  on timer tick {
    sent = next(sent)
    broadcast Ping { n: sent }
    if sent < limit { timer tick after period }
  }
  on timer spare { got = got + twice }
  on Ping(m) from p when m.n > 1 { got = got + 1; cancel spare }
  on Ping(m) from p { got = got + 0 }
}

nodes a, b run pinger { limit 3 }
nodes c run pinger { limit 2 }
network { latency 10ms }
expect a.got == 2
`;
const URI = 'file:///work/counts.dsync';

/** The 0-based position of the `nth` occurrence of `needle` (plus `delta` characters). */
function positionOf(needle: string, delta = 0, nth = 1): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i < nth; i++) offset = TEXT.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `'${needle}' not in text`);
  const before = TEXT.slice(0, offset + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** The hover's table rows as arrays of cells (`| a | 1 | 2 |` → ['a', '1', '2']). */
function rows(markdown: string): string[][] {
  return markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('|---')).map((l) => l.slice(2, -2).split(' | ').map((c) => c.trim()));
}

describe('language server: hover on the members of a written protocol', () => {
  const lsp = new LspHarness();
  const hoverAt = async (needle: string, delta = 0, nth = 1): Promise<string> => {
    const h = (await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(needle, delta, nth) })) as Hover | null;
    return (h?.contents as { value: string } | undefined)?.value ?? '';
  };
  before(async () => {
    await lsp.initialize();
    lsp.open(URI, TEXT);
    const diags = await lsp.diagnostics(URI, 1);
    assert.deepEqual(diags.diagnostics.filter((d) => d.severity === 1), []);
  });
  after(() => lsp.dispose());

  test('`on start`: how often it ran on each node', async () => {
    const text = await hoverAt('on start', 1);
    assert.match(text, /^\*\*on start\*\* \(pinger\)/);
    assert.deepEqual(rows(text), [['node', 'ran'], ['a', '1'], ['b', '1'], ['c', '1'], ['**all**', '3']]);
  });

  test('`on timer tick`: ran, set and cancelled per node', async () => {
    const text = await hoverAt('on timer tick', 0);
    assert.match(text, /^\*\*on timer tick\*\* \(pinger\)/);
    assert.deepEqual(rows(text), [['node', 'ran', 'set', 'cancelled'], ['a', '3', '3', '0'], ['b', '3', '3', '0'], ['c', '2', '2', '0'], ['**all**', '8', '8', '0']]);
  });

  test('a guarded message handler: ran and guard false; the next handler of the message takes what the guard refused', async () => {
    const guarded = await hoverAt('on Ping(m) from p when', 1);
    assert.match(guarded, /^\*\*on Ping\(m\) from p\*\* \(pinger\)/);
    assert.match(guarded, /its guard `m\.n > 1` holds/);
    assert.deepEqual(rows(guarded), [['node', 'ran', 'guard false'], ['a', '2', '1'], ['b', '2', '1'], ['c', '0', '0'], ['**all**', '4', '2']]);
    const fallback = await hoverAt('on Ping(m) from p {', 1);
    assert.deepEqual(rows(fallback), [['node', 'ran'], ['a', '1'], ['b', '1'], ['c', '0'], ['**all**', '2']]);
  });

  test('a timer name (where it is set or cancelled): set, fired and cancelled per node', async () => {
    const text = await hoverAt('cancel spare', 'cancel '.length);
    assert.match(text, /^\*\*timer spare\*\* \(pinger\)/);
    assert.deepEqual(rows(text), [['node', 'set', 'fired', 'cancelled'], ['a', '1', '0', '1'], ['b', '1', '0', '1'], ['c', '1', '1', '0'], ['**all**', '3', '1', '2']]);
    assert.equal(await hoverAt('timer spare after', 'timer '.length), text);
    // In a handler head the timer's or message's name hovers as the timer or message; the rest of the head as the handler.
    assert.equal(await hoverAt('on timer spare', 'on timer '.length), text);
    assert.match(await hoverAt('on Ping(m) from p when', 'on '.length), /^\*\*message Ping\*\*/);
    assert.match(await hoverAt('on Ping(m) from p when', 'on Ping(m) fr'.length), /^\*\*on Ping\(m\) from p\*\*/);
  });

  test('an option: its kind, its default, and the value each binding gives', async () => {
    const limit = await hoverAt('option limit', 'option '.length);
    assert.match(limit, /^\*\*option limit\*\*: int \(pinger\)/);
    assert.match(limit, /default: `3`/);
    assert.deepEqual(rows(limit).slice(1), [['line 24: `nodes a, b`', '`3`'], ['line 25: `nodes c`', '`2`']]);
    // A use of the option in a handler hovers the same; a binding that does not set it gets the default.
    assert.equal(await hoverAt('sent < limit', 'sent < '.length), limit);
    const period = await hoverAt('option period', 'option '.length);
    assert.match(period, /^\*\*option period\*\*: duration \(pinger\)/);
    assert.deepEqual(rows(period).slice(1), [['line 24: `nodes a, b`', '`100ms` (default)'], ['line 25: `nodes c`', '`100ms` (default)']]);
  });

  test('a fn: its signature with types', async () => {
    const text = await hoverAt('next(sent)', 1);
    assert.match(text, /^```dsync\nfn next\(k: int\): int\n```/);
  });

  test('a const: its type (declared or inferred) and its value on each node', async () => {
    const twice = await hoverAt('got + twice', 'got + '.length);
    assert.match(twice, /^\*\*const twice\*\*: `int` = `limit \* 2` \(pinger\)/);
    assert.deepEqual(rows(twice).slice(1), [['a', '`6`'], ['b', '`6`'], ['c', '`4`']]);
    const gap = await hoverAt('const gap', 'const '.length);
    assert.match(gap, /^\*\*const gap\*\*: `time` = `period` \(pinger\)/);
    assert.match(gap, /\nvalue: `100ms`$/);
  });

  test('hover elsewhere in protocol code keeps its meaning: a state variable, a message type', async () => {
    assert.match(await hoverAt('var got', 4), /^\*\*var got\*\*/);
    assert.match(await hoverAt('message Ping', 'message '.length), /^\*\*message Ping\*\*/);
  });
});
