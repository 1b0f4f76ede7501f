import type { IToken } from 'chevrotain';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { CLOCK_OPTIONS, NETWORK_OPTIONS, SCENARIO_OPTIONS } from '../../core/check/checker';
import type { OptionSpec } from '../../core/check/options';
import { INVARIANTS } from '../../core/invariants/registry';
import { NODE_PROPERTIES } from '../../core/nodeProperties';
import { PROTOCOLS } from '../../core/protocols/registry';
import { dsyncLexer } from '../../core/syntax/scanner';
import { completeExpression } from './exprCompletion';
import { completeInProtocol } from './protocolCompletion';

/** Statement starters with snippets, in the order a scenario is usually written. */
const STATEMENTS: readonly { label: string; snippet: string; doc: string }[] = [
  { label: 'scenario', snippet: 'scenario ${1:name} {\n  seed ${2:1}\n  run for ${3:2s}\n}', doc: 'the header: name, seed and length of the run' },
  { label: 'nodes', snippet: 'nodes ${1:A, B, C}', doc: 'declare nodes (ranges: n1..n5)' },
  { label: 'network', snippet: 'network {\n  latency ${1:5ms..20ms}\n  loss ${2:1%}\n}', doc: 'network defaults: latency, loss, duplicate' },
  { label: 'link', snippet: 'link ${1:A} ${2|->,<->|} ${3:B} { latency ${4:40ms} }', doc: 'override the network for one link' },
  { label: 'clock', snippet: 'clock ${1:A} { offset ${2:+3ms} drift ${3:+50ppm} }', doc: "a node's physical clock" },
  { label: 'at', snippet: 'at ${1:10ms} ${2:A} -> ${3:B} "${4:hello}"', doc: "send a message when the sender's clock reads the time" },
  { label: 'every', snippet: 'every ${1:100ms} ${2:A} -> ${3:B} "${4:ping}"', doc: 'send periodically by the sender’s clock' },
  { label: 'on', snippet: 'on ${1:B} receive "${2:hello}" {\n  send ${3:C} "${4:fwd}"\n}', doc: 'react to a received message' },
  { label: 'faults', snippet: 'faults {\n  at ${1:500ms} ${2:crash B}\n}', doc: 'the fault timeline (true time)' },
  { label: 'sync', snippet: 'sync ${1:ntp} {\n  $0\n}', doc: 'bind a clock synchronisation protocol' },
  { label: 'invariant', snippet: 'invariant ${1:causal_delivery}', doc: 'a property checked at every step' },
  { label: 'invariant …: always', snippet: 'invariant ${1:name}: always ${2:forall a, b in ${3:raft}: a.term == b.term}', doc: 'a property written as a formula' },
  { label: 'expect', snippet: 'expect ${1:B}.${2:lamport} ${3:>=} ${4:3} at end', doc: 'an assertion about the state' },
  { label: 'protocol', snippet: 'protocol ${1:name} {\n  message ${2:Ping} { ${3:n}: int }\n  var ${4:count}: int = 0\n  on start { $0 }\n  on $2(m) from p { $4 = $4 + 1 }\n}', doc: 'a protocol written in .dsync: options, messages, state and handlers' },
];

const FAULTS: readonly { label: string; snippet: string }[] = [
  { label: 'partition', snippet: 'partition {${1:A, B}} | {${2:C}}' },
  { label: 'heal', snippet: 'heal' },
  { label: 'crash', snippet: 'crash ${1:B}' },
  { label: 'restart', snippet: 'restart ${1:B}' },
  { label: 'clock jump', snippet: 'clock ${1:C} jump ${2:+40ms}' },
  { label: 'clock drift', snippet: 'clock ${1:C} drift ${2:+200ppm}' },
  { label: 'drop', snippet: 'drop ${1:A} -> ${2:C} for ${3:100ms}' },
  { label: 'delay', snippet: 'delay ${1:A} -> ${2:C} by ${3:50ms} for ${4:100ms}' },
];

const RULE_ACTIONS = ['send', 'reply', 'broadcast', 'local', 'after'];

/**
 * Context-aware completion computed from the tokens before the cursor, so it
 * works in half-written, unparseable text: the innermost open block decides
 * which option keys fit, the previous tokens whether a node, an invariant, a
 * protocol or a property is wanted.
 */
export function complete(text: string, offset: number, nodeNames: readonly string[]): CompletionItem[] {
  const before = dsyncLexer.tokenize(text.slice(0, offset)).tokens;
  const typingWord = before.length > 0 && before[before.length - 1]!.endOffset! + 1 === offset && /\w$/.test(text.slice(0, offset));
  const tokens = typingWord ? before.slice(0, -1) : before;
  const last = tokens[tokens.length - 1];
  const prev = tokens[tokens.length - 2];
  const block = innermostBlock(tokens);
  const inProtocol = completeInProtocol(text, offset, tokens, dsyncLexer.tokenize(text).tokens);
  if (inProtocol) return inProtocol;
  const nodes = (): CompletionItem[] => nodeNames.map((n) => ({ label: n, kind: CompletionItemKind.Variable, detail: 'node' }));
  const lastName = last?.tokenType.name;
  // Inside a written property: the protocols bound anywhere in the file are the sets it may name.
  const inExpression = completeExpression(tokens, () => dsyncLexer.tokenize(text).tokens, nodeNames);
  if (inExpression) return inExpression;

  if (lastName === 'Kw_invariant') {
    return INVARIANTS.map((d) => ({ label: d.name, kind: CompletionItemKind.Function, detail: d.example, documentation: d.summary }));
  }
  if (lastName === 'Kw_sync' || (lastName === 'Kw_run' && block === undefined && tokens.some((t) => t.tokenType.name === 'Kw_nodes'))) {
    const binding = lastName === 'Kw_sync' ? 'sync' : 'nodes';
    return PROTOCOLS.filter((p) => p.binding === binding).map((p) => ({ label: p.name, kind: CompletionItemKind.Module, documentation: p.summary }));
  }
  if (lastName === 'Dot' && prev?.tokenType.name === 'Identifier') {
    const protocolProps = PROTOCOLS.flatMap((p) => p.properties);
    return [...NODE_PROPERTIES, ...protocolProps].map((p) => ({ label: p.name, kind: CompletionItemKind.Property, detail: p.type, documentation: p.doc }));
  }
  if (block?.kind === 'faults') {
    if (lastName === 'Duration' && prev?.tokenType.name === 'Kw_at') {
      return FAULTS.map((f) => ({ label: f.label, kind: CompletionItemKind.Event, insertText: f.snippet, insertTextFormat: InsertTextFormat.Snippet }));
    }
    if (lastName === 'RCurly' || lastName === 'LCurly' || lastName === 'Semicolon' || isEndOfFault(tokens)) {
      return [{ label: 'at', kind: CompletionItemKind.Keyword, insertText: 'at ${1:1s} ', insertTextFormat: InsertTextFormat.Snippet }];
    }
    return nodes();
  }
  if (block?.kind === 'rule') {
    if (lastName === 'Kw_send' || lastName === 'Arrow') return nodes();
    return [...RULE_ACTIONS.map((a) => ({ label: a, kind: CompletionItemKind.Keyword })), ...nodes()];
  }
  if (block?.kind === 'options') {
    const atKeyPosition = lastName === 'LCurly' || lastName === 'Semicolon' || (last !== undefined && isValueEnd(last) && prev?.tokenType.name !== 'Comma');
    if (atKeyPosition) {
      return block.schema.map((o) => ({ label: o.key, kind: CompletionItemKind.Property, detail: o.example, documentation: o.doc, insertText: `${o.key} ` }));
    }
    return nodes();
  }
  if (lastName === 'Arrow' || lastName === 'BiArrow' || lastName === 'Kw_link' || lastName === 'Kw_clock' || lastName === 'Kw_on' || lastName === 'Kw_expect' || lastName === 'Comma' || lastName === 'Duration' && prev?.tokenType.name === 'Kw_at') {
    return nodes();
  }
  return [
    ...STATEMENTS.map((s) => ({ label: s.label, kind: CompletionItemKind.Keyword, detail: s.doc, insertText: s.snippet, insertTextFormat: InsertTextFormat.Snippet })),
    ...nodes(),
  ];
}

type Block = { kind: 'faults' } | { kind: 'rule' } | { kind: 'options'; schema: readonly OptionSpec[] } | { kind: 'other' };

/** Walks the braces before the cursor to find which block it is in. */
function innermostBlock(tokens: readonly IToken[]): Block | undefined {
  const stack: Block[] = [];
  let statementStart = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.tokenType.name;
    if (t === 'LCurly') stack.push(classify(tokens, statementStart, i));
    else if (t === 'RCurly') stack.pop();
    if (stack.length === 0 && (t.startsWith('Kw_') && STATEMENT_KEYWORDS.has(t))) statementStart = i;
  }
  return stack[stack.length - 1];
}

const STATEMENT_KEYWORDS = new Set(['Kw_scenario', 'Kw_nodes', 'Kw_network', 'Kw_link', 'Kw_clock', 'Kw_at', 'Kw_every', 'Kw_on', 'Kw_faults', 'Kw_sync', 'Kw_invariant', 'Kw_expect']);

function classify(tokens: readonly IToken[], start: number, brace: number): Block {
  const head = tokens[start]?.tokenType.name;
  const previous = tokens[brace - 1]?.tokenType.name;
  if (previous === 'Kw_partition' || previous === 'Pipe') return { kind: 'other' };
  switch (head) {
    case 'Kw_faults': return { kind: 'faults' };
    case 'Kw_on': return { kind: 'rule' };
    case 'Kw_scenario': return { kind: 'options', schema: SCENARIO_OPTIONS };
    case 'Kw_network':
    case 'Kw_link': return { kind: 'options', schema: NETWORK_OPTIONS };
    case 'Kw_clock': return { kind: 'options', schema: CLOCK_OPTIONS };
    case 'Kw_sync':
    case 'Kw_nodes': {
      const protocolName = tokens[brace - 1]?.image;
      const def = PROTOCOLS.find((p) => p.name === protocolName);
      return { kind: 'options', schema: def?.options ?? [] };
    }
    default: return { kind: 'other' };
  }
}

function isValueEnd(t: IToken): boolean {
  return ['Duration', 'Ppm', 'Percent', 'NumberLiteral', 'StringLiteral', 'RParen', 'Kw_true', 'Kw_false'].includes(t.tokenType.name) || t.tokenType.name === 'Identifier';
}

function isEndOfFault(tokens: readonly IToken[]): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && ['Kw_heal', 'Duration', 'Ppm'].includes(last.tokenType.name) && tokens[tokens.length - 2]?.tokenType.name !== 'Kw_at';
}
