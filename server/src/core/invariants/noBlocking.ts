import { readDecision, readYesVote } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import { notDecidedEarly, type InvariantDefinition, type ViolationReport } from './invariant';
import { bindingCause, FaultHistory, instanceOf, nodeName, optionCauses } from './protocolCauses';

interface Uncertain {
  readonly instance: number;
  readonly node: number;
  readonly txn: number;
  readonly since: number;
}

/**
 * no_blocking within T: a live node that voted yes on a transaction learns
 * the decision within T. A node is uncertain from its yes vote (or from
 * recovering one from its log after a restart) until its decision note; a
 * crashed node is not waiting, so a crash ends its uncertainty and the
 * recovery note starts it again. Reported at the exact instant a node has
 * been uncertain for longer than T, even when no event happens then.
 * A run that stopped early with a node uncertain for less than T is not
 * decided: the decision may still reach it in time.
 */
export const noBlocking: InvariantDefinition = {
  name: 'no_blocking',
  summary: 'a node that voted yes learns the outcome within T (no blocked participants)',
  example: 'invariant no_blocking within 500ms',
  form: { within: 'required' },
  watches: ['transactions'],
  create(params, world) {
    const limit = params.within!;
    const faults = new FaultHistory(world);
    const waiting = new Map<string, Uncertain>();
    let previousSeq = -1;
    const overdue = (now: number, seq: number): ViolationReport | undefined => {
      let worst: Uncertain | undefined;
      for (const u of waiting.values()) if (now > u.since + limit && (!worst || u.since < worst.since)) worst = u;
      if (!worst) return undefined;
      const at = worst.since + limit;
      const coordinator = world.model.protocols[worst.instance]!.options.values.get('coordinator') as string | undefined;
      const coordinatorIndex = world.model.nodes.findIndex((n) => n.name === coordinator);
      return {
        message: `${nodeName(world, worst.node)} blocked on txn ${worst.txn}: uncertain since t=${formatDuration(worst.since)} (voted yes), still no decision at t=${formatDuration(at)}, ${formatDuration(limit)} later`,
        time: at,
        seq,
        causes: [...faults.causesAmong(coordinatorIndex >= 0 ? [coordinatorIndex, worst.node] : [worst.node]), ...optionCauses(world, worst.instance, ['coordinator'], { coordinator: 'only it can decide' }), bindingCause(world, worst.instance)],
      };
    };
    return {
      onEvent(e) {
        // Anything overdue became so before this event: report it at the last event before.
        const late = overdue(e.time, previousSeq);
        previousSeq = e.seq;
        if (late) return late;
        faults.observe(e);
        if (e.kind === 'crash') {
          for (const [k, u] of waiting) if (u.node === e.node) waiting.delete(k);
          return undefined;
        }
        const yes = readYesVote(e);
        const decided = readDecision(e);
        if (yes === undefined && !decided) return undefined;
        const instance = instanceOf(world, e);
        const key = `${instance}:${e.node}:${yes ?? decided!.txn}`;
        if (decided) waiting.delete(key);
        else if (!waiting.has(key)) waiting.set(key, { instance, node: e.node, txn: yes!, since: e.time });
        return undefined;
      },
      atEnd(end) {
        const late = overdue(world.now(), world.lastSeq());
        if (late || end.complete || waiting.size === 0) return late;
        const first = [...waiting.values()].sort((a, b) => a.since - b.since)[0]!;
        return notDecidedEarly(world, end, `${nodeName(world, first.node)} has been uncertain on txn ${first.txn} since t=${formatDuration(first.since)}${waiting.size > 1 ? ` (${waiting.size} uncertain)` : ''}, less than ${formatDuration(limit)}`);
      },
    };
  },
};
