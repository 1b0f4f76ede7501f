import { readApply } from '../protocols/replicationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, NOTES_AND_FAULTS, instanceOf, nodeName, optionCauses } from './protocolCauses';

/**
 * state_machine_safety (Raft §5.4.3; for Multi-Paxos the same per slot): no
 * two nodes apply different commands at the same log index. Reads the
 * `{ apply: index, command }` notes; re-applying the same command after a
 * restart is fine.
 */
export const stateMachineSafety: InvariantDefinition = {
  name: 'state_machine_safety',
  summary: 'no two nodes apply different commands at the same index',
  example: 'invariant state_machine_safety',
  form: {},
  watches: ['applied-commands'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const applied = new Map<string, { command: string; node: number; time: number }>();
    return {
      kinds: NOTES_AND_FAULTS,
      onEvent(e) {
        faults.observe(e);
        const a = readApply(e);
        if (!a) return undefined;
        const instance = instanceOf(world, e);
        const key = `${instance}:${a.index}`;
        const first = applied.get(key);
        if (!first) {
          applied.set(key, { command: a.command, node: e.node, time: e.time });
          return undefined;
        }
        if (first.command === a.command) return undefined;
        return {
          message: `${nodeName(world, e.node)} applied ${a.command} at index ${a.index}, but ${nodeName(world, first.node)} applied ${first.command} there at t=${formatDuration(first.time)}`,
          time: e.time,
          seq: e.seq,
          causes: [...faults.causes([e.node, first.node]), ...optionCauses(world, instance, ['bugs']), bindingCause(world, instance)],
        };
      },
    };
  },
};
