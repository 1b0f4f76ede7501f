import { formatDuration, formatDurationExact } from '../units';
import { asymmetryCauses, ClockGapWatch, clockName, gapText, TRUE_TIME, type Excess } from './clockGap';
import type { InvariantDefinition, ViolationReport } from './invariant';

/**
 * max_offset < X: every live node's clock stays within X of true time.
 * max_offset(G) < X: within X of node G's clock instead (nodes other than G,
 * while G is up; while G is down there is nothing to compare with).
 * `within T` gives the clocks until T to get there (initial offsets that
 * synchronisation first has to remove).
 *
 * Exact: the first instant the bound is reached, found analytically between
 * clock changes (see ClockGapWatch).
 */
export const maxOffset: InvariantDefinition = {
  name: 'max_offset',
  summary: "every live node's clock stays within the bound of true time (or of the reference node's clock)",
  example: 'invariant max_offset(G) < 1ms',
  form: { bound: 'duration', comparators: ['<', '<='], within: 'optional', args: { min: 0, max: 1, kind: 'node' } },
  create(params, world) {
    const reference = params.nodeArgs[0] ?? TRUE_TIME;
    const strict = params.comparator === '<';
    const bound = params.bound!;
    const watch = new ClockGapWatch(world, {
      watched: world.model.nodes.map((n) => n.index),
      reference,
      bound: params.bound!,
      strict,
      from: params.within ?? 0,
    });
    const name = reference === TRUE_TIME ? 'max_offset' : `max_offset(${clockName(world, reference)})`;
    const report = (x: Excess | undefined): ViolationReport | undefined => {
      if (!x) return undefined;
      const nodeAhead = x.ahead.node !== reference;
      const node = nodeAhead ? x.ahead : x.behind;
      const ref = nodeAhead ? x.behind : x.ahead;
      const fromTrue = (r: { node: number; reading: number }): string => `${clockName(world, r.node)} ${formatDuration(r.reading - x.time, true)}`;
      const detail = reference === TRUE_TIME ? '' : ` (${fromTrue(node)}, ${fromTrue(ref)} from true time)`;
      const causes = [...x.causes, ...asymmetryCauses(world.model, node.node)];
      return {
        message: `${name} ${gapText(x.gap, bound)} ${strict ? '>=' : '>'} ${formatDuration(params.bound!)} at t=${formatDurationExact(x.time)}: ${clockName(world, node.node)} is ${gapText(x.gap, bound)} ${nodeAhead ? 'ahead of' : 'behind'} ${clockName(world, reference)}${detail}${causes.length ? `; caused by: ${causes.map((c) => `${c.message} (line ${c.range.startLine})`).join('; ')}` : ''}`,
        time: x.time,
        seq: x.seq,
        causes,
      };
    };
    return {
      onEvent: (e) => (e.seq === 0 || ClockGapWatch.changesClocks(e) ? report(watch.check(e.seq)) : undefined),
      atEnd: () => report(watch.check(world.lastSeq())),
    };
  },
};
