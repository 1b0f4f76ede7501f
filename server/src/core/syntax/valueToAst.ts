import type { CstNode, IToken } from 'chevrotain';
import { parseDuration, parsePercent, parsePpm } from '../units';
import type * as A from './ast';
import { firstChild, isToken, Missing, need, node, nodeRange, nodes, token, tokenRange, unquote } from './cstAccess';

/**
 * Builds option values (`150ms..300ms`, `normal(10ms, 2ms)`, `n1 = 1`) and
 * names from the CST: shared by the file AST (cstToAst.ts: bindings, blocks)
 * and protocol declarations (protocolToAst.ts: option defaults).
 */

export function optionItem(n: CstNode): A.OptionSetting {
  const values = nodes(n, 'optionValue').map(optionValue);
  if (values.length === 0) throw new Missing();
  return { key: name(need(token(n, 'key'))), values, range: nodeRange(n) };
}

export function optionValue(n: CstNode): A.OptionValue {
  const assigned = node(n, 'assigned');
  return { value: value(need(node(n, 'value'))), ...(assigned ? { assigned: value(assigned) } : {}), range: nodeRange(n) };
}

export function argList(n: CstNode): A.Value[] {
  need(token(n, 'RParen'));
  return nodes(n, 'value').map(value);
}

export function value(n: CstNode): A.Value {
  const low = atom(need(node(n, 'low')));
  const high = node(n, 'high');
  if (!high) return low;
  return { kind: 'range', low, high: atom(high), range: nodeRange(n) };
}

function atom(n: CstNode): A.Value {
  if (n.recoveredNode) throw new Missing();
  const t = need(firstChild(n, isToken));
  const known = literal(t);
  if (known) return known;
  const args = node(n, 'argList');
  return args ? { kind: 'name', name: t.image, args: argList(args), range: nodeRange(n) } : { kind: 'name', name: t.image, range: tokenRange(t) };
}

/** The value of a literal token (a time, ppm, percentage, number, string, true or false); undefined for a name. */
export function literal(t: IToken): A.Value | undefined {
  const text = t.image;
  switch (t.tokenType.name) {
    case 'Duration': return { kind: 'duration', ns: parseDuration(text), text, range: tokenRange(t) };
    case 'Ppm': return { kind: 'ppm', ppm: parsePpm(text), text, range: tokenRange(t) };
    case 'Percent': return { kind: 'percent', fraction: parsePercent(text), text, range: tokenRange(t) };
    case 'NumberLiteral': return { kind: 'number', value: Number(text), text, range: tokenRange(t) };
    case 'StringLiteral': return { kind: 'string', value: unquote(text), range: tokenRange(t) };
    case 'Kw_true': return { kind: 'bool', value: true, range: tokenRange(t) };
    case 'Kw_false': return { kind: 'bool', value: false, range: tokenRange(t) };
    default: return undefined;
  }
}

export function name(t: IToken): A.Name {
  return { text: t.image, range: tokenRange(t) };
}
