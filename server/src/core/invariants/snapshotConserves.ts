import { readChannelState, readSnapshotState } from '../protocols/coordinationNotes';
import { formatDuration } from '../units';
import { notDecidedEarly, type InvariantDefinition, type ViolationReport } from './invariant';
import { bindingCause, FaultHistory, instanceOf, memberNames, memberNodes, nodeName, optionCauses } from './protocolCauses';

interface Snapshot {
  readonly instance: number;
  readonly id: number;
  readonly states: Map<string, number>;
  readonly channels: Map<string, number>;
  started: number;
  done: boolean;
}

/**
 * snapshot_conserves(TOTAL): every complete snapshot accounts for exactly
 * TOTAL — recorded local states plus recorded in-flight channel contents
 * (`{ snapshot, recorded, state }` and `{ snapshot, channel, inFlight }`
 * notes). A snapshot is complete when every member recorded its state and
 * all its incoming channels; it is checked at that instant. A snapshot still
 * incomplete at the end of the run is reported too: its total is unknown.
 * On a run that stopped early a complete snapshot that does not conserve
 * still fails (it was judged when it completed), but one still incomplete
 * is not decided: it may yet complete.
 */
export const snapshotConserves: InvariantDefinition = {
  name: 'snapshot_conserves',
  summary: 'every complete snapshot totals exactly the conserved amount (states plus money in flight)',
  example: 'invariant snapshot_conserves(300)',
  form: { args: { min: 1, max: 1, kind: 'number' } },
  watches: ['snapshots'],
  create(params, world) {
    const arg = params.args[0]!;
    const expected = arg.kind === 'number' ? arg.value : NaN;
    const faults = new FaultHistory(world);
    const snapshots = new Map<string, Snapshot>();
    const causes = (s: Snapshot) => [...optionCauses(world, s.instance, ['fifo'], { fifo: 'markers may overtake transfers' }), ...faults.causesAmong(memberNodes(world, s.instance)), bindingCause(world, s.instance)];
    return {
      onEvent(e) {
        faults.observe(e);
        const state = readSnapshotState(e);
        const channel = state ? undefined : readChannelState(e);
        if (!state && !channel) return undefined;
        const instance = instanceOf(world, e);
        const id = (state ?? channel)!.snapshot;
        const key = `${instance}:${id}`;
        let s = snapshots.get(key);
        if (!s) snapshots.set(key, (s = { instance, id, states: new Map(), channels: new Map(), started: e.time, done: false }));
        if (state) s.states.set(nodeName(world, e.node), state.state);
        else s.channels.set(channel!.channel, channel!.inFlight);
        const n = memberNames(world, instance).length;
        if (s.done || s.states.size < n || s.channels.size < n * (n - 1)) return undefined;
        s.done = true;
        const inFlight = [...s.channels.values()].reduce((a, b) => a + b, 0);
        const total = [...s.states.values()].reduce((a, b) => a + b, 0) + inFlight;
        if (total === expected) return undefined;
        const states = [...s.states].map(([node, v]) => `${node} ${v}`).join(', ');
        const flights = [...s.channels].filter(([, v]) => v !== 0).map(([c, v]) => `${c} ${v}`).join(', ') || 'nothing';
        return {
          message: `snapshot ${id} totals ${total}, not ${expected} (${total > expected ? 'counted twice' : 'missing'}: ${Math.abs(total - expected)}): recorded balances ${states}; in flight ${flights}`,
          time: e.time,
          seq: e.seq,
          causes: causes(s),
        };
      },
      atEnd(end): ViolationReport | undefined {
        for (const s of snapshots.values()) {
          if (s.done) continue;
          const names = memberNames(world, s.instance);
          const missing = names.filter((m) => !s.states.has(m));
          const gap = (when: string) => (missing.length ? `no state from ${missing.join(', ')}` : `${names.length * (names.length - 1) - s.channels.size} channel(s) ${when} recorded`);
          if (!end.complete) return notDecidedEarly(world, end, `snapshot ${s.id} (started t=${formatDuration(s.started)}) is not complete yet (${gap('not yet')})`);
          return {
            message: `snapshot ${s.id} (started t=${formatDuration(s.started)}) never completed: ${gap('never')}, so its total cannot be checked`,
            time: world.now(),
            seq: world.lastSeq(),
            causes: causes(s),
          };
        }
        return undefined;
      },
    };
  },
};
