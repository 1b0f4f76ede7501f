import { diagnostic } from '../diagnostics';
import type { RandomFaultSpec } from '../model';
import type * as A from '../syntax/ast';
import type { CheckContext } from './context';

/** At most this many faults of one kind per period: more would only flood the run. */
const MAX_COUNT = 1000;

/**
 * Checks one item of a `faults random { … }` block. Without `for`, a fault
 * lasts a quarter of its period (a crashed node restarts after it).
 */
export function checkRandomFault(f: A.RandomFault, ctx: CheckContext): RandomFaultSpec | undefined {
  let count: number | undefined;
  if (f.count.kind !== 'number' || !Number.isInteger(f.count.value)) {
    ctx.diagnostics.push(diagnostic('DS121', `'${f.kind}' takes a whole number of faults per period, e.g. '${f.kind} 1 per 2s'`, f.count.range));
  } else if (f.count.value < 1 || f.count.value > MAX_COUNT) {
    ctx.diagnostics.push(diagnostic('DS129', `the number of faults per period must be between 1 and ${MAX_COUNT}`, f.count.range));
  } else {
    count = f.count.value;
  }
  const period = ctx.span(f.period, "'per' period");
  const window = f.window ? ctx.span(f.window, "'for' window") : period === undefined ? undefined : Math.max(1, Math.floor(period / 4));
  if (count === undefined || period === undefined || window === undefined) return undefined;
  return { kind: f.kind, count, period, window, range: f.range };
}
