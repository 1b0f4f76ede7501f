import { checkHistory, type AnalyzeOptions, type HistoryVerdict } from './analyze';
import { modelFor, type ModelName } from './models';
import { describeOp, type HistoryOp } from './operations';
import { readHistory, type HistoryFormat } from './read';

/**
 * A checked history as the history webview draws it (Porcupine's
 * visualisation): per partition (key), one row per client and one bar per
 * operation from its invocation to its response, the operations of the
 * smallest non-linearizable prefix marked and the longest linearizable order
 * the search found. Plain data (it crosses the LSP connection and
 * postMessage), built from `dsync lin`'s own verdict.
 *
 * Times are ranks: the distinct call and return instants of the whole
 * history in order, 0, 1, 2 … (so real-time histories with nanosecond
 * stamps and position-ordered ones draw alike, and every partition shares
 * one axis, as in Porcupine). An operation whose outcome is unknown has no
 * return rank (`ret: null`): it is drawn open-ended.
 */
export interface HistoryViewPayload {
  readonly version: 1;
  /** The file's name as the user knows it (workspace-relative). */
  readonly file: string;
  readonly format: HistoryFormat;
  readonly model: ModelName;
  readonly verdict: HistoryVerdict['verdict'];
  readonly operations: number;
  /** One past the last rank: the axis runs from 0 to here. */
  readonly endRank: number;
  readonly partitions: readonly HistoryViewPartition[];
}

export interface HistoryViewPartition {
  /** The key; null for the history's one register. */
  readonly key: string | null;
  readonly verdict: HistoryVerdict['verdict'];
  /** Rows, in the order of each client's first operation. */
  readonly clients: readonly string[];
  readonly ops: readonly HistoryViewOp[];
  /** Set when this partition has no linearization. */
  readonly failure?: {
    /** Index (into ops) of the operation whose return ends the smallest failing prefix. */
    readonly prefixEnd: number;
    readonly prefixOperations: number;
    /** False when a shorter prefix could not be decided within the budget. */
    readonly minimal: boolean;
    /** Indices of the operations involved (the prefix without the reads that play no part). */
    readonly involved: readonly number[];
    /** Indices of the longest linearizable order found, in that order. */
    readonly longestOrder: readonly number[];
  };
  /** Set when the search ran out of budget on this partition: search steps taken. */
  readonly undecidedSteps?: number;
}

export interface HistoryViewOp {
  /** Row: index into the partition's clients. */
  readonly row: number;
  readonly client: string;
  readonly call: number;
  readonly ret: number | null;
  /** `write "x" ← 3`, `read → 2`, `cas 1→2 failed`: the op with its result, as dsync lin prints it. */
  readonly text: string;
  /** The result alone: `2`, `ok`, `failed`, `unknown`. */
  readonly result: string;
  readonly line: number;
  readonly column: number;
  readonly returnLine: number | null;
}

export interface HistoryViewOptions extends AnalyzeOptions {
  readonly format?: HistoryFormat;
  readonly model: ModelName;
  readonly file: string;
}

/** Reads, checks and lays out a history. Throws HistoryError (line, column) on bad input. */
export function historyView(text: string, options: HistoryViewOptions): HistoryViewPayload {
  const history = readHistory(text, options.format);
  const verdict = checkHistory(history.ops, options.model, options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {});
  const model = modelFor(options.model, history.ops);
  // The models partition the ops they are given: the same objects, so the cast only restores their type.
  const parts = (model.partition ? model.partition(history.ops) : [[...history.ops]]) as HistoryOp[][];
  const rankOf = ranks(history.ops);
  const partitions = parts.map((part) => {
    const key = part[0]?.input.key;
    const failure = verdict.failures.find((f) => f.key === key);
    const undecided = verdict.undecided.find((u) => u.key === key);
    const clients = [...new Set(part.map((op) => op.client))];
    const index = new Map(part.map((op, i) => [op.id, i]));
    const at = (op: HistoryOp): number => index.get(op.id)!;
    const p: HistoryViewPartition = {
      key: key ?? null,
      verdict: failure ? 'not linearizable' : undecided ? 'undecided' : 'linearizable',
      clients,
      ops: part.map((op) => ({
        row: clients.indexOf(op.client),
        client: op.client,
        call: rankOf.get(op.call)!,
        ret: Number.isFinite(op.ret) ? rankOf.get(op.ret)! : null,
        text: describeOp(op),
        result: resultText(op),
        line: op.callAt.line,
        column: op.callAt.column,
        returnLine: op.returnAt?.line ?? null,
      })),
      ...(failure
        ? { failure: { prefixEnd: at(failure.prefixEnd), prefixOperations: failure.prefixOperations, minimal: failure.minimal, involved: failure.involved.map(at), longestOrder: failure.longestOrder.map(at) } }
        : {}),
      ...(undecided ? { undecidedSteps: undecided.steps } : {}),
    };
    return p;
  });
  // Failing keys first, then undecided ones: what needs looking at is on top.
  const weight = (p: HistoryViewPartition): number => (p.verdict === 'not linearizable' ? 0 : p.verdict === 'undecided' ? 1 : 2);
  const ordered = partitions.map((p, i) => [p, i] as const).sort((a, b) => weight(a[0]) - weight(b[0]) || a[1] - b[1]).map(([p]) => p);
  return { version: 1, file: options.file, format: history.format, model: options.model, verdict: verdict.verdict, operations: verdict.operations, endRank: rankOf.size, partitions: ordered };
}

/** The distinct finite call and return instants, numbered in order. */
function ranks(ops: readonly HistoryOp[]): Map<number, number> {
  const times = [...new Set(ops.flatMap((op) => (Number.isFinite(op.ret) ? [op.call, op.ret] : [op.call])))].sort((a, b) => a - b);
  return new Map(times.map((t, i) => [t, i]));
}

function resultText(op: HistoryOp): string {
  const out = op.output;
  if (!out.known) return 'unknown';
  if (out.casSucceeded !== undefined) return out.casSucceeded ? 'ok' : 'failed';
  return out.value ? out.value.text : 'ok';
}
