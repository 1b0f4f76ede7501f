import { readDecision } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, instanceOf, nodeName, optionCauses } from './protocolCauses';

interface Decided {
  readonly node: number;
  readonly time: number;
}

/**
 * atomicity: every node of a commit protocol (coordinator and participants)
 * that decides a transaction decides the same way: nobody commits while
 * another aborts. Reads the `{ txn, decision }` notes; reports the first
 * decision that contradicts an earlier one, at its instant.
 */
export const atomicity: InvariantDefinition = {
  name: 'atomicity',
  summary: 'no node commits a transaction that another node aborts',
  example: 'invariant atomicity',
  form: {},
  watches: ['transactions'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    // Per instance and transaction: the first node that decided each way.
    const first = new Map<string, { commit?: Decided; abort?: Decided }>();
    return {
      onEvent(e) {
        faults.observe(e);
        const d = readDecision(e);
        if (!d) return undefined;
        const instance = instanceOf(world, e);
        const key = `${instance}:${d.txn}`;
        let seen = first.get(key);
        if (!seen) first.set(key, (seen = {}));
        if (!seen[d.decision]) seen[d.decision] = { node: e.node, time: e.time };
        const other = seen[d.decision === 'commit' ? 'abort' : 'commit'];
        if (!other) return undefined;
        const verb = (x: string) => (x === 'commit' ? 'committed' : 'aborted');
        const otherDecision = d.decision === 'commit' ? 'abort' : 'commit';
        return {
          message: `atomicity broken for txn ${d.txn}: ${nodeName(world, e.node)} ${verb(d.decision)} at t=${formatDuration(e.time)} but ${nodeName(world, other.node)} had ${verb(otherDecision)} at t=${formatDuration(other.time)}`,
          time: e.time,
          seq: e.seq,
          causes: [...faults.causesAmong([e.node, other.node]), ...optionCauses(world, instance, ['bugs']), bindingCause(world, instance)],
        };
      },
    };
  },
};
