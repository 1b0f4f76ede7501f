import { SHIVIZ_DEFAULT_REGEX } from '../export/shiviz';

/**
 * Logs in ShiViz's input convention: a text of events, each found by a
 * user-given regular expression with the named groups `host`, `clock` (a
 * JSON object from host name to a whole number: the event's vector clock)
 * and `event` (its text), which may span lines (ShiViz's default is
 * `(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`). Without a regular expression
 * the text is read in ShiViz's file layout: the first line is the regular
 * expression (empty: the default), the second the delimiter between
 * executions (empty: one execution), the rest the log. Bad input is a
 * LogError at its line and column, never a crash.
 */
export interface LogEvent {
  /** 0-based position in the log. */
  readonly index: number;
  readonly host: string;
  /** Host → count, as the log writes it (entries of 0 kept). */
  readonly clock: ReadonlyMap<string, number>;
  readonly text: string;
  /** Where the match starts (1-based). */
  readonly line: number;
  readonly column: number;
  /** Where the clock group starts (1-based). */
  readonly clockLine: number;
  readonly clockColumn: number;
}

export interface ParsedLog {
  readonly regex: string;
  readonly events: readonly LogEvent[];
  /** Hosts in the order of their first event. */
  readonly hosts: readonly string[];
}

export class LogError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

const GROUPS = ['host', 'clock', 'event'] as const;

/** Line and column (1-based) of offsets into one text. */
class Positions {
  private readonly starts: number[] = [0];
  constructor(text: string, private readonly firstLine = 1) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.firstLine + lo, column: offset - this.starts[lo]! + 1 };
  }
}

/** Compiles `source` with the named groups ShiViz needs; a LogError at `line` if it cannot. */
export function compileLogRegex(source: string, line = 1): RegExp {
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'gd');
  } catch (error) {
    throw new LogError(`the regular expression does not compile: ${error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error)}`, line, 1);
  }
  // Every named group, matched or not, is a key of `groups` of a match; `|` makes one match the empty text.
  const names = Object.keys(new RegExp(`${source}|`, 'd').exec('')?.groups ?? {});
  const missing = GROUPS.filter((g) => !names.includes(g));
  if (missing.length > 0) throw new LogError(`the regular expression needs the named groups (?<host>…), (?<clock>…) and (?<event>…); it has no ${missing.map((m) => `(?<${m}>…)`).join(', ')}`, line, 1);
  return regex;
}

export function readLog(text: string, regexSource?: string): ParsedLog {
  let log = text.replace(/^\uFEFF/, '');
  let firstLine = 1;
  let source = regexSource;
  if (source === undefined) {
    // ShiViz's file layout: regex, delimiter, log.
    const first = log.indexOf('\n');
    const second = first < 0 ? -1 : log.indexOf('\n', first + 1);
    const regexLine = (first < 0 ? log : log.slice(0, first)).replace(/\r$/, '');
    const delimiter = first < 0 ? '' : (second < 0 ? log.slice(first + 1) : log.slice(first + 1, second)).replace(/\r$/, '');
    source = regexLine === '' ? SHIVIZ_DEFAULT_REGEX : regexLine;
    try {
      compileLogRegex(source, 1);
    } catch (error) {
      if (error instanceof LogError) throw new LogError(`${error.message} (without --regex, line 1 is the regular expression, as in ShiViz's log files; pass --regex to read a plain log)`, 1, 1);
      throw error;
    }
    if (delimiter.trim() !== '') throw new LogError('line 2 is a delimiter between executions: one log holds one execution here (split the file, or pass --regex to read it as a plain log)', 2, 1);
    log = second < 0 ? '' : log.slice(second + 1);
    firstLine = 3;
  }
  const regex = compileLogRegex(source, regexSource === undefined ? 1 : 0);
  // ShiViz reads the log with \n line ends.
  const body = log.replace(/\r\n/g, '\n');
  const positions = new Positions(body, firstLine);
  const events: LogEvent[] = [];
  const hosts: string[] = [];
  const seenHosts = new Set<string>();
  for (let m = regex.exec(body); m !== null; m = regex.exec(body)) {
    if (m[0] === '') {
      // A match of nothing would match again at the same place forever.
      regex.lastIndex++;
      continue;
    }
    const start = positions.at(m.index);
    const groups = m.groups!;
    const indices = m.indices!.groups!;
    const host = groups['host'];
    const clockText = groups['clock'];
    const clockAt = positions.at(indices['clock']?.[0] ?? m.index);
    if (host === undefined || host === '') throw new LogError('this event has no host (the host group matched nothing)', positions.at(indices['host']?.[0] ?? m.index).line, positions.at(indices['host']?.[0] ?? m.index).column);
    if (clockText === undefined) throw new LogError('this event has no clock (the clock group matched nothing)', clockAt.line, clockAt.column);
    const clock = parseClock(clockText, clockAt);
    if (!seenHosts.has(host)) {
      seenHosts.add(host);
      hosts.push(host);
    }
    events.push({ index: events.length, host, clock, text: groups['event'] ?? '', line: start.line, column: start.column, clockLine: clockAt.line, clockColumn: clockAt.column });
  }
  if (events.length === 0) throw new LogError(body.trim() === '' ? 'the log is empty' : 'the regular expression matches no event in the log', firstLine, 1);
  return { regex: source, events, hosts };
}

function parseClock(text: string, at: { line: number; column: number }): Map<string, number> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 says where: `… in JSON at position 7`; the column points there when the clock is on one line.
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
    const column = text.slice(0, position).includes('\n') ? at.column : at.column + position;
    throw new LogError(`the clock is not JSON: ${message.replace(/ in JSON at position \d+.*$/s, '')}`, at.line, column);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LogError('the clock must be a JSON object from host name to a whole number, as {"A": 2, "B": 1}', at.line, at.column);
  const clock = new Map<string, number>();
  for (const [host, count] of Object.entries(value as Record<string, unknown>)) {
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new LogError(`the clock's entry for ${JSON.stringify(host)} must be a whole number ≥ 0, not ${JSON.stringify(count)}`, at.line, at.column);
    clock.set(host, count);
  }
  return clock;
}
