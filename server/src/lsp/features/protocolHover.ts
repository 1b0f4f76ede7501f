import type { CheckResult } from '../../core/check/checker';
import { protocolOccurrences } from '../../core/analysis/protocolReferences';
import { formatValue } from '../../core/protocols/values';
import { eventsWhere, type RunResult } from '../../core/sim/result';
import type * as A from '../../core/syntax/ast';
import { formatDuration } from '../../core/units';
import type { SourceRange } from '../../core/source';
import { contains } from './locate';

/** Long collections show their last few elements in a hover. */
const HOVER_ELEMENTS = 8;

/**
 * Hover on a written protocol's state variable (its declaration or any use in
 * the protocol, or a property read `a.term` in a property): its type, whether
 * it survives a crash, and its value at the end of the run on every node that
 * runs the protocol. Undefined when the offset is not on a state variable.
 */
export function stateVariableHover(file: A.DsyncFile, checked: CheckResult, run: RunResult | undefined, offset: number): { markdown: string; range: SourceRange } | undefined {
  const hit = protocolOccurrences(file).find((o) => contains(o.range, offset) && / value /.test(o.symbol));
  if (!hit) return undefined;
  const protocolName = hit.symbol.slice(0, hit.symbol.indexOf(' value '));
  const decl = file.statements.find((s): s is A.ProtocolDecl => s.kind === 'protocol' && s.name.text === protocolName);
  const state = decl?.members.find((m): m is A.StateMember => m.kind === 'state' && m.name.text === hit.name);
  if (!state) return undefined;
  const lines = [
    `**${state.durability} ${state.name.text}**: \`${state.type.text}\` (${protocolName})`,
    '',
    state.durability === 'stable' ? 'kept across a crash (the node’s disk)' : 'lost on a crash: back to its initial value after a restart',
  ];
  const binding = checked.model?.protocols.find((p) => p.definition.name === protocolName);
  if (!binding) return { markdown: lines.join('\n'), range: hit.range };
  if (!run) {
    lines.push('', '_not simulated yet (fix the errors in the file, or wait for the run)_');
    return { markdown: lines.join('\n'), range: hit.range };
  }
  lines.push('', `**at the end of the run** (t=${formatDuration(run.endTime)}):`, '', '| node | value |', '|---|---|');
  for (const index of binding.nodes) {
    const value = run.final[index]?.properties[state.name.text];
    const text = value === undefined ? '—' : formatValue(value, { limit: HOVER_ELEMENTS, bare: true }).replace(/\|/g, '\\|');
    lines.push(`| ${run.model.nodes[index]!.name} | ${text}${run.final[index]!.alive ? '' : ' (down)'} |`);
  }
  return { markdown: lines.join('\n'), range: hit.range };
}

/**
 * Hover on a written protocol's message type (its declaration or a use): its
 * fields, and how many were sent and received in the run (sends made by this
 * protocol's statements with that type). Undefined elsewhere.
 */
export function messageTypeHover(file: A.DsyncFile, run: RunResult | undefined, offset: number): { markdown: string; range: SourceRange } | undefined {
  const hit = protocolOccurrences(file).find((o) => contains(o.range, offset) && / message [^ ]+$/.test(o.symbol));
  if (!hit) return undefined;
  const protocolName = hit.symbol.slice(0, hit.symbol.indexOf(' message '));
  const decl = file.statements.find((s): s is A.ProtocolDecl => s.kind === 'protocol' && s.name.text === protocolName);
  const message = decl?.members.find((m): m is A.MessageMember => m.kind === 'message' && m.name.text === hit.name);
  if (!decl || !message) return undefined;
  const fields = message.fields.map((f) => `${f.name.text}: ${f.type.text}`).join(', ');
  const lines = [`**message ${message.name.text}**${fields ? ` \`{ ${fields} }\`` : ' (no fields)'} (${protocolName})`];
  if (run) {
    const inBody = (range: SourceRange): boolean => range.startOffset >= decl.bodyRange.startOffset && range.endOffset <= decl.bodyRange.endOffset;
    const events = eventsWhere(run, (kind, range) => (kind === 'send' || kind === 'receive') && inBody(range)).filter((e) => e.label === message.name.text && e.protocol === protocolName);
    const sent = events.filter((e) => e.kind === 'send').length;
    lines.push('', `in the run: ${sent} sent, ${events.length - sent} received`);
  }
  return { markdown: lines.join('\n'), range: hit.range };
}
