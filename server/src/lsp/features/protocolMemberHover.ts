import type { CheckResult } from '../../core/check/checker';
import { protocolOccurrences } from '../../core/analysis/protocolReferences';
import { formatValue } from '../../core/expr/values';
import { parseTypeText } from '../../core/expr/types';
import { isWrittenProtocol } from '../../core/protocolLang';
import { tallyKeys } from '../../core/protocolLang/tallyKeys';
import type { RunResult } from '../../core/sim/result';
import type * as A from '../../core/syntax/ast';
import type { SourceRange } from '../../core/source';
import { contains } from './locate';

type MemberHover = { markdown: string; range: SourceRange } | undefined;

const NOT_RUN = '_not simulated yet (fix the errors in the file, or wait for the run)_';

/**
 * Hover on a written protocol's handler head (`on start`, `on timer T`,
 * `on M(m) from p`: how often it ran on each node, and how often its guard
 * was false), a timer's name (set / fired / cancelled per node), an option
 * (kind, default, what each binding gives), a fn (its signature) and a
 * const (its type and each node's value). Counts come from the run's
 * tallies (sim/tallies.ts). Undefined when the offset is on none of these.
 */
export function protocolMemberHover(file: A.DsyncFile, text: string, checked: CheckResult, run: RunResult | undefined, offset: number): MemberHover {
  const decl = file.statements.find((s): s is A.ProtocolDecl => s.kind === 'protocol' && contains(s.range, offset));
  if (!decl) return undefined;
  const ctx: HoverContext = { decl, text, checked, run, nodes: protocolNodes(decl.name.text, checked) };
  // The head of a handler, except its message or timer name, which has a hover of its own.
  const handler = decl.members.find((m): m is A.HandlerMember => m.kind === 'handler' && offset >= m.range.startOffset && offset <= m.trigger.range.endOffset && !onTriggerName(m.trigger, offset));
  if (handler) return { markdown: handlerHover(ctx, handler), range: { ...handler.range, endOffset: handler.trigger.range.endOffset, endLine: handler.trigger.range.endLine, endColumn: handler.trigger.range.endColumn } };
  const hit = protocolOccurrences(file).find((o) => contains(o.range, offset) && o.symbol.startsWith(`${decl.name.text} `));
  if (!hit) return undefined;
  if (hit.symbol === `${decl.name.text} timer ${hit.name}`) return { markdown: timerHover(ctx, hit.name), range: hit.range };
  if (hit.symbol !== `${decl.name.text} value ${hit.name}`) return undefined;
  const member = decl.members.find((m) => m.kind !== 'handler' && m.name.text === hit.name);
  switch (member?.kind) {
    case 'option': return { markdown: optionHover(ctx, member, file), range: hit.range };
    case 'fn': return { markdown: fnHover(ctx, member), range: hit.range };
    case 'const': return { markdown: constHover(ctx, member), range: hit.range };
    default: return undefined;
  }
}

function onTriggerName(t: A.HandlerTrigger, offset: number): boolean {
  const name = t.kind === 'message' ? t.message : t.kind === 'timer' ? t.timer : undefined;
  return name !== undefined && contains(name.range, offset);
}

interface HoverContext {
  readonly decl: A.ProtocolDecl;
  readonly text: string;
  readonly checked: CheckResult;
  readonly run: RunResult | undefined;
  /** The nodes that run the protocol, in declaration order (empty when the file has errors or binds it nowhere). */
  readonly nodes: readonly number[];
}

function protocolNodes(name: string, checked: CheckResult): number[] {
  const nodes = new Set(checked.model?.protocols.filter((p) => p.definition.name === name).flatMap((p) => p.nodes) ?? []);
  return [...nodes].sort((a, b) => a - b);
}

const source = (ctx: HoverContext, range: SourceRange): string => ctx.text.slice(range.startOffset, range.endOffset).replace(/\s+/g, ' ');

/** One row per node of the protocol with the given counts, or a line saying why there are none. */
function countTable(ctx: HoverContext, columns: readonly (readonly [title: string, key: string])[]): string[] {
  if (ctx.nodes.length === 0) return [ctx.checked.model ? `_no node runs ${ctx.decl.name.text} in this file_` : NOT_RUN];
  const tallies = ctx.run?.tallies;
  if (!ctx.run || !tallies) return [NOT_RUN];
  const counts = columns.map(([, key]) => tallies.countsOf(key));
  const lines = [`**in the run** (seed ${ctx.run.seed}):`, '', `| node | ${columns.map(([title]) => title).join(' | ')} |`, `|---|${columns.map(() => '---:|').join('')}`];
  for (const node of ctx.nodes) lines.push(`| ${ctx.run.model.nodes[node]!.name} | ${counts.map((c) => c[node] ?? 0).join(' | ')} |`);
  const total = (c: readonly number[]): number => ctx.nodes.reduce((sum, n) => sum + (c[n] ?? 0), 0);
  if (ctx.nodes.length > 1) lines.push(`| **all** | ${counts.map(total).join(' | ')} |`);
  return lines;
}

function handlerHover(ctx: HoverContext, h: A.HandlerMember): string {
  const head = source(ctx, { ...h.range, endOffset: h.trigger.range.endOffset });
  const start = h.range.startOffset;
  const lines = [`**${head}** (${ctx.decl.name.text})`, ''];
  switch (h.trigger.kind) {
    case 'start':
      lines.push('runs when the node starts, and again after each restart (with `var` state fresh)', '');
      lines.push(...countTable(ctx, [['ran', tallyKeys.handlerRan(start)]]));
      break;
    case 'timer': {
      const name = h.trigger.timer.text;
      lines.push(`runs when timer \`${name}\` fires (by the node’s local clock)`, '');
      lines.push(...countTable(ctx, [['ran', tallyKeys.handlerRan(start)], ['set', tallyKeys.timer('set', ctx.decl.name.text, name)], ['cancelled', tallyKeys.timer('cancelled', ctx.decl.name.text, name)]]));
      break;
    }
    case 'message': {
      const message = ctx.decl.members.find((m): m is A.MessageMember => m.kind === 'message' && m.name.text === (h.trigger as { message: A.Name }).message.text);
      const fields = message?.fields.map((f) => `${f.name.text}: ${f.type.text}`).join(', ');
      lines.push(`runs when a \`${h.trigger.message.text}\`${fields ? ` \`{ ${fields} }\`` : ''} arrives${h.guard ? ` and its guard \`${source(ctx, h.guard.range)}\` holds` : ''} (the first handler of the message whose guard holds runs)`, '');
      lines.push(...countTable(ctx, h.guard ? [['ran', tallyKeys.handlerRan(start)], ['guard false', tallyKeys.guardFalse(start)]] : [['ran', tallyKeys.handlerRan(start)]]));
      break;
    }
  }
  return lines.join('\n');
}

function timerHover(ctx: HoverContext, name: string): string {
  const p = ctx.decl.name.text;
  return [`**timer ${name}** (${p})`, '', 'fires by the node’s local clock; setting it again while pending replaces it; lost on a crash', '',
    ...countTable(ctx, [['set', tallyKeys.timer('set', p, name)], ['fired', tallyKeys.timer('fired', p, name)], ['cancelled', tallyKeys.timer('cancelled', p, name)]])].join('\n');
}

function optionHover(ctx: HoverContext, o: A.OptionMember, file: A.DsyncFile): string {
  const kind = o.choices ? o.choices.map((c) => JSON.stringify(c.value)).join(' | ') : o.optionKind.map((k) => k.text).join(' ');
  const defaultText = o.defaultValue && o.defaultValue.length > 0 ? source(ctx, { ...o.defaultValue[0]!.range, endOffset: o.defaultValue.at(-1)!.range.endOffset }) : undefined;
  const lines = [`**option ${o.name.text}**: ${kind} (${ctx.decl.name.text})`, '', defaultText ? `default: \`${defaultText}\`` : 'no default: every binding must set it', '', 'read-only in handlers'];
  const bindings = file.statements.filter((s): s is A.NodesDecl & { protocol: A.ProtocolBinding } => s.kind === 'nodes' && s.protocol?.name.text === ctx.decl.name.text);
  if (bindings.length === 0) return [...lines, '', `_no node runs ${ctx.decl.name.text} in this file_`].join('\n');
  lines.push('', '| binding | value |', '|---|---|');
  for (const b of bindings) {
    const setting = b.protocol.options.find((s) => s.key.text === o.name.text);
    const value = setting && setting.values.length > 0 ? `\`${source(ctx, { ...setting.values[0]!.range, endOffset: setting.values.at(-1)!.range.endOffset })}\`` : defaultText ? `\`${defaultText}\` (default)` : '— (missing)';
    lines.push(`| line ${b.range.startLine}: \`${source(ctx, { ...b.range, endOffset: b.protocol.range.startOffset }).replace(/\s*\brun\s*$/, '')}\` | ${value.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

function fnHover(ctx: HoverContext, f: A.FnMember): string {
  const params = f.params.map((p) => `${p.name.text}: ${p.type.text}`).join(', ');
  return [`\`\`\`dsync\nfn ${f.name.text}(${params}): ${f.result.text}\n\`\`\``, '', `a pure helper of ${ctx.decl.name.text}: it reads its parameters, options and consts, and changes nothing`].join('\n');
}

function constHover(ctx: HoverContext, c: A.ConstMember): string {
  const definition = ctx.checked.model?.protocols.find((p) => p.definition.name === ctx.decl.name.text)?.definition;
  const type = (definition && isWrittenProtocol(definition) ? definition.written.constTypes.get(c.name.text) : undefined) ?? c.type?.text;
  const lines = [`**const ${c.name.text}**${type ? `: \`${type}\`` : ''} = \`${source(ctx, c.value.range)}\` (${ctx.decl.name.text})`];
  const tallies = ctx.run?.tallies;
  if (ctx.nodes.length === 0 || !ctx.run || !tallies) return lines.join('\n');
  const parsedType = type ? parseTypeText(type) : undefined;
  const values = tallies.valuesOf(tallyKeys.constValue(c.range.startOffset));
  const shown = ctx.nodes.map((n) => (values[n] === undefined ? '—' : formatValue(values[n]!, parsedType)));
  if (shown.every((s) => s === shown[0])) {
    lines.push('', `value: \`${shown[0]}\``);
    return lines.join('\n');
  }
  lines.push('', '| node | value |', '|---|---|');
  ctx.nodes.forEach((n, i) => lines.push(`| ${ctx.run!.model.nodes[n]!.name} | \`${shown[i]!.replace(/\|/g, '\\|')}\` |`));
  return lines.join('\n');
}
