import { readStorageWrite } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, instanceOf, memberNodes, nodeName, optionCauses } from './protocolCauses';

/**
 * fenced_writes: storage never accepts a write whose fencing token is older
 * than one it has already accepted, i.e. a lock holder whose lease ran out
 * never overwrites the work of a newer holder. Reads the
 * `{ write: 'accepted', token }` notes of each storage node.
 */
export const fencedWrites: InvariantDefinition = {
  name: 'fenced_writes',
  summary: 'storage never accepts a write with a token older than one it already accepted',
  example: 'invariant fenced_writes',
  form: {},
  watches: ['locks'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const newest = new Map<string, { token: number; client: string; time: number }>(); // instance:node → newest accepted
    return {
      onEvent(e) {
        faults.observe(e);
        const w = readStorageWrite(e);
        if (!w || w.write !== 'accepted') return undefined;
        const instance = instanceOf(world, e);
        const key = `${instance}:${e.node}`;
        const top = newest.get(key);
        if (!top || w.token >= top.token) {
          newest.set(key, { token: w.token, client: w.client, time: e.time });
          return undefined;
        }
        return {
          message: `${nodeName(world, e.node)} accepted a write from ${w.client} with stale token ${w.token} at t=${formatDuration(e.time)}, after accepting token ${top.token} from ${top.client} at t=${formatDuration(top.time)}: two lock holders wrote`,
          time: e.time,
          seq: e.seq,
          causes: [
            ...optionCauses(world, instance, ['fencing', 'pause'], { fencing: 'storage does not check tokens', pause: `${w.client} stalls while holding` }),
            ...faults.causesAmong(memberNodes(world, instance)),
            bindingCause(world, instance),
          ],
        };
      },
    };
  },
};
