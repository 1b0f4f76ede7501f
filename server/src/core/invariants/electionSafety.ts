import { readRole } from '../protocols/replicationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, NOTES_AND_FAULTS, instanceOf, nodeName, optionCauses } from './protocolCauses';

/**
 * election_safety (Raft §5.2): at most one leader is elected in a term.
 * Reads the `{ role: 'leader', term }` notes of every protocol that elects
 * leaders by term; reports the second leader of a term when it is elected.
 */
export const electionSafety: InvariantDefinition = {
  name: 'election_safety',
  summary: 'at most one leader is elected in each term',
  example: 'invariant election_safety',
  form: {},
  watches: ['leader-terms'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const leaders = new Map<string, { node: number; time: number }>();
    return {
      kinds: NOTES_AND_FAULTS,
      onEvent(e) {
        faults.observe(e);
        const role = readRole(e);
        if (!role || role.role !== 'leader' || role.term === undefined) return undefined;
        const instance = instanceOf(world, e);
        const key = `${instance}:${role.term}`;
        const first = leaders.get(key);
        if (!first) {
          leaders.set(key, { node: e.node, time: e.time });
          return undefined;
        }
        if (first.node === e.node) return undefined;
        return {
          message: `two leaders in term ${role.term}: ${nodeName(world, first.node)} (elected at t=${formatDuration(first.time)}) and ${nodeName(world, e.node)} (elected at t=${formatDuration(e.time)})`,
          time: e.time,
          seq: e.seq,
          causes: [...faults.causes(), ...optionCauses(world, instance, ['bugs']), bindingCause(world, instance)],
        };
      },
    };
  },
};
