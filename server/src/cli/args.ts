import { parseArgs } from 'node:util';

/**
 * The command line of each `dsync` subcommand, parsed with Node's
 * `util.parseArgs` (so `--seed=3` and `--seed 3` both work, and `--` ends
 * the options). Every subcommand takes `--help`/`-h`; a usage error is one
 * line that points at the subcommand's help.
 */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

type OptionSpec = { readonly type: 'string' | 'boolean'; readonly short?: string };

export interface CommandSpec {
  readonly name: string;
  /** The usage lines and what each flag does, as `dsync NAME --help` prints them. */
  readonly help: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  /** `--help` or `-h` was given: print the help and exit 0, whatever else is there. */
  readonly help: boolean;
}

export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  if (argv.some((a) => a === '--help' || a === '-h')) return { values: {}, positionals: [], help: true };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { ...spec.options }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals, help: false };
  } catch (error) {
    throw new UsageError(usageMessage(error), spec.name);
  }
}

/** parseArgs's messages are long and name no subcommand: one short line instead. */
function usageMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
    default:
      return message;
  }
}

/** A whole number for `option` (seeds, counts). */
export function wholeNumber(text: string, option: string, command: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${option} takes a whole number, not '${text}'`, command);
  return Number(text);
}

export const OVERVIEW = `usage:
  dsync check FILE... [--json | --format text|json|sarif]
                                           parse and check, print problems
  dsync run FILE [--seed N] [--until T] [--max-events N] [--max-trace-mb M] [--json] [--quiet]
               [--format text|json|shiviz|itf|mermaid] [--limit N]
                                           simulate and print the timeline and verdicts,
                                           or export the run (ShiViz, ITF, Mermaid)
  dsync fmt FILE... [--check | --write]    print formatted (--check: exit 1 if not formatted,
                                           --write: rewrite the files in place)
  dsync explore FILE [--runs N | --time 30s] [--workers K] [--seed B] [--json]
                     [--no-shrink] [--shrink-attempts N] [--out SHRUNK.dsync] [--quiet]
                                           run many seeds (and random faults), shrink the
                                           first failure to a scenario that still fails
  dsync lin FILE --model register|cas-register|kv|append-kv [--format jepsen-edn|porcupine|dsync-json] [--json]
                                           is this history linearizable? (exit 3: undecided)
  dsync log FILE [--regex R] [--json]      check the vector clocks of a log in ShiViz's
                                           convention (exit 1: inconsistent)
  dsync COMMAND --help                     the flags of one command
  dsync --version | --help

FILE '-' reads the scenario from standard input.
exit codes: 0 every check held, 1 an invariant or expectation failed, 2 bad input or usage,
            3 not decided: nothing failed, but an expectation was not evaluated (the run stopped early)`;

const EXIT_CODES = `exit codes: 0 every check held, 1 an invariant or expectation failed, 2 bad input or usage,
            3 not decided: nothing failed, but an expectation was not evaluated (the run stopped early)`;

export const CHECK: CommandSpec = {
  name: 'check',
  options: { json: { type: 'boolean' }, format: { type: 'string' } },
  help: `usage: dsync check FILE... [--json | --format text|json|sarif]

Parses and checks each FILE ('-' reads standard input) and prints its problems,
one per line as file:line:col: DSxxx message (on stderr), then 'FILE: ok'.

  --json            print every file's diagnostics as one JSON document on stdout
  --format F        text (the default), json (as --json) or sarif (SARIF 2.1.0,
                    for code-scanning tools)
  -h, --help        this help

exit codes: 0 no errors (warnings allowed), 2 an error in some file, or bad usage`,
};

export const RUN: CommandSpec = {
  name: 'run',
  options: {
    seed: { type: 'string' },
    until: { type: 'string' },
    'max-events': { type: 'string' },
    'max-trace-mb': { type: 'string' },
    json: { type: 'boolean' },
    format: { type: 'string' },
    limit: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  help: `usage: dsync run FILE [--seed N] [--until T] [--max-events N] [--max-trace-mb M]
                 [--json | --format text|json|shiviz|itf|mermaid [--limit N]] [--quiet]

Simulates the scenario in FILE ('-' reads standard input) and prints one line
per event, then each invariant and expectation with ✓, ✗ or ? (not evaluated).

  --seed N          use seed N instead of the scenario's
  --until T         stop at true time T (500ms, 2s) instead of the end
  --max-events N    stop after N events
  --max-trace-mb M  stop when the recorded trace would pass about M MB (default 1024)
  --json            print the run as one JSON document (a file that does not check:
                    its diagnostics as JSON)
  --format F        text (the default), json (as --json), or an export for another tool:
                    shiviz  a log for ShiViz (its regex on the first line, then two lines
                            per send, receive and local event, with the run's vector clocks)
                    itf     the Informal Trace Format of Apalache and Quint (one state per
                            event: time, event, every node's clocks and protocol state)
                    mermaid a Mermaid sequence diagram (at most 200 arrows and notes)
  --limit N         shiviz, itf: only the first N events; mermaid: at most N arrows and notes
  -q, --quiet       print only the summary
  -h, --help        this help

${EXIT_CODES}`,
};

export const FMT: CommandSpec = {
  name: 'fmt',
  options: { check: { type: 'boolean' }, write: { type: 'boolean' } },
  help: `usage: dsync fmt FILE... [--check | --write]

Prints each FILE ('-' reads standard input) formatted. Line endings (LF or CRLF)
and a byte order mark are kept.

  --check           print the files that are not formatted; exit 1 if any
  --write           rewrite the files in place
  -h, --help        this help

exit codes: 0 formatted, 1 some file is not formatted (--check), 2 a syntax error or bad usage`,
};

export const EXPLORE: CommandSpec = {
  name: 'explore',
  options: {
    runs: { type: 'string' },
    time: { type: 'string' },
    workers: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    'no-shrink': { type: 'boolean' },
    'shrink-attempts': { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  help: `usage: dsync explore FILE [--runs N | --time T] [--workers K] [--seed B] [--json]
                   [--no-shrink] [--shrink-attempts N] [--out SHRUNK.dsync] [--quiet]

Runs many seeds of the scenario in FILE ('-' reads standard input), with the random
faults it allows, and shrinks the first failure (invariant, expectation or a
simulation error) to a small scenario that still fails.

  --runs N              try N seeds (default 1,000)
  --time T              stop after T of wall time (30s, 2min)
  --workers K           worker threads (default and most: one per core, and no more than the runs)
  --seed B              base seed: run i uses seed B + i (default: the scenario's)
  --json                print one JSON object instead of text
  --no-shrink           do not shrink the failure
  --shrink-attempts N   candidates shrinking tries at most (default 400)
  --out FILE            also write the shrunk scenario to FILE
  -q, --quiet           leave out the trace of the failing run
  -h, --help            this help

exit codes: 0 nothing failed, 1 a failure was found, 2 bad input or usage,
            3 nothing failed but some run stopped before an expectation was evaluated`,
};

export const LOG: CommandSpec = {
  name: 'log',
  options: { regex: { type: 'string' }, json: { type: 'boolean' } },
  help: `usage: dsync log FILE [--regex R] [--json]

Reads a log in ShiViz's convention (FILE '-' reads standard input) and checks its
vector clocks: each host's own entry starts at 1 and grows by exactly 1, no entry
goes back, every entry names a logged event, and a receive's clock dominates its
send's (sends and receives are paired by clock, as ShiViz does). Problems are
printed as FILE:line:column: rule: message, pointing at the event's clock.

  --regex R         the regular expression that finds each event, with the named
                    groups host, clock (a JSON object from host to count) and
                    event; it may span lines, e.g. ShiViz's default
                    '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})'. Without it FILE is in
                    ShiViz's file layout: line 1 the regex (empty: the default),
                    line 2 empty, then the log (as dsync run --format shiviz writes)
  --json            print the result as one JSON document
  -h, --help        this help

exit codes: 0 the clocks are consistent, 1 some are not, 2 bad input (a regex
            without the named groups, a clock that is not JSON, an empty log) or usage`,
};

export const COMMANDS: Readonly<Record<string, CommandSpec>> = { check: CHECK, run: RUN, fmt: FMT, explore: EXPLORE, log: LOG };
