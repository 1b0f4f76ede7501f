import { readEdn } from './edn';
import { fail, field, showDatum, type Datum } from './located';
import type { HistoryEvent } from './operations';
import { toCasArgs, toKey, toKind, toValue } from './values';

/**
 * Jepsen histories in EDN: operation maps such as
 * `{:type :invoke, :f :write, :value 3, :process 0, :time 12}`, one per line
 * or all in one vector or list (a record tag such as `#jepsen.history.Op`
 * before a map is allowed). `:type` is :invoke, :ok, :fail (it did not
 * happen) or :info (it may have happened; its result is unknown). Events
 * are ordered by their position in the file (Jepsen writes them in real-time
 * order; `:time` is not consulted). Operations of a process that is not a
 * number (`:nemesis`) are not client operations and are skipped. The
 * arguments: read nil, write v, cas [expected new], append v; an optional
 * `:key` names the register (Porcupine's key-value logs use it).
 */
export function readJepsenEdn(text: string): HistoryEvent[] {
  const forms = readEdn(text);
  const maps = forms.length === 1 && (forms[0]!.kind === 'vector' || forms[0]!.kind === 'list') ? forms[0]!.items : forms;
  const events: HistoryEvent[] = [];
  for (const form of maps) {
    // Newer Jepsen prints operations as records: #jepsen.history.Op{…}.
    const m = form.kind === 'tagged' && form.value.kind === 'map' ? form.value : form;
    const e = readOperationMap(m);
    if (e) events.push(e);
  }
  return events;
}

export function readOperationMap(m: Datum): HistoryEvent | undefined {
  if (m.kind !== 'map') fail(m, `expected an operation map {:type …, :f …, :process …}, not ${showDatum(m)}`);
  const process = field(m, 'process');
  if (!process) fail(m, 'the operation has no :process');
  if (process.kind !== 'int') {
    if (process.kind === 'keyword' || process.kind === 'symbol' || process.kind === 'string') return undefined; // :nemesis and the like
    fail(process, `:process must be a number (or :nemesis), not ${showDatum(process)}`);
  }
  const typeDatum = field(m, 'type');
  const type = typeDatum?.kind === 'keyword' ? typeDatum.name : undefined;
  if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') fail(typeDatum ?? m, `:type must be :invoke, :ok, :fail or :info, not ${typeDatum ? showDatum(typeDatum) : 'missing'}`);
  const kind = toKind(field(m, 'f'), m);
  const key = toKey(field(m, 'key'));
  const value = field(m, 'value');
  const base = { type, process: process.text, kind, key, at: { line: m.line, column: m.column } } as const;
  if (type === 'invoke') {
    if (kind === 'read') return base;
    if (kind === 'cas') return { ...base, ...toCasArgs(value, m) };
    if (!value) fail(m, `a ${kind} needs a :value`);
    return { ...base, value: toValue(value, `the value of a ${kind}`) };
  }
  if (type === 'ok' && kind === 'read') return { ...base, value: value ? toValue(value, 'the value read') : undefined };
  return base;
}
