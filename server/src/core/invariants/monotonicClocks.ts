import { formatClockReading, formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';

/**
 * monotonic_clocks: no live node's clock ever steps backwards. A clock jump
 * fault or a protocol step with a negative amount violates it; slewing (a
 * slower rate, however slow) does not, nor does a negative initial offset.
 * Reads the steps from the clock events' data (`step`), so it is exact.
 */
export const monotonicClocks: InvariantDefinition = {
  name: 'monotonic_clocks',
  summary: "no live node's clock ever steps backwards (slewing is fine)",
  example: 'invariant monotonic_clocks',
  form: { args: { min: 0, max: 1000, kind: 'node' } },
  create(params, world) {
    const watched = new Set(params.nodeArgs.length > 0 ? params.nodeArgs : world.model.nodes.map((n) => n.index));
    return {
      kinds: ['clock-jump', 'clock-adjust'],
      onEvent(e) {
        if (e.kind !== 'clock-jump' && e.kind !== 'clock-adjust') return undefined;
        const step = e.data?.['step'];
        if (typeof step !== 'number' || step >= 0 || !watched.has(e.node) || !world.isAlive(e.node)) return undefined;
        const name = world.model.nodes[e.node]!.name;
        const cause = world.lastClockChange(e.node)?.message ?? `${name}: ${e.detail ?? 'clock step'}`;
        return {
          message: `${name}'s clock stepped back ${formatDuration(-step)} at t=${formatDuration(e.time)}: it read ${formatClockReading(e.local - step)}, then ${formatClockReading(e.local)}; caused by: ${cause} (line ${e.range.startLine})`,
          time: e.time,
          seq: e.seq,
          causes: [{ message: cause, range: e.range }],
        };
      },
    };
  },
};
