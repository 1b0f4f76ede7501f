import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { SourceRange } from '../source';

/**
 * Reading Chevrotain's CST: the builders of the file AST (cstToAst.ts) and
 * of expressions (exprToAst.ts) share these. A piece the parser invented
 * or skipped during error recovery throws `Missing`, which drops the
 * statement it belongs to.
 */
export class Missing extends Error {}

/** Strips the quotes and resolves `\"`, `\\`, `\n` and `\t`. */
export function unquote(image: string): string {
  const inner = image.slice(1, -1);
  // Most labels have no escape: skip the regex (this runs for every label of a large file).
  if (!inner.includes('\\')) return inner;
  return inner.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export function isNode(e: CstElement): e is CstNode {
  return (e as CstNode).children !== undefined;
}

export function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

export function isReal(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

/** The first child of a kind, without building arrays (this runs for every value in the file). */
export function firstChild<T extends CstElement>(n: CstNode, is: (e: CstElement) => e is T): T | undefined {
  for (const key in n.children) {
    for (const e of n.children[key]!) if (is(e)) return e;
  }
  return undefined;
}

export function token(n: CstNode, key: string): IToken | undefined {
  const t = n.children[key]?.find(isToken);
  return t && isReal(t) ? t : undefined;
}

export function node(n: CstNode, key: string): CstNode | undefined {
  return n.children[key]?.find(isNode);
}

export function nodes(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter(isNode);
}

export function need<T>(x: T | undefined): T {
  if (x === undefined) throw new Missing();
  return x;
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

export function nodeRange(n: CstNode): SourceRange {
  const l = n.location;
  if (!l || !Number.isFinite(l.startOffset) || l.endOffset === undefined || !Number.isFinite(l.endOffset)) {
    throw new Missing();
  }
  return {
    startOffset: l.startOffset,
    endOffset: l.endOffset + 1,
    startLine: l.startLine ?? 1,
    startColumn: l.startColumn ?? 1,
    endLine: l.endLine ?? 1,
    endColumn: (l.endColumn ?? 1) + 1,
  };
}

export function spanTo(a: SourceRange, b: SourceRange): SourceRange {
  return { ...a, endOffset: b.endOffset, endLine: b.endLine, endColumn: b.endColumn };
}

/** Runs a builder, turning a missing piece into an empty list. */
export function optional<T>(build: (n: CstNode) => T): (n: CstNode) => T[] {
  return (n) => {
    if (n.recoveredNode) return [];
    try {
      return [build(n)];
    } catch (error) {
      if (error instanceof Missing) return [];
      throw error;
    }
  };
}
