import { readSnapshotState } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, instanceOf, memberNodes, nodeName, optionCauses } from './protocolCauses';

interface Recorded {
  readonly node: string;
  readonly time: number;
  readonly sent: ReadonlyMap<string, number>;
  readonly received: ReadonlyMap<string, number>;
}

/**
 * consistent_cut: every snapshot's recorded local states form a consistent
 * cut — no node recorded having received a message that its sender recorded
 * as not yet sent (an "orphan" receive, an effect without its cause). Reads
 * the per-peer message counts in the `{ snapshot, recorded }` notes: for each
 * channel i→j, received_j(i) ≤ sent_i(j). Reported when the second end of an
 * offending channel records, at that instant.
 */
export const consistentCut: InvariantDefinition = {
  name: 'consistent_cut',
  summary: 'every snapshot records a consistent cut: no message received inside it was sent outside it',
  example: 'invariant consistent_cut',
  form: {},
  watches: ['snapshots'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const snapshots = new Map<string, Recorded[]>();
    return {
      onEvent(e) {
        faults.observe(e);
        const r = readSnapshotState(e);
        if (!r) return undefined;
        const instance = instanceOf(world, e);
        const key = `${instance}:${r.snapshot}`;
        let recorded = snapshots.get(key);
        if (!recorded) snapshots.set(key, (recorded = []));
        const mine: Recorded = { node: nodeName(world, e.node), time: e.time, sent: r.sent, received: r.received };
        for (const other of recorded) {
          for (const [from, to] of [[other, mine], [mine, other]] as const) {
            const sent = from.sent.get(to.node) ?? 0;
            const received = to.received.get(from.node) ?? 0;
            if (received <= sent) continue;
            return {
              message: `snapshot ${r.snapshot} is not a consistent cut: ${to.node} recorded (t=${formatDuration(to.time)}) having received ${received} message(s) from ${from.node}, but ${from.node} recorded (t=${formatDuration(from.time)}) having sent only ${sent}: ${received - sent} received message(s) were sent after the cut`,
              time: e.time,
              seq: e.seq,
              causes: [...optionCauses(world, instance, ['fifo'], { fifo: 'a marker can overtake a message sent after it' }), ...faults.causesAmong(memberNodes(world, instance)), bindingCause(world, instance)],
            };
          }
        }
        recorded.push(mine);
        return undefined;
      },
    };
  },
};
