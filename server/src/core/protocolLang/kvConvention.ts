import { parseTypeText } from '../expr/types';
import type { KvValue } from '../linearizability/history';
import { formatKvValue } from '../linearizability/history';
import { KV_REPLY, KV_REQUEST, type KvCommand } from '../protocols/kv';
import type { MessageDecl } from './declarations';

/**
 * `protocol store serves kv { … }`: the client convention of protocols/kv.ts
 * as two implicit message types. A store handles `KvRequest` (what a
 * `client` statement sends, on the wire `kv.request`) and answers with
 * `KvReply` (`kv.reply`). Values are strings as a client statement writes
 * them: `put k = 3` carries "3", `put k = "a"` carries "\"a\"" (quotes
 * kept, so 3 and "3" stay different values), a get carries ""; a reply's
 * value goes back the same way.
 */
const REQUEST_FIELDS = 'op_id: string, client: node, op: string, key: string, value: string';
const REPLY_FIELDS = 'op_id: string, ok: bool, value: string?, leader: node?';

function fieldsOf(text: string): MessageDecl['fields'] {
  const type = parseTypeText(`{ ${text} }`);
  if (type.k !== 'record') throw new Error('unreachable');
  return type.fields.map(([name, t]) => ({ name, type: t, }));
}

export function kvMessages(): MessageDecl[] {
  const request = fieldsOf(REQUEST_FIELDS);
  const reply = fieldsOf(REPLY_FIELDS);
  return [
    {
      name: 'KvRequest',
      wire: KV_REQUEST,
      fields: request,
      type: { k: 'record', fields: request.map((f) => [f.name, f.type] as const) },
      fromWire: (payload) => {
        const c = payload as KvCommand;
        return { op_id: c.opId, client: c.client, op: c.op, key: c.key, value: c.value === undefined ? '' : formatKvValue(c.value) };
      },
    },
    {
      name: 'KvReply',
      wire: KV_REPLY,
      fields: reply,
      type: { k: 'record', fields: reply.map((f) => [f.name, f.type] as const) },
      toWire: (p) => ({
        opId: p.op_id as string,
        ok: p.ok as boolean,
        ...(p.value !== null && p.value !== undefined ? { value: kvValue(p.value as string) } : {}),
        ...(p.leader !== null && p.leader !== undefined ? { leader: p.leader as string } : {}),
      }),
    },
  ];
}

/** A value as a client statement wrote it back to what the client compares: `3` → 3, `"a"` → a. */
function kvValue(text: string): KvValue {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text;
    }
  }
  return text;
}
