import { checkLinearizable, DEFAULT_MAX_STEPS, type PartitionFailure } from '../linearizability/checker';
import { modelFor, type HistoryModel, type ModelName } from './models';
import { UNKNOWN, type HistoryOp } from './operations';

/**
 * The verdict on a whole history, and for every key that has no
 * linearization an explanation made of the input's own operations:
 *  - the smallest failing prefix: the shortest beginning of the history
 *    (cut just after some operation returns; operations that have not
 *    returned at the cut count as pending: they may or may not take effect)
 *    that is already not linearizable. Every cut before the return the
 *    search got stuck at last (search.ts, `culprit`) is linearizable, so
 *    only the cuts from there on are tried, that one first;
 *  - the operations involved: that prefix without the reads that are not
 *    needed for the contradiction (removing a read never makes a history
 *    less linearizable, so what remains is itself a failing history), as far
 *    as a step budget proportional to the search that found the violation
 *    allows;
 *  - the order that got furthest: everything that returned before the
 *    prefix's last return, linearized.
 */
export interface KeyFailure {
  readonly key: string | undefined;
  /** Operations on this key in the whole history. */
  readonly operations: number;
  /** The operation whose return ends the smallest failing prefix. */
  readonly prefixEnd: HistoryOp;
  /** Operations (on this key) the smallest failing prefix contains. */
  readonly prefixOperations: number;
  /** False when some shorter prefix could not be decided within the budget: a shorter one might fail too. */
  readonly minimal: boolean;
  readonly involved: readonly HistoryOp[];
  readonly longestOrder: readonly HistoryOp[];
}

export interface KeyUndecided {
  readonly key: string | undefined;
  readonly operations: number;
  readonly steps: number;
}

export interface HistoryVerdict {
  readonly verdict: 'linearizable' | 'not linearizable' | 'undecided';
  readonly operations: number;
  readonly keys: number;
  readonly failures: readonly KeyFailure[];
  readonly undecided: readonly KeyUndecided[];
}

/** Steps the read removal may take, as a multiple of the steps the violation took to find. */
const EXPLAIN_STEPS_FACTOR = 1;

export interface AnalyzeOptions {
  /** Search steps per key (and per prefix tried when explaining a failure). */
  readonly maxSteps?: number;
}

export function checkHistory(ops: readonly HistoryOp[], modelName: ModelName, options: AnalyzeOptions = {}): HistoryVerdict {
  const model = modelFor(modelName, ops);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const result = checkLinearizable(model, ops, { maxSteps });
  const keys = model.partition ? model.partition(ops).length : 1;
  const undecided = result.kind === 'ok' ? [] : result.undecided.map((u) => ({ key: u.partition[0]?.input.key, operations: u.partition.length, steps: u.steps }));
  if (result.kind === 'ok') return { verdict: 'linearizable', operations: ops.length, keys, failures: [], undecided };
  if (result.kind === 'unknown') return { verdict: 'undecided', operations: ops.length, keys, failures: [], undecided };
  const failures = result.failures.map((f) => explain(model, f, maxSteps));
  return { verdict: 'not linearizable', operations: ops.length, keys, failures, undecided };
}

/** The history as it stood just after time `cut`: later calls are left out, later returns become unknown. */
function prefixAt(ops: readonly HistoryOp[], cut: number): HistoryOp[] {
  const out: HistoryOp[] = [];
  for (const op of ops) {
    if (op.call > cut) continue;
    if (op.ret <= cut) out.push(op);
    else if (op.input.kind !== 'read') out.push({ ...op, ret: Infinity, output: UNKNOWN });
  }
  return out;
}

function explain(model: HistoryModel, failure: PartitionFailure<HistoryOp>, maxSteps: number): KeyFailure {
  const { partition } = failure;
  // Every cut before the culprit's return is linearizable (the search got
  // past it); the culprit's own cut usually fails, but not always (an
  // operation still running there has an unknown result in the prefix,
  // which may explain more). So: try it, then gallop and bisect upwards.
  const cuts = [...new Set(partition.map((op) => op.ret).filter((t) => Number.isFinite(t) && t >= failure.culprit.ret))].sort((a, b) => a - b);
  let lo = -1;
  let hi = cuts.length;
  let minimal = true;
  let longest: readonly HistoryOp[] = failure.prefix;
  const fails = (index: number): boolean => {
    const r = checkLinearizable(model, prefixAt(partition, cuts[index]!), { maxSteps });
    if (r.kind === 'unknown') minimal = false;
    if (r.kind === 'violation') longest = r.prefix;
    return r.kind === 'violation';
  };
  for (let step = 1, i = 0; i < hi; i = lo + step, step *= 2) {
    if (fails(i)) hi = i;
    else lo = i;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (fails(mid)) hi = mid;
    else lo = mid;
  }
  const failing = hi < cuts.length ? prefixAt(partition, cuts[hi]!) : [...partition];
  const end = hi < cuts.length ? partition.find((op) => op.ret === cuts[hi]) ?? failure.culprit : failure.culprit;
  const involved = new Set(withoutNeedlessReads(model, failing, Math.min(maxSteps, EXPLAIN_STEPS_FACTOR * Math.max(failure.steps, 10_000))).map((op) => op.id));
  const original = new Map(partition.map((op) => [op.id, op]));
  return {
    key: partition[0]?.input.key,
    operations: partition.length,
    prefixEnd: end,
    prefixOperations: failing.length,
    minimal,
    involved: partition.filter((op) => involved.has(op.id)),
    longestOrder: longest.map((op) => original.get(op.id) ?? op),
  };
}

/**
 * Drops the reads that are not needed for the violation, in halving chunks
 * (delta debugging): a chunk stays out when the rest still fails. Removing
 * reads only ever makes a history easier to linearize, so a read found
 * needed stays needed, and one pass read by read leaves only needed ones.
 * Gives up (keeping what it has) when its step budget is spent.
 */
function withoutNeedlessReads(model: HistoryModel, failing: readonly HistoryOp[], maxSteps: number): readonly HistoryOp[] {
  let kept = [...failing];
  let budget = maxSteps;
  const readsOf = (ops: readonly HistoryOp[]): HistoryOp[] => ops.filter((op) => op.input.kind === 'read');
  for (let chunk = Math.ceil(readsOf(kept).length / 2); chunk >= 1 && budget > 0; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
    for (let start = 0; budget > 0; ) {
      const reads = readsOf(kept);
      if (start >= reads.length) break;
      const drop = new Set(reads.slice(start, start + chunk).map((op) => op.id));
      const candidate = kept.filter((op) => !drop.has(op.id));
      const r = checkLinearizable(model, candidate, { maxSteps: Math.min(budget, maxSteps), stopAtFirstViolation: true });
      budget -= r.steps;
      if (r.kind === 'violation') kept = candidate;
      else start += chunk;
    }
  }
  return kept;
}
