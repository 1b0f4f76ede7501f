import { readDsyncJson } from './dsyncJson';
import { readJepsenEdn } from './jepsenEdn';
import { readJepsenLog } from './jepsenLog';
import { HistoryError } from './located';
import { pairEvents, type HistoryOp } from './operations';

/**
 * Text → history: the formats `dsync lin` reads, and telling them apart
 * from their content when the user does not say:
 *  - dsync-json: a JSON object (`{` then `"`), the output of `dsync run --json`;
 *  - porcupine: Porcupine's benchmark logs, either Jepsen's text log lines
 *    (`INFO  jepsen.util - 3 :invoke :read nil`, its etcd set) or EDN
 *    operation maps one per line (its kv set), read as jepsen-edn;
 *  - jepsen-edn: Jepsen's EDN operation maps.
 */
export type HistoryFormat = 'jepsen-edn' | 'porcupine' | 'dsync-json';
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['jepsen-edn', 'porcupine', 'dsync-json'];

export interface ReadHistory {
  readonly format: HistoryFormat;
  readonly ops: HistoryOp[];
}

/** Throws HistoryError (with line and column) on bad input. */
export function readHistory(text: string, format?: HistoryFormat): ReadHistory {
  const chosen = format ?? detectFormat(text);
  const events = chosen === 'dsync-json' ? readDsyncJson(text) : chosen === 'porcupine' && isJepsenLog(text) ? readJepsenLog(text) : readJepsenEdn(text);
  const ops = pairEvents(events);
  if (events.length === 0) throw new HistoryError(`no operations found in this ${chosen} history`, 1, 1);
  return { format: chosen, ops };
}

export function detectFormat(text: string): HistoryFormat {
  const start = /^\s*(\S)\s*(\S?)/.exec(text);
  if (start?.[1] === '{' && start[2] === '"') return 'dsync-json';
  if (isJepsenLog(text)) return 'porcupine';
  return 'jepsen-edn';
}

/** Jepsen's text log: some line is an operation line, and none starts like EDN. */
function isJepsenLog(text: string): boolean {
  const first = /^\s*(\S)/.exec(text)?.[1];
  if (first === '{' || first === '[' || first === '(') return false;
  return /jepsen\.util\s+-\s+\d+\s+:(invoke|ok|fail|info)\b|^\d+\s+:(invoke|ok|fail|info)\b/m.test(text);
}
