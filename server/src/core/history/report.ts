import type { HistoryVerdict, KeyFailure } from './analyze';
import type { ModelName } from './models';
import { describeOp, type HistoryOp, type OpOutput, type Value } from './operations';
import type { HistoryFormat } from './read';

/**
 * `dsync lin`'s output: the verdict as text for people and as JSON for
 * tools. Operations are named by their input lines (invocation, and
 * completion when there is one), so every claim can be checked in the file.
 */
const SHOWN = 12;

export function verdictText(file: string, v: HistoryVerdict, model: ModelName): string[] {
  const keys = v.keys === 1 ? '1 key' : `${v.keys} keys`;
  const head = `${file}: ${v.operations} operations, ${keys}, model ${model}`;
  const lines: string[] = [];
  if (v.verdict === 'linearizable') lines.push(`${head}: linearizable`);
  else if (v.verdict === 'undecided') lines.push(`${head}: undecided: the search ran out of budget before deciding`);
  else lines.push(`${head}: NOT linearizable (${v.failures.length} of ${v.keys} ${v.keys === 1 ? 'key fails' : 'keys fail'})`);
  for (const f of v.failures) lines.push('', ...failureText(file, f));
  // After a failure the other keys are searched only briefly (checker.ts STEPS_AFTER_VERDICT): the verdict is already known.
  const why = v.verdict === 'not linearizable' ? 'not searched further: the verdict was already known' : 'raise --max-steps to search longer';
  for (const u of v.undecided) lines.push(`${keyName(u.key)}: undecided after ${u.steps} search steps (${u.operations} operations); ${why}`);
  return lines;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function keyName(key: string | undefined): string {
  return key === undefined ? 'the register' : `key ${JSON.stringify(key)}`;
}

function failureText(file: string, f: KeyFailure): string[] {
  const end = f.prefixEnd.returnAt ?? f.prefixEnd.callAt;
  const lines = [
    `${keyName(f.key)}: no linearization. The history is already not linearizable at ${file}:${end.line}, when process ${f.prefixEnd.client}'s ${describeOp(f.prefixEnd)} returns ` +
      `(${f.minimal ? 'the smallest failing prefix' : 'the smallest failing prefix found; a shorter one could not be decided'}: ${f.prefixOperations} of ${f.operations} operations).`,
    `  operations involved (${f.involved.length}; reads that play no part left out):`,
  ];
  const shown = f.involved.slice(-SHOWN);
  if (f.involved.length > shown.length) lines.push(`    … ${plural(f.involved.length - shown.length, 'earlier one')} (all of them in --json)`);
  for (const op of shown) lines.push(`    ${opLine(op)}${op === f.prefixEnd ? '   ← returns here' : ''}`);
  if (f.longestOrder.length === 0) lines.push('  longest linearizable order found: none (not even the first operation can be placed)');
  else {
    lines.push(`  longest linearizable order found (${f.longestOrder.length} operations), then nothing fits:`);
    const order = f.longestOrder.slice(-SHOWN);
    if (f.longestOrder.length > order.length) lines.push(`    … ${f.longestOrder.length - order.length} before`);
    for (const op of order) lines.push(`    ${opLine(op)}`);
  }
  return lines;
}

function opLine(op: HistoryOp): string {
  const where = `line ${op.callAt.line}${op.returnAt ? `–${op.returnAt.line}` : ''}`;
  return `${where.padEnd(16)} process ${op.client.padEnd(4)} ${describeOp(op)}`;
}

export function verdictJson(file: string, format: HistoryFormat, model: ModelName, v: HistoryVerdict): string {
  return JSON.stringify(
    {
      file,
      format,
      model,
      verdict: v.verdict,
      operations: v.operations,
      keys: v.keys,
      failures: v.failures.map((f) => ({
        key: f.key ?? null,
        operations: f.operations,
        prefixEnd: opJson(f.prefixEnd),
        prefixOperations: f.prefixOperations,
        minimal: f.minimal,
        involved: f.involved.map(opJson),
        longestOrder: f.longestOrder.map(opJson),
      })),
      undecided: v.undecided.map((u) => ({ key: u.key ?? null, operations: u.operations, steps: u.steps })),
    },
    null,
    2,
  );
}

function opJson(op: HistoryOp): Record<string, unknown> {
  const i = op.input;
  return {
    process: op.client,
    f: i.kind,
    key: i.key ?? null,
    ...(i.expected ? { expected: valueJson(i.expected) } : {}),
    ...(i.value ? { value: valueJson(i.value) } : {}),
    output: outputJson(op.output),
    line: op.callAt.line,
    column: op.callAt.column,
    returnLine: op.returnAt?.line ?? null,
    text: describeOp(op),
  };
}

function outputJson(o: OpOutput): unknown {
  if (!o.known) return 'unknown';
  if (o.casSucceeded !== undefined) return o.casSucceeded;
  return o.value ? valueJson(o.value) : 'ok';
}

function valueJson(v: Value): unknown {
  if (v.string !== undefined) return v.string;
  if (v.key === 'nil') return null;
  if (v.key.startsWith('i:') && Number.isSafeInteger(Number(v.text))) return Number(v.text);
  return v.text;
}
