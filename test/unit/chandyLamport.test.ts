import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runText } from './support/scenario';
import { finalProps, ms, notes, sample, traceOf, violation } from './support/coordination';

// Two nodes each send 1 (max_amount 1) to the other every 10ms from 10ms on,
// latency 12ms; A snapshots at 105ms. By hand:
//   A records at 105ms: sent 10 (10..100ms), received B's 10..90ms (9) → 99.
//   The marker reaches B at 117ms: B sent 11 (10..110), received A's 10..100 (10) → 99.
//   B's marker reaches A at 129ms; meanwhile B's transfers of 100 and 110ms arrive: 2 in flight.
//   99 + 99 + 2 = 200.
const bank = (options: string, faults = ''): string => `scenario cl { seed 1  run for 600ms }
nodes A, B run chandy_lamport { balance 100; transfers 30 every 10ms; max_amount 1; initiator A; snapshot_at 105ms; ${options} }
network { latency 12ms }
faults { ${faults} }
invariant consistent_cut
invariant snapshot_conserves(200)`;

const recorded = (r: ReturnType<typeof runText>): string[] => [
  ...notes(r, 'recorded').map((e) => `${e.name} state ${e.data!['state']} at ${e.time / 1e6}`),
  ...notes(r, 'channel').map((e) => `${e.data!['channel']} ${e.data!['inFlight']} at ${e.time / 1e6}`),
];

describe('chandy_lamport', () => {
  test('records the hand-computed states and channel contents; the total is conserved', () => {
    const r = runText(bank(''));
    assert.deepEqual(recorded(r), ['A state 99 at 105', 'B state 99 at 117', 'A->B 0 at 117', 'B->A 2 at 129']);
    assert.equal(finalProps(r, 'A')['snapshot_total'], 200);
    assert.deepEqual(notes(r, 'snapshotTotal').map((e) => e.data!['snapshotTotal']), [200]);
    assert.deepEqual(r.violations, []);
  });

  test('FIFO delivery holds a marker behind a delayed transfer, so the cut stays right', () => {
    // A's transfer of 100ms is delayed 20ms (arrives 132ms), the marker (117ms) waits for it.
    // B then records at 132ms: sent 13, received 10 → 97; channel B->A gets 100..130ms: 4. 99 + 97 + 4 = 200.
    const r = runText(bank('', 'at 100ms delay A -> B by 20ms for 1ms'));
    assert.deepEqual(recorded(r), ['A state 99 at 105', 'B state 97 at 132', 'A->B 0 at 132', 'B->A 4 at 144']);
    assert.deepEqual(r.violations, []);
  });

  test('without FIFO the marker overtakes a transfer sent before the cut: money is missing', () => {
    // B records on the marker at 117ms (98: the delayed transfer is not in yet) and closes A->B empty;
    // the transfer lands at 132ms, counted nowhere. 99 + 98 + 0 + 2 = 199.
    const r = runText(bank('fifo false', 'at 100ms delay A -> B by 20ms for 1ms'));
    assert.deepEqual(recorded(r), ['A state 99 at 105', 'B state 98 at 117', 'A->B 0 at 117', 'B->A 2 at 129']);
    const v = violation(r, 'snapshot_conserves(200)');
    assert.ok(v);
    assert.equal(v.time, ms(129));
    assert.match(v.message, /^snapshot 1 totals 199, not 200 \(missing: 1\)/);
    assert.equal(v.causes[0]!.message, 'fifo false: markers may overtake transfers');
    // The states themselves form a consistent cut: nothing received that was not sent.
    assert.equal(violation(r, 'consistent_cut'), undefined);
  });

  test('without FIFO a transfer sent after the cut can overtake the marker: inconsistent cut', () => {
    // The marker (sent 105ms) is delayed to 137ms; A's transfers of 110 and 120ms reach B first (122, 132ms).
    const r = runText(bank('fifo false', 'at 104ms delay A -> B by 20ms for 2ms'));
    const v = violation(r, 'consistent_cut');
    assert.ok(v);
    assert.equal(v.time, ms(137));
    assert.equal(v.message, 'snapshot 1 is not a consistent cut: B recorded (t=137ms) having received 12 message(s) from A, but A recorded (t=105ms) having sent only 10: 2 received message(s) were sent after the cut');
    assert.ok(violation(r, 'snapshot_conserves(200)'), 'the two post-cut transfers are counted twice');
  });

  test('with FIFO the same delayed marker still gives a consistent, conserving snapshot', () => {
    const r = runText(bank('', 'at 104ms delay A -> B by 20ms for 2ms'));
    assert.deepEqual(r.violations, []);
    assert.equal(notes(r, 'recorded', true).find((e) => e.name === 'B')!.time, ms(137));
  });

  test('snapshots by several initiators on the money-transfer sample all total 300', () => {
    const r = runText(sample('snapshot_money_transfer.dsync'));
    const byInitiator = notes(r, 'snapshotTotal').map((e) => `${e.name} ${e.data!['snapshotId']} ${e.data!['snapshotTotal']}`);
    assert.deepEqual(byInitiator, ['B 1 300', 'A 2 300']);
    // Every snapshot: one recording per node, one channel state per directed channel.
    for (const id of [1, 2]) {
      assert.equal(notes(r, 'recorded').filter((e) => e.data!['snapshot'] === id).length, 3);
      assert.equal(notes(r, 'channel').filter((e) => e.data!['snapshot'] === id).length, 6);
    }
    // Some money was in flight, so recorded balances alone do not add up.
    const balances = notes(r, 'recorded').filter((e) => e.data!['snapshot'] === 1).reduce((a, e) => a + Number(e.data!['state']), 0);
    assert.notEqual(balances, 300);
    assert.deepEqual(r.violations, []);
  });

  test('a snapshot that cannot complete is reported at the end', () => {
    const r = runText(bank('', 'at 110ms crash B'));
    const v = violation(r, 'snapshot_conserves(200)');
    assert.ok(v);
    assert.match(v.message, /^snapshot 1 \(started t=105ms\) never completed: no state from B/);
    assert.equal(v.time, ms(600));
  });

  test('deterministic per seed, and the seed changes the run', () => {
    const text = sample('snapshot_money_transfer.dsync');
    assert.equal(traceOf(text, 4), traceOf(text, 4));
    assert.notEqual(traceOf(text, 4), traceOf(text, 5));
  });
});
