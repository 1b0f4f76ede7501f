import { readEdn } from './edn';
import { fail, showDatum, type Datum } from './located';
import type { HistoryEvent } from './operations';
import { toCasArgs, toKind, toValue } from './values';

/**
 * Jepsen's text log as Porcupine's etcd benchmark uses it: lines such as
 *   INFO  jepsen.util - 3	:invoke	:cas	[1 4]
 *   INFO  jepsen.util - 3	:fail	:cas	[1 4]
 *   INFO  jepsen.util - 7	:info	:write	:timed-out
 * (process, type, operation, value; anything after the value, such as
 * `:hint 5`, is ignored). Lines that are not operations (other log output)
 * are skipped; a line that starts like an operation but does not parse is
 * an error. The meanings follow the etcd test and Porcupine's reading of it:
 *  - `:fail :cas` is a compare-and-set whose compare failed: it happened and
 *    returned false (the value was not the expected one);
 *  - `:fail :read` (a timed-out read) tells nothing; any other `:fail` did
 *    not happen;
 *  - `:info` may have happened, its result unknown; so may an operation
 *    still outstanding at the end of the log.
 */
const LOGGED_LINE = /^.*?jepsen\.util\s+-\s+(?=\d|:)/;
const BARE_LINE = /^\d+\s+:(invoke|ok|fail|info)\b/;

export function readJepsenLog(text: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const logged = LOGGED_LINE.exec(line);
    if (!logged && !BARE_LINE.test(line)) return;
    const offset = logged?.[0].length ?? 0;
    const forms = readEdn(line.slice(offset), index + 1, offset + 1);
    const e = readLogOperation(forms, { line: index + 1, column: offset + 1 });
    if (e) events.push(e);
  });
  return events;
}

function readLogOperation(forms: Datum[], at: { line: number; column: number }): HistoryEvent | undefined {
  const [process, typeDatum, f, value] = forms;
  if (!process || process.kind !== 'int') return undefined; // :nemesis lines
  const type = typeDatum?.kind === 'keyword' ? typeDatum.name : undefined;
  if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') fail(typeDatum ?? at, `expected :invoke, :ok, :fail or :info after the process number, not ${typeDatum ? showDatum(typeDatum) : 'nothing'}`);
  const kind = toKind(f, process);
  if (!value) fail(f!, `the ${kind} has no value after it (reads write nil)`);
  const base = { process: process.text, kind, key: undefined, at } as const;
  switch (type) {
    case 'invoke':
      if (kind === 'read') return { ...base, type };
      if (kind === 'cas') return { ...base, type, ...toCasArgs(value, f!) };
      return { ...base, type, value: toValue(value, `the value of a ${kind}`) };
    case 'ok':
      return kind === 'read' ? { ...base, type, value: toValue(value, 'the value read') } : kind === 'cas' ? { ...base, type, casSucceeded: true } : { ...base, type };
    case 'fail':
      if (kind === 'cas') return { ...base, type: 'ok', casSucceeded: false };
      return kind === 'read' ? { ...base, type: 'info' } : { ...base, type };
    case 'info':
      return { ...base, type };
  }
}
