import { describeEvent } from '../sim/describe';
import type { RunResult } from '../sim/result';
import { formatClockReading } from '../units';
import { RunWalk } from './walk';

/**
 * ShiViz's default log-parsing regular expression (its Input page uses it
 * when the first line of an uploaded log is empty): each event is two lines,
 * its text, then its host and its vector clock as a JSON object.
 */
export const SHIVIZ_DEFAULT_REGEX = '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})';

/**
 * The run as a log ShiViz opens, in its upload-file layout: the parsing
 * regular expression on the first line, an empty second line (no delimiter
 * between executions: one run), then two lines per event.
 *
 * ShiViz requires each host's own clock entry to be 1 on its first event and
 * to grow by exactly 1 from one event to its next, and takes a rise in
 * another host's entry as a message from that host's event with that number.
 * So only the events that ticked their node's vector clock (sends, receives,
 * local events) are written, each with the run's own vector clock, unchanged;
 * zero entries are left out, as ShiViz drops them. Timers, notes, crashes,
 * drops and network faults carry no clock tick and are not in the log.
 */
export function* shivizLines(result: RunResult, options: { readonly limit?: number } = {}): Generator<string> {
  const walk = new RunWalk(result, options.limit);
  const names = walk.names;
  yield SHIVIZ_DEFAULT_REGEX;
  yield '';
  for (const step of walk.steps()) {
    if (!step.ticked) continue;
    const e = step.event;
    const clock: string[] = [];
    for (let i = 0; i < names.length; i++) if (e.vc[i]! > 0) clock.push(`${JSON.stringify(names[i])}:${e.vc[i]}`);
    yield oneLine(`${describeEvent(e, names)} @ t=${formatClockReading(e.time)}`);
    yield `${names[e.node]} {${clock.join(', ')}}`;
  }
}

/** JavaScript's `.` stops at U+2028 and U+2029 too (describeEvent already escapes the other line breaks): escaped, an event stays on its line. */
function oneLine(text: string): string {
  return text.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
