import { checkLinearizable, DEFAULT_MAX_STEPS } from '../linearizability/checker';
import { modelFor, type HistoryModel, type ModelName } from './models';
import { UNKNOWN, type HistoryOp } from './operations';

/**
 * The verdict on a whole history, and for every key that has no
 * linearization an explanation made of the input's own operations:
 *  - the smallest failing prefix: the shortest beginning of the history
 *    (cut just after some operation returns) that is already not
 *    linearizable. Linearizability is prefix-closed (operations that have not
 *    returned at the cut count as pending: they may or may not take effect),
 *    so a binary search over the cuts finds it;
 *  - the operations involved: that prefix without the reads that are not
 *    needed for the contradiction (removing a read never makes a history
 *    less linearizable, so what remains is itself a failing history);
 *  - the longest order the search could linearize before getting stuck.
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
  const failures = result.failures.map((f) => explain(model, f.partition, maxSteps));
  return { verdict: 'not linearizable', operations: ops.length, keys, failures, undecided };
}

type Decision = 'ok' | 'violation' | 'unknown';

function decide(model: HistoryModel, ops: readonly HistoryOp[], maxSteps: number): { decision: Decision; longest: readonly HistoryOp[] } {
  const r = checkLinearizable(model, ops, { maxSteps });
  return { decision: r.kind, longest: r.kind === 'violation' ? r.prefix : [] };
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

function explain(model: HistoryModel, partition: readonly HistoryOp[], maxSteps: number): KeyFailure {
  const cuts = [...new Set(partition.map((op) => op.ret).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  // Invariant: the prefix at cuts[hi] fails (the whole history does: hi may be past the last cut).
  let lo = -1;
  let hi = cuts.length;
  let minimal = true;
  let longest: readonly HistoryOp[] = [];
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const d = decide(model, prefixAt(partition, cuts[mid]!), maxSteps);
    if (d.decision === 'violation') {
      hi = mid;
      longest = d.longest;
    } else {
      if (d.decision === 'unknown') minimal = false;
      lo = mid;
    }
  }
  const failing = hi < cuts.length ? prefixAt(partition, cuts[hi]!) : [...partition];
  if (hi === cuts.length) longest = decide(model, failing, maxSteps).longest;
  const end = hi < cuts.length ? partition.find((op) => op.ret === cuts[hi]) ?? partition[partition.length - 1]! : partition[partition.length - 1]!;
  const involved = withoutNeedlessReads(model, failing, maxSteps);
  const original = new Map(partition.map((op) => [op.id, op]));
  const back = (ops: readonly HistoryOp[]): HistoryOp[] => ops.map((op) => original.get(op.id) ?? op);
  return { key: partition[0]?.input.key, operations: partition.length, prefixEnd: end, prefixOperations: failing.length, minimal, involved: back(involved), longestOrder: back(longest) };
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
