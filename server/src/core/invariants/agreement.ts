import { formatDuration } from '../units';
import type { InvariantDefinition, ViolationReport } from './invariant';
import { formatBallot, readPaxos } from '../protocols/replicationNotes';
import { ChosenValues, type Chosen } from './paxosChosen';
import { bindingCause, FaultHistory, instanceOf, memberNames, nodeName, optionCauses } from './protocolCauses';

/**
 * agreement (Paxos safety): at most one value is chosen per slot, and every
 * learner learns that value. "Chosen" is computed from the acceptors'
 * notes (a majority accepted it in one ballot), so a learner that agrees
 * with a wrongly chosen value does not hide the problem.
 */
export const agreement: InvariantDefinition = {
  name: 'agreement',
  summary: 'at most one value is chosen (per slot), and learners learn only it',
  example: 'invariant agreement',
  form: {},
  watches: ['paxos'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const trackers = new Map<number, ChosenValues>();
    const learned = new Map<string, { value: string; node: number; time: number }>();
    return {
      onEvent(e) {
        faults.observe(e);
        const n = readPaxos(e);
        if (!n) return undefined;
        const instance = instanceOf(world, e);
        let tracker = trackers.get(instance);
        if (!tracker) trackers.set(instance, (tracker = new ChosenValues()));
        const members = memberNames(world, instance);
        const slotText = (slot: number) => (slot > 0 ? ` in slot ${slot}` : '');
        const describe = (c: Chosen) => `${c.value} (ballot ${formatBallot(c.ballot, members)}, accepted by ${c.acceptors.map((a) => nodeName(world, a)).join(', ')} at t=${formatDuration(c.time)})`;
        const report = (message: string): ViolationReport => ({
          message,
          time: e.time,
          seq: e.seq,
          causes: [...faults.causes(), ...optionCauses(world, instance, ['bugs']), bindingCause(world, instance)],
        });
        const now = tracker.observe(e, n);
        if (now) {
          const first = tracker.chosen(now.slot)!;
          if (first.value !== now.value) return report(`two values chosen${slotText(now.slot)}: ${describe(first)}, then ${describe(now)}`);
        }
        if (n.paxos !== 'learn') return undefined;
        const chosen = tracker.chosen(n.slot);
        if (chosen && chosen.value !== n.value) return report(`${nodeName(world, e.node)} learned ${n.value}${slotText(n.slot)}, but ${describe(chosen)} was chosen`);
        const key = `${instance}:${n.slot}`;
        const other = learned.get(key);
        if (!other) learned.set(key, { value: n.value, node: e.node, time: e.time });
        else if (other.value !== n.value) return report(`${nodeName(world, e.node)} learned ${n.value}${slotText(n.slot)}, but ${nodeName(world, other.node)} learned ${other.value} at t=${formatDuration(other.time)}`);
        return undefined;
      },
    };
  },
};
