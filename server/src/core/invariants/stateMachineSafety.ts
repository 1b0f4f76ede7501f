import { chainDigest, readApplied, readApply } from '../protocols/replicationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, NOTES_AND_FAULTS, instanceOf, nodeName, optionCauses } from './protocolCauses';

interface FirstApplied {
  readonly command: string;
  readonly node: number;
  readonly time: number;
  /** chainDigest of the commands first applied at 1..index (undefined if an index below was never seen). */
  readonly digest: number | undefined;
}

/**
 * state_machine_safety (Raft §5.4.3; for Multi-Paxos the same per slot): no
 * two nodes apply different commands at the same log index. Reads the
 * `{ apply: index, command }` notes; re-applying the same command after a
 * restart is fine.
 *
 * Entries applied at once (a restart re-applying its log, an installed
 * snapshot: `{ applied: to, appliedDigest }`) carry the digest of every
 * command applied at 1..to, compared with the digest of the commands first
 * applied there. The first application of an index is always one entry at
 * a time (a node re-applies or installs only what some node applied
 * before), so indices are first seen in order and the digests chain.
 */
export const stateMachineSafety: InvariantDefinition = {
  name: 'state_machine_safety',
  summary: 'no two nodes apply different commands at the same index',
  example: 'invariant state_machine_safety',
  form: {},
  watches: ['applied-commands'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    /** By instance, by index. */
    const applied = new Map<number, FirstApplied[]>();
    return {
      kinds: NOTES_AND_FAULTS,
      onEvent(e) {
        faults.observe(e);
        const a = readApply(e);
        const many = a ? undefined : readApplied(e);
        if (!a && !many) return undefined;
        const instance = instanceOf(world, e);
        let first = applied.get(instance);
        if (!first) applied.set(instance, (first = []));
        const report = (message: string, other: number) => ({
          message,
          time: e.time,
          seq: e.seq,
          causes: [...faults.causes([e.node, other]), ...optionCauses(world, instance, ['bugs']), bindingCause(world, instance)],
        });
        if (many) {
          const there = first[many.to];
          if (!there || there.digest === undefined || there.digest === many.appliedDigest) return undefined;
          return report(`${nodeName(world, e.node)} applied entries ${many.from}..${many.to} at once, but the commands up to ${many.to} differ from those first applied there (${nodeName(world, there.node)} applied ${there.command} at ${many.to} at t=${formatDuration(there.time)})`, there.node);
        }
        const seen = first[a!.index];
        if (!seen) {
          const below = a!.index === 1 ? 0 : first[a!.index - 1]?.digest;
          first[a!.index] = { command: a!.command, node: e.node, time: e.time, digest: below === undefined ? undefined : chainDigest(below, a!.command) };
          return undefined;
        }
        if (seen.command === a!.command) return undefined;
        return report(`${nodeName(world, e.node)} applied ${a!.command} at index ${a!.index}, but ${nodeName(world, seen.node)} applied ${seen.command} there at t=${formatDuration(seen.time)}`, seen.node);
      },
    };
  },
};
