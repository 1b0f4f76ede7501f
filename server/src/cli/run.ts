import { check } from '../core/check/checker';
import { EXPORT_FORMATS, exportChunks, type ExportFormat } from '../core/export/formats';
import { DEFAULT_MAX_EVENTS, Simulation } from '../core/sim/engine';
import { traceJsonChunks } from '../core/sim/json';
import { summarize, verdict, type VerdictKind } from '../core/sim/result';
import { parse } from '../core/syntax/parse';
import { parseDuration } from '../core/units';
import { parseCommand, RUN, UsageError, wholeNumber } from './args';
import { fileJson } from './diagnosticsOutput';
import { ansi, formatSummary, plain, timelineLines, type EarlyStop } from './humanOutput';
import { printDiagnostics, writeChunks, type Output } from './output';
import { displayName, readSource } from './source';

/** The trace memory `dsync run` allows by default (`--max-trace-mb`), as the editor's setting does. */
export const DEFAULT_MAX_TRACE_MB = 1024;

/**
 * `dsync run FILE`: one simulation, its timeline (or `--json` trace) and
 * its verdict. The recorded trace is bounded by memory (`--max-trace-mb`)
 * as well as by events, and both outputs are written in pieces with
 * backpressure, so no run dies of memory or of V8's string limit; a budget
 * that stops the run says so (DS203) and names what set it.
 */
export async function runCommand(argv: readonly string[], io: Output): Promise<number> {
  const args = parseCommand(RUN, argv);
  if (args.help) {
    io.out(RUN.help);
    return 0;
  }
  const v = args.values;
  const number = (key: string): number | undefined => (typeof v[key] === 'string' ? wholeNumber(v[key], `--${key}`, 'run') : undefined);
  const seed = number('seed');
  const maxEvents = number('max-events');
  const maxTraceMb = number('max-trace-mb') ?? DEFAULT_MAX_TRACE_MB;
  if (maxTraceMb < 1) throw new UsageError('--max-trace-mb must be at least 1', 'run');
  let until: number | undefined;
  if (typeof v['until'] === 'string') {
    try {
      until = parseDuration(v['until']);
    } catch {
      throw new UsageError(`--until takes a time such as 500ms or 2s, not '${v['until']}'`, 'run');
    }
  }
  const format = runFormat(v['format'], v['json'] === true);
  const json = format === 'json';
  const exportLimit = number('limit');
  if (exportLimit !== undefined && format === 'text') throw new UsageError('--limit applies to --format shiviz, itf or mermaid', 'run');
  const quiet = v['quiet'] === true;
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'needs a FILE' : 'takes one FILE', 'run');
  const file = args.positionals[0]!;
  const name = displayName(file);

  const source = readSource(file);
  if ('error' in source) {
    io.err(source.error);
    if (json) io.out(JSON.stringify(fileJson({ file: name, diagnostics: [], error: source.error }), null, 2));
    return 2;
  }
  const checked = check(parse(source.text), source.text);
  printDiagnostics(name, checked.diagnostics, io);
  if (!checked.model) {
    if (json) io.out(JSON.stringify(fileJson({ file: name, diagnostics: checked.diagnostics }), null, 2));
    return 2;
  }
  // The event budget (flag, else the header's max_events, else the default) and the trace's memory (events and state diffs).
  const limit = maxEvents ?? checked.model.maxEvents ?? DEFAULT_MAX_EVENTS;
  const setBy = maxEvents !== undefined ? 'flag' : checked.model.maxEvents !== undefined ? 'scenario' : 'default';
  // Message payloads only for the JSON trace (the one output that prints them).
  const options = { maxEvents: limit, maxTraceBytes: maxTraceMb * 1024 * 1024, payloads: json, ...(seed !== undefined ? { seed } : {}), ...(until !== undefined ? { until } : {}) };
  const sim = new Simulation(checked.model, options).run();
  const result = summarize(sim);
  const early: EarlyStop = result.stopReason === 'until' ? { by: 'until' } : sim.stoppedByMemory ? { by: 'memory', megabytes: maxTraceMb } : { by: 'max-events', limit, source: setBy };
  if (format !== 'text' && format !== 'json') {
    await writeChunks(io, exportChunks(format, result, { ...(exportLimit !== undefined ? { limit: exportLimit } : {}), source: name }));
    const warning = formatSummary(result, name, plain, early).find((l) => l.startsWith('warning: '));
    if (warning) io.err(warning);
  } else if (json) {
    await writeChunks(io, traceJsonChunks(result));
    await writeChunks(io, ['\n']);
    // The warning goes to stderr: stdout is the JSON document.
    const warning = formatSummary(result, name, plain, early).find((l) => l.startsWith('warning: '));
    if (warning) io.err(warning);
  } else {
    const style = io.color ? ansi : plain;
    // The timeline, then a blank line before the summary.
    if (!quiet) await writeChunks(io, withBlankLine(lines(timelineLines(result, style), '\n')));
    io.out(formatSummary(result, name, style, early).join('\n'));
  }
  return exitCode(verdict(result).kind);
}

/** `--format` (text by default; `--json` is `--format json`). */
function runFormat(value: string | boolean | undefined, json: boolean): 'text' | 'json' | ExportFormat {
  const formats = ['text', 'json', ...EXPORT_FORMATS] as const;
  if (value === undefined) return json ? 'json' : 'text';
  const format = formats.find((f) => f === value);
  if (!format) throw new UsageError(`--format takes ${formats.join(', ')}, not '${String(value)}'`, 'run');
  if (json && format !== 'json') throw new UsageError('--json and --format disagree', 'run');
  return format;
}

/** Exit codes of `run` and `explore`: 0 passed, 1 failed (wins over undecided), 3 undecided (an expectation not evaluated). 2 is bad input or usage. */
export function exitCode(kind: VerdictKind): number {
  return kind === 'failed' ? 1 : kind === 'undecided' ? 3 : 0;
}

function* withBlankLine(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield '\n';
}

function* lines(items: Iterable<string>, end: string): Generator<string> {
  for (const item of items) yield item + end;
}
