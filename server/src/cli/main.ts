import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from '../core/check/checker';
import { hasErrors } from '../core/diagnostics';
import { printable } from '../core/printable';
import { parse } from '../core/syntax/parse';
import { CHECK, COMMANDS, FMT, OVERVIEW, parseCommand, UsageError } from './args';
import { diagnosticsJson, diagnosticsSarif, type FileDiagnostics } from './diagnosticsOutput';
import { exploreCommand } from './explore';
import { formatFile } from './fmt';
import { logCommand } from './log';
import { LIN_USAGE, linCommand } from './lin';
import { printDiagnostics, type Output } from './output';
import { runCommand } from './run';
import { displayName, readSource } from './source';

/**
 * `dsync`: a thin shell over the core. Exit codes: 0 all checks hold,
 * 1 an invariant or expectation failed, 2 bad input or usage, 3 not decided
 * (nothing failed but an expectation was not evaluated: the run stopped
 * early). It reads only the files named on its command line (or standard
 * input for `-`) and writes only to stdout/stderr, and to the files
 * `fmt --write` and `explore --out` are given.
 */
export { UsageError };

/** The exit code; a promise for `explore`, which runs asynchronously (workers). */
export function main(argv: readonly string[], io: Output): number | Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'explore': return exploreCommand(rest, io).catch((error: unknown) => failed(error, io));
      case 'check': return checkCommand(rest, io);
      case 'run': return runCommand(rest, io).catch((error: unknown) => failed(error, io));
      case 'fmt': return fmtCommand(rest, io);
      case 'log': return logCommand(rest, io);
      case 'lin':
        // lin parses its own flags; its help is answered here, as every command's is.
        if (rest.some((a) => a === '--help' || a === '-h')) {
          io.out(LIN_USAGE);
          return 0;
        }
        return linCommand(rest, io);
      case '--version':
      case 'version':
        io.out(readVersion());
        return 0;
      case 'help': {
        const spec = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
        if (rest[0] !== undefined && !spec && rest[0] !== 'lin') throw new UsageError(`unknown command '${rest[0]}'`);
        io.out(rest[0] === 'lin' ? LIN_USAGE : spec ? spec.help : OVERVIEW);
        return 0;
      }
      case '--help':
      case '-h':
        io.out(OVERVIEW);
        return 0;
      case undefined:
        io.err(OVERVIEW);
        return 2;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    return failed(error, io);
  }
}

/** A usage error is one line pointing at the help; anything else is an internal error, never a stack trace. */
export function failed(error: unknown, io: Output): number {
  if (error instanceof UsageError) {
    const help = error.command ? `dsync ${error.command} --help` : 'dsync --help';
    io.err(`dsync${error.command ? ` ${error.command}` : ''}: ${error.message} (see '${help}')`);
    return 2;
  }
  io.err(`dsync: internal error: ${error instanceof Error ? error.message : String(error)}`);
  return 2;
}

function checkCommand(argv: readonly string[], io: Output): number {
  const args = parseCommand(CHECK, argv);
  if (args.help) {
    io.out(CHECK.help);
    return 0;
  }
  const format = args.values['json'] ? 'json' : ((args.values['format'] as string | undefined) ?? 'text');
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format takes text, json or sarif, not '${format}'`, 'check');
  if (args.values['json'] && args.values['format'] !== undefined && args.values['format'] !== 'json') throw new UsageError('--json and --format disagree', 'check');
  if (args.positionals.length === 0) throw new UsageError('needs at least one FILE', 'check');
  const results: FileDiagnostics[] = args.positionals.map((file) => {
    const source = readSource(file);
    if ('error' in source) return { file: displayName(file), diagnostics: [], error: source.error };
    return { file: displayName(file), diagnostics: check(parse(source.text), source.text).diagnostics };
  });
  const bad = results.some((r) => r.error !== undefined || hasErrors(r.diagnostics));
  if (format === 'json') io.out(diagnosticsJson(results));
  else if (format === 'sarif') io.out(diagnosticsSarif(results, readVersion()));
  else {
    for (const r of results) {
      if (r.error !== undefined) {
        io.err(printable(r.error));
        continue;
      }
      printDiagnostics(r.file, r.diagnostics, io);
      const warnings = r.diagnostics.length;
      if (!hasErrors(r.diagnostics)) io.out(printable(`${r.file}: ok${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}`));
    }
  }
  return bad ? 2 : 0;
}

function fmtCommand(argv: readonly string[], io: Output): number {
  const args = parseCommand(FMT, argv);
  if (args.help) {
    io.out(FMT.help);
    return 0;
  }
  const write = args.values['write'] === true;
  const checkOnly = args.values['check'] === true;
  if (write && checkOnly) throw new UsageError('fmt takes --check or --write, not both', 'fmt');
  if (args.positionals.length === 0) throw new UsageError('needs at least one FILE', 'fmt');
  if (write && args.positionals.includes('-')) throw new UsageError("--write cannot rewrite standard input ('-')", 'fmt');
  let status = 0;
  for (const file of args.positionals) status = Math.max(status, formatFile(file, checkOnly ? 'check' : write ? 'write' : 'print', io));
  return status;
}

export function readVersion(): string {
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
