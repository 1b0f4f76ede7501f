import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, NOTES_AND_FAULTS, instanceOf, nodeName, optionCauses } from './protocolCauses';
import { describeEntry, ReplicaLogs } from './replicaLogs';

/**
 * log_matching (Raft §5.3): if two logs hold an entry with the same index
 * and term, they are identical in every entry up to that index. Checked on
 * every change of every log (rebuilt from the `log` notes), against the
 * current logs of the other nodes, in O(nodes) per new entry thanks to the
 * prefix digests of ReplicaLogs.
 */
export const logMatching: InvariantDefinition = {
  name: 'log_matching',
  summary: 'two logs with an entry of the same index and term agree on every entry up to it',
  example: 'invariant log_matching',
  form: {},
  watches: ['replicated-log'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const byInstance = new Map<number, ReplicaLogs>();
    return {
      kinds: NOTES_AND_FAULTS,
      onEvent(e) {
        faults.observe(e);
        if (e.kind !== 'note' || !e.data) return undefined;
        const instance = instanceOf(world, e);
        let logs = byInstance.get(instance);
        if (!logs) byInstance.set(instance, (logs = new ReplicaLogs()));
        const appended = logs.observe(e);
        if (!appended) return undefined;
        const a = appended.node;
        for (let index = appended.from; index < appended.from + appended.count; index++) {
          const mine = logs.entry(a, index)!;
          for (const b of logs.nodes()) {
            if (b === a || logs.entry(b, index)?.term !== mine.term || logs.samePrefix(a, b, index)) continue;
            const at = logs.firstDifference(a, b, index);
            return {
              message: `${nodeName(world, a)} and ${nodeName(world, b)} both hold an entry of term ${mine.term} at index ${index}, but their logs differ at index ${at}: ${nodeName(world, a)} has ${describeEntry(at, logs.entry(a, at))}, ${nodeName(world, b)} has ${describeEntry(at, logs.entry(b, at))}`,
              time: e.time,
              seq: e.seq,
              causes: [...faults.causes([a, b]), ...optionCauses(world, instance, ['bugs']), bindingCause(world, instance)],
            };
          }
        }
        return undefined;
      },
    };
  },
};
