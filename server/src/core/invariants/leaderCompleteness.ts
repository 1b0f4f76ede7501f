import { readCommit, readRole, type EntryNote } from '../protocols/replicationNotes';
import { formatDuration } from '../units';
import type { InvariantDefinition, ViolationReport } from './invariant';
import { bindingCause, FaultHistory, NOTES_AND_FAULTS, instanceOf, nodeName, optionCauses } from './protocolCauses';
import { describeEntry, ReplicaLogs } from './replicaLogs';

interface Committed {
  readonly entry: EntryNote;
  readonly node: number;
  readonly time: number;
  /** The term of the node that committed it, at that moment. */
  readonly term: number;
}

/**
 * leader_completeness (Raft §5.4): an entry committed in a term is in the
 * log of every leader of a later term. Entries count as committed when a
 * node notes a commit index covering them (its log, rebuilt from the notes,
 * says which entries those are). Checked when a leader is elected — against
 * everything committed so far — and when an entry is committed, against the
 * leaders of later terms already in office.
 */
export const leaderCompleteness: InvariantDefinition = {
  name: 'leader_completeness',
  summary: 'every leader holds all entries committed in earlier terms',
  example: 'invariant leader_completeness',
  form: {},
  watches: ['replicated-log'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const state = new Map<number, { logs: ReplicaLogs; committed: Map<number, Committed>; seen: Map<number, number> }>();
    return {
      kinds: NOTES_AND_FAULTS,
      onEvent(e) {
        faults.observe(e);
        if (e.kind !== 'note' || !e.data) return undefined;
        const instance = instanceOf(world, e);
        let s = state.get(instance);
        if (!s) state.set(instance, (s = { logs: new ReplicaLogs(), committed: new Map(), seen: new Map() }));
        const { logs, committed, seen } = s;
        logs.observe(e);
        const missing = (leader: number, index: number, c: Committed): ViolationReport | undefined => {
          const has = logs.entry(leader, index);
          if (has && has.term === c.entry.term && has.id === c.entry.id) return undefined;
          return {
            message: `${nodeName(world, leader)} leads term ${logs.term(leader)} without ${describeEntry(index, c.entry)}, committed by ${nodeName(world, c.node)} in term ${c.term} at t=${formatDuration(c.time)}; it holds ${describeEntry(index, has)} there`,
            time: e.time,
            seq: e.seq,
            causes: [...faults.causes(), ...optionCauses(world, instance, ['bugs']), bindingCause(world, instance)],
          };
        };
        const role = readRole(e);
        if (role?.role === 'leader' && role.term !== undefined) {
          for (const [index, c] of committed) {
            if (c.term >= role.term) continue;
            const report = missing(e.node, index, c);
            if (report) return report;
          }
          return undefined;
        }
        const upTo = readCommit(e);
        if (upTo === undefined) return undefined;
        const term = logs.term(e.node);
        // Indices this node committed before were recorded then (the first commit of an index counts).
        const from = (seen.get(e.node) ?? 0) + 1;
        if (upTo > (seen.get(e.node) ?? 0)) seen.set(e.node, upTo);
        for (let index = from; index <= upTo; index++) {
          const entry = logs.entry(e.node, index);
          if (!entry || committed.has(index)) continue;
          const c = { entry, node: e.node, time: e.time, term };
          committed.set(index, c);
          for (const leader of logs.nodes()) {
            if (logs.role(leader) !== 'leader' || logs.term(leader) <= term) continue;
            const report = missing(leader, index, c);
            if (report) return report;
          }
        }
        return undefined;
      },
    };
  },
};
