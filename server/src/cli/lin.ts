import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { checkHistory } from '../core/history/analyze';
import { HistoryError } from '../core/history/located';
import { MODEL_NAMES, type ModelName } from '../core/history/models';
import { HISTORY_FORMATS, readHistory, type HistoryFormat } from '../core/history/read';
import { verdictJson, verdictText } from '../core/history/report';

/**
 * `dsync lin FILE --model M [--format F] [--json] [--max-steps N]`: is the
 * history in FILE (`-`: standard input) linearizable? A thin shell over
 * core/history. Exit codes: 0 linearizable, 1 not linearizable, 2 bad input
 * or usage (with file:line:column), 3 undecided (the search ran out of
 * budget on some key and no key failed).
 */
export const LIN_USAGE = `usage: dsync lin FILE --model register|cas-register|kv|append-kv
                [--format jepsen-edn|porcupine|dsync-json] [--json] [--max-steps N]
  FILE '-' reads standard input; the format is detected from the content when not given.
  exit codes: 0 linearizable, 1 not linearizable, 2 bad input or usage, 3 undecided (budget spent)`;

export const EXIT_UNDECIDED = 3;
const MAX_HISTORY_BYTES = 512 * 1024 * 1024;

export interface LinIo {
  out(text: string): void;
  err(text: string): void;
}

export function linCommand(argv: readonly string[], io: LinIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { model: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean' }, 'max-steps': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(LIN_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, positionals.length === 0 ? 'lin needs a FILE (or - for standard input)' : 'lin takes one FILE');
  const model = values.model;
  if (model === undefined) return usage(io, `lin needs --model (${MODEL_NAMES.join(', ')})`);
  if (!(MODEL_NAMES as readonly string[]).includes(model)) return usage(io, `--model takes ${MODEL_NAMES.join(', ')}, not '${model}'`);
  const format = values.format;
  if (format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(format)) return usage(io, `--format takes ${HISTORY_FORMATS.join(', ')}, not '${format}'`);
  const stepsText = values['max-steps'];
  if (stepsText !== undefined && (!/^\d+$/.test(stepsText) || Number(stepsText) < 1 || !Number.isSafeInteger(Number(stepsText)))) return usage(io, `--max-steps takes a positive whole number, not '${stepsText}'`);
  const file = positionals[0]!;
  const name = file === '-' ? '<stdin>' : file;
  const text = readInput(file);
  if (typeof text !== 'string') {
    io.err(`${name}:1:1: ${text.error}`);
    return 2;
  }
  try {
    const history = readHistory(text, format as HistoryFormat | undefined);
    const verdict = checkHistory(history.ops, model as ModelName, stepsText !== undefined ? { maxSteps: Number(stepsText) } : {});
    io.out(values.json ? verdictJson(name, history.format, model as ModelName, verdict) : verdictText(name, verdict, model as ModelName).join('\n'));
    return verdict.verdict === 'linearizable' ? 0 : verdict.verdict === 'not linearizable' ? 1 : EXIT_UNDECIDED;
  } catch (error) {
    if (!(error instanceof HistoryError)) throw error;
    io.err(`${name}:${error.line}:${error.column}: ${error.message}`);
    return 2;
  }
}

function usage(io: LinIo, message: string): number {
  io.err(`dsync lin: ${message}\n${LIN_USAGE}`);
  return 2;
}

/** A history or log file (`-`: standard input), up to 512 MB; the error names no path (the caller prefixes it). */
export function readInput(file: string): string | { error: string } {
  try {
    if (file === '-') return fs.readFileSync(0, 'utf8');
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { error: 'not a regular file' };
    if (stat.size > MAX_HISTORY_BYTES) return { error: `file is ${stat.size} bytes; the limit is ${MAX_HISTORY_BYTES}` };
    return fs.readFileSync(file, 'utf8');
  } catch {
    return { error: 'cannot read file: no such file' };
  }
}
