import { readReplica, readWrote, replicaValues } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import { notDecidedEarly, type Cause, type InvariantDefinition, type ViolationReport } from './invariant';
import { clockCauses } from './maxSkew';
import { bindingCause, FaultHistory, instanceOf, memberNodes, nodeName } from './protocolCauses';

interface Write {
  readonly value: string;
  readonly node: number;
  readonly seq: number;
  readonly time: number;
  readonly vc: Int32Array;
  /** Replicas whose latest state holds this write or one that causally follows it. */
  readonly holders: Set<number>;
  /** Whether any replica ever held the value itself (a write that never did had no effect at all). */
  seen: boolean;
  /** When the last holder let go of it, if none holds it now. */
  droppedAt: { time: number; seq: number; replacedBy: string } | undefined;
}

/**
 * no_lost_updates: every write to a replicated register takes effect and
 * survives: some replica's state (`{ replica }` notes) held the value, and
 * at the end of the run some replica holds it or a write that causally
 * follows it (its writer had seen it: a legitimate overwrite). A write that
 * never showed up anywhere (rejected for an older value with a larger clock
 * stamp), or that every replica replaced by a write that does not follow it
 * (a concurrent one), is lost. Writes are the `{ wrote }` notes; "causally
 * follows" is decided by the vector clocks of those notes. Dated at the
 * write, or at the instant the last replica holding it let go.
 * Nothing is lost for good before the end: a replica may still receive the
 * value, and any later write by a node that has seen it (its own writer's
 * next one) makes it followed; so a run that stopped early with writes not
 * held anywhere is not decided.
 */
export const noLostUpdates: InvariantDefinition = {
  name: 'no_lost_updates',
  summary: 'every write survives in some replica or is overwritten only by a write that saw it',
  example: 'invariant no_lost_updates',
  form: {},
  watches: ['registers'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const writes = new Map<number, Map<string, Write>>(); // instance → value → write
    // w → s: same writer and later, or s's writer had heard from w's writer after w.
    const follows = (w: Write, s: Write): boolean => (w.node === s.node ? w.seq < s.seq : s.vc[w.node]! > w.vc[w.node]!);
    return {
      keepsEventClocks: true,
      onEvent(e) {
        faults.observe(e);
        const wrote = readWrote(e);
        const replica = wrote === undefined ? readReplica(e) : undefined;
        if (wrote === undefined && replica === undefined) return undefined;
        const index = instanceOf(world, e);
        let mine = writes.get(index);
        if (!mine) writes.set(index, (mine = new Map()));
        if (wrote !== undefined) {
          mine.set(wrote, { value: wrote, node: e.node, seq: e.seq, time: e.time, vc: e.vc, holders: new Set(), seen: false, droppedAt: undefined });
          return undefined;
        }
        const held = replicaValues(replica!).map((v) => mine!.get(v)).filter((w): w is Write => w !== undefined);
        for (const w of mine.values()) {
          if (held.includes(w)) w.seen = true;
          if (held.some((s) => s === w || follows(w, s))) {
            w.holders.add(e.node);
            w.droppedAt = undefined;
          } else if (w.holders.delete(e.node) && w.holders.size === 0) {
            w.droppedAt = { time: e.time, seq: e.seq, replacedBy: String(replica) };
          }
        }
        return undefined;
      },
      atEnd(end): ViolationReport | undefined {
        for (const [index, mine] of writes) {
          const lostAt = (w: Write) => (!w.seen ? { time: w.time, seq: w.seq, replacedBy: '' } : w.holders.size === 0 ? w.droppedAt : undefined);
          const lost = [...mine.values()].filter((w) => lostAt(w)).sort((a, b) => lostAt(a)!.time - lostAt(b)!.time);
          if (lost.length === 0) continue;
          if (!end.complete) return notDecidedEarly(world, end, `${lost.length} of ${mine.size} writes are held by no replica so far (${lost.map((x) => x.value).join(', ')}), but a late replica or a later write that saw them can still keep them`);
          const w = lost[0]!;
          const at = lostAt(w)!;
          const how = at.replacedBy ? `the last replica holding it switched to ${at.replacedBy}, which does not follow it` : 'it never took effect: the replica already held a value with a later clock stamp';
          const writers = [...new Set([...lost.map((x) => x.node), ...[...mine.values()].map((x) => x.node)])];
          const causes: Cause[] = [...clockCauses(world, writers), ...faults.causesAmong(memberNodes(world, index)), bindingCause(world, index)];
          return {
            message: `update ${w.value} by ${nodeName(world, w.node)} (t=${formatDuration(w.time)}) was lost at t=${formatDuration(at.time)}: ${how}; ${lost.length} of ${mine.size} writes lost (${lost.map((x) => x.value).join(', ')})`,
            time: at.time,
            seq: at.seq,
            causes,
          };
        }
        return undefined;
      },
    };
  },
};
