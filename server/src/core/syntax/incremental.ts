import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics';
import { NO_RANGE, type SourceRange } from '../source';
import type { Statement } from './ast';
import { MAX_NESTING } from './limits';
import { exceedsSizeCap, parse, type ParseResult } from './parse';
import { firstAtOrAfter, isIdentity, sameData, sameTokens, shiftData, shiftInPlace, shiftTokens, type Shift } from './shift';

/**
 * Incremental re-parse: after an edit, only the top-level statements it
 * touches are parsed again; the AST, diagnostics, tokens and comments of the
 * rest are reused, moved to their new offsets and lines.
 *
 * Contract: `reparse(previous, text)` equals `parseInPositionOrder(text)`,
 * i.e. `parse(text)` with its diagnostics in position order (a stable sort
 * by start offset; the checker orders them so anyway). It builds on
 * `parse()`'s contract only, never on the parser's internals:
 *
 * - The file is cut only at split points: the start of a statement of the
 *   previous AST that begins a line at column 1. There the parser was at the
 *   top level, and lexing the rest on its own gives the same tokens.
 * - The region re-parsed runs from a split point at least one unchanged
 *   statement (and OVERLAP_TOKENS tokens, more than the parser's lookahead)
 *   before the edit to one as far after it. It is parsed alone, behind as
 *   many empty lines as precede it, so its lines (also those written in
 *   messages) are the file's.
 * - The unchanged statements at both ends of the region are the proof: the
 *   region's parse must give them exactly as the previous parse did (AST,
 *   diagnostics, tokens, comments). Where the edit changed how a neighbour
 *   reads — an unclosed `{` or string, a statement that now runs on, a
 *   repair whose message names the next statement — they differ and the
 *   region widens; after MAX_WIDENINGS it is a full parse.
 * - Whole-file rules fall back to the full parse: the size cap (DS172),
 *   nesting that could come near MAX_NESTING anywhere (limits.ts counts
 *   depth across statements), a previous parse with DS104, and a reused
 *   diagnostic whose message names a line that moved (other than DS106's,
 *   which are moved with it).
 */

/** A parse and the text it was made from: the base the next version is re-parsed from. */
export interface ParsedText {
  readonly text: string;
  readonly parsed: ParseResult;
}

/** More tokens than the parser's lookahead (maxLookahead 3): a decision before a cut never reads past the unchanged statements. */
const OVERLAP_TOKENS = 4;
/** How often a region whose ends did not re-parse as before is widened (doubling its overlaps) before a full parse. */
const MAX_WIDENINGS = 3;
/** Nesting (brackets plus `after` chains) from which the region's depth could depend on the rest of the file. */
const NESTING_MARGIN = MAX_NESTING / 2;

/** `parse(text)` with its diagnostics in position order: what `reparse` returns, and the base it needs. */
export function parseInPositionOrder(text: string): ParseResult {
  const parsed = parse(text);
  return { ...parsed, diagnostics: inPositionOrder(parsed.diagnostics) };
}

export function inPositionOrder(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.range.startOffset - b.range.startOffset);
}

/** How a re-parse went: the same text, a region (after `widenings` widenings), or the whole file. */
export type ReparseWay = { readonly kind: 'same' } | { readonly kind: 'region'; readonly widenings: number; readonly regionChars: number } | { readonly kind: 'full' };

/**
 * The parse of `text`, reusing `previous` (a result of `parseInPositionOrder`
 * or `reparse`) for every statement the change from `previous.text` leaves
 * alone. Equal to `parseInPositionOrder(text)`; never throws.
 *
 * Ownership: `previous.parsed` is given up. The statements, diagnostics and
 * tokens after the edit are moved to their new offsets and lines in place
 * (copying them would cost more than the parse saved), so the caller must
 * not read `previous.parsed` again, nor re-parse from it twice.
 * `observe` is told which way it went (tests and benchmarks).
 */
export function reparse(previous: ParsedText, text: string, observe?: (way: ReparseWay) => void): ParseResult {
  if (text === previous.text) {
    observe?.({ kind: 'same' });
    return previous.parsed;
  }
  if (!exceedsSizeCap(text) && !exceedsSizeCap(previous.text) && !previous.parsed.diagnostics.some((d) => d.code === 'DS104' || d.code === 'DS172')) {
    const change = changedSpan(previous.text, text);
    const splits = new SplitPoints(previous);
    for (let widenings = 0; widenings <= MAX_WIDENINGS; widenings++) {
      const merged = reparseRegion(previous, text, change, splits, OVERLAP_TOKENS << widenings);
      if (merged === 'full') break;
      if (merged !== 'widen') {
        observe?.({ kind: 'region', widenings, regionChars: merged.regionChars });
        return merged.parsed;
      }
    }
  }
  observe?.({ kind: 'full' });
  return parseInPositionOrder(text);
}

/** The edit as one replaced span: old text [from, oldEnd) became new text [from, oldEnd + delta). */
export interface Change {
  readonly from: number;
  readonly oldEnd: number;
  readonly delta: number;
}

/** Characters compared at once while looking for the edit (a string comparison runs at memory speed). */
const COMPARE_CHUNK = 4096;

/** The one span the edit from `before` to `after` replaced (the common prefix and suffix left out). */
export function changedSpan(before: string, after: string): Change {
  const shorter = Math.min(before.length, after.length);
  let from = 0;
  while (from + COMPARE_CHUNK <= shorter && before.slice(from, from + COMPARE_CHUNK) === after.slice(from, from + COMPARE_CHUNK)) from += COMPARE_CHUNK;
  while (from < shorter && before.charCodeAt(from) === after.charCodeAt(from)) from++;
  let same = 0;
  const room = shorter - from;
  while (same + COMPARE_CHUNK <= room && before.slice(before.length - same - COMPARE_CHUNK, before.length - same) === after.slice(after.length - same - COMPARE_CHUNK, after.length - same)) same += COMPARE_CHUNK;
  while (same < room && before.charCodeAt(before.length - 1 - same) === after.charCodeAt(after.length - 1 - same)) same++;
  return { from, oldEnd: before.length - same, delta: after.length - before.length };
}

/** Where the previous parse may be cut: a statement starting a line at column 1. */
interface SplitPoint {
  readonly offset: number;
  readonly line: number;
}

/**
 * The split points of a parse, found near the edit only (a 20,000-line file
 * has 20,000 statements; an edit needs a few of them).
 */
class SplitPoints {
  private readonly statements: readonly Statement[];

  constructor(private readonly previous: ParsedText) {
    this.statements = previous.parsed.ast.statements;
  }

  private at(i: number): SplitPoint | undefined {
    const { startOffset: offset, startLine: line, startColumn } = this.statements[i]!.range;
    const before = offset === 0 ? 10 : this.previous.text.charCodeAt(offset - 1);
    return startColumn === 1 && (before === 10 || before === 13) ? { offset, line } : undefined;
  }

  /** The split points at or before `offset`, nearest first. */
  *before(offset: number): Generator<SplitPoint> {
    for (let i = firstAtOrAfter(this.statements, offset + 1, (s) => s.range.startOffset) - 1; i >= 0; i--) {
      const split = this.at(i);
      if (split) yield split;
    }
  }

  /** The split points after `offset`, nearest first. */
  *after(offset: number): Generator<SplitPoint> {
    for (let i = firstAtOrAfter(this.statements, offset + 1, (s) => s.range.startOffset); i < this.statements.length; i++) {
      const split = this.at(i);
      if (split) yield split;
    }
  }
}

/** The previous parse's pieces between two offsets (or to the end). */
interface Pieces {
  readonly statements: readonly Statement[];
  readonly diagnostics: readonly Diagnostic[];
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
}

function piecesBetween(parsed: ParseResult, from: number, to: number): Pieces {
  const cut = <T>(items: readonly T[], startOf: (item: T) => number): readonly T[] =>
    items.slice(firstAtOrAfter(items, from, startOf), firstAtOrAfter(items, to, startOf));
  return {
    statements: cut(parsed.ast.statements, (s) => s.range.startOffset),
    diagnostics: cut(parsed.diagnostics, (d) => d.range.startOffset),
    tokens: cut(parsed.tokens, (t) => t.startOffset),
    comments: cut(parsed.comments, (t) => t.startOffset),
  };
}

function samePieces(a: Pieces, b: Pieces): boolean {
  return sameData(a.statements, b.statements) && sameData(a.diagnostics, b.diagnostics) && sameTokens(a.tokens, b.tokens) && sameTokens(a.comments, b.comments);
}

function shiftPieces(p: Pieces, shift: Shift): Pieces {
  if (isIdentity(shift)) return p;
  return { statements: shiftData(p.statements, shift), diagnostics: shiftData(p.diagnostics, shift), tokens: shiftTokens(p.tokens, shift), comments: shiftTokens(p.comments, shift) };
}

function tokensBetween(parsed: ParseResult, from: number, to: number): number {
  return firstAtOrAfter(parsed.tokens, to, (t) => t.startOffset) - firstAtOrAfter(parsed.tokens, from, (t) => t.startOffset);
}

/** The region's left end: the split at or before the change, and one at least `overlap` tokens before it. */
function leftOverlap(splits: SplitPoints, parsed: ParseResult, change: Change, overlap: number): { from: SplitPoint; to: number } | undefined {
  let edited: SplitPoint | undefined;
  for (const split of splits.before(change.from)) {
    if (!edited) edited = split;
    else if (tokensBetween(parsed, split.offset, edited.offset) >= overlap) return { from: split, to: edited.offset };
  }
  return undefined;
}

/** The region's right end: the first split after the change (the character before it unchanged too), and one at least `overlap` tokens after it. */
function rightOverlap(splits: SplitPoints, parsed: ParseResult, change: Change, overlap: number): { from: number; to: SplitPoint } | undefined {
  let unchanged: SplitPoint | undefined;
  for (const split of splits.after(change.oldEnd)) {
    if (!unchanged) unchanged = split;
    else if (tokensBetween(parsed, unchanged.offset, split.offset) >= overlap) return { from: unchanged.offset, to: split };
  }
  return undefined;
}

/**
 * One attempt with overlaps of at least `overlap` tokens: the merged parse,
 * 'widen' when an unchanged end re-parsed differently, or 'full' when only a
 * full parse is right.
 */
function reparseRegion(previous: ParsedText, text: string, change: Change, splits: SplitPoints, overlap: number): { parsed: ParseResult; regionChars: number } | 'widen' | 'full' {
  const old = previous.parsed;
  const left = leftOverlap(splits, old, change, overlap);
  const right = rightOverlap(splits, old, change, overlap);
  const regionStart = left?.from.offset ?? 0;
  const regionLine = left?.from.line ?? 1;
  const oldRegionEnd = right?.to.offset ?? previous.text.length;
  const newRegionEnd = oldRegionEnd + change.delta;
  const pad = regionLine - 1;
  const region = parse('\n'.repeat(pad) + text.slice(regionStart, newRegionEnd));
  if (region.diagnostics.some((d) => d.code === 'DS104' || d.code === 'DS172' || d.range.startOffset < pad)) return 'full';
  const fromRegion = { offset: regionStart - pad, lines: 0, from: pad };
  const parsed: Pieces = shiftPieces({ statements: region.ast.statements, diagnostics: inPositionOrder(region.diagnostics), tokens: region.tokens, comments: region.comments }, fromRegion);

  const lineDelta = lineBreaks(text, regionStart, newRegionEnd) - lineBreaks(previous.text, regionStart, oldRegionEnd);
  // Everything from the first unchanged statement after the edit on moves (the right overlap too).
  const suffixShift: Shift = { offset: change.delta, lines: lineDelta, from: right?.from ?? oldRegionEnd };
  if (left && !samePieces(piecesBetween(old, left.from.offset, left.to), cutPieces(parsed, left.from.offset, left.to))) return 'widen';
  if (right && !samePieces(shiftPieces(piecesBetween(old, right.from, right.to.offset), suffixShift), cutPieces(parsed, right.from + change.delta, Infinity))) return 'widen';

  const suffix = right ? piecesBetween(old, right.to.offset, Infinity) : undefined;
  const suffixDiagnostics = suffix ? movedMessages(suffix.diagnostics, suffixShift) : undefined;
  if (suffixDiagnostics === 'full') return 'full';
  const prefix = left ? piecesBetween(old, 0, regionStart) : undefined;
  const tokens = concat(prefix?.tokens, parsed.tokens, suffix?.tokens);
  if (maxNesting(tokens) >= NESTING_MARGIN) return 'full';
  const range = fileRange(old.ast.range, region.ast.range, fromRegion, left !== undefined, right !== undefined, suffixShift);
  if (range === 'full') return 'full';
  // From here on `previous` is given up: its suffix moves in place (see reparse).
  // Diagnostics are copied first (few, and their ranges may be the AST's own objects), then the rest moved in place.
  const movedDiagnostics = suffixDiagnostics && shiftData(suffixDiagnostics, suffixShift);
  if (suffix) shiftInPlace(suffix.statements, [suffix.tokens, suffix.comments], suffixShift);
  return {
    parsed: {
      ast: { statements: concat(prefix?.statements, parsed.statements, suffix?.statements), range },
      diagnostics: concat(prefix?.diagnostics, parsed.diagnostics, movedDiagnostics),
      tokens,
      comments: concat(prefix?.comments, parsed.comments, suffix?.comments),
      // Every statement is the region's or one of the previous parse's: the larger bound bounds them all.
      ...(old.largestDurationNs !== undefined && region.largestDurationNs !== undefined ? { largestDurationNs: Math.max(old.largestDurationNs, region.largestDurationNs) } : {}),
    },
    regionChars: newRegionEnd - regionStart,
  };
}

/** The pieces of the re-parsed region from `from` on, up to `to`. */
function cutPieces(p: Pieces, from: number, to: number): Pieces {
  return {
    statements: p.statements.filter((s) => s.range.startOffset >= from && s.range.startOffset < to),
    diagnostics: p.diagnostics.filter((d) => d.range.startOffset >= from && d.range.startOffset < to),
    tokens: p.tokens.filter((t) => t.startOffset >= from && t.startOffset < to),
    comments: p.comments.filter((t) => t.startOffset >= from && t.startOffset < to),
  };
}

/**
 * The suffix's diagnostics with the lines their messages name moved: such a
 * line is in the same statement or the next, which moved with it. DS106's
 * are rewritten (copies: the ranges are shifted in place later); any other
 * such message needs a full parse.
 */
function movedMessages(diagnostics: readonly Diagnostic[], shift: Shift): readonly Diagnostic[] | 'full' {
  if (shift.lines === 0) return diagnostics;
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (!/\bline \d/.test(d.message)) out.push(d);
    else if (d.code === 'DS106') out.push({ ...d, message: d.message.replace(/\bline (\d+)/g, (_, n: string) => `line ${Number(n) + shift.lines}`) });
    else return 'full';
  }
  return out;
}

/**
 * The file's range: from its first parsed token to its last. The previous
 * parse's ends where a reused part holds them, else the region's; a region
 * without tokens between a prefix and nothing needs the full parse.
 */
function fileRange(old: SourceRange, region: SourceRange, fromRegion: Shift, prefix: boolean, suffix: boolean, suffixShift: Shift): SourceRange | 'full' {
  const inRegion = sameData(region, NO_RANGE) ? undefined : shiftData(region, fromRegion);
  // The previous end lies in the suffix: it moves with it (its start may lie before the region).
  const oldEnd = { ...old, endOffset: old.endOffset + suffixShift.offset, endLine: old.endLine + suffixShift.lines };
  const start = prefix ? old : inRegion ?? (suffix ? shiftData(old, suffixShift) : NO_RANGE);
  const end = suffix ? oldEnd : inRegion ?? (prefix ? undefined : NO_RANGE);
  if (!end) return 'full';
  return { startOffset: start.startOffset, endOffset: end.endOffset, startLine: start.startLine, startColumn: start.startColumn, endLine: end.endLine, endColumn: end.endColumn };
}

/** Line breaks in text[from, to) as the lexer counts them: \n, \r\n and a lone \r. */
export function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/** How limits.ts counts a token: it opens or closes a level, starts an `after`, ends a chain of them (a `}` does both). */
const enum Nesting { None = 0, Opens = 1, Closes = 2, After = 4, EndsChain = 8 }
const NESTING_OF: Readonly<Record<string, number>> = {
  LParen: Nesting.Opens, LBracket: Nesting.Opens, LCurly: Nesting.Opens, RParen: Nesting.Closes, RBracket: Nesting.Closes,
  RCurly: Nesting.Closes | Nesting.EndsChain, Kw_after: Nesting.After,
  Kw_send: Nesting.EndsChain, Kw_reply: Nesting.EndsChain, Kw_broadcast: Nesting.EndsChain, Kw_local: Nesting.EndsChain, Semicolon: Nesting.EndsChain,
};
/** NESTING_OF by token type index, filled as types are met (a lookup by index, not by name, for 200,000 tokens an edit). */
const nestingByType: number[] = [];

/**
 * An upper bound of the depth limits.ts measures on the repaired tokens:
 * brackets (the repairs only add closers) plus `after` chains. Far below
 * MAX_NESTING, no region of the file is cut, whatever the cut points.
 */
function maxNesting(tokens: readonly IToken[]): number {
  let depth = 0;
  let afters = 0;
  let deepest = 0;
  for (const t of tokens) {
    const idx = t.tokenTypeIdx!;
    let kind = nestingByType[idx];
    if (kind === undefined) nestingByType[idx] = kind = NESTING_OF[t.tokenType.name] ?? Nesting.None;
    if (kind === Nesting.None) continue;
    if (kind & Nesting.EndsChain) afters = 0;
    if (kind & Nesting.Opens) depth++;
    else if (kind & Nesting.Closes) depth = Math.max(0, depth - 1);
    else if (kind & Nesting.After) afters++;
    deepest = Math.max(deepest, depth + afters);
  }
  return deepest;
}

function concat<T>(a: readonly T[] | undefined, b: readonly T[], c: readonly T[] | undefined): T[] {
  return (a ?? []).concat(b, c ?? []);
}
