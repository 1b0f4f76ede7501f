import { checkLog } from '../core/logs/check';
import { LogError, readLog } from '../core/logs/read';
import { printable } from '../core/printable';
import { LOG, parseCommand, UsageError } from './args';
import { readInput } from './lin';
import type { Output } from './output';

/**
 * `dsync log FILE [--regex R] [--json]`: reads a log in ShiViz's convention
 * and checks its vector clocks (core/logs). A thin shell. Exit codes: 0 the
 * clocks are consistent, 1 some are not (each problem at the log's
 * line:column), 2 bad input (no such file, a regular expression without the
 * named groups, a clock that is not JSON, an empty log) or usage.
 */
export function logCommand(argv: readonly string[], io: Output): number {
  const args = parseCommand(LOG, argv);
  if (args.help) {
    io.out(LOG.help);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'needs a FILE' : 'takes one FILE', 'log');
  const file = args.positionals[0]!;
  const name = file === '-' ? '<stdin>' : file;
  const regex = args.values['regex'] as string | undefined;
  const json = args.values['json'] === true;
  const text = readInput(file);
  if (typeof text !== 'string') {
    io.err(printable(`${name}:1:1: ${text.error}`));
    return 2;
  }
  let log;
  try {
    log = readLog(text, regex);
  } catch (error) {
    if (!(error instanceof LogError)) throw error;
    // Line 0: the --regex option, not the file.
    io.err(printable(error.line === 0 ? `dsync log: --regex: ${error.message}` : `${name}:${error.line}:${error.column}: ${error.message}`));
    if (json) io.out(JSON.stringify({ file: name, error: { message: error.message, line: error.line, column: error.column } }, null, 2));
    return 2;
  }
  const checked = checkLog(log);
  if (json) {
    io.out(JSON.stringify({
      file: name,
      regex: log.regex,
      hosts: log.hosts,
      events: log.events.length,
      messages: checked.messages.length,
      consistent: checked.diagnostics.length === 0,
      diagnostics: checked.diagnostics,
    }, null, 2));
  } else {
    for (const d of checked.diagnostics) {
      io.err(printable(`${name}:${d.line}:${d.column}: ${d.rule}: ${d.message}`));
      if (d.related) io.err(printable(`  ${d.related.message} at ${name}:${d.related.line}:${d.related.column}`));
    }
    const summary = `${name}: ${log.events.length} event${log.events.length === 1 ? '' : 's'} on ${log.hosts.length} host${log.hosts.length === 1 ? '' : 's'}, ${checked.messages.length} message${checked.messages.length === 1 ? '' : 's'}`;
    const n = checked.diagnostics.length;
    io.out(printable(n === 0 ? `${summary}: vector clocks consistent` : `${summary}: ${n} vector-clock problem${n === 1 ? '' : 's'}`));
  }
  return checked.diagnostics.length === 0 ? 0 : 1;
}
