import { readIncrement, readReplica, readWrote } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import { notDecidedEarly, type InvariantDefinition, type ViolationReport } from './invariant';
import { bindingCause, FaultHistory, instanceOf, memberNodes, nodeName, optionCauses } from './protocolCauses';

interface Instance {
  readonly replicas: Map<number, number | string>;
  lastUpdate: number;
  /** Whether the state at lastUpdate + T has been checked. */
  checked: boolean;
}

/**
 * replicas_converge within T: once T has passed since the last client update
 * (an `{ increment }` or `{ wrote }` note) of a replicated protocol, every
 * live replica (a node that noted `{ replica }`) holds the same state, and
 * keeps holding it until the next update. Checked at the exact instant
 * lastUpdate + T, and again at every later replica change, crash or restart.
 * (Clock convergence is the other invariant, `converges within T < X`.)
 * A run that stopped early before some lastUpdate + T is not decided: the
 * state at that instant, the one judged, was never reached. A check whose
 * instant the run did reach stands, pass or fail.
 */
export const replicasConverge: InvariantDefinition = {
  name: 'replicas_converge',
  summary: 'replicas hold the same state within T of the last update',
  example: 'invariant replicas_converge within 500ms',
  form: { within: 'required' },
  watches: ['counters', 'registers'],
  create(params, world) {
    const limit = params.within!;
    const faults = new FaultHistory(world);
    const instances = new Map<number, Instance>();
    let previousSeq = -1;
    const disagreement = (index: number, s: Instance, time: number, seq: number): ViolationReport | undefined => {
      const live = [...s.replicas].filter(([node]) => world.isAlive(node));
      if (new Set(live.map(([, v]) => String(v))).size <= 1) return undefined;
      const shown = live.map(([node, v]) => `${nodeName(world, node)}=${v === '' ? '(empty)' : v}`).join(', ');
      return {
        message: `replicas still disagree at t=${formatDuration(time)}, ${formatDuration(time - s.lastUpdate)} after the last update (t=${formatDuration(s.lastUpdate)}): ${shown}`,
        time,
        seq,
        causes: [...faults.causesAmong(memberNodes(world, index)), ...optionCauses(world, index, ['gossip', 'fanout']), bindingCause(world, index)],
      };
    };
    const dueChecks = (now: number, seq: number): ViolationReport | undefined => {
      for (const [index, s] of instances) {
        if (s.checked || now <= s.lastUpdate + limit) continue;
        s.checked = true;
        const r = disagreement(index, s, s.lastUpdate + limit, seq);
        if (r) return r;
      }
      return undefined;
    };
    return {
      onEvent(e) {
        // The state at a deadline is the state after the last event before it.
        const due = dueChecks(e.time, previousSeq);
        previousSeq = e.seq;
        if (due) return due;
        faults.observe(e);
        if (e.kind === 'crash' || e.kind === 'restart') {
          for (const [index, s] of instances) if (s.checked) {
            const r = disagreement(index, s, e.time, e.seq);
            if (r) return r;
          }
          return undefined;
        }
        const replica = readReplica(e);
        const update = readIncrement(e) !== undefined || readWrote(e) !== undefined;
        if (replica === undefined && !update) return undefined;
        const index = instanceOf(world, e);
        let s = instances.get(index);
        if (!s) instances.set(index, (s = { replicas: new Map(), lastUpdate: 0, checked: false }));
        if (update) {
          s.lastUpdate = e.time;
          s.checked = false;
        }
        if (replica !== undefined) s.replicas.set(e.node, replica);
        return s.checked && replica !== undefined ? disagreement(index, s, e.time, e.seq) : undefined;
      },
      atEnd(end) {
        // At an event budget or a cancel, events at the stop instant itself may still be pending: that instant is not final.
        const settledUpTo = end.complete || end.reason === 'until' ? world.now() : world.now() - 1;
        const due = dueChecks(settledUpTo + 1, world.lastSeq());
        if (due || end.complete) return due;
        const pending = [...instances.values()].filter((s) => !s.checked);
        if (pending.length === 0) return undefined;
        const first = Math.min(...pending.map((s) => s.lastUpdate + limit));
        return notDecidedEarly(world, end, `the replicas are checked ${formatDuration(limit)} after the last update, at t=${formatDuration(first)}, which the run did not reach`);
      },
    };
  },
};
