import { readLock } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, instanceOf, memberNodes, nodeName, optionCauses } from './protocolCauses';

interface Holder {
  readonly token: number;
  readonly since: number;
}

/**
 * mutual_exclusion: at no instant do two nodes believe they hold the same
 * lock. A client holds from its `{ lock: 'acquired' }` note until its
 * `released` or `expired` note, or its crash. Leases alone cannot guarantee
 * this when a holder stalls or clocks misbehave; fencing does not restore it
 * either (it protects the storage instead, see fenced_writes).
 */
export const mutualExclusion: InvariantDefinition = {
  name: 'mutual_exclusion',
  summary: 'no two nodes believe they hold the lock at the same time',
  example: 'invariant mutual_exclusion',
  form: {},
  watches: ['locks'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const holders = new Map<number, Map<number, Holder>>(); // instance → node → holder
    return {
      onEvent(e) {
        faults.observe(e);
        if (e.kind === 'crash') {
          for (const h of holders.values()) h.delete(e.node);
          return undefined;
        }
        const l = readLock(e);
        if (!l) return undefined;
        const instance = instanceOf(world, e);
        let h = holders.get(instance);
        if (!h) holders.set(instance, (h = new Map()));
        if (l.lock !== 'acquired') {
          h.delete(e.node);
          return undefined;
        }
        const other = [...h].find(([node]) => node !== e.node);
        h.set(e.node, { token: l.token, since: e.time });
        if (!other) return undefined;
        const [otherNode, held] = other;
        return {
          message: `${nodeName(world, e.node)} acquired the lock (token ${l.token}) at t=${formatDuration(e.time)} while ${nodeName(world, otherNode)} still believed it held it (token ${held.token}, since t=${formatDuration(held.since)})`,
          time: e.time,
          seq: e.seq,
          causes: [
            ...optionCauses(world, instance, ['pause', 'pause_for', 'lease'], { pause: `${nodeName(world, otherNode)} stalls while holding`, lease: 'the server takes the lock back after this, by its clock' }),
            ...faults.causesAmong(memberNodes(world, instance)),
            bindingCause(world, instance),
          ],
        };
      },
    };
  },
};
