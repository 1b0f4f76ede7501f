import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MS } from '../../server/src/core/units';
import type { RunResult } from '../../server/src/core/sim/result';
import { eventsOf, nameOf, runText } from './support/scenario';

/** Fixed 10ms latency unless a test says otherwise; A pings B and C every 100ms from 100ms to 900ms. */
const scenario = (extra: string, network = 'latency 10ms'): RunResult =>
  runText(`scenario net { seed 3  run for 1s }
    nodes A, B, C
    network { ${network} }
    ${extra}`);

/** `label from->to @ms` for every event of these kinds. */
function log(r: RunResult, ...kinds: Parameters<typeof eventsOf>[1][]): string[] {
  return eventsOf(r, ...kinds).map((e) => {
    const [from, to] = e.kind === 'receive' ? [e.peer!, e.node] : e.kind === 'drop' && (e.reason === 'node-down' || e.reason === 'no-handler') ? [e.peer!, e.node] : [e.node, e.peer!];
    return `${e.kind} ${e.label} ${nameOf(r, from)}->${nameOf(r, to)} @${e.time / MS}${e.reason ? ` ${e.reason}` : ''}`;
  });
}

const PINGS = 'every 100ms A -> * "ping" until 900ms';

describe('network', () => {
  test('fixed latency: each message arrives exactly latency after its send', () => {
    const r = scenario('at 10ms A -> B "x"\nat 25ms B -> C "y"');
    assert.deepEqual(log(r, 'send', 'receive'), ['send x A->B @10', 'receive x A->B @20', 'send y B->C @25', 'receive y B->C @35']);
  });

  test('loss 100% drops everything, at the send, with reason loss', () => {
    const r = scenario(PINGS, 'latency 10ms  loss 100%');
    assert.equal(eventsOf(r, 'send').length, 18);
    assert.equal(eventsOf(r, 'receive').length, 0);
    const drops = eventsOf(r, 'drop');
    assert.equal(drops.length, 18);
    assert.ok(drops.every((d) => d.reason === 'loss' && r.events[d.cause!]!.time === d.time));
    assert.deepEqual([r.stats.messagesSent, r.stats.messagesDelivered, r.stats.messagesDropped], [18, 0, 18]);
  });

  test('loss 0% (the default) drops nothing', () => {
    const r = scenario(PINGS);
    assert.deepEqual([eventsOf(r, 'drop').length, eventsOf(r, 'receive').length], [0, 18]);
  });

  test('partition drops across groups, not within; heal restores', () => {
    const r = scenario(`${PINGS}\nfaults { at 250ms partition {A, B} | {C}\n at 650ms heal }`);
    const toC = log(r, 'send', 'receive', 'drop').filter((l) => l.includes('A->C'));
    // Pings to C at 300..600ms are dropped at the send; the others arrive 10ms later.
    assert.deepEqual(toC.filter((l) => l.startsWith('drop')), ['drop ping A->C @300 partition', 'drop ping A->C @400 partition', 'drop ping A->C @500 partition', 'drop ping A->C @600 partition']);
    assert.equal(toC.filter((l) => l.startsWith('receive')).length, 5);
    assert.equal(log(r, 'receive').filter((l) => l.includes('A->B')).length, 9);
    assert.deepEqual(eventsOf(r, 'partition', 'heal').map((e) => [e.kind, e.time / MS, e.node, e.detail]), [['partition', 250, -1, '{A, B} | {C}'], ['heal', 650, -1, undefined]]);
  });

  test('a message in flight when the partition starts is dropped on arrival', () => {
    const r = scenario('at 100ms A -> C "x"\nfaults { at 105ms partition {A} | {C} for 100ms }');
    assert.deepEqual(log(r, 'send', 'receive', 'drop'), ['send x A->C @100', 'drop x A->C @110 partition']);
  });

  test('a partition `for` a window heals itself; nodes left out form their own side', () => {
    const r = scenario(`at 150ms A -> C "during"\nat 160ms B -> C "unlisted"\nat 260ms A -> C "after"\nfaults { at 100ms partition {A} | {B} for 150ms }`);
    assert.deepEqual(log(r, 'drop', 'receive'), ['drop during A->C @150 partition', 'drop unlisted B->C @160 partition', 'receive after A->C @270']);
    assert.deepEqual(eventsOf(r, 'heal').map((e) => [e.time / MS, e.detail]), [[250, 'partition window over']]);
  });

  test('drop window: one direction only, for its window', () => {
    const r = scenario(`${PINGS}\nevery 100ms C -> A "back" until 900ms\nfaults { at 250ms drop A -> C for 200ms }`);
    assert.deepEqual(log(r, 'drop'), ['drop ping A->C @300 link-down', 'drop ping A->C @400 link-down']);
    assert.equal(log(r, 'receive').filter((l) => l.includes('back C->A')).length, 9);
    assert.deepEqual(eventsOf(r, 'link-down', 'link-up').map((e) => [e.kind, e.time / MS, e.detail]), [['link-down', 250, 'A -> C'], ['link-up', 450, 'A -> C']]);
  });

  test('delay window adds exactly the extra delay, both ways for <->', () => {
    const r = scenario(`at 100ms A -> B "before"\nat 300ms A -> B "during"\nat 310ms B -> A "back"\nat 300ms A -> C "other"\nat 500ms A -> B "after"
      faults { at 200ms delay A <-> B by 50ms for 200ms }`);
    assert.deepEqual(log(r, 'receive'), ['receive before A->B @110', 'receive other A->C @310', 'receive during A->B @360', 'receive back B->A @370', 'receive after A->B @510']);
  });

  test('duplicate 100% delivers every message twice', () => {
    const r = scenario('at 100ms A -> B "x"\nat 200ms B -> C "y"', 'latency 10ms  duplicate 100%');
    assert.deepEqual(log(r, 'receive'), ['receive x A->B @110', 'receive x A->B @110', 'receive y B->C @210', 'receive y B->C @210']);
    assert.deepEqual(eventsOf(r, 'receive').map((e) => e.detail), [undefined, 'duplicate copy', undefined, 'duplicate copy']);
    assert.equal(eventsOf(r, 'duplicate').length, 2);
    assert.deepEqual([r.stats.messagesSent, r.stats.messagesDelivered, r.stats.messagesDuplicated], [2, 4, 2]);
  });

  test('crash drops deliveries to the node; restart resumes; scripted actions of a down node are skipped', () => {
    const r = scenario(`${PINGS}\nevery 100ms B -> A "hb" until 900ms\nfaults { at 250ms crash B\n at 450ms restart B }`);
    // Pings sent at 300 and 400ms reach B while it is down: dropped on arrival.
    assert.deepEqual(log(r, 'drop'), ['drop ping A->B @310 node-down', 'drop ping A->B @410 node-down']);
    // B's own heartbeats at 300 and 400ms do not happen: a skip event each, and they resume at 500ms.
    assert.deepEqual(eventsOf(r, 'skip').map((e) => [nameOf(r, e.node), e.time / MS, e.detail]), [['B', 300, 'B is down'], ['B', 400, 'B is down']]);
    assert.deepEqual(log(r, 'send').filter((l) => l.startsWith('send hb')).map((l) => l.split('@')[1]), ['100', '200', '500', '600', '700', '800', '900']);
    assert.deepEqual(eventsOf(r, 'crash', 'restart').map((e) => [e.kind, e.time / MS]), [['crash', 250], ['restart', 450]]);
    const b = r.final.find((n) => n.name === 'B')!;
    assert.deepEqual([b.alive, b.received], [true, 7]);
  });

  test('a crash discards the node’s pending `after` actions', () => {
    const r = scenario('at 100ms A -> B "x"\non B receive "x" { after 50ms send A "late" }\nfaults { at 120ms crash B\n at 130ms restart B }');
    assert.deepEqual(log(r, 'send'), ['send x A->B @100']);
  });

  test('a link override applies to its direction only; <-> to both', () => {
    const r = scenario('link A -> B { latency 40ms }\nlink A <-> C { latency 1ms }\nat 100ms A -> B "ab"\nat 100ms B -> A "ba"\nat 100ms C -> A "ca"');
    assert.deepEqual(log(r, 'receive'), ['receive ca C->A @101', 'receive ba B->A @110', 'receive ab A->B @140']);
  });

  test('latency distributions stay in their ranges; uniform latency reorders messages', () => {
    const delays = (network: string): number[] => {
      const r = runText(`scenario lat { seed 11  run for 10s }\nnodes A, B\nnetwork { ${network} }\nevery 5ms A -> B "p"`);
      return eventsOf(r, 'receive').map((e) => e.time - r.events[e.cause!]!.time);
    };
    const uniform = delays('latency 5ms..20ms');
    assert.ok(uniform.length > 1900);
    assert.ok(uniform.every((d) => d >= 5 * MS && d <= 20 * MS));
    assert.ok(new Set(uniform).size > 100);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(Math.abs(mean(uniform) - 12.5 * MS) < 0.5 * MS);
    const normal = delays('latency normal(10ms, 2ms)');
    assert.ok(normal.every((d) => d >= 0) && Math.abs(mean(normal) - 10 * MS) < 0.5 * MS);
    const exponential = delays('latency exponential(5ms)');
    assert.ok(exponential.every((d) => d >= 0) && Math.abs(mean(exponential) - 5 * MS) < 0.5 * MS);
    // A message sent 5ms later can overtake one with a long delay: arrival order differs from send order.
    const r = runText('scenario lat { seed 11  run for 1s }\nnodes A, B\nnetwork { latency 5ms..20ms }\nevery 5ms A -> B "p"');
    const order = eventsOf(r, 'receive').map((e) => e.msg!);
    assert.notDeepEqual(order, [...order].sort((a, b) => a - b));
  });
});
