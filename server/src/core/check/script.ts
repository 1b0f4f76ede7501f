import { diagnostic, withFix } from '../diagnostics';
import type { MessageTarget, ProtocolInstance, Rule, ScriptAction, Stimulus } from '../model';
import { closestName } from './suggest';
import type * as A from '../syntax/ast';
import type { CheckContext } from './context';

/** `at` and `every`: scripted actions that fire by the acting node's clock. */
export function checkStimulus(stmt: A.AtStmt | A.EveryStmt, ctx: CheckContext): Stimulus | undefined {
  const node = ctx.node(stmt.action.node);
  const action = nodeAction(stmt.action, ctx);
  const schedule = checkSchedule(stmt, 'this message time', ctx);
  if (node === undefined || action === undefined || schedule === undefined) return undefined;
  // Every key written out, not `...schedule`: the spread costs a shape change per statement.
  return { node, start: schedule.start, period: schedule.period, stop: schedule.stop, action, range: stmt.range };
}

export type ScheduleSource = { readonly kind: 'at'; readonly time: A.Value } | { readonly kind: 'every'; readonly period: A.Value; readonly start?: A.Value; readonly stop?: A.Value };

/**
 * When an `at T` / `every P [from T] [until T]` fires, on the acting node's
 * clock: `every` starts one period in unless `from` says otherwise. Shared by
 * scripted messages and client operations.
 */
export function checkSchedule(s: ScheduleSource, atWhat: string, ctx: CheckContext): { start: number; period: number | undefined; stop: number | undefined } | undefined {
  if (s.kind === 'at') {
    const time = ctx.time(s.time, atWhat);
    return time === undefined ? undefined : { start: time, period: undefined, stop: undefined };
  }
  const period = ctx.span(s.period, "'every' period");
  const start = s.start ? ctx.time(s.start, "'from'") : period;
  const stop = s.stop ? ctx.time(s.stop, "'until'") : undefined;
  if (period === undefined || start === undefined) return undefined;
  if (s.stop && stop === undefined) return undefined;
  if (stop !== undefined && stop < start) {
    ctx.diagnostics.push(diagnostic('DS125', "'until' is before the first firing; nothing would be sent", s.stop!.range));
    return undefined;
  }
  return { start, period, stop };
}

function nodeAction(action: A.NodeAction, ctx: CheckContext): ScriptAction | undefined {
  if (action.kind === 'local') return { kind: 'local', label: action.label.value, range: action.range };
  if (action.target === 'everyone') return { kind: 'send', target: { kind: 'everyone' }, label: action.label.value, range: action.range };
  const target = ctx.node(action.target);
  return target === undefined ? undefined : { kind: 'send', target: { kind: 'node', node: target }, label: action.label.value, range: action.range };
}

/** `on B receive "x" [from A] { … }` */
export function checkRule(stmt: A.OnStmt, ctx: CheckContext): Rule | undefined {
  const node = ctx.node(stmt.node);
  const sender = stmt.sender ? ctx.node(stmt.sender) : undefined;
  if (node === undefined || (stmt.sender && sender === undefined)) return undefined;
  const actions: ScriptAction[] = [];
  for (const a of stmt.actions) {
    const built = ruleAction(a, stmt, ctx);
    if (!built) return undefined;
    actions.push(built);
  }
  return { node, label: stmt.label?.value, sender, actions, range: stmt.range };
}

function ruleAction(a: A.RuleAction, rule: A.OnStmt, ctx: CheckContext): ScriptAction | undefined {
  switch (a.kind) {
    case 'after': {
      const delay = ctx.span(a.delay, "'after' delay", true);
      const then = ruleAction(a.then, rule, ctx);
      return delay === undefined || then === undefined ? undefined : { kind: 'after', delay, then, range: a.range };
    }
    case 'send': {
      if (a.from && a.from.text !== rule.node.text) {
        ctx.diagnostics.push(diagnostic('DS160', `this rule runs on '${rule.node.text}', so it can only send from '${rule.node.text}'; write 'send ${rule.node.text} -> ${a.target.text} …' or 'send ${a.target.text} …'`, a.from.range));
        return undefined;
      }
      const target = ctx.node(a.target);
      return target === undefined ? undefined : { kind: 'send', target: { kind: 'node', node: target }, label: a.label.value, range: a.range };
    }
    case 'reply':
    case 'broadcast': {
      const target: MessageTarget = a.kind === 'reply' ? { kind: 'reply' } : { kind: 'everyone' };
      return { kind: 'send', target, label: a.label.value, range: a.range };
    }
    case 'local':
      return { kind: 'local', label: a.label.value, range: a.range };
  }
}

/**
 * DS161: a rule for a label that nothing can deliver to its node never
 * fires. Labels come from the scenario's own sends, and from the message
 * types of the protocols the node runs and of the instances paired with them
 * (ProtocolInstance.peers: a client and its store; ProtocolDefinition.messages;
 * a protocol without that list may send anything). `receive any` sees scenario
 * messages only.
 */
export function checkRulesCanFire(rules: readonly { rule: Rule; stmt: A.OnStmt }[], stimuli: readonly Stimulus[], protocols: readonly ProtocolInstance[], ctx: CheckContext): void {
  // Per receiving node, the labels sent to it in the order first sent (the suggestion's tie-break);
  // a node is in `reached` when anything at all is sent to it. No string keys: a 20,000-line
  // scenario sends from every line, and this runs on every check.
  const sent = new Map<number, Set<string>>();
  const reached = new Set<number>();
  const collect = (action: ScriptAction, from: number): void => {
    if (action.kind === 'after') return collect(action.then, from);
    if (action.kind !== 'send') return;
    const add = (t: number): void => {
      let labels = sent.get(t);
      if (!labels) sent.set(t, (labels = new Set()));
      labels.add(action.label);
      reached.add(t);
    };
    if (action.target.kind === 'node') add(action.target.node);
    else for (const n of ctx.nodes.nodes) if (n.index !== from) add(n.index);
  };
  for (const s of stimuli) collect(s.action, s.node);
  for (const { rule } of rules) for (const a of rule.actions) collect(a, rule.node);
  for (const { rule, stmt } of rules) {
    if (rule.label === undefined ? reached.has(rule.node) : sent.get(rule.node)?.has(rule.label)) continue;
    // What can arrive: the types of the protocols the node runs and of those paired with them (a client's kv.request reaches its store).
    const own = protocols.flatMap((p, i) => (p.nodes.includes(rule.node) ? [i] : []));
    const senders = protocols.filter((p, i) => own.includes(i) || own.some((o) => p.peers?.includes(o) || protocols[o]!.peers?.includes(i)));
    if (rule.label !== undefined && senders.some((p) => !p.definition.messages || p.definition.messages.includes(rule.label!))) continue;
    const what = rule.label === undefined ? 'any message' : `"${rule.label}"`;
    // What could arrive instead: a near miss is most likely a typo.
    const labels = [...new Set([...(sent.get(rule.node) ?? []), ...senders.flatMap((p) => p.definition.messages ?? [])])];
    const close = rule.label === undefined ? undefined : closestName(rule.label, labels);
    const types = [...new Set(senders.flatMap((p) => (p.definition.messages ? [`${p.definition.name} sends ${p.definition.messages.map((m) => `"${m}"`).join(', ')}`] : [])))];
    const hint = close !== undefined ? `; did you mean "${close}"?` : types.length > 0 ? ` (${types.join('; ')})` : '';
    const report = diagnostic('DS161', `nothing in this scenario sends ${what} to '${stmt.node.text}', so this rule never fires${hint}`, stmt.label?.range ?? stmt.node.range);
    ctx.diagnostics.push(close !== undefined && stmt.label ? withFix(report, { title: `Change to "${close}"`, range: stmt.label.range, newText: JSON.stringify(close) }) : report);
  }
}
