import { readJson } from './json';
import { fail, field, type Datum } from './located';
import type { HistoryEvent } from './operations';
import { toKey, toValue } from './values';

/**
 * DSync's own `dsync run --json` trace: the client operations are the notes
 * the `client` protocol writes (`data: { op: "put" | "get", key, value?,
 * phase: "invoke" | "return" | "fail", opId, client }`), paired by opId and
 * placed at their true `time` (ns). As in `linearizable(kv)`: a get that
 * failed tells nothing; a put that failed or never returned may have taken
 * effect; a get that found nothing read the empty value.
 */
export function readDsyncJson(text: string): HistoryEvent[] {
  const doc = readJson(text);
  if (doc.kind !== 'map') fail(doc, 'expected the JSON object `dsync run --json` prints');
  const list = field(doc, 'events');
  if (!list || list.kind !== 'vector') fail(doc, 'this JSON has no "events" array: is it the output of `dsync run --json`?');
  const events: HistoryEvent[] = [];
  for (const e of list.items) {
    if (e.kind !== 'map') continue;
    const n = str(field(e, 'kind')) === 'note' ? field(e, 'data') : undefined;
    if (!n || n.kind !== 'map') continue;
    const op = str(field(n, 'op'));
    const phase = str(field(n, 'phase'));
    if ((op !== 'put' && op !== 'get') || (phase !== 'invoke' && phase !== 'return' && phase !== 'fail')) continue;
    const time = field(e, 'time');
    if (!time || time.kind !== 'int') fail(e, 'a client event without an integer "time"');
    const client = str(field(n, 'client')) ?? fail(n, 'a client operation without "client"');
    const opId = str(field(n, 'opId')) ?? fail(n, 'a client operation without "opId"');
    const value = field(n, 'value');
    const kind = op === 'put' ? 'write' : 'read';
    const at = { line: e.line, column: e.column };
    const base = { process: client, opId, kind, key: toKey(field(n, 'key')), time: Number(time.text), at } as const;
    if (phase === 'invoke') events.push(kind === 'write' ? { ...base, type: 'invoke', value: toValue(value ?? fail(n, 'a put without "value"'), 'the value of a put') } : { ...base, type: 'invoke' });
    else if (phase === 'return') events.push(kind === 'read' && value ? { ...base, type: 'ok', value: toValue(value, 'the value read') } : { ...base, type: 'ok' });
    else events.push({ ...base, type: kind === 'read' ? 'fail' : 'info' });
  }
  return events;
}

function str(d: Datum | undefined): string | undefined {
  return d?.kind === 'string' ? d.value : undefined;
}
