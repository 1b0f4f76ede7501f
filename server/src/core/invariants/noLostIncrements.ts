import { readIncrement, readReplica } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import { notDecidedEarly, type InvariantDefinition, type ViolationReport } from './invariant';
import { bindingCause, FaultHistory, instanceOf, memberNodes, nodeName, optionCauses } from './protocolCauses';

interface Counter {
  acknowledged: number;
  readonly replicas: Map<number, { value: number; shortSince: number | undefined; seq: number }>;
}

/**
 * no_lost_increments: at the end of the run every live replica of a counter
 * (a node that noted a numeric `{ replica }`) holds exactly the sum of the
 * acknowledged increments (`{ increment: ±1 }` notes). A replica short of it
 * lost increments; the violation is dated from the moment that replica's
 * value last fell (and stayed) behind, i.e. the first increment it lost for
 * good. Run the workload to quiescence so that replication has caught up.
 * A run that stopped early with a replica off is not decided: replication
 * may still bring it level (or acknowledge the increments it already has).
 */
export const noLostIncrements: InvariantDefinition = {
  name: 'no_lost_increments',
  summary: 'at the end every replica of a counter counts every acknowledged increment',
  example: 'invariant no_lost_increments',
  form: {},
  watches: ['counters'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const counters = new Map<number, Counter>();
    const track = (c: Counter, node: number, value: number, time: number, seq: number): void => {
      const r = c.replicas.get(node);
      const short = value !== c.acknowledged;
      c.replicas.set(node, { value, shortSince: short ? (r?.shortSince ?? time) : undefined, seq: short ? (r?.shortSince !== undefined ? r.seq : seq) : seq });
    };
    return {
      onEvent(e) {
        faults.observe(e);
        const delta = readIncrement(e);
        const replica = readReplica(e);
        if (delta === undefined && typeof replica !== 'number') return undefined;
        const index = instanceOf(world, e);
        let c = counters.get(index);
        if (!c) counters.set(index, (c = { acknowledged: 0, replicas: new Map() }));
        if (delta !== undefined) {
          c.acknowledged += delta;
          for (const [node, r] of c.replicas) if (node !== e.node || typeof replica !== 'number') track(c, node, r.value, e.time, e.seq);
        }
        if (typeof replica === 'number') track(c, e.node, replica, e.time, e.seq);
        return undefined;
      },
      atEnd(end): ViolationReport | undefined {
        for (const [index, c] of counters) {
          const short = [...c.replicas].filter(([node, r]) => world.isAlive(node) && r.value !== c.acknowledged);
          if (short.length === 0) continue;
          const [node, r] = short.sort((a, b) => (a[1].shortSince ?? 0) - (b[1].shortSince ?? 0))[0]!;
          if (!end.complete) return notDecidedEarly(world, end, `${nodeName(world, node)} holds ${r.value} of ${c.acknowledged} acknowledged increment(s) so far${short.length > 1 ? ` (${short.length} replicas off)` : ''}, but replication may still catch up`);
          const lost = c.acknowledged - r.value;
          return {
            message: `${nodeName(world, node)} ends with ${r.value} but ${c.acknowledged} increment(s) were acknowledged: ${lost > 0 ? `${lost} lost` : `${-lost} too many`}${short.length > 1 ? ` (${short.length} replicas off)` : ''}; off since t=${formatDuration(r.shortSince ?? world.now())}`,
            time: r.shortSince ?? world.now(),
            seq: r.shortSince !== undefined ? r.seq : world.lastSeq(),
            causes: [...faults.causesAmong(memberNodes(world, index)), ...optionCauses(world, index, ['work'], { work: 'the gap between a read and its write, in which another increment gets overwritten' }), bindingCause(world, index)],
          };
        }
        return undefined;
      },
    };
  },
};
