import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from '../core/check/checker';
import { format } from '../core/format/formatter';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../core/diagnostics';
import { Simulation } from '../core/sim/engine';
import { traceToJson } from '../core/sim/json';
import { summarize, verdict, type VerdictKind } from '../core/sim/result';
import { MAX_FILE_BYTES, parse } from '../core/syntax/parse';
import { parseDuration } from '../core/units';
import { exploreCommand, ExploreUsageError } from './explore';
import { ansi, formatSummary, formatTimeline, plain, type EarlyStop } from './humanOutput';
import { linCommand } from './lin';

/**
 * `dsync`: a thin shell over the core. Exit codes: 0 all invariants hold,
 * 1 an invariant or expectation failed, 2 bad input or usage, 3 not decided
 * (nothing failed but an expectation was not evaluated: the run stopped early). It reads only
 * the files named on its command line and writes only to stdout/stderr.
 */
const USAGE = `usage:
  dsync check FILE...                      parse and check, print problems
  dsync run FILE [--seed N] [--until T] [--json] [--max-events N] [--quiet]
                                           simulate and print the timeline and invariants
  dsync fmt FILE... [--check | --write]      print formatted (--check: exit 1 if not formatted,
                                           --write: rewrite the files in place)
  dsync explore FILE [--runs N | --time 30s] [--workers K] [--seed B] [--json]
                     [--no-shrink] [--shrink-attempts N] [--out SHRUNK.dsync] [--quiet]
                                           run many seeds (and random faults), shrink the
                                           first failure to a scenario that still fails
  dsync lin FILE --model register|cas-register|kv|append-kv [--format jepsen-edn|porcupine|dsync-json] [--json]
                                           is this history linearizable? (exit 3: undecided)
  dsync --version | --help

exit codes: 0 every check held, 1 an invariant or expectation failed, 2 bad input or usage,
            3 not decided: nothing failed, but an expectation was not evaluated (the run stopped early)`;

export class UsageError extends Error {}

interface Output {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}

/** The exit code; a promise for `explore`, which runs asynchronously (workers). */
export function main(argv: readonly string[], io: Output): number | Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'explore': return exploreCommand(rest, io, readSource).catch((error: unknown) => failed(error instanceof ExploreUsageError ? new UsageError(error.message) : error, io));
      case 'check': return checkCommand(rest, io);
      case 'run': return runCommand(rest, io);
      case 'fmt': return fmtCommand(rest, io);
      case 'lin': return linCommand(rest, io);
      case '--version':
      case 'version':
        io.out(readVersion());
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    return failed(error, io);
  }
}

function failed(error: unknown, io: Output): number {
  if (error instanceof UsageError) {
    io.err(`dsync: ${error.message}\n${USAGE}`);
    return 2;
  }
  io.err(`dsync: internal error: ${error instanceof Error ? error.message : String(error)}`);
  return 2;
}

function readSource(file: string): { text: string } | { error: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { error: `${file}:1:1: cannot read file: no such file` };
  }
  if (!stat.isFile()) return { error: `${file}:1:1: not a regular file` };
  if (stat.size > MAX_FILE_BYTES) return { error: `${file}:1:1: DS172 file is ${stat.size} bytes; the limit is ${MAX_FILE_BYTES}` };
  return { text: fs.readFileSync(file, 'utf8') };
}

function checkCommand(args: readonly string[], io: Output): number {
  const files = args.filter((a) => !a.startsWith('--'));
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`unknown option '${unknown}' for check`);
  if (files.length === 0) throw new UsageError('check needs at least one FILE');
  let failed = false;
  for (const file of files) {
    const source = readSource(file);
    if ('error' in source) {
      io.err(source.error);
      failed = true;
      continue;
    }
    const diagnostics = check(parse(source.text), source.text).diagnostics;
    printDiagnostics(file, diagnostics, io);
    if (hasErrors(diagnostics)) failed = true;
    else io.out(`${file}: ok${diagnostics.length ? ` (${diagnostics.length} warning${diagnostics.length > 1 ? 's' : ''})` : ''}`);
  }
  return failed ? 2 : 0;
}

function runCommand(args: readonly string[], io: Output): number {
  let file: string | undefined;
  let seed: number | undefined;
  let until: number | undefined;
  let maxEvents: number | undefined;
  let json = false;
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--json') json = true;
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--seed') seed = integer(value(), '--seed');
    else if (a === '--max-events') maxEvents = integer(value(), '--max-events');
    else if (a === '--until') {
      const v = value();
      try {
        until = parseDuration(v);
      } catch {
        throw new UsageError(`--until takes a time such as 500ms or 2s, not '${v}'`);
      }
    } else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}' for run`);
    else if (file === undefined) file = a;
    else throw new UsageError('run takes one FILE');
  }
  if (file === undefined) throw new UsageError('run needs a FILE');
  const source = readSource(file);
  if ('error' in source) {
    io.err(source.error);
    return 2;
  }
  const checked = check(parse(source.text), source.text);
  printDiagnostics(file, checked.diagnostics, io);
  if (!checked.model) return 2;
  const sim = new Simulation(checked.model, { ...(seed !== undefined ? { seed } : {}), ...(until !== undefined ? { until } : {}), ...(maxEvents !== undefined ? { maxEvents } : {}) }).run();
  const result = summarize(sim);
  if (json) {
    io.out(traceToJson(result));
  } else {
    const style = io.color ? ansi : plain;
    if (!quiet) io.out(formatTimeline(result, style).join('\n') + '\n');
    const early: EarlyStop = result.stopReason === 'until'
      ? { by: 'until' }
      : { by: 'max-events', limit: sim.maxEvents, source: maxEvents !== undefined ? 'flag' : checked.model.maxEvents !== undefined ? 'scenario' : 'default' };
    io.out(formatSummary(result, file, style, early).join('\n'));
  }
  return exitCode(verdict(result).kind);
}

/** Exit codes of `run` and `explore`: 0 passed, 1 failed (wins over undecided), 3 undecided (an expectation not evaluated). 2 is bad input or usage. */
export function exitCode(kind: VerdictKind): number {
  return kind === 'failed' ? 1 : kind === 'undecided' ? 3 : 0;
}

function fmtCommand(args: readonly string[], io: Output): number {
  const write = args.includes('--write');
  const checkOnly = args.includes('--check');
  const unknown = args.find((a) => a.startsWith('-') && a !== '--write' && a !== '--check');
  if (unknown) throw new UsageError(`unknown option '${unknown}' for fmt`);
  if (write && checkOnly) throw new UsageError('fmt takes --check or --write, not both');
  const files = args.filter((a) => !a.startsWith('-'));
  if (files.length === 0) throw new UsageError('fmt needs at least one FILE');
  let status = 0;
  for (const file of files) {
    const source = readSource(file);
    if ('error' in source) {
      io.err(source.error);
      status = 2;
      continue;
    }
    const formatted = format(source.text);
    if (formatted === undefined) {
      printDiagnostics(file, parse(source.text).diagnostics, io);
      io.err(`${file}: not formatted: fix the syntax errors first`);
      status = 2;
      continue;
    }
    if (checkOnly) {
      if (formatted !== source.text) {
        io.out(`${file}: not formatted`);
        status = Math.max(status, 1);
      }
    } else if (write) {
      if (formatted !== source.text) fs.writeFileSync(file, formatted);
    } else {
      io.out(formatted.replace(/\n$/, ''));
    }
  }
  return status;
}

function integer(text: string, option: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${option} takes a whole number, not '${text}'`);
  return Number(text);
}

function printDiagnostics(file: string, diagnostics: readonly Diagnostic[], io: Output): void {
  for (const d of diagnostics) io.err(formatDiagnostic(file, d));
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  const code = main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    color,
  });
  void Promise.resolve(code).then((c) => (process.exitCode = c));
}
