import * as assert from 'node:assert/strict';
import type * as A from '../../../server/src/core/syntax/ast';
import { parse } from '../../../server/src/core/syntax/parse';

// Helpers of the protocol parser's tests (protocolParser.test.ts, protocolParserErrors.test.ts).

/** The one protocol of `text`, which must parse without a diagnostic. */
export function protocol(text: string): A.ProtocolDecl {
  const r = parse(text);
  assert.deepEqual(r.diagnostics.map((d) => `${d.range.startLine}:${d.range.startColumn} ${d.code} ${d.message}`), []);
  const p = r.ast.statements.find((s): s is A.ProtocolDecl => s.kind === 'protocol');
  assert.ok(p, 'no protocol in the AST');
  return p;
}

/** The statements of `on start { … }` around `body`. */
export function statements(body: string): readonly A.ProtoStmt[] {
  const h = protocol(`protocol p {\n  on start {\n${body}\n  }\n}`).members[0] as A.HandlerMember;
  return h.body.statements;
}

/** A value without its source ranges, to compare shapes. */
export function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'range' && k !== 'bodyRange').map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The text a range covers. */
export const at = (text: string, r: { startOffset: number; endOffset: number }): string => text.slice(r.startOffset, r.endOffset);
/** `line:column code message` of each diagnostic, in source order. */
export function problems(text: string): string[] {
  return [...parse(text).diagnostics]
    .sort((a, b) => a.range.startOffset - b.range.startOffset)
    .map((d) => `${d.range.startLine}:${d.range.startColumn} ${d.code} ${d.message}`);
}

/** Each protocol's members as `kind trigger/name statementCount`. */
export function outline(text: string): string[] {
  return parse(text).ast.statements.flatMap((s) =>
    s.kind === 'protocol'
      ? s.members.map((m) => (m.kind === 'handler' ? `on ${m.trigger.kind} ${m.body.statements.length}` : `${m.kind} ${m.name.text}`))
      : [s.kind],
  );
}

