import type { CstNode, IToken } from 'chevrotain';
import { NO_RANGE, type SourceRange } from '../source';
import type * as A from './ast';
import { firstChild, isNode, isToken, Missing, need, node, nodeRange, nodes, optional, spanTo, token, tokenRange, unquote } from './cstAccess';
import { expression, temporal } from './exprToAst';
import { protocolDecl, type BuildContext } from './protocolToAst';
import { argList, name, optionItem, value } from './valueToAst';

export { tokenRange, unquote };

/**
 * Builds the typed AST from Chevrotain's CST. Kept apart from the grammar so
 * the parser stays a pure recogniser. Any piece the parser had to invent or
 * skip during error recovery makes its statement `undefined`: the AST holds
 * only what the user really wrote. Mistakes only the AST builder sees (a
 * `note`'s `{…}` that is not an expression) go to `ctx.report`.
 */
export function cstToAst(file: CstNode, ctx: BuildContext): A.DsyncFile {
  const statements: A.Statement[] = [];
  for (const stmt of nodes(file, 'statement')) {
    const built = buildStatement(stmt, ctx);
    if (built) statements.push(built);
  }
  // A file without a single token (empty, only comments) has no location: an empty range at the start.
  return { statements, range: Number.isFinite(file.location?.startOffset) ? nodeRange(file) : NO_RANGE };
}

function buildStatement(stmt: CstNode, ctx: BuildContext): A.Statement | undefined {
  const inner = firstChild(stmt, isNode);
  if (!inner) return undefined;
  // A node list cut short still declares the names written before the error:
  // dropping them would turn one syntax error into DS110 on every later line.
  if (inner.recoveredNode && inner.name !== 'nodesDecl') return undefined;
  try {
    switch (inner.name) {
      case 'scenarioDecl': return scenario(inner);
      case 'nodesDecl': return nodesDecl(inner);
      case 'networkDecl': return { kind: 'network', options: optionBlock(need(node(inner, 'optionBlock'))), range: nodeRange(inner) };
      case 'linkDecl': return { kind: 'link', link: linkRef(need(node(inner, 'linkRef'))), options: optionBlock(need(node(inner, 'optionBlock'))), range: nodeRange(inner) };
      case 'clockDecl': return { kind: 'clock', nodes: nodes(inner, 'nodeRef').map(nodeRef), options: optionBlock(need(node(inner, 'optionBlock'))), range: nodeRange(inner) };
      case 'syncDecl': return { kind: 'sync', protocol: binding(inner), range: nodeRange(inner) };
      case 'atStmt': return { kind: 'at', time: value(need(node(inner, 'time'))), action: nodeAction(need(node(inner, 'nodeAction'))), range: nodeRange(inner) };
      case 'everyStmt': return everyStmt(inner);
      case 'onStmt': return onStmt(inner);
      case 'faultsBlock': return faultsBlock(inner);
      case 'invariantDecl': return invariantDecl(inner);
      case 'expectDecl': return expectDecl(inner);
      case 'clientDecl': return clientDecl(inner);
      case 'protocolDecl': return protocolDecl(inner, ctx);
      default: return undefined;
    }
  } catch (error) {
    if (error instanceof Missing) return undefined;
    throw error;
  }
}

function scenario(n: CstNode): A.ScenarioDecl {
  const duration = node(n, 'duration');
  return {
    kind: 'scenario',
    name: name(need(token(n, 'Name'))),
    ...(duration ? { duration: value(duration) } : {}),
    options: nodes(n, 'optionItem').flatMap(optional(optionItem)),
    range: nodeRange(n),
  };
}

function nodesDecl(n: CstNode): A.NodesDecl {
  const protocol = n.recoveredNode ? undefined : token(n, 'protocol');
  return {
    kind: 'nodes',
    refs: nodes(n, 'nodeRef').flatMap(optional(nodeRef)),
    ...(protocol ? { protocol: binding(n) } : {}),
    range: nodeRange(n),
  };
}

function binding(n: CstNode): A.ProtocolBinding {
  const protocol = name(need(token(n, 'protocol')));
  const block = node(n, 'optionBlock');
  return {
    name: protocol,
    options: block ? optionBlock(block) : [],
    range: block ? spanTo(protocol.range, nodeRange(block)) : protocol.range,
  };
}

function everyStmt(n: CstNode): A.EveryStmt {
  const start = node(n, 'start');
  const stop = node(n, 'stop');
  return {
    kind: 'every',
    period: value(need(node(n, 'period'))),
    action: nodeAction(need(node(n, 'nodeAction'))),
    ...(start ? { start: value(start) } : {}),
    ...(stop ? { stop: value(stop) } : {}),
    range: nodeRange(n),
  };
}

function nodeAction(n: CstNode): A.NodeAction {
  const actor = name(need(token(n, 'node')));
  const label = stringLit(need(token(n, 'label')));
  if (token(n, 'Kw_local')) return { kind: 'local', node: actor, label, range: nodeRange(n) };
  const target = token(n, 'target');
  return { kind: 'send', node: actor, target: target ? name(target) : 'everyone', label, range: nodeRange(n) };
}

function onStmt(n: CstNode): A.OnStmt {
  const label = token(n, 'label');
  const sender = token(n, 'sender');
  need(token(n, 'RCurly'));
  return {
    kind: 'on',
    node: name(need(token(n, 'node'))),
    ...(label ? { label: stringLit(label) } : {}),
    ...(sender ? { sender: name(sender) } : {}),
    actions: nodes(n, 'ruleAction').flatMap(optional(ruleAction)),
    range: nodeRange(n),
  };
}

function ruleAction(n: CstNode): A.RuleAction {
  const range = nodeRange(n);
  if (token(n, 'Kw_after')) {
    return { kind: 'after', delay: value(need(node(n, 'delay'))), then: ruleAction(need(node(n, 'then'))), range };
  }
  const label = stringLit(need(token(n, 'label')));
  if (token(n, 'Kw_send')) {
    const first = name(need(token(n, 'target')));
    const second = token(n, 'target2');
    return second ? { kind: 'send', from: first, target: name(second), label, range } : { kind: 'send', target: first, label, range };
  }
  const verb = need(token(n, 'verb')).image as 'reply' | 'broadcast' | 'local';
  return { kind: verb, label, range };
}

function faultsBlock(n: CstNode): A.FaultsBlock {
  const faults = nodes(n, 'faultStmt').flatMap(optional(fault));
  if (!token(n, 'random')) return { kind: 'faults', faults, range: nodeRange(n) };
  return { kind: 'faults', faults, random: nodes(n, 'randomFaultStmt').flatMap(optional(randomFault)), range: nodeRange(n) };
}

function randomFault(n: CstNode): A.RandomFault {
  const window = node(n, 'forWindow');
  return {
    kind: need(token(n, 'verb')).image as A.RandomFault['kind'],
    count: value(need(node(n, 'count'))),
    period: value(need(node(n, 'period'))),
    ...(window ? { window: value(need(node(window, 'length'))) } : {}),
    range: nodeRange(n),
  };
}

function fault(n: CstNode): A.Fault {
  const base = { time: value(need(node(n, 'time'))), range: nodeRange(n) };
  const window = node(n, 'forWindow');
  const windowPart = window ? { window: value(need(node(window, 'length'))) } : {};
  if (token(n, 'Kw_partition')) {
    const groups = nodes(n, 'nodeGroup').map((g) => {
      need(token(g, 'RCurly'));
      return nodes(g, 'nodeRef').map(nodeRef);
    });
    return { ...base, kind: 'partition', groups, ...windowPart };
  }
  if (token(n, 'Kw_heal')) return { ...base, kind: 'heal' };
  const verb = token(n, 'verb');
  if (verb) return { ...base, kind: verb.image as 'crash' | 'restart', node: name(need(token(n, 'node'))) };
  const change = token(n, 'change');
  if (change) {
    const kind = change.image === 'jump' ? 'clock-jump' : 'clock-drift';
    return { ...base, kind, node: name(need(token(n, 'node'))), amount: value(need(node(n, 'amount'))) };
  }
  const link = linkRef(need(node(n, 'linkRef')));
  if (token(n, 'Kw_drop')) return { ...base, kind: 'drop', link, ...windowPart };
  return { ...base, kind: 'delay', link, extra: value(need(node(n, 'extra'))), ...windowPart };
}

function invariantDecl(n: CstNode): A.InvariantDecl {
  const condition = node(n, 'misplacedCondition');
  if (condition) {
    const first = firstToken(condition);
    return { kind: 'invariant', name: name(first), misplacedCondition: nodeRange(condition), args: [], range: nodeRange(n) };
  }
  return namedInvariant(need(node(n, 'namedInvariant')), nodeRange(n));
}

/** The leftmost token under a node (a CST node keeps its children by label, not in order). */
function firstToken(n: CstNode): IToken {
  let first: IToken | undefined;
  for (const key in n.children) {
    for (const e of n.children[key]!) {
      const t = isToken(e) ? e : firstToken(e);
      if (!first || t.startOffset < first.startOffset) first = t;
    }
  }
  return need(first);
}

function namedInvariant(n: CstNode, range: SourceRange): A.InvariantDecl {
  const formula = node(n, 'formula');
  if (formula) return { kind: 'invariant', name: name(need(token(n, 'name'))), formula: temporal(formula), args: [], range };
  const args = node(n, 'argList');
  const within = node(n, 'within');
  const comparatorNode = node(n, 'comparator');
  return {
    kind: 'invariant',
    name: name(need(token(n, 'name'))),
    args: args ? argList(args) : [],
    ...(within ? { within: value(within) } : {}),
    ...(comparatorNode ? { comparator: comparator(comparatorNode), bound: value(need(node(n, 'bound'))) } : {}),
    range,
  };
}

function expectDecl(n: CstNode): A.ExpectDecl {
  const time = node(n, 'time');
  return {
    kind: 'expect',
    condition: expression(need(node(n, 'condition'))),
    at: time ? value(time) : 'end',
    range: nodeRange(n),
  };
}

function clientDecl(n: CstNode): A.ClientDecl {
  need(token(n, 'RCurly'));
  const built = nodes(n, 'clientItem').flatMap(optional(clientItem));
  return {
    kind: 'client',
    name: name(need(token(n, 'name'))),
    targets: nodes(n, 'nodeRef').map(nodeRef),
    items: built.flatMap((b) => ('op' in b ? [b] : [])),
    settings: built.flatMap((b) => ('op' in b ? [] : [b])),
    range: nodeRange(n),
  };
}

/** An operation (`at …` / `every …`) or a setting (`timeout 200ms`). */
function clientItem(n: CstNode): A.ClientItem | A.OptionSetting {
  const range = nodeRange(n);
  const key = token(n, 'key');
  if (key) {
    const v = value(need(node(n, 'setting')));
    return { key: name(key), values: [{ value: v, range: v.range }], range };
  }
  const op = clientOp(need(node(n, 'clientOp')));
  const time = node(n, 'time');
  if (time) return { kind: 'at', time: value(time), op, range };
  const start = node(n, 'start');
  const stop = node(n, 'stop');
  return { kind: 'every', period: value(need(node(n, 'period'))), op, ...(start ? { start: value(start) } : {}), ...(stop ? { stop: value(stop) } : {}), range };
}

function clientOp(n: CstNode): A.ClientOp {
  const v = node(n, 'value');
  return { verb: name(need(token(n, 'verb'))), key: name(need(token(n, 'key'))), ...(v ? { value: value(v) } : {}), range: nodeRange(n) };
}

function comparator(n: CstNode): A.Comparator {
  const t = firstChild(n, isToken);
  return need(t).image as A.Comparator;
}

function optionBlock(n: CstNode): A.OptionSetting[] {
  need(token(n, 'RCurly'));
  return nodes(n, 'optionItem').flatMap(optional(optionItem));
}

function nodeRef(n: CstNode): A.NodeRef {
  const last = token(n, 'last');
  return { first: name(need(token(n, 'first'))), ...(last ? { last: name(last) } : {}), range: nodeRange(n) };
}

function linkRef(n: CstNode): A.LinkRef {
  return {
    from: name(need(token(n, 'from'))),
    to: name(need(token(n, 'to'))),
    bidirectional: token(n, 'BiArrow') !== undefined,
    range: nodeRange(n),
  };
}

function stringLit(t: IToken): A.StringLit {
  return { value: unquote(t.image), range: tokenRange(t) };
}

