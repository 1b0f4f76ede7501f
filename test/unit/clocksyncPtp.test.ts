import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ptpOffsetAndDelay } from '../../server/src/core/protocols/ptp';
import { bestMaster, compareDatasets, type ClockDataset } from '../../server/src/core/protocols/ptpBmca';
import type { RunResult } from '../../server/src/core/sim/result';
import type { TraceEvent } from '../../server/src/core/sim/trace';
import { MS, SECOND, US } from '../../server/src/core/units';
import { checkText, eventsOf, nameOf, runText } from './support/scenario';

function notes(result: RunResult, node: string): TraceEvent[] {
  return eventsOf(result, 'note').filter((e) => nameOf(result, e.node) === node);
}
const estimates = (result: RunResult, node: string) => notes(result, node).filter((e) => typeof e.data?.['estimatedOffset'] === 'number');
const states = (result: RunResult, node: string) => notes(result, node).filter((e) => e.data?.['syncState'] !== undefined).map((e) => `${e.data!['syncState']}${e.data!['master'] ? ` ${e.data!['master']}` : ''}`);
const finalOf = (result: RunResult, node: string) => result.final.find((n) => n.name === node)!;

describe('PTP delay request-response arithmetic (IEEE 1588)', () => {
  test('offsetFromMaster and meanPathDelay of a hand-made exchange', () => {
    // The slave is 1000ns ahead; 50ns each way. Sync leaves at master 100 and arrives at
    // master 150 = slave 1150; Delay_Req leaves at slave 1200 = master 200, arrives at 250.
    const r = ptpOffsetAndDelay({ t1: 100, t2: 1150, t3: 1200, t4: 250 });
    assert.equal(r.meanPathDelay, 50); // ((1150 − 100) + (250 − 1200)) / 2
    assert.equal(r.offsetFromMaster, 1000); // (1150 − 100) − 50
  });

  test('an asymmetric path is off by half the asymmetry', () => {
    // Same clocks; 70ns master → slave, 30ns back: t2 = 100 + 70 + 1000, t4 = 200 + 30.
    const r = ptpOffsetAndDelay({ t1: 100, t2: 1170, t3: 1200, t4: 230 });
    assert.equal(r.meanPathDelay, 50);
    assert.equal(r.offsetFromMaster, 1020); // 1000 + (70 − 30) / 2
  });
});

describe('best master clock choice', () => {
  const d = (name: string, priority: number, quality: number, order: number): ClockDataset => ({ name, priority, quality, order });

  test('priority first, then quality, then declaration order', () => {
    assert.ok(compareDatasets(d('A', 1, 248, 5), d('B', 2, 6, 0)) < 0);
    assert.ok(compareDatasets(d('A', 128, 6, 5), d('B', 128, 7, 0)) < 0);
    assert.ok(compareDatasets(d('A', 128, 248, 0), d('B', 128, 248, 1)) < 0);
    assert.equal(bestMaster([d('C', 128, 248, 2), d('B', 2, 248, 1), d('A', 2, 7, 0)])!.name, 'A');
  });

  test('quality 255 never becomes master', () => {
    assert.equal(bestMaster([d('A', 1, 255, 0), d('B', 200, 248, 1)])!.name, 'B');
    assert.equal(bestMaster([d('A', 1, 255, 0)]), undefined);
  });
});

const pair = (links: string) => `scenario ptp_pair { seed 1  run for 6s }
nodes M, A
${links}
clock A { offset +2ms }
sync ptp { priority M = 1 }`;

describe('ptp protocol', () => {
  test('the first exchange measures offsetFromMaster and meanPathDelay exactly', () => {
    // Sync at master time T arrives at true T + 40µs, when A reads T + 40µs + 2ms = t2;
    // A sends Delay_Req then (t3 = t2) and M receives it at t4 = T + 80µs:
    // meanPathDelay = ((2ms + 40µs) + (40µs − 2ms)) / 2 = 40µs, offsetFromMaster = 2ms + 40µs − 40µs = 2ms.
    const r = runText(pair('network { latency 40us }'));
    const [first, ...later] = estimates(r, 'A');
    assert.equal(first!.data!['estimatedOffset'], 2 * MS);
    assert.equal(first!.data!['delay'], 40 * US);
    assert.equal(first!.data!['peer'], 'M');
    // Beyond the first step threshold (20µs): A steps back exactly 2ms and reads true time from then on.
    const steps = eventsOf(r, 'clock-adjust').filter((e) => e.data?.['step'] !== undefined);
    assert.deepEqual(steps.map((e) => e.data!['step']), [-2 * MS]);
    assert.ok(later.length >= 2);
    for (const e of later) assert.equal(e.data!['estimatedOffset'], 0);
    assert.equal(finalOf(r, 'A').offset, 0);
    assert.deepEqual(finalOf(r, 'A').properties, { sync_state: 'slave', offset_estimate: 0, delay: 40 * US, master: 'M' });
  });

  test('asymmetric path: 50µs out, 30µs back leaves the slave 10µs off, unseen', () => {
    const r = runText(pair('link M -> A { latency 50us }\nlink A -> M { latency 30us }'));
    const [first, ...later] = estimates(r, 'A');
    assert.equal(first!.data!['estimatedOffset'], 2 * MS + 10 * US); // 2ms + (50 − 30) / 2
    assert.equal(first!.data!['delay'], 40 * US);
    assert.equal(finalOf(r, 'A').offset, -10 * US);
    for (const e of later) assert.equal(e.data!['estimatedOffset'], 0);
  });

  test('states: listening, then the best clock is master and the other its slave', () => {
    const r = runText(pair('network { latency 40us }'));
    assert.deepEqual(states(r, 'M'), ['listening', 'master M']);
    // A's clock runs 2ms ahead, so its listening time ends first: it claims master, then hears M.
    assert.deepEqual(states(r, 'A'), ['listening', 'master A', 'uncalibrated M', 'slave M']);
  });

  test('failover: when the master crashes the next by priority takes over', () => {
    const r = runText(`scenario ptp_failover { seed 1  run for 12s }
nodes M1, M2, A, B
network { latency 50us }
clock M2 { offset +100us drift +10ppm }
clock A { drift -20ppm }
clock B { drift +30ppm }
sync ptp { priority M1 = 1, M2 = 2; sync_interval 250ms }
faults { at 5s crash M1 }
invariant converges within 4s < 5us`);
    assert.equal(r.violations.length, 0, r.violations.map((v) => v.message).join('\n'));
    assert.equal(finalOf(r, 'M2').properties['sync_state'], 'master');
    for (const n of ['A', 'B']) {
      assert.equal(finalOf(r, n).properties['master'], 'M2');
      const s = states(r, n);
      assert.equal(s.indexOf('slave M1') < s.lastIndexOf('uncalibrated M2'), true, s.join(' → '));
      assert.equal(s[s.length - 1], 'slave M2');
    }
    // M1's last Announce went out at 4s and reached M2 at 4.00005s. M2 looks for silence on its own
    // announce ticks, 1s apart from its start when its clock read 100µs: at the tick of 7.0001s more
    // than 3 intervals have passed, so it gives M1 up then and claims master.
    const takeover = notes(r, 'M2').filter((e) => e.data?.['syncState'] === 'master').pop()!;
    assert.ok(takeover.time > 7 * SECOND && takeover.time < 7 * SECOND + 1 * MS, `at ${takeover.time}`);
  });

  test('quality breaks a tie in priority; quality 255 is slave only', () => {
    const r = runText(`scenario ptp_quality { seed 1  run for 5s }
nodes A, B, C
network { latency 50us }
sync ptp { quality A = 255, C = 6 }`);
    assert.equal(finalOf(r, 'C').properties['sync_state'], 'master');
    assert.equal(finalOf(r, 'A').properties['master'], 'C');
    assert.equal(finalOf(r, 'B').properties['master'], 'C');
    assert.ok(!states(r, 'A').includes('master A'), 'A never claims master');
  });

  test('a restarted better master takes over again', () => {
    const r = runText(`scenario ptp_back { seed 1  run for 14s }
nodes M1, M2
network { latency 50us }
sync ptp { priority M1 = 1, M2 = 2 }
faults { at 4s crash M1  at 9s restart M1 }`);
    assert.equal(finalOf(r, 'M1').properties['sync_state'], 'master');
    assert.deepEqual(states(r, 'M2').slice(-3), ['master M2', 'uncalibrated M1', 'slave M1']);
  });

  test('hardware timestamps are exact; software ones scatter the estimates, deterministically per seed', () => {
    const text = (stamping: string) => `scenario ptp_stamps { seed 3  run for 8s }
nodes M, A
network { latency 40us }
sync ptp { priority M = 1; sync_interval 250ms; timestamping ${stamping} }`;
    const delays = (stamping: string, seed?: number) => estimates(runText(text(stamping), seed === undefined ? {} : { seed }), 'A').map((e) => e.data!['delay'] as number);
    assert.ok(delays('hardware').every((d) => d === 40 * US));
    const soft = delays('software');
    // Each software stamp is up to 20µs early (send) or late (receive): the delay only grows, by less than 40µs.
    assert.ok(soft.every((d) => d >= 40 * US && d < 80 * US), soft.join(' '));
    assert.ok(new Set(soft).size > 5);
    assert.deepEqual(delays('software', 9), delays('software', 9));
    assert.notDeepEqual(delays('software', 9), delays('software', 10));
  });

  test('options: priorities out of range or on nodes outside the domain are errors', () => {
    const codes = (options: string) => checkText(`scenario t { seed 1  run for 1s }\nnodes M, A, B\nsync ptp { ${options} }`).diagnostics.map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(codes('domain 0; priority M = 1; quality M = 6; sync_interval 125ms; timestamping software'), []);
    assert.match(codes('priority M = 300')[0]!, /^DS129 priority M = 300/);
    assert.match(codes('nodes M, A; priority B = 1')[0]!, /^DS141 B has a priority but is not one of this domain's nodes/);
    assert.match(codes('timestamping exact')[0]!, /^DS121/);
  });
});
