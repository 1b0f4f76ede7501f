import type { InvariantDefinition, ViolationReport } from './invariant';
import { readPaxos } from '../protocols/replicationNotes';
import { ChosenValues } from './paxosChosen';
import { bindingCause, FaultHistory, instanceOf, nodeName, optionCauses } from './protocolCauses';

/**
 * validity (Paxos safety): only a value that some proposer was asked to
 * propose can be chosen or learned. The proposers' `input` notes say what
 * was proposed (Multi-Paxos: client commands and the leader's no-ops).
 */
export const validity: InvariantDefinition = {
  name: 'validity',
  summary: 'only proposed values are chosen or learned',
  example: 'invariant validity',
  form: {},
  watches: ['paxos'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const trackers = new Map<number, ChosenValues>();
    const inputs = new Map<number, Set<string>>();
    return {
      onEvent(e) {
        faults.observe(e);
        const n = readPaxos(e);
        if (!n) return undefined;
        const instance = instanceOf(world, e);
        let proposed = inputs.get(instance);
        if (!proposed) inputs.set(instance, (proposed = new Set()));
        let tracker = trackers.get(instance);
        if (!tracker) trackers.set(instance, (tracker = new ChosenValues()));
        if (n.paxos === 'input') {
          proposed.add(n.value);
          return undefined;
        }
        const report = (what: string, value: string): ViolationReport => ({
          message: `${what} ${value}${n.slot > 0 ? ` in slot ${n.slot}` : ''}, which nobody proposed (proposed: ${[...proposed].slice(0, 6).join(', ') || 'nothing'}${proposed.size > 6 ? ', …' : ''})`,
          time: e.time,
          seq: e.seq,
          causes: [...faults.causes(), ...optionCauses(world, instance, ['bugs', 'values']), bindingCause(world, instance)],
        });
        const chosen = tracker.observe(e, n);
        if (chosen && !proposed.has(chosen.value)) return report('the acceptors chose', chosen.value);
        if (n.paxos === 'learn' && !proposed.has(n.value)) return report(`${nodeName(world, e.node)} learned`, n.value);
        return undefined;
      },
    };
  },
};
