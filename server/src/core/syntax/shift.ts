import type { IToken } from 'chevrotain';
import type { SourceRange } from '../source';

/**
 * Moving parse results to another place in the text, and comparing them:
 * the plumbing of the incremental re-parse (incremental.ts). Parse results
 * are plain data (the AST, diagnostics, tokens), so a range is recognised by
 * its shape wherever it sits.
 */

/** How far a piece of a parse moves: offsets by `offset`, lines by `lines`; columns stay (pieces start at a line start). */
export interface Shift {
  readonly offset: number;
  readonly lines: number;
  /** Ranges starting before this offset are not positions in the moved piece (NO_RANGE of a missing part) and stay. */
  readonly from: number;
}

export function isIdentity(shift: Shift): boolean {
  return shift.offset === 0 && shift.lines === 0;
}

function isRange(value: object): value is SourceRange {
  const r = value as Partial<SourceRange>;
  return typeof r.startOffset === 'number' && typeof r.endOffset === 'number' && typeof r.startLine === 'number' && typeof r.endColumn === 'number';
}

function shiftRange(range: SourceRange, shift: Shift): SourceRange {
  if (!(range.startOffset >= shift.from)) return range;
  return { ...range, startOffset: range.startOffset + shift.offset, endOffset: range.endOffset + shift.offset, startLine: range.startLine + shift.lines, endLine: range.endLine + shift.lines };
}

/** A copy of plain data (AST nodes, diagnostics) with every range in it shifted. */
export function shiftData<T>(value: T, shift: Shift): T {
  if (isIdentity(shift)) return value;
  return shiftValue(value, shift) as T;
}

function shiftValue(value: unknown, shift: Shift): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = shiftValue(value[i], shift);
    return out;
  }
  if (isRange(value)) return shiftRange(value, shift);
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = shiftValue((value as Record<string, unknown>)[key], shift);
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Shifts every range of AST nodes where it is, and every token: the pieces
 * of a parse that are reused at their new place without copying them
 * (copying a 20,000-line file's AST costs more than parsing the edit).
 */
export function shiftInPlace(nodes: readonly object[], tokens: readonly (readonly IToken[])[], shift: Shift): void {
  if (isIdentity(shift)) return;
  for (const node of nodes) {
    for (const r of rangesOf(node) as Mutable<SourceRange>[]) {
      if (!(r.startOffset >= shift.from)) continue;
      r.startOffset += shift.offset;
      r.endOffset += shift.offset;
      r.startLine += shift.lines;
      r.endLine += shift.lines;
    }
  }
  for (const list of tokens) {
    for (const t of list as Mutable<IToken>[]) {
      if (!(t.startOffset >= shift.from)) continue;
      t.startOffset += shift.offset;
      if (t.endOffset !== undefined) t.endOffset += shift.offset;
      if (t.startLine !== undefined) t.startLine += shift.lines;
      if (t.endLine !== undefined) t.endLine += shift.lines;
    }
  }
}

/**
 * The range objects of each AST node (a statement), each once, found by one
 * walk and kept: a statement is reused by version after version, and the
 * walk cost more than the shifts. A range object shared by two places in
 * one node (`{ value: v, range: v.range }`) is listed once, so it moves once.
 */
const rangeLists = new WeakMap<object, readonly SourceRange[]>();

function rangesOf(node: object): readonly SourceRange[] {
  let ranges = rangeLists.get(node);
  if (!ranges) {
    const found = new Set<SourceRange>();
    collectRanges(node, found);
    rangeLists.set(node, (ranges = [...found]));
  }
  return ranges;
}

function collectRanges(value: unknown, found: Set<SourceRange>): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectRanges(value[i], found);
    return;
  }
  if (isRange(value)) {
    found.add(value);
    return;
  }
  for (const key in value) collectRanges((value as Record<string, unknown>)[key], found);
}

export function shiftToken(t: IToken, shift: Shift): IToken {
  if (!(t.startOffset >= shift.from)) return t;
  return {
    ...t,
    startOffset: t.startOffset + shift.offset,
    endOffset: t.endOffset === undefined ? undefined : t.endOffset + shift.offset,
    startLine: t.startLine === undefined ? undefined : t.startLine + shift.lines,
    endLine: t.endLine === undefined ? undefined : t.endLine + shift.lines,
  } as IToken;
}

export function shiftTokens(tokens: readonly IToken[], shift: Shift): readonly IToken[] {
  if (isIdentity(shift)) return tokens;
  const out = new Array<IToken>(tokens.length);
  for (let i = 0; i < tokens.length; i++) out[i] = shiftToken(tokens[i]!, shift);
  return out;
}

/** Structural equality of plain data (NaN equals NaN; undefined members equal absent ones). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((x, i) => sameData(x, other[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (!sameData(ra[key], rb[key])) return false;
  return true;
}

export function sameToken(a: IToken, b: IToken): boolean {
  return a.tokenType === b.tokenType && a.image === b.image && sameData(a.startOffset, b.startOffset) && sameData(a.endOffset, b.endOffset)
    && sameData(a.startLine, b.startLine) && sameData(a.endLine, b.endLine) && sameData(a.startColumn, b.startColumn) && sameData(a.endColumn, b.endColumn);
}

export function sameTokens(a: readonly IToken[], b: readonly IToken[]): boolean {
  return a.length === b.length && a.every((t, i) => sameToken(t, b[i]!));
}

/** The index of the first item whose start offset is at least `offset` (items sorted by start offset). */
export function firstAtOrAfter<T>(items: readonly T[], offset: number, startOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (startOf(items[mid]!) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
