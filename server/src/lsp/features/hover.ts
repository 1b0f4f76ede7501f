import type { Hover } from 'vscode-languageserver';
import type { CheckResult } from '../../core/check/checker';
import { describeLatency } from '../../core/check/options';
import { INVARIANTS } from '../../core/invariants/registry';
import type { PropertyValue } from '../../core/protocols/protocol';
import { PROTOCOLS } from '../../core/protocols/registry';
import { formatValue } from '../../core/protocols/values';
import type { RunResult } from '../../core/sim/result';
import type { TraceEvent, Violation } from '../../core/sim/trace';
import { allViolations, eventsWhere } from '../../core/sim/result';
import type { ParseResult } from '../../core/syntax/parse';
import type * as A from '../../core/syntax/ast';
import { type Expr, formulaExprs, type TemporalFormula, walkExpr } from '../../core/expr/ast';
import { formatClockReading, formatDuration, formatPpm } from '../../core/units';
import { nodeOccurrences } from '../../core/analysis/references';
import { toLspRange } from '../convert';
import { expressionNameHover } from './exprHover';
import { messageTypeHover, stateVariableHover } from './protocolHover';
import { protocolMemberHover } from './protocolMemberHover';
import { contains, statementAt, tokenAt } from './locate';

/** Long collections (a Raft log) show their last few elements in a hover. */
const HOVER_ELEMENTS = 8;

/**
 * Hover: on a node name its clock and its state at the end of the run; on a
 * message statement the Lamport time and vector clock at send and receive
 * with each side's local clock; on an invariant or expect whether it held.
 * `run` is undefined when the file has errors or the run is not done.
 */
export function hover(parsed: ParseResult, text: string, checked: CheckResult, run: RunResult | undefined, offset: number): Hover | null {
  const token = tokenAt(parsed.tokens, offset);
  if (!token) return null;
  const nodeHit = nodeOccurrences(parsed.ast).find((o) => contains(o.range, offset));
  const stmt = statementAt(parsed.ast, offset);
  if (nodeHit && checked.model?.nodes.some((n) => n.name === nodeHit.name)) {
    return { contents: { kind: 'markdown', value: nodeHover(nodeHit.name, checked, run) }, range: toLspRange(nodeHit.range) };
  }
  if (!stmt) return null;
  const inProtocolTerms = stmt.kind === 'protocol' || stmt.kind === 'invariant' || stmt.kind === 'expect';
  const member = stmt.kind === 'protocol' ? protocolMemberHover(parsed.ast, text, checked, run, offset) : undefined;
  const state = member ?? (inProtocolTerms ? stateVariableHover(parsed.ast, checked, run, offset) ?? messageTypeHover(parsed.ast, run, offset) : undefined);
  if (state) return { contents: { kind: 'markdown', value: state.markdown }, range: toLspRange(state.range) };
  switch (stmt.kind) {
    case 'at':
    case 'every':
    case 'on': {
      const markdown = messageHover(stmt, offset, run);
      return markdown ? { contents: { kind: 'markdown', value: markdown }, range: toLspRange(stmt.range) } : null;
    }
    case 'invariant':
    case 'expect': {
      const name = expressionNameHover(stmt, offset);
      if (name) return { contents: { kind: 'markdown', value: name.markdown }, range: toLspRange(name.range) };
      return { contents: { kind: 'markdown', value: assertionHover(stmt, run) }, range: toLspRange(stmt.range) };
    }
    case 'nodes':
    case 'sync': {
      const binding = stmt.kind === 'sync' ? stmt.protocol : stmt.protocol;
      // A protocol written in the file is found among the model's bindings; a built-in one in the registry.
      const def = binding && (checked.model?.protocols.find((p) => p.definition.name === binding.name.text)?.definition ?? PROTOCOLS.find((p) => p.name === binding.name.text));
      if (def && contains(binding!.name.range, offset)) {
        return { contents: { kind: 'markdown', value: `**${def.name}**: ${def.summary}\n\n${def.options.map((o) => `- \`${o.key}\`: ${o.doc}`).join('\n')}` } };
      }
      return null;
    }
    default:
      return null;
  }
}

function nodeHover(name: string, checked: CheckResult, run: RunResult | undefined): string {
  const model = checked.model!;
  const node = model.nodes.find((n) => n.name === name)!;
  const lines = [`**node ${name}**`, ''];
  const c = node.clock;
  lines.push(`clock: offset ${formatDuration(c.offset, true)}, drift ${formatPpm(c.driftPpm)}${c.resolution ? `, resolution ${formatDuration(c.resolution)}` : ''}`);
  const outgoing = [...model.links.entries()].filter(([key]) => Math.floor(key / model.nodes.length) === node.index);
  if (outgoing.length > 0) lines.push(`links: ${outgoing.map(([key, l]) => `→ ${model.nodes[key % model.nodes.length]!.name} ${describeLatency(l.latency)}`).join(', ')}`);
  const protocols = model.protocols.filter((p) => p.nodes.includes(node.index)).map((p) => p.definition.name);
  if (protocols.length > 0) lines.push(`runs: ${protocols.join(', ')}`);
  if (!run) {
    lines.push('', '_not simulated yet (fix the errors in the file, or wait for the run)_');
    return lines.join('\n');
  }
  const f = run.final[node.index]!;
  const names = run.model.nodes.map((n) => n.name);
  lines.push('', `**at the end of the run** (t=${formatDuration(run.endTime)}):`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| state | ${f.alive ? 'up' : 'down (crashed)'} |`);
  lines.push(`| local clock | ${formatClockReading(f.clock)} (offset ${formatDuration(f.offset, true)}) |`);
  lines.push(`| Lamport | ${f.lamport} |`);
  lines.push(`| vector clock | \`${vcText(f.vc, names)}\` |`);
  lines.push(`| messages | ${f.sent} sent, ${f.received} received |`);
  for (const [key, value] of Object.entries(f.properties)) lines.push(`| ${key} | ${escapeCell(formatValue(value, { limit: HOVER_ELEMENTS, bare: true }))} |`);
  return lines.join('\n');
}

function messageHover(stmt: A.AtStmt | A.EveryStmt | A.OnStmt, offset: number, run: RunResult | undefined): string | undefined {
  // The innermost action under the cursor (a rule may hold several); else the whole statement.
  const actionRanges = stmt.kind === 'on' ? flattenActions(stmt.actions).map((a) => a.range) : [stmt.action.range];
  const target = actionRanges.filter((r) => contains(r, offset)).sort((a, b) => a.endOffset - a.startOffset - (b.endOffset - b.startOffset))[0] ?? (stmt.kind === 'on' ? undefined : stmt.action.range);
  const header = stmt.kind === 'on' ? `**rule** on ${stmt.node.text} receive ${stmt.label ? `"${escapeCell(stmt.label.value)}"` : 'any'}` : `**${stmt.kind}** ${escapeCell(describeAction(stmt.action))}`;
  if (!run) return `${header}\n\n_not simulated yet_`;
  if (!target) {
    const fired = eventsWhere(run, (kind, range) => kind !== 'receive' && contains(stmt.range, range.startOffset) && range !== stmt.range).length;
    return `${header}\n\n${fired} event${fired === 1 ? '' : 's'} caused by this rule in the run`;
  }
  const names = run.model.nodes.map((n) => n.name);
  const sends = eventsWhere(run, (_, range) => range === target || (range.startOffset === target.startOffset && range.endOffset === target.endOffset));
  const relevant = sends.filter((e) => e.kind === 'send' || e.kind === 'local' || e.kind === 'skip');
  if (relevant.length === 0) return `${header}\n\n_did not happen in this run_`;
  const byMsg = new Map<number, TraceEvent[]>();
  for (const e of sends) if (e.msg !== undefined && e.kind !== 'send') byMsg.set(e.msg, [...(byMsg.get(e.msg) ?? []), e]);
  const lines = [header, '', '| | node | true time | local clock | Lamport | vector clock |', '|---|---|---|---|---|---|'];
  const shown = relevant.slice(0, 6);
  for (const e of shown) {
    lines.push(row(e.kind === 'send' ? `send #${e.msg}` : e.kind, e, names));
    for (const r of byMsg.get(e.msg ?? -1) ?? []) lines.push(row(r.kind === 'receive' ? `receive${r.detail === 'duplicate copy' ? ' (dup)' : ''}` : `dropped (${r.reason})`, r, names));
  }
  if (relevant.length > shown.length) lines.push('', `…and ${relevant.length - shown.length} more`);
  return lines.join('\n');
}

function row(what: string, e: TraceEvent, names: readonly string[]): string {
  return `| ${what} | ${escapeCell(names[e.node] ?? '')} | ${formatDuration(e.time)} | ${formatClockReading(e.local)} | ${e.lamport} | \`${vcText(e.vc, names)}\` |`;
}

function assertionHover(stmt: A.InvariantDecl | A.ExpectDecl, run: RunResult | undefined): string {
  if (stmt.kind === 'invariant' && stmt.formula) return formulaHover(stmt, stmt.formula, run);
  if (stmt.kind === 'invariant') {
    const def = INVARIANTS.find((d) => d.name === stmt.name.text);
    const doc = def ? `**invariant ${def.name}**: ${def.summary}` : `**invariant ${stmt.name.text}**`;
    if (!run) return `${doc}\n\n_not simulated yet_`;
    const v = allViolations(run).find((x) => x.range.startOffset === stmt.range.startOffset);
    return `${doc}\n\n${v ? violatedText(v) : `✓ held for the whole run (t=0 to ${formatDuration(run.endTime)})`}`;
  }
  if (!run) return '**expect**\n\n_not simulated yet_';
  const e = run.expectations.find((x) => x.range.startOffset === stmt.range.startOffset);
  if (!e?.outcome) return '**expect**\n\n_not evaluated: the run stopped early_';
  const show = (v: PropertyValue | undefined): string => (typeof v === 'number' && e.isTime ? formatDuration(v) : formatValue(v, { limit: HOVER_ELEMENTS }));
  const top = stmt.condition;
  const detail = e.outcome.error ? `could not be evaluated: ${escapeCell(e.outcome.error)}` : top.kind === 'binary' && e.outcome.right !== undefined ? `${show(e.outcome.left)} ${top.op} ${show(e.outcome.right)}` : String(e.outcome.passed);
  return `**expect** ${escapeCell(e.text)}\n\n${e.outcome.passed ? '✓ passed' : '✗ failed'}: ${detail} at t=${formatDuration(e.outcome.time)}`;
}

/** A written property: its form, the variables it binds, and whether (and for how long) it held. */
function formulaHover(stmt: A.InvariantDecl, formula: TemporalFormula, run: RunResult | undefined): string {
  const FORMS = { always: 'must hold after every step', never: 'must never hold', eventually: 'must hold at some step before the deadline', whenever: 'each time the trigger becomes true, the response must follow in time' } as const;
  const inv = run?.model.invariants.find((i) => i.range.startOffset === stmt.range.startOffset);
  const lines = [`**invariant ${stmt.name.text}**: ${formula.kind} — ${FORMS[formula.kind]}`];
  const variables = formulaExprs(formula).flatMap(boundVariables);
  if (variables.length > 0) lines.push('', `binds ${variables.map((v) => `\`${v}\``).join(', ')}`);
  if (!run || !inv) return [...lines, '', '_not simulated yet_'].join('\n');
  const v = allViolations(run).find((x) => x.range.startOffset === stmt.range.startOffset);
  if (!v) lines.push('', `✓ held for the whole run (t=0 to ${formatDuration(run.endTime)})`);
  else if (v.code === 'DS206') lines.push('', `? not decided: ${escapeCell(v.message)}`);
  else lines.push('', `held from t=0 until t=${formatDuration(v.time)}`, '', violatedText(v));
  return lines.join('\n');
}

function boundVariables(e: Expr): string[] {
  const out: string[] = [];
  walkExpr(e, (x) => {
    if (x.kind === 'quantifier') out.push(...x.variables.map((n) => `${n.text} in ${x.over.kind === 'name' ? x.over.name.text : '…'}`));
  });
  return out;
}

function violatedText(v: Violation): string {
  return `✗ **violated** at t=${formatDuration(v.time)}: ${escapeCell(v.message)}${v.causes.length ? `\n\ncaused by:\n${v.causes.map((c) => `- line ${c.range.startLine}: ${escapeCell(c.message)}`).join('\n')}` : ''}`;
}

function flattenActions(actions: readonly A.RuleAction[]): A.RuleAction[] {
  return actions.flatMap((a) => (a.kind === 'after' ? [a, ...flattenActions([a.then])] : [a]));
}

function describeAction(a: A.NodeAction): string {
  return a.kind === 'local' ? `${a.node.text} local "${a.label.value}"` : `${a.node.text} -> ${a.target === 'everyone' ? '*' : a.target.text} "${a.label.value}"`;
}

export function vcText(vc: ArrayLike<number>, names: readonly string[]): string {
  return `[${names.map((n, i) => `${n}:${vc[i] ?? 0}`).join(' ')}]`;
}

/** User-written text inside markdown: no table breaks, no markup. */
function escapeCell(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}
