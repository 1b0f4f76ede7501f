import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { nodeOccurrences } from '../../core/analysis/references';
import { type Expr, formulaExprs, walkExpr } from '../../core/expr/ast';
import type { ParseResult } from '../../core/syntax/parse';

const TYPES = ['keyword', 'variable', 'number', 'string', 'comment', 'function', 'property', 'operator', 'type', 'parameter'] as const;
const MODIFIERS = ['declaration', 'readonly'] as const;

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const OPERATORS: ReadonlySet<string> = new Set(['Arrow', 'BiArrow', 'Plus', 'Minus', 'Slash', 'Modulo']);

const type = (t: (typeof TYPES)[number]): number => TYPES.indexOf(t);

const LINE_END = /\r\n|\r|\n/;

/**
 * Semantic tokens where they add to the TextMate grammar: node names (with
 * declarations marked), invariant and protocol names, option keys and
 * properties, quantities.
 */
export function semanticTokens(parsed: ParseResult): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  const nodes = new Map<number, boolean>();
  for (const o of nodeOccurrences(parsed.ast)) nodes.set(o.range.startOffset, o.declaration);
  const special = new Map<number, number>();
  for (const s of parsed.ast.statements) {
    if (s.kind === 'invariant') special.set(s.name.range.startOffset, type('function'));
    if ((s.kind === 'nodes' && s.protocol) || s.kind === 'sync') special.set(s.protocol!.name.range.startOffset, type('type'));
    const settings = s.kind === 'network' || s.kind === 'link' || s.kind === 'clock' || s.kind === 'scenario' ? s.options : s.kind === 'sync' ? s.protocol.options : s.kind === 'nodes' ? s.protocol?.options ?? [] : [];
    for (const o of settings) special.set(o.key.range.startOffset, type('property'));
    const exprs = s.kind === 'expect' ? [s.condition] : s.kind === 'invariant' && s.formula ? formulaExprs(s.formula) : [];
    for (const e of exprs) markExpression(e, special);
  }
  const all = [...parsed.tokens, ...parsed.comments].sort((a, b) => a.startOffset - b.startOffset);
  for (const t of all) {
    const name = t.tokenType.name;
    let tokenType: number | undefined;
    let modifiers = 0;
    if (nodes.has(t.startOffset)) {
      tokenType = type('variable');
      if (nodes.get(t.startOffset)) modifiers = 1;
    } else if (special.has(t.startOffset)) tokenType = special.get(t.startOffset);
    else if (name.startsWith('Kw_')) tokenType = type('keyword');
    else if (name === 'Duration' || name === 'Ppm' || name === 'Percent' || name === 'NumberLiteral') tokenType = type('number');
    else if (name === 'StringLiteral') tokenType = type('string');
    else if (name === 'LineComment' || name === 'BlockComment') tokenType = type('comment');
    else if (OPERATORS.has(name)) tokenType = type('operator');
    if (tokenType === undefined) continue;
    // What the token covers in the text: a string missing its closing quote is parsed with one added, which is not there.
    const source = t.image.slice(0, (t.endOffset ?? t.startOffset) - t.startOffset + 1);
    // Tokens spanning lines (block comments) are split per line, as LSP requires; a line ends at \r\n, \r or \n, as for the lexer.
    source.split(LINE_END).forEach((line, i) => {
      if (line.length > 0) builder.push(t.startLine! - 1 + i, i === 0 ? t.startColumn! - 1 : 0, line.length, tokenType!, modifiers);
    });
  }
  return builder.build();
}

/** In an expression: properties after `.`, functions, and the variables quantifiers bind. */
function markExpression(e: Expr, special: Map<number, number>): void {
  walkExpr(e, (x) => {
    if (x.kind === 'field') special.set(x.name.range.startOffset, type('property'));
    else if (x.kind === 'call') special.set(x.callee.range.startOffset, type(x.target ? 'property' : 'function'));
    else if (x.kind === 'quantifier') for (const v of x.variables) special.set(v.range.startOffset, type('parameter'));
    if (x.kind === 'call' && x.comprehension) special.set(x.comprehension.variable.range.startOffset, type('parameter'));
  });
}
