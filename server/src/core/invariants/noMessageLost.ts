import { readConsumed, readProduced } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import { notDecidedEarly, type InvariantDefinition, type ViolationReport } from './invariant';
import { bindingCause, FaultHistory, instanceOf, memberNodes, nodeName } from './protocolCauses';

interface Produced {
  readonly id: string;
  readonly instance: number;
  readonly producer: number;
  readonly time: number;
  readonly seq: number;
}

/**
 * no_message_lost [within T]: every message the queue acknowledged to its
 * producer (`{ produced }` note) is processed by some consumer
 * (`{ consumed }` note) — by the end of the run, or within T of being
 * produced when `within` is given (reported at that exact instant).
 * Duplicates are allowed (at-least-once) and counted in the message.
 * A run that stopped early with messages still waiting is not decided.
 */
export const noMessageLost: InvariantDefinition = {
  name: 'no_message_lost',
  summary: 'every message the queue accepted is consumed (at least once), by the end or within T',
  example: 'invariant no_message_lost within 1s',
  form: { within: 'optional' },
  watches: ['queue'],
  create(params, world) {
    const limit = params.within;
    const faults = new FaultHistory(world);
    const waiting = new Map<string, Produced>();
    const consumedCount = new Map<string, number>();
    let previousSeq = -1;
    const report = (lost: Produced[], time: number, seq: number, why: string): ViolationReport => {
      const duplicates = [...consumedCount.values()].reduce((a, n) => a + n - 1, 0);
      const first = lost[0]!;
      return {
        message: `${first.id} (queued t=${formatDuration(first.time)} for ${nodeName(world, first.producer)}) ${why}; ${lost.length} message(s) not consumed (${lost.map((p) => p.id).slice(0, 8).join(', ')}${lost.length > 8 ? ', …' : ''}); ${consumedCount.size} consumed, ${duplicates} duplicate deliveries`,
        time,
        seq,
        causes: [...faults.causesAmong(memberNodes(world, first.instance)), bindingCause(world, first.instance)],
      };
    };
    const overdue = (now: number, seq: number): ViolationReport | undefined => {
      if (limit === undefined) return undefined;
      const late = [...waiting.values()].filter((p) => now > p.time + limit).sort((a, b) => a.time - b.time);
      if (late.length === 0) return undefined;
      // Reported at the first deadline, with what was overdue at that instant.
      const at = late[0]!.time + limit;
      return report(late.filter((p) => p.time + limit <= at), at, seq, `was not consumed within ${formatDuration(limit)}`);
    };
    return {
      onEvent(e) {
        const late = overdue(e.time, previousSeq);
        previousSeq = e.seq;
        if (late) return late;
        faults.observe(e);
        const produced = readProduced(e);
        if (produced !== undefined) {
          const key = `${instanceOf(world, e)}:${produced}`;
          if (!consumedCount.has(key)) waiting.set(key, { id: produced, instance: instanceOf(world, e), producer: e.node, time: e.time, seq: e.seq });
          return undefined;
        }
        const consumed = readConsumed(e);
        if (consumed === undefined) return undefined;
        const key = `${instanceOf(world, e)}:${consumed}`;
        consumedCount.set(key, (consumedCount.get(key) ?? 0) + 1);
        waiting.delete(key);
        return undefined;
      },
      atEnd(end) {
        const late = overdue(world.now(), world.lastSeq());
        if (late) return late;
        const lost = [...waiting.values()].sort((a, b) => a.time - b.time);
        if (lost.length === 0) return undefined;
        // Stopped early: a consumer may still take them (with `within`, none was overdue yet).
        if (!end.complete) return notDecidedEarly(world, end, `${lost.length} message(s) were not consumed yet (${lost.map((p) => p.id).slice(0, 8).join(', ')}${lost.length > 8 ? ', …' : ''})`);
        return report(lost, world.now(), world.lastSeq(), 'was never consumed');
      },
    };
  },
};
