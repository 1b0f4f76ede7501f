import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText, runText } from './support/scenario';
import { finalProps, ms, notes, sample, traceOf, violation } from './support/coordination';

describe('replicated_queue', () => {
  test('a consumer crash loses nothing; a lost ack makes one duplicate', () => {
    const r = runText(sample('queue_consumer_crash.dsync'));
    const consumed = notes(r, 'consumed').map((e) => String(e.data!['consumed']));
    const produced = notes(r, 'produced').map((e) => String(e.data!['produced']));
    assert.deepEqual([...produced].sort(), Array.from({ length: 10 }, (_, i) => `P-${i + 1}`).sort());
    assert.deepEqual([...new Set(consumed)].sort(), [...produced].sort());
    // P-3 was out with C1 when it crashed (redelivered, processed once); P-5's ack was dropped (processed twice).
    assert.equal(consumed.length - new Set(consumed).size, 1);
    assert.equal(consumed.filter((id) => id === 'P-5').length, 2);
    assert.equal(consumed.filter((id) => id === 'P-3').length, 1);
    assert.equal(finalProps(r, 'Q1')['redelivered'], 2);
    assert.deepEqual(r.violations, []);
  });

  test('messages nobody consumes are caught: within T at the exact instant, otherwise at the end', () => {
    // P-1 leaves P at 30ms, Q1 has it at 35ms, Q2 at 40ms, Q1 hears so at 45ms, P at 50ms: produced at 50ms.
    const text = `scenario q { seed 1  run for 1s }
      nodes Q1, Q2, P, C run replicated_queue { brokers Q1, Q2; producers P; messages 2 every 30ms }
      network { latency 5ms }
      faults { at 1ms crash C }
      invariant no_message_lost within 500ms
      invariant no_message_lost`;
    const r = runText(text);
    assert.deepEqual(notes(r, 'produced').map((e) => `${e.data!['produced']} ${e.time / 1e6}`), ['P-1 50', 'P-2 80']);
    const within = violation(r, 'no_message_lost within 500ms');
    assert.ok(within);
    assert.equal(within.time, ms(550));
    assert.match(within.message, /^P-1 \(queued t=50ms for P\) was not consumed within 500ms; 1 message\(s\) not consumed \(P-1\)/);
    assert.equal(within.causes[0]!.message, 'crash C at 1ms');
    const atEnd = violation(r, 'no_message_lost');
    assert.ok(atEnd);
    assert.equal(atEnd.time, ms(1000));
    assert.match(atEnd.message, /was never consumed; 2 message\(s\) not consumed \(P-1, P-2\)/);
  });

  test('the next broker takes over when the primary crashes, and nothing is lost', () => {
    const r = runText(`scenario q2 { seed 5  run for 3s }
      nodes Q1, Q2, Q3, P, C1, C2 run replicated_queue { brokers Q1, Q2, Q3; producers P; messages 10 every 30ms; failover 300ms }
      network { latency 5ms }
      faults { at 150ms crash Q1
               at 1.5s restart Q1 }
      invariant no_message_lost`);
    // Backups check every failover/3 = 100ms; Q1 synced at least at its 100ms heartbeat, so the
    // first check more than 300ms after that is at 500ms. Q3 (two steps away) would wait 600ms.
    assert.deepEqual(notes(r, 'role').map((e) => `${e.name} ${e.data!['role']} ${e.data!['term']} ${e.time / 1e6}`), ['Q2 leader 1 500', 'Q1 follower 1 1505']);
    assert.equal(finalProps(r, 'Q2')['primary'], true);
    assert.equal(finalProps(r, 'Q1')['primary'], false);
    assert.equal(finalProps(r, 'P')['produced'], 10);
    assert.equal(new Set(notes(r, 'consumed').map((e) => e.data!['consumed'])).size, 10);
    assert.deepEqual(r.violations, []);
  });

  test('roles must be bound, and a consumer must remain', () => {
    const d = checkText(`scenario x { seed 1  run for 1s }\nnodes Q, P run replicated_queue { brokers Q; producers P }`).diagnostics;
    assert.deepEqual(d.map((x) => `${x.code} ${x.message}`), ['DS141 replicated_queue needs at least one consumer: bind a node that is neither broker nor producer']);
  });

  test('deterministic per seed', () => {
    const text = sample('queue_consumer_crash.dsync');
    assert.equal(traceOf(text, 8), traceOf(text, 8));
  });
});
