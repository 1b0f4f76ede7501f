import { formatDuration, formatDurationExact } from '../units';
import { ClockGapWatch, clockName, gapText, type Excess } from './clockGap';
import { notDecidedEarly, type InvariantDefinition, type ViolationReport } from './invariant';

/**
 * converges within T < X: from true time T on, the clocks of the live nodes
 * (or the nodes named in parentheses) stay less than X apart until the end
 * of the run: synchronisation brought them together in time and kept them
 * there. Before T anything goes. Exact like max_skew (see ClockGapWatch).
 * A run that ends before T cannot show convergence, and one that stopped
 * early cannot show that the clocks stayed together: both are not decided
 * (unless the clocks had already drifted apart after T, which is certain).
 */
export const converges: InvariantDefinition = {
  name: 'converges',
  summary: 'after the given time the clocks of live nodes stay closer together than the bound until the end',
  example: 'invariant converges within 5s < 1ms',
  form: { bound: 'duration', comparators: ['<', '<='], within: 'required', args: { min: 0, max: 1000, kind: 'node' } },
  create(params, world) {
    const strict = params.comparator === '<';
    const bound = params.bound!;
    const deadline = params.within!;
    const watch = new ClockGapWatch(world, {
      watched: params.nodeArgs.length > 0 ? [...params.nodeArgs] : world.model.nodes.map((n) => n.index),
      bound: params.bound!,
      strict,
      from: deadline,
    });
    const report = (x: Excess | undefined): ViolationReport | undefined => {
      if (!x) return undefined;
      const fromTrue = (r: { node: number; reading: number }): string => `${clockName(world, r.node)} ${formatDuration(r.reading - x.time, true)}`;
      const causes = x.causes;
      const when = x.time === deadline ? `not converged by t=${formatDuration(deadline)}` : `diverged again at t=${formatDurationExact(x.time)}`;
      return {
        message: `${when}: skew ${gapText(x.gap, bound)} ${strict ? '>=' : '>'} ${formatDuration(params.bound!)} (${fromTrue(x.ahead)}, ${fromTrue(x.behind)} from true time)${causes.length ? `; caused by: ${causes.map((c) => `${c.message} (line ${c.range.startLine})`).join('; ')}` : ''}`,
        time: x.time,
        seq: x.seq,
        causes,
      };
    };
    return {
      onEvent: (e) => (e.seq === 0 || ClockGapWatch.changesClocks(e) ? report(watch.check(e.seq)) : undefined),
      atEnd(end) {
        const excess = report(watch.check(world.lastSeq()));
        if (excess) return excess;
        if (world.now() < deadline) {
          return { message: `not decided: the run ended at t=${formatDuration(world.now())}, before 'within ${formatDuration(deadline)}': convergence was never checked; run longer`, time: world.now(), seq: world.lastSeq(), causes: [], verdict: 'undecided' };
        }
        return end.complete ? undefined : notDecidedEarly(world, end, `the clocks were within ${formatDuration(bound)} of each other from t=${formatDuration(deadline)} so far, but converges judges them until the end`);
      },
    };
  },
};
