import { ClockGapWatch, clockName, gapText, type Excess } from './clockGap';
import type { Cause, InvariantDefinition, ViolationReport, WorldView } from './invariant';
import { formatDuration, formatDurationExact, formatPpm } from '../units';

/**
 * max_skew < X: the spread of clock readings among live nodes (or the nodes
 * named in parentheses) stays below X at every instant.
 *
 * Exact, not sampled, on the readings the nodes see (floored to each clock's
 * resolution): the first instant is solved for per clock piece (see
 * ClockGapWatch).
 */
export const maxSkew: InvariantDefinition = {
  name: 'max_skew',
  summary: 'clocks of live nodes never differ by the bound or more',
  example: 'invariant max_skew < 10ms',
  form: { bound: 'duration', comparators: ['<', '<='], args: { min: 0, max: 1000, kind: 'node' } },
  create(params, world) {
    const bound = params.bound!;
    const strict = params.comparator === '<';
    const watch = new ClockGapWatch(world, {
      watched: params.nodeArgs.length > 0 ? [...params.nodeArgs] : world.model.nodes.map((n) => n.index),
      bound,
      strict,
      from: 0,
    });
    const report = (x: Excess | undefined): ViolationReport | undefined => {
      if (!x) return undefined;
      const fromTrue = (r: { node: number; reading: number }): string => `${clockName(world, r.node)} ${formatDuration(r.reading - x.time, true)}`;
      return {
        message: `max_skew ${gapText(x.gap, bound)} ${strict ? '>=' : '>'} ${formatDuration(bound)} at t=${formatDurationExact(x.time)} (${fromTrue(x.ahead)}, ${fromTrue(x.behind)} from true time)${x.causes.length ? `; caused by: ${x.causes.map((c) => `${c.message} (line ${c.range.startLine})`).join('; ')}` : ''}`,
        time: x.time,
        seq: x.seq,
        causes: x.causes,
      };
    };
    return {
      onEvent: (e) => (e.seq === 0 || ClockGapWatch.changesClocks(e) ? report(watch.check(e.seq)) : undefined),
      atEnd: () => report(watch.check(world.lastSeq())),
    };
  },
};

/** Why these clocks are where they are: their last change, else their declaration. */
export function clockCauses(world: WorldView, nodes: readonly number[]): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  for (const i of nodes) {
    const node = world.model.nodes[i]!;
    const last = world.lastClockChange(i);
    const declared = [node.clock.offset !== 0 ? `offset ${formatDuration(node.clock.offset, true)}` : '', node.clock.driftPpm !== 0 ? `drift ${formatPpm(node.clock.driftPpm)}` : ''].filter(Boolean).join(' ');
    const cause = last ?? (node.clock.range ? { message: `clock ${node.name} ${declared || 'declared'}`, range: node.clock.range } : undefined);
    if (cause && !seen.has(cause.message)) {
      seen.add(cause.message);
      causes.push(cause);
    }
  }
  return causes;
}
