import type { IToken } from 'chevrotain';
import type { SourceRange } from '../source';
import { parseDuration, parsePercent, parsePpm } from '../units';
import type { Expr, ExprName } from '../expr/ast';
import type * as A from './ast';

/**
 * Reading tokens into AST pieces: ranges, names, strings and literal values.
 * Shared by the grammar's actions (the embedded-actions parser builds the
 * AST as it recognises) and the token repairs before it.
 */

/** A token the parser really read: not one it invented during error recovery. */
export function isReal(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

/** Strips the quotes and resolves `\"`, `\\`, `\n` and `\t`. */
export function unquote(image: string): string {
  const inner = image.slice(1, -1);
  // Most labels have no escape: skip the regex (this runs for every label of a large file).
  if (!inner.includes('\\')) return inner;
  return inner.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export function tokenRange(t: IToken): SourceRange {
  return {
    startOffset: t.startOffset,
    endOffset: (t.endOffset ?? t.startOffset) + 1,
    startLine: t.startLine ?? 1,
    startColumn: t.startColumn ?? 1,
    endLine: t.endLine ?? t.startLine ?? 1,
    endColumn: (t.endColumn ?? t.startColumn ?? 1) + 1,
  };
}

/** From the start of `first` to the end of `last` (both real tokens), ends exclusive. */
export function span(first: IToken, last: IToken): SourceRange {
  return {
    startOffset: first.startOffset,
    endOffset: last.endOffset! + 1,
    startLine: first.startLine!,
    startColumn: first.startColumn!,
    endLine: last.endLine!,
    endColumn: last.endColumn! + 1,
  };
}

export function name(t: IToken): A.Name {
  return { text: t.image, range: tokenRange(t) };
}

export function stringLit(t: IToken): A.StringLit {
  return { value: unquote(t.image), range: tokenRange(t) };
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

/** An expression literal read from `t` with the text `image` (a signed literal's sign is an operator). */
export function literalToken(t: IToken, image: string, range: SourceRange): Expr {
  switch (t.tokenType.name) {
    case 'NumberLiteral': return { kind: 'int', value: Number(image), text: image, range };
    case 'Duration': return { kind: 'time', ns: parseDuration(image), text: image, range };
    case 'StringLiteral': return { kind: 'string', value: unquote(image), range };
    case 'Kw_true': return { kind: 'bool', value: true, range };
    case 'Kw_false': return { kind: 'bool', value: false, range };
    default: return { kind: 'none', range };
  }
}

export function timeLiteral(t: IToken): Expr {
  return literalToken(t, t.image, tokenRange(t));
}

export function exprName(t: IToken): ExprName {
  return { text: t.image, range: tokenRange(t) };
}
