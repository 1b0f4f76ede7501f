import type { Operation, SequentialModel } from './history';
import { PartitionSearch } from './search';

/**
 * Linearizability checking (search.ts: Wing–Gong with Lowe's memoization,
 * as Porcupine does it) over the independent partitions of a history (e.g.
 * one per key). The partitions are searched in round-robin slices, each with
 * its own step budget, so one intractable key neither eats the budget of the
 * others nor hides an easy violation in another key: a violation anywhere
 * wins over keys that could not be decided.
 *
 * Exact, not a heuristic: `ok` comes with a witness order per partition,
 * `violation` means no order exists for at least one partition. `unknown`
 * only when no partition has a violation and some ran out of budget.
 */
export type CheckResult<I, O, Op extends Operation<I, O> = Operation<I, O>> =
  | { readonly kind: 'ok'; readonly order: readonly (readonly Op[])[]; readonly steps: number }
  | {
      readonly kind: 'violation';
      /** The first independent sub-history (e.g. one key), in partition order, that has no linearization. */
      readonly partition: readonly Op[];
      /** The operation whose return no order gets past: the history cut just before it returns is linearizable (search.ts). */
      readonly culprit: Op;
      /** The order that got furthest: everything that returned before the culprit, linearized. */
      readonly prefix: readonly Op[];
      /** Every partition that has no linearization (the first is the one above), in partition order. */
      readonly failures: readonly PartitionFailure<Op>[];
      /** Partitions not decided: out of budget, or stopped STEPS_AFTER_VERDICT steps after the verdict was known (or at once with `stopAtFirstViolation`). */
      readonly undecided: readonly PartitionUndecided<Op>[];
      /** Search steps taken, over all partitions. */
      readonly steps: number;
    }
  | { readonly kind: 'unknown'; /** Search steps taken, over all partitions. */ readonly steps: number; readonly undecided: readonly PartitionUndecided<Op>[] };

export interface PartitionFailure<Op> {
  readonly partition: readonly Op[];
  readonly culprit: Op;
  readonly prefix: readonly Op[];
  readonly steps: number;
}

export interface PartitionUndecided<Op> {
  readonly partition: readonly Op[];
  readonly steps: number;
}

export interface CheckOptions {
  /** Search steps each partition may take before it counts as undecided. */
  readonly maxSteps?: number;
  /** Stop every other partition as soon as one has a violation (the verdict is the same; fewer failures are listed). */
  readonly stopAtFirstViolation?: boolean;
}

export const DEFAULT_MAX_STEPS = 5_000_000;
/** Steps a partition runs before the next one gets its turn. */
const SLICE = 20_000;
/**
 * Once one partition has a violation the verdict is known: the partitions
 * still running then get at most this many further steps each, to list their
 * own failures too if they are easy to find, instead of running on to
 * `maxSteps` only to be reported undecided (Porcupine's kv c50-bad: 6 of 10
 * keys fail within a few hundred thousand steps, the other 4 took 5 M steps
 * each, 20 M in all, about 9 s and 1.1 GB, for nothing the verdict needed).
 */
export const STEPS_AFTER_VERDICT = 500_000;

export function checkLinearizable<S, I, O, Op extends Operation<I, O> = Operation<I, O>>(model: SequentialModel<S, I, O>, history: readonly Op[], options: CheckOptions = {}): CheckResult<I, O, Op> {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const partitions = (model.partition ? model.partition(history) : [[...history]]) as Op[][];
  const searches = partitions.map((part) => new PartitionSearch<S, I, O, Op>(model, part));
  // Each search's own limit: maxSteps, lowered once the verdict is known (STEPS_AFTER_VERDICT).
  const limits = new Map(searches.map((s) => [s, maxSteps]));
  let verdictKnown = false;
  let running = searches.filter((s) => s.status === 'running');
  while (running.length > 0) {
    for (const s of running) s.advance(Math.min(SLICE, limits.get(s)! - s.steps));
    if (!verdictKnown && running.some((s) => s.status === 'violation')) {
      if (options.stopAtFirstViolation) break;
      verdictKnown = true;
      for (const s of running) limits.set(s, Math.min(maxSteps, s.steps + STEPS_AFTER_VERDICT));
    }
    running = running.filter((s) => s.status === 'running' && s.steps < limits.get(s)!);
  }
  const failures: PartitionFailure<Op>[] = searches
    .filter((s) => s.status === 'violation')
    .map((s) => ({ partition: s.ops, culprit: s.culprit!, prefix: s.order, steps: s.steps }));
  const undecided = searches.filter((s) => s.status === 'running').map((s) => ({ partition: s.ops, steps: s.steps }));
  const steps = searches.reduce((n, s) => n + s.steps, 0);
  const first = failures[0];
  if (first) return { kind: 'violation', partition: first.partition, culprit: first.culprit, prefix: first.prefix, failures, undecided, steps };
  if (undecided.length > 0) return { kind: 'unknown', steps, undecided };
  return { kind: 'ok', order: searches.map((s) => s.order), steps };
}
