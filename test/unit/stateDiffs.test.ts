import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeEvent } from '../../client/src/webview/describe';
import { Simulation } from '../../server/src/core/sim/engine';
import { traceToJson } from '../../server/src/core/sim/json';
import { summarize, type RunResult } from '../../server/src/core/sim/result';
import { buildTimeline } from '../../server/src/core/sim/timeline';
import { traceEventBytes } from '../../server/src/core/sim/traceMemory';
import { modelOf, runText } from './support/scenario';
import { sample } from './support/coordination';
import { raft5Scenario } from '../../bench/support/scenarios';

/**
 * Protocol state per event: each recorded event carries the properties it
 * changed on its node (a diff), so any node's state can be rebuilt at any
 * event; --json shows the diffs, the timeline's tooltip too.
 */
const PAXOS = `scenario p { seed 1  run for 200ms }
nodes n1, n2, n3 run paxos { proposers n1; values n1 = 5 }
network { latency 10ms }
invariant agreement`;

const at = (r: RunResult, node: string, ms: number, kind: string) => r.events.filter((e) => r.model.nodes[e.node]?.name === node && e.time === ms * 1e6 && e.kind === kind);

describe('state diffs per event', () => {
  test('paxos, hand-checked: what each event changed on its node', () => {
    const r = runText(PAXOS);
    const states = r.states!;
    // n2's first event is the Prepare arriving at 20ms: it carries n2's whole initial state. The
    // promise is made while handling it and goes on the next event, the Promise sent back.
    const prepare = at(r, 'n2', 20, 'receive')[0]!;
    assert.deepEqual(states.diff(prepare.seq), { role: 'idle', ballot: '0', promised: '0', accepted: null, chosen: null });
    const promise = at(r, 'n2', 20, 'send')[0]!;
    assert.equal(promise.label, 'Promise');
    assert.deepEqual(states.diff(promise.seq), { promised: '1.n1' });
    // n2 accepts at 40ms (a note) and learns 5 at 40ms (another note).
    const accepted = at(r, 'n2', 40, 'note').find((e) => e.data?.['paxos'] === 'accept')!;
    assert.deepEqual(states.diff(accepted.seq), { accepted: { ballot: '1.n1', value: 5 } });
    const learned = at(r, 'n2', 40, 'note').find((e) => e.data?.['paxos'] === 'learn')!;
    assert.deepEqual(states.diff(learned.seq), { chosen: 5 });
    // Rebuilt state: before the learn nothing is chosen; after it, 5.
    assert.equal(states.stateAt(1, learned.seq - 1)['chosen'], null);
    assert.equal(states.stateAt(1, learned.seq)['chosen'], 5);
  });

  test('folding the diffs gives the final state of every live protocol node, on several samples', () => {
    for (const file of ['raft_log_repair.dsync', 'multipaxos_leader_change.dsync', 'queue_consumer_crash.dsync', 'ntp_drift_converges.dsync', '2pc_coordinator_crash.dsync']) {
      const r = runText(sample(file));
      const last = r.events[r.events.length - 1]!.seq;
      r.final.forEach((n, i) => {
        if (!n.alive || Object.keys(n.properties).length === 0) return;
        assert.deepEqual(r.states!.stateAt(i, last), n.properties, `${file}: ${n.name}`);
      });
    }
  });

  test('--json gives each event that changed something its state, and the tooltip shows it', () => {
    const r = runText(PAXOS);
    const doc = JSON.parse(traceToJson(r)) as { events: { seq: number; state?: Record<string, unknown> }[] };
    const learned = r.events.find((e) => e.node === 1 && e.data?.['paxos'] === 'learn')!;
    assert.deepEqual(doc.events[learned.seq]!.state, { chosen: 5 });
    assert.ok(doc.events.filter((e) => e.state).length < doc.events.length, 'events that change nothing carry no state');
    const payload = buildTimeline(r);
    const rows = describeEvent(payload, payload.events[learned.seq]!).rows;
    assert.ok(rows.some(([k, v]) => k === 'chosen ←' && v === '5'), JSON.stringify(rows));
  });

  test('a growing log is stored by its changes, and every version of it comes back whole', () => {
    // 5-node Raft under a steady client: the log grows by an entry or two at a time; stored whole
    // at every change the diffs took about 210 bytes per event on this run, growing with its length.
    const model = modelOf(raft5Scenario({ name: 'long_log', runFor: '20s', tail: 'invariant election_safety' }));
    const sim = new Simulation(model).run();
    const states = sim.states!;
    assert.ok(states.bytes / sim.events.length < 100, `${(states.bytes / sim.events.length).toFixed(1)} bytes per event`);
    // Every log version built back equals the one the node reported when it was recorded: replay
    // the node's diffs one by one and compare each rebuilt state with the folded one.
    let logs = 0;
    for (let node = 0; node < model.nodes.length; node++) {
      const folded: Record<string, unknown> = {};
      for (const e of sim.events) {
        if (e.node !== node) continue;
        const diff = states.diff(e.seq);
        if (!diff) continue;
        Object.assign(folded, diff);
        if ('log' in diff) logs++;
        if (e.seq % 7 === 0) assert.deepEqual(states.stateAt(node, e.seq), folded, `node ${node} at ${e.seq}`);
      }
      const final = summarize(sim).final[node]!;
      if (final.alive) assert.deepEqual(folded['log'], final.properties['log']);
    }
    assert.ok(logs > 500, `${logs} log versions`);
  });

  test('a run that does not record keeps no diffs (exploration pays nothing)', () => {
    const sim = new Simulation(modelOf(PAXOS), { record: false }).run();
    assert.equal(sim.states, undefined);
    assert.equal(summarize(sim).states, undefined);
  });

  test('the diffs count into the trace memory budget, which stops the run when reached', () => {
    const model = modelOf(sample('raft_log_repair.dsync'));
    const full = new Simulation(model).run();
    const eventsOnly = full.events.length * traceEventBytes(model.nodes.length);
    assert.ok(full.traceBytes() > eventsOnly, 'diffs add to the estimate');
    assert.ok(full.states!.bytes > 0);
    const budget = Math.floor(full.traceBytes() / 2);
    const cut = new Simulation(model, { maxTraceBytes: budget }).run();
    assert.equal(cut.stopReason, 'max-events');
    assert.equal(cut.stoppedByMemory, true);
    assert.ok(cut.events.length < full.events.length);
    assert.ok(cut.traceBytes() <= budget + 64 * 1024, `${cut.traceBytes()} vs ${budget}`);
  });
});
