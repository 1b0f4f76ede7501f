import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { nodeOccurrences } from '../../core/analysis/references';
import { type Expr, formulaExprs, walkExpr } from '../../core/expr/ast';
import type { IToken } from 'chevrotain';
import type * as A from '../../core/syntax/ast';
import type { ParseResult } from '../../core/syntax/parse';
import { PROTOCOL_CONTEXT_WORDS } from '../../core/syntax/protocolParser';

const TYPES = ['keyword', 'variable', 'number', 'string', 'comment', 'function', 'property', 'operator', 'type', 'parameter'] as const;
const MODIFIERS = ['declaration', 'readonly'] as const;

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const CONTEXT_WORDS: ReadonlySet<string> = new Set(PROTOCOL_CONTEXT_WORDS);

const OPERATORS: ReadonlySet<string> = new Set(['Arrow', 'BiArrow', 'Plus', 'Minus', 'Slash', 'Modulo']);

const type = (t: (typeof TYPES)[number]): number => TYPES.indexOf(t);

const LINE_END = /\r\n|\r|\n/;

/**
 * Semantic tokens where they add to the TextMate grammar: node names (with
 * declarations marked), invariant and protocol names, option keys and
 * properties, quantities, and in written protocols their names and words.
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
    if (s.kind === 'protocol') markProtocol(s, parsed.tokens, special);
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

/**
 * In a written protocol: its name, members' names, message names and fields,
 * the names handlers bind, expressions, and the words that have a meaning only
 * there (`var`, `on timer`, `note`, …; they are names to the lexer, so found
 * here: a context word that is not one of the protocol's names).
 */
function markProtocol(p: A.ProtocolDecl, tokens: readonly IToken[], special: Map<number, number>): void {
  const names = new Set<number>();
  collectNames(p, names);
  special.set(p.name.range.startOffset, type('type'));
  const exprs: Expr[] = [];
  for (const m of p.members) {
    if (m.kind === 'option') special.set(m.name.range.startOffset, type('property'));
    else if (m.kind === 'const' || m.kind === 'state') special.set(m.name.range.startOffset, type('variable'));
    else if (m.kind === 'message') {
      special.set(m.name.range.startOffset, type('type'));
      for (const f of m.fields) special.set(f.name.range.startOffset, type('property'));
    } else if (m.kind === 'fn') {
      special.set(m.name.range.startOffset, type('function'));
      for (const param of m.params) special.set(param.name.range.startOffset, type('parameter'));
    } else if (m.kind === 'handler') {
      const t = m.trigger;
      if (t.kind === 'message') {
        special.set(t.message.range.startOffset, type('type'));
        for (const bound of [t.payload, t.sender]) if (bound) special.set(bound.range.startOffset, type('parameter'));
      }
    }
    if (m.kind !== 'option') collectExprs(m, exprs);
  }
  for (const e of exprs) markExpression(e, special);
  for (const t of tokens) {
    if (t.startOffset < p.name.range.endOffset || t.startOffset >= p.bodyRange.endOffset) continue;
    if (t.tokenType.name === 'Identifier' && CONTEXT_WORDS.has(t.image) && !names.has(t.startOffset)) special.set(t.startOffset, type('keyword'));
  }
}

/** Start offsets of every name in an AST value (declared or used). */
function collectNames(v: unknown, out: Set<number>): void {
  if (Array.isArray(v)) for (const x of v) collectNames(x, out);
  else if (v && typeof v === 'object') {
    const o = v as { text?: unknown; range?: A.Located['range'] };
    if (typeof o.text === 'string' && o.range && Object.keys(o).length === 2) out.add(o.range.startOffset);
    for (const [k, x] of Object.entries(v)) if (k !== 'range' && k !== 'bodyRange') collectNames(x, out);
  }
}

/** Every expression in a member (guards, values, targets, payloads, note interpolations), outermost first. */
function collectExprs(v: unknown, out: Expr[]): void {
  if (Array.isArray(v)) for (const x of v) collectExprs(x, out);
  else if (v && typeof v === 'object') {
    const o = v as { kind?: unknown; range?: unknown };
    if (typeof o.kind === 'string' && EXPR_KINDS.has(o.kind) && o.range) {
      out.push(v as Expr);
      return;
    }
    for (const [k, x] of Object.entries(v)) if (k !== 'range') collectExprs(x, out);
  }
}

/** Kinds that only expressions have (a statement `if` has a block, an expression `if` does not: told apart below). */
const EXPR_KINDS: ReadonlySet<string> = new Set(['int', 'time', 'string', 'bool', 'none', 'name', 'set', 'list', 'record', 'field', 'call', 'index', 'unary', 'binary', 'quantifier']);

/** In an expression: properties after `.`, functions, and the variables quantifiers bind. */
function markExpression(e: Expr, special: Map<number, number>): void {
  walkExpr(e, (x) => {
    if (x.kind === 'field') special.set(x.name.range.startOffset, type('property'));
    else if (x.kind === 'call') special.set(x.callee.range.startOffset, type(x.target ? 'property' : 'function'));
    else if (x.kind === 'quantifier') for (const v of x.variables) special.set(v.range.startOffset, type('parameter'));
    if (x.kind === 'call' && x.comprehension) special.set(x.comprehension.variable.range.startOffset, type('parameter'));
  });
}
