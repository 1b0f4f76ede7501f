import type { IToken } from 'chevrotain';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { FUNCTIONS } from '../../core/expr/checked';
import { NODE_PROPERTIES } from '../../core/nodeProperties';
import { PROTOCOLS } from '../../core/protocols/registry';

/**
 * Completion inside a written property (`invariant NAME: …`, `expect …`),
 * from the tokens before the cursor: after `x.` the properties x has (a
 * variable bound by `forall x in raft` has raft's; a node those of the
 * protocols bound in the file); elsewhere nodes, protocol sets, `nodes`,
 * functions and the words of the language. Undefined when the cursor is not
 * in an expression. `tokens` are those before the cursor.
 */
export function completeExpression(tokens: readonly IToken[], wholeFile: () => readonly IToken[], nodeNames: readonly string[]): CompletionItem[] | undefined {
  const start = expressionStart(tokens);
  if (start === undefined) return undefined;
  const inside = tokens.slice(start);
  const last = inside[inside.length - 1];
  const bound = protocolsInFile(wholeFile());
  if (last?.tokenType.name === 'Dot') {
    const owner = inside[inside.length - 2];
    if (!owner || owner.tokenType.name !== 'Identifier') return [];
    const set = rangeOfVariable(inside, owner.image);
    const protocols = set === undefined ? (nodeNames.includes(owner.image) ? bound : []) : PROTOCOLS.some((p) => p.name === set) ? [set] : [];
    const props = PROTOCOLS.filter((p) => protocols.includes(p.name)).flatMap((p) => p.properties.map((x) => ({ ...x, from: p.name })));
    return [
      ...props.map((p) => ({ label: p.name, kind: CompletionItemKind.Property, detail: `${p.type} (${p.from})`, documentation: p.doc })),
      ...NODE_PROPERTIES.map((p) => ({ label: p.name, kind: CompletionItemKind.Property, detail: p.type === 'number' ? 'int' : p.type, documentation: p.doc })),
    ];
  }
  const variables = boundVariables(inside);
  const afterIn = last?.tokenType.name === 'Kw_in';
  return [
    ...variables.map((v) => ({ label: v, kind: CompletionItemKind.Variable, detail: 'bound variable' })),
    ...nodeNames.map((n) => ({ label: n, kind: CompletionItemKind.Variable, detail: 'node' })),
    ...bound.map((p) => ({ label: p, kind: CompletionItemKind.Module, detail: 'the nodes that run it', documentation: PROTOCOLS.find((x) => x.name === p)?.summary })),
    { label: 'nodes', kind: CompletionItemKind.Keyword, detail: 'every node' },
    ...(afterIn ? [] : Object.entries(FUNCTIONS).map(([name, f]) => ({ label: name, kind: CompletionItemKind.Function, detail: f.doc.split(':')[0], documentation: f.doc }))),
    ...(afterIn ? [] : WORDS.map((w) => ({ label: w, kind: CompletionItemKind.Keyword }))),
  ];
}

const WORDS = ['forall', 'exists', 'and', 'or', 'not', 'implies', 'in', 'if', 'then', 'else', 'none', 'true', 'false', 'now'];

/** Index of the first token of the expression the cursor is in (after `invariant NAME:` or `expect`), if any. */
function expressionStart(tokens: readonly IToken[]): number | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!.tokenType.name;
    if (t === 'Kw_expect') return i + 1;
    if (t === 'Kw_invariant') return tokens[i + 2]?.tokenType.name === 'Colon' ? i + 3 : undefined;
    if (STATEMENT_STARTS.has(t)) return undefined;
  }
  return undefined;
}

// `at` too: after `expect … at` comes a time, and `at 10ms A -> B` is a statement.
const STATEMENT_STARTS = new Set(['Kw_at', 'Kw_scenario', 'Kw_nodes', 'Kw_network', 'Kw_link', 'Kw_clock', 'Kw_every', 'Kw_on', 'Kw_faults', 'Kw_sync', 'Kw_client']);

/** Names bound so far by `forall a, b in S:` and `f(x in S …`. */
function boundVariables(tokens: readonly IToken[]): string[] {
  const out: string[] = [];
  tokens.forEach((t, i) => {
    const name = t.tokenType.name;
    if (name === 'Kw_forall' || name === 'Kw_exists') {
      for (let j = i + 1; j < tokens.length && tokens[j]!.tokenType.name !== 'Kw_in'; j++) if (tokens[j]!.tokenType.name === 'Identifier') out.push(tokens[j]!.image);
    } else if (name === 'Kw_in' && tokens[i - 2]?.tokenType.name === 'LParen' && tokens[i - 1]?.tokenType.name === 'Identifier') {
      out.push(tokens[i - 1]!.image);
    }
  });
  return out;
}

/** The set a bound variable ranges over, as written (`raft`, `nodes`), if it is a plain name. */
function rangeOfVariable(tokens: readonly IToken[], variable: string): string | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) {
    if (tokens[i]!.image !== variable || tokens[i]!.tokenType.name !== 'Identifier') continue;
    let j = i + 1;
    while (j < tokens.length && (tokens[j]!.tokenType.name === 'Comma' || tokens[j]!.tokenType.name === 'Identifier')) j++;
    if (tokens[j]?.tokenType.name === 'Kw_in' && tokens[j - 1] !== undefined) {
      const set = tokens[j + 1];
      if (set && (set.tokenType.name === 'Identifier' || set.tokenType.name === 'Kw_nodes')) return set.image;
    }
  }
  return undefined;
}

/** Protocols bound anywhere in the file (`nodes … run NAME`, `sync NAME`). */
function protocolsInFile(tokens: readonly IToken[]): string[] {
  const out = new Set<string>();
  tokens.forEach((t, i) => {
    const name = t.tokenType.name;
    if ((name === 'Kw_run' || name === 'Kw_sync') && tokens[i + 1] && PROTOCOLS.some((p) => p.name === tokens[i + 1]!.image)) out.add(tokens[i + 1]!.image);
  });
  return [...out];
}
